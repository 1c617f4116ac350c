"""Permission matrix of the responses pages and API, and the public personal link (no login: the key is the
credential; whitelisted in ``core/tests/test_coverage.py``)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from wuye.core.roles import Role
from wuye.core.testing.matrix import Route, matrix_tests
from wuye.surveys import services
from wuye.surveys.choices import Channel

from .factories import full_answers, invitation_for, open_campaign

VIEWERS = {Role.CS_MANAGER.value, Role.ADMIN.value, Role.AGENT.value, Role.EXECUTIVE.value,
           Role.QUALITY_AUDITOR.value}
ENTERERS = {Role.CS_MANAGER.value, Role.ADMIN.value, Role.AGENT.value}


def _campaign(w):
    return open_campaign(w, estates=[w.estate_a], number="SV-2026-11")


def _other_campaign(w):
    return open_campaign(w, estates=[w.estate_b], number="SV-2026-12")


def _response(w, campaign):
    unit = w.unit_a if campaign.campaign_estates.filter(estate=w.estate_a).exists() else w.unit_b
    return services.response_submit(invitation=invitation_for(campaign, unit), answers=full_answers(campaign.version),
                                    channel=Channel.LINK)


def _entry(w):
    campaign = open_campaign(w, estates=[w.estate_a], number="SV-2026-13")
    w._entry_campaign = campaign
    data = {"invitation": invitation_for(campaign, w.unit_a).pk, "channel": "phone"}
    for pk, value in full_answers(campaign.version).items():
        data[f"q{pk}"] = [str(v) for v in value] if isinstance(value, list) else str(value)
    return campaign, data


def _entry_url(w):
    campaign, w._entry_data = _entry(w)
    return reverse("surveys:response_add", args=[campaign.pk])


def _api_entry(w):
    campaign = open_campaign(w, estates=[w.estate_a], number="SV-2026-14")
    return {"invitation": invitation_for(campaign, w.unit_a).pk, "channel": "paper",
            "answers": {str(k): v for k, v in full_answers(campaign.version).items()}}


CASES = [
    Route("surveys:response_list", lambda w: reverse("surveys:response_list"), VIEWERS),
    Route("surveys:response", lambda w: reverse("surveys:response", args=[_response(w, _campaign(w)).pk]), VIEWERS,
          other=lambda w: reverse("surveys:response", args=[_response(w, _other_campaign(w)).pk])),
    Route("surveys:response_add", lambda w: reverse("surveys:response_add", args=[_campaign(w).pk]), ENTERERS,
          other=lambda w: reverse("surveys:response_add", args=[_other_campaign(w).pk])),
    Route("surveys:response_add", _entry_url, ENTERERS, method="post", data=lambda w: w._entry_data, ok=(302,)),
    Route("api:surveys-response-list", lambda w: "/api/v1/survey-responses/", VIEWERS, api=True),
    Route("api:surveys-response-detail",
          lambda w: f"/api/v1/survey-responses/{_response(w, _campaign(w)).pk}/", VIEWERS, api=True,
          other=lambda w: f"/api/v1/survey-responses/{_response(w, _other_campaign(w)).pk}/"),
    Route("api:surveys-response-list", lambda w: "/api/v1/survey-responses/", ENTERERS, api=True, method="post",
          data=_api_entry, ok=(201,)),
]

test_matrix = matrix_tests(CASES)


@pytest.mark.django_db
@pytest.mark.parametrize("role", [None, "resident", "agent", "document_controller"])
def test_public_link_opens_for_anyone_with_the_key(world, client_for, role):
    """The personal link needs no login and no permission: the one-time key is the credential."""
    campaign = _campaign(world)
    invitation = invitation_for(campaign, world.unit_a)
    client = client_for(role) if role else Client()
    assert client.get(reverse("surveys:answer", args=[invitation.key])).status_code == 200
    assert client.get(reverse("surveys:answer", args=["x" * 43])).status_code == 404
    services.response_submit(invitation=invitation, answers=full_answers(campaign.version), channel=Channel.LINK)
    assert client.get(reverse("surveys:answer_done", args=[invitation.key])).status_code == 200
    assert client.get(reverse("surveys:answer", args=[invitation.key])).status_code == 410
