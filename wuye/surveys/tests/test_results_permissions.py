"""Permission matrix of the results pages and the results API (``surveys/roles.py``): every staff role holding
``surveys.view_campaign`` (manager, agent, top management, the quality auditor, the administrator) sees the results,
the report, the Excel workbook and the trends of the estates they serve; a campaign or an estate the agent does not
serve answers 404; raising a corrective action needs ``surveys.change_campaign`` (manager, administrator); the
document controller and residents hold none of it (403)."""

from __future__ import annotations

from django.urls import reverse

from wuye.core.roles import Role
from wuye.core.testing.matrix import Route, matrix_tests

from .factories import make_version, open_campaign
from .factories_results import satisfaction_set

R = Role
VIEW = {R.CS_MANAGER, R.ADMIN, R.AGENT, R.EXECUTIVE, R.QUALITY_AUDITOR}
RUN = {R.CS_MANAGER, R.ADMIN}


def _campaign_a(w):
    """A campaign over estate A with a flagged score."""
    version = make_version(code="perm-a")
    campaign = open_campaign(w, version, estates=[w.estate_a], number="SV-2026-11")
    satisfaction_set(campaign, w.estate_a, version, [1, 2])
    return campaign


def _campaign_b(w):
    return open_campaign(w, make_version(code="perm-b"), estates=[w.estate_b], number="SV-2026-12")


def _on(name, make):
    return lambda w: reverse(name, args=[make(w).pk])


def _raise_data(w):
    from wuye.surveys.models import Dimension

    campaign = _campaign_a(w)
    return {"campaign": campaign.pk, "estate": w.estate_a.pk, "dimension": Dimension.objects.get(code="t-service").pk}


CASES = [
    Route("surveys:campaign_results", _on("surveys:campaign_results", _campaign_a), VIEW,
          other=_on("surveys:campaign_results", _campaign_b)),
    Route("surveys:campaign_results_pdf", _on("surveys:campaign_results_pdf", _campaign_a), VIEW,
          other=_on("surveys:campaign_results_pdf", _campaign_b)),
    Route("surveys:campaign_results_xlsx", _on("surveys:campaign_results_xlsx", _campaign_a), VIEW,
          other=_on("surveys:campaign_results_xlsx", _campaign_b)),
    Route("surveys:trends", lambda w: reverse("surveys:trends"), VIEW,
          other=lambda w: f"{reverse('surveys:trends')}?estate={w.estate_b.pk}"),
    Route("surveys:lowscore_raise", lambda w: reverse("surveys:lowscore_raise"), RUN, method="post", ok=(302,),
          data=_raise_data),
    Route("api:surveys-campaign-results", _on("api:surveys-campaign-results", _campaign_a), VIEW, api=True,
          other=_on("api:surveys-campaign-results", _campaign_b)),
]

test_matrix = matrix_tests(CASES)
