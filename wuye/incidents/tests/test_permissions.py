"""Permission matrix of the incidents app: every page and endpoint as every role, and out of scope.

Who may do what comes from ``incidents/roles.py``: agents report incidents of their estates, attach files and read
them; the customer-service manager and the administrator also investigate, review, close, withdraw, raise the
corrective action, correct reports and keep the kinds; the quality auditor and top management read; the document
controller and residents are refused (403). The agent serves estate A only: an incident of estate B answers 404.
``test_out_of_scope_answers_404`` does the same for a manager who serves estate A only.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from wuye.core.roles import Role
from wuye.core.testing.matrix import Route, matrix_tests
from wuye.documents.tests.factories import text_file
from wuye.incidents import services

from .factories import incident, kind, scoped_user

R = Role
VIEW = {R.AGENT, R.CS_MANAGER, R.ADMIN, R.QUALITY_AUDITOR, R.EXECUTIVE}
REPORT = {R.AGENT, R.CS_MANAGER, R.ADMIN}
MANAGE = {R.CS_MANAGER, R.ADMIN}


# --- objects and bodies -----------------------------------------------------------------------------------------------


def _incident(state="reported", estate="a"):
    return lambda w: incident(w, state, estate)


def incident_file(w, estate="a"):
    return services.incident_add_file(actor=w.users["admin"], incident=incident(w, "reported", estate),
                                      upload=text_file("现场说明", "说明.txt"))


def any_kind(w):
    return kind("other")


def report_form(w):
    when = (timezone.localtime() - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    return {"title": "电梯困人", "occurred_at": when, "place": "5号楼2号电梯", "estate": w.estate_a.pk,
            "kind": kind("equipment").pk, "severity": "minor", "people_involved": "两名住户",
            "description": "电梯停在8、9层之间。", "injured_count": "0", "injuries": "", "losses": "",
            "loss_amount": "", "immediate_measures": "通知维保单位救援。"}


def api_report(w):
    return {"title": "快递柜被撬", "occurred_at": (timezone.now() - dt.timedelta(hours=2)).isoformat(),
            "place": "2号门", "estate": w.estate_a.pk, "kind": kind("security").pk, "severity": "minor",
            "description": "夜间柜门被撬。"}


# --- routes -----------------------------------------------------------------------------------------------------------


def _url(name, *args):
    return lambda w: reverse(name, args=args)


def _on(name, make, *extra):
    return lambda w: reverse(name, args=[make(w).pk, *extra])


def _page(name, state, allowed, *extra, **kwargs):
    """A page about an incident of estate A in ``state``; ``other`` is the same about one of estate B."""
    return Route(name, _on(name, _incident(state), *extra), set(allowed),
                 other=_on(name, _incident(state, "b"), *extra), **kwargs)


def _step(step, state, allowed, **kwargs):
    return _page("incidents:incident_step", state, allowed, step, **kwargs)


def _api(name, state, allowed, **kwargs):
    return Route(name, _on(name, _incident(state)), set(allowed), other=_on(name, _incident(state, "b")), api=True,
                 **kwargs)


def _query(name, query, setup=None):
    def url(w):
        if setup is not None:
            setup(w)
        return f"{reverse(name)}?{query}"
    return url


PAGE_CASES = [
    Route("incidents:incident_list", _url("incidents:incident_list"), VIEW),
    Route("incidents:incident_list", _query("incidents:incident_list", "export=xlsx", _incident("closed")), VIEW),
    _page("incidents:incident", "reported", VIEW),
    _page("incidents:incident", "closed", VIEW),
    _page("incidents:incident_history", "reported", VIEW),
    _page("incidents:incident_pdf", "reviewed", VIEW),
    Route("incidents:incident_add", _url("incidents:incident_add"), REPORT),
    Route("incidents:incident_add", _url("incidents:incident_add"), REPORT, method="post", data=report_form,
          ok=(302,)),
    _page("incidents:incident_edit", "reported", MANAGE),
    _page("incidents:incident_edit", "reported", MANAGE, method="post", ok=(302,),
          data=lambda w: {**report_form(w), "kind": kind("injury").pk}),
    # the steps
    _step("investigate", "reported", MANAGE),
    _step("investigate", "reported", MANAGE, method="post", ok=(302,)),
    _step("investigation", "investigating", MANAGE),
    _step("investigation", "investigating", MANAGE, method="post", ok=(302,),
          data=lambda w: {"cause": "挡水板未放下", "responsibility": "值班保安"}),
    _step("review", "investigated", MANAGE),
    _step("review", "investigated", MANAGE, method="post", ok=(302,),
          data=lambda w: {"comment": "同意", "instructions": "修订防汛预案"}),
    _step("close", "reviewed", MANAGE),
    _step("close", "reviewed", MANAGE, method="post", ok=(302,)),
    _step("withdraw", "reported", MANAGE),
    _step("withdraw", "reported", MANAGE, method="post", ok=(302,), data=lambda w: {"reason": "重复报告"}),
    _step("raise-action", "investigated", MANAGE),
    _step("raise-action", "investigated", MANAGE, method="post", ok=(302,), data=lambda w: {}),
    _step("file", "reported", REPORT),  # the upload itself: test_incidents_views
    Route("incidents:file", _on("incidents:file", incident_file), VIEW,
          other=_on("incidents:file", lambda w: incident_file(w, "b"))),
    # the period's report
    Route("incidents:incident_report", _url("incidents:incident_report"), VIEW),
    Route("incidents:incident_report", _query("incidents:incident_report", "export=pdf", _incident("closed")), VIEW),
    Route("incidents:incident_report", _query("incidents:incident_report", "export=xlsx", _incident("closed")),
          VIEW),
    # the kinds
    Route("incidents:incidentkind_list", _url("incidents:incidentkind_list"), MANAGE),
    Route("incidents:incidentkind_add", _url("incidents:incidentkind_add"), MANAGE),
    Route("incidents:incidentkind_add", _url("incidents:incidentkind_add"), MANAGE, method="post", ok=(302,),
          data=lambda w: {"code": "gas", "name": "燃气泄漏", "sort_order": "75", "is_active": "on"}),
    Route("incidents:incidentkind_edit", _on("incidents:incidentkind_edit", any_kind), MANAGE),
    Route("incidents:incidentkind_edit", _on("incidents:incidentkind_edit", any_kind), MANAGE, method="post",
          ok=(302,), data=lambda w: {"code": "other", "name": "其他事故", "sort_order": "70", "is_active": "on"}),
]

API_CASES = [
    Route("api:incidents-incident-list", _url("api:incidents-incident-list"), VIEW, api=True),
    Route("api:incidents-incident-list", _url("api:incidents-incident-list"), REPORT, api=True, method="post",
          data=api_report, ok=(201,)),
    _api("api:incidents-incident-detail", "reported", VIEW),
    _api("api:incidents-incident-detail", "reported", MANAGE, method="patch", data=lambda w: {"place": "3号楼门厅"}),
    _api("api:incidents-incident-start-investigation", "reported", MANAGE, method="post"),
    _api("api:incidents-incident-investigate", "investigating", MANAGE, method="post",
         data=lambda w: {"cause": "挡水板未放下", "responsibility": "值班保安"}),
    _api("api:incidents-incident-review", "investigated", MANAGE, method="post", data=lambda w: {"comment": "同意"}),
    _api("api:incidents-incident-close", "reviewed", MANAGE, method="post"),
    _api("api:incidents-incident-withdraw", "reported", MANAGE, method="post", data=lambda w: {"reason": "重复"}),
    _api("api:incidents-incident-raise-action", "investigated", MANAGE, method="post", data=lambda w: {},
         ok=(201,)),
    # the matrix posts JSON: with no file the permission passes and the input is refused (400); the upload itself
    # is test_incidents_api
    _api("api:incidents-incident-files", "reported", REPORT, method="post", ok=(400,)),
    Route("api:incidents-incidentkind-list", _url("api:incidents-incidentkind-list"), VIEW, api=True),
    Route("api:incidents-incidentkind-list", _url("api:incidents-incidentkind-list"), MANAGE, api=True,
          method="post", data=lambda w: {"code": "gas", "name": "燃气泄漏"}, ok=(201,)),
    Route("api:incidents-incidentkind-detail", _on("api:incidents-incidentkind-detail", any_kind), VIEW, api=True),
    Route("api:incidents-incidentkind-detail", _on("api:incidents-incidentkind-detail", any_kind), MANAGE,
          api=True, method="patch", data=lambda w: {"name": "其他事故"}),
]

CASES = [*PAGE_CASES, *API_CASES]

test_matrix = matrix_tests(CASES)


# --- out of scope: a manager who serves estate A only -----------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("name,step", [("incidents:incident", None), ("incidents:incident_pdf", None),
                                       ("incidents:incident_step", "investigate"),
                                       ("api:incidents-incident-detail", None)])
def test_out_of_scope_answers_404(world, client, name, step):
    user = scoped_user(world)
    theirs = incident(world, "reported", "b")
    mine = incident(world, "reported", "a")
    client.force_login(user)
    args = (lambda item: [item.pk, step]) if step else (lambda item: [item.pk])
    assert client.get(reverse(name, args=args(mine))).status_code == 200
    assert client.get(reverse(name, args=args(theirs))).status_code == 404
