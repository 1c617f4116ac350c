"""Permission matrix of the campaign pages and endpoints (``surveys/roles.py``): every staff role but the document
controller sees the campaigns of the estates it serves (the agent: estate A only; a campaign over estate B alone is
404); the customer-service manager and the administrator run them (create, edit a draft, launch, remind, close,
cancel, renew a link, print links, the schedule); residents hold none of it (403)."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from wuye.core.roles import Role
from wuye.core.testing.matrix import Route, matrix_tests

from .factories import open_campaign
from .factories_campaigns import _version, draft

R = Role
VIEW = {R.AGENT, R.CS_MANAGER, R.EXECUTIVE, R.QUALITY_AUDITOR, R.ADMIN}
RUN = {R.CS_MANAGER, R.ADMIN}


def _open(w):
    return open_campaign(w, version=_version())


def _open_b(w):
    return open_campaign(w, version=_version(), estates=[w.estate_b], number="SV-2026-02")


def _draft(w):
    return draft(w)


def _draft_b(w):
    return draft(w, estates=[w.estate_b], name="翠湖苑调查")


def _on(name, make, *extra):
    return lambda w: reverse(name, args=[make(w).pk, *extra])


def _url(name):
    return lambda w: reverse(name)


def _invitation(w):
    return _open(w).invitations.get(unit=w.unit_a)


def _form(w):
    today = timezone.localdate()
    return {"name": "页面创建的调查", "version": _version().pk, "estates": [w.estate_a.pk], "starts_on": today,
            "ends_on": today + dt.timedelta(days=30), "target": "all", "confidence": "0.95", "margin": "0.05",
            "channel_portal": "on", "channel_link": "on", "low_score_threshold": "3.5", "notes": ""}


def _api_data(w):
    data = _form(w)
    data.update(starts_on=f"{data['starts_on']:%Y-%m-%d}", ends_on=f"{data['ends_on']:%Y-%m-%d}",
                channel_portal=True, channel_link=True, channel_staff=False)
    return data


def _schedule(w):
    return {"campaigns_per_year": "3", "low_score_threshold": "3.60", "link_valid_days": "20", "remind_after_days": "5"}


def _closable(w):
    return _open(w)


PAGE_CASES = [
    Route("surveys:campaign_list", _url("surveys:campaign_list"), VIEW),
    Route("surveys:campaign", _on("surveys:campaign", _open), VIEW, other=_on("surveys:campaign", _open_b)),
    Route("surveys:campaign", _on("surveys:campaign", _draft), VIEW, other=_on("surveys:campaign", _draft_b)),
    Route("surveys:campaign_history", _on("surveys:campaign_history", _open), VIEW,
          other=_on("surveys:campaign_history", _open_b)),
    Route("surveys:campaign_rates", _on("surveys:campaign_rates", _open), VIEW,
          other=_on("surveys:campaign_rates", _open_b)),
    Route("surveys:campaign_add", _url("surveys:campaign_add"), RUN),
    Route("surveys:campaign_add", _url("surveys:campaign_add"), RUN, method="post", ok=(302,), data=_form),
    Route("surveys:campaign_edit", _on("surveys:campaign_edit", _draft), RUN),
    Route("surveys:campaign_edit", _on("surveys:campaign_edit", _draft), RUN, method="post", ok=(302,), data=_form),
    Route("surveys:campaign_step", _on("surveys:campaign_step", _draft, "launch"), RUN),
    Route("surveys:campaign_step", _on("surveys:campaign_step", _draft, "launch"), RUN, method="post", ok=(302,),
          data=lambda w: {}),
    Route("surveys:campaign_step", _on("surveys:campaign_step", _open, "remind"), RUN, method="post", ok=(302,),
          data=lambda w: {}),
    Route("surveys:campaign_step", _on("surveys:campaign_step", _closable, "close"), RUN, method="post", ok=(302,),
          data=lambda w: {}),
    Route("surveys:campaign_step", _on("surveys:campaign_step", _draft, "cancel"), RUN, method="post", ok=(302,),
          data=lambda w: {"reason": "重复创建"}),
    Route("surveys:invitation_list", _on("surveys:invitation_list", _open), VIEW,
          other=_on("surveys:invitation_list", _open_b)),
    Route("surveys:invitation_renew", _on("surveys:invitation_renew", _invitation), RUN, method="post", ok=(302,),
          data=lambda w: {}),
    Route("surveys:campaign_links", _on("surveys:campaign_links", _open), RUN),
    Route("surveys:schedule", _url("surveys:schedule"), VIEW),
    Route("surveys:schedule_edit", _url("surveys:schedule_edit"), RUN),
    Route("surveys:schedule_edit", _url("surveys:schedule_edit"), RUN, method="post", ok=(302,), data=_schedule),
]

API_CASES = [
    Route("api:surveys-campaign-list", _url("api:surveys-campaign-list"), VIEW, api=True),
    Route("api:surveys-campaign-list", _url("api:surveys-campaign-list"), RUN, api=True, method="post", ok=(201,),
          data=_api_data),
    Route("api:surveys-campaign-detail", _on("api:surveys-campaign-detail", _open), VIEW, api=True,
          other=_on("api:surveys-campaign-detail", _open_b)),
    Route("api:surveys-campaign-detail", _on("api:surveys-campaign-detail", _draft), RUN, api=True,
          method="patch", data=lambda w: {"name": "接口改名"}),
    Route("api:surveys-campaign-launch", _on("api:surveys-campaign-launch", _draft), RUN, api=True, method="post",
          data=lambda w: {}),
    Route("api:surveys-campaign-remind", _on("api:surveys-campaign-remind", _open), RUN, api=True, method="post",
          data=lambda w: {}),
    Route("api:surveys-campaign-close", _on("api:surveys-campaign-close", _open), RUN, api=True, method="post",
          data=lambda w: {}),
    Route("api:surveys-campaign-cancel", _on("api:surveys-campaign-cancel", _draft), RUN, api=True, method="post",
          data=lambda w: {"reason": "重复创建"}),
]

CASES = [*PAGE_CASES, *API_CASES]

test_matrix = matrix_tests(CASES)
