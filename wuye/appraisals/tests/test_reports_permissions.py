"""Permission matrix of the appraisal reports (merge ``CASES`` into ``tests/test_permissions.py``).

- The cycle results, the cycle's Excel and the department comparison need ``appraisals.manage_appraisal_cycles``
  and ``appraisals.view_appraisal``: the customer-service manager, top management and the administrator.
- A person's history and the PDF of a filled form need ``appraisals.view_appraisal`` and an appraisal the user may
  see (``Appraisal.restrict_queryset``): the agent's own (final), the manager of the department, top management
  and the administrator (in the department too); the document controller and the quality auditor hold the
  permission but see none of them (404); residents hold none (403). Out of scope for the agent (``other``): another
  person's history and form (404).
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from wuye.appraisals.tests.factories_reports import make_appraisal, make_cycle, make_version, staff
from wuye.core.roles import Role
from wuye.core.testing.matrix import Route, matrix_tests

R = Role
MANAGERS = {R.CS_MANAGER, R.EXECUTIVE, R.ADMIN}
SEE_AGENT = {R.AGENT, R.CS_MANAGER, R.EXECUTIVE, R.ADMIN}


def _cycle(w):
    version = make_version()
    cycle = make_cycle(version)
    make_appraisal(w, version=version, cycle=cycle, appraisee=w.staff["agent"], scores=[[4, 4, 4], [4, 4]])
    return cycle


def _agent_appraisal(w):
    return make_appraisal(w, version=make_version(), appraisee=w.staff["agent"], scores=[[4, 4, 4], [4, 4]])


def _other_appraisal(w):
    return make_appraisal(w, version=make_version(), appraisee=staff(w, "孙一"), scores=[[3, 3, 3], [3, 3]])


CASES = [
    Route("appraisals:cycle_results", lambda w: reverse("appraisals:cycle_results", args=[_cycle(w).pk]), MANAGERS),
    Route("appraisals:cycle_excel", lambda w: reverse("appraisals:cycle_excel", args=[_cycle(w).pk]), MANAGERS),
    Route("appraisals:department_comparison", lambda w: reverse("appraisals:department_comparison"), MANAGERS),
    Route("appraisals:staff_history",
          lambda w: reverse("appraisals:staff_history", args=[_agent_appraisal(w).appraisee_id]), SEE_AGENT,
          other=lambda w: reverse("appraisals:staff_history", args=[_other_appraisal(w).appraisee_id]),
          denied_status=(403, 404)),
    Route("appraisals:appraisal_pdf",
          lambda w: reverse("appraisals:appraisal_pdf", args=[_agent_appraisal(w).pk]), SEE_AGENT,
          other=lambda w: reverse("appraisals:appraisal_pdf", args=[_other_appraisal(w).pk]),
          denied_status=(403, 404)),
]

test_matrix = matrix_tests(CASES)


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["appraisals:staff_history", "appraisals:appraisal_pdf"])
@pytest.mark.parametrize(("role", "status"), [(R.DOCUMENT_CONTROLLER, 404), (R.QUALITY_AUDITOR, 404),
                                              (R.RESIDENT, 403)])
def test_who_sees_none_of_them(world, client_for, name, role, status):
    """The matrix accepts 403 or 404 for the roles not allowed: say which each gets."""
    appraisal = _agent_appraisal(world)
    arg = appraisal.appraisee_id if name == "appraisals:staff_history" else appraisal.pk
    assert client_for(role).get(reverse(name, args=[arg])).status_code == status


@pytest.mark.django_db
def test_cycle_of_another_cycle_id_is_404(world, client_for):
    assert client_for(R.CS_MANAGER).get(reverse("appraisals:cycle_results", args=[999999])).status_code == 404
    assert client_for(R.CS_MANAGER).get(reverse("appraisals:cycle_excel", args=[999999])).status_code == 404
