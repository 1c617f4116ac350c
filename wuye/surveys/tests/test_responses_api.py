"""``/api/v1/survey-responses/``: answers nested, the household hidden like on the pages, staff entry through the
service with field-keyed errors, no update, no DELETE."""

from __future__ import annotations

import pytest
from django.urls import reverse

from wuye.surveys import services
from wuye.surveys.choices import Channel
from wuye.surveys.models import Response

from .factories import full_answers, invitation_for, open_campaign
from .factories_responses import household, state

pytestmark = pytest.mark.django_db

LIST = "/api/v1/survey-responses/"


def test_list_and_retrieve_named_response(world, client_for):
    campaign = open_campaign(world)
    response = services.response_submit(invitation=invitation_for(campaign, world.unit_a),
                                        answers=full_answers(campaign.version), channel=Channel.LINK)
    manager = client_for("cs_manager", api=True)
    data = manager.get(f"{LIST}{response.pk}/").json()
    assert data["unit"] == world.unit_a.pk and data["unit_code"] == "3-2-1201" and data["submitted_at"]
    assert {(a["question"], a["value"]) for a in data["answers"]} >= {(campaign.version.q["service"].pk, 5)}
    agent = client_for("agent", api=True).get(f"{LIST}{response.pk}/").json()
    assert agent["unit"] is None and agent["unit_code"] is None  # no permission to see households
    assert manager.get(LIST, {"campaign": campaign.pk}).json()["count"] == 1
    assert manager.get(LIST, {"channel": "phone"}).json()["count"] == 0


def test_anonymous_response_has_no_household_time_or_user(world, client_for):
    home = household(world)
    campaign = open_campaign(world, anonymous=True)
    response = services.response_submit(invitation=invitation_for(campaign, home),
                                        answers=full_answers(campaign.version), channel=Channel.PAPER,
                                        actor=world.users["cs_manager"])
    for role in ("cs_manager", "admin", "agent"):
        client = client_for(role, api=True)
        for url in (f"{LIST}{response.pk}/", LIST):
            body = client.get(url).content.decode()
            assert "3-7-0707" not in body and "赵敏" not in body and str(world.users["cs_manager"].pk) not in [
                str(v) for v in (client.get(f"{LIST}{response.pk}/").json()["entered_by"],)]
        data = client.get(f"{LIST}{response.pk}/").json()
        assert data["unit"] is None and data["unit_code"] is None and data["submitted_at"] is None
        assert data["entered_by"] is None and data["anonymous"] is True
        assert str(home.pk) not in {str(data["unit"])}


def test_staff_enter_through_the_api(world, client_for):
    campaign = open_campaign(world)
    invitation = invitation_for(campaign, world.unit_a)
    answers = {str(k): v for k, v in full_answers(campaign.version).items()}
    client = client_for("agent", api=True)
    created = client.post(LIST, {"invitation": invitation.pk, "channel": "phone", "answers": answers}, format="json")
    assert created.status_code == 201, created.content
    stored = Response.objects.get()
    assert stored.channel == Channel.PHONE and stored.entered_by == world.users["agent"]
    assert created.json()["id"] == stored.pk
    again = client.post(LIST, {"invitation": invitation.pk, "channel": "phone", "answers": answers}, format="json")
    assert again.status_code == 400 and Response.objects.count() == 1


def test_api_bad_input_is_field_keyed_and_saves_nothing(world, client_for):
    campaign = open_campaign(world)
    invitation = invitation_for(campaign, world.unit_a)
    q = campaign.version.q
    answers = {str(k): v for k, v in full_answers(campaign.version).items()}
    answers[str(q["service"].pk)] = 9
    del answers[str(q["recommend"].pk)]
    client = client_for("agent", api=True)
    before = state(invitation)
    bad = client.post(LIST, {"invitation": invitation.pk, "channel": "phone", "answers": answers}, format="json")
    assert bad.status_code == 400
    assert set(bad.json()) >= {f"q{q['service'].pk}", f"q{q['recommend'].pk}"}
    link = client.post(LIST, {"invitation": invitation.pk, "channel": "link", "answers": answers}, format="json")
    assert link.status_code == 400 and "channel" in link.json()
    outside = client.post(LIST, {"invitation": invitation_for(campaign, world.unit_b).pk, "channel": "phone",
                                 "answers": answers}, format="json")
    assert outside.status_code == 400 and "invitation" in outside.json()
    assert state(invitation) == before


def test_no_update_no_delete(world, client_for):
    campaign = open_campaign(world)
    response = services.response_submit(invitation=invitation_for(campaign, world.unit_a),
                                        answers=full_answers(campaign.version), channel=Channel.LINK)
    client = client_for("admin", api=True)
    url = f"{LIST}{response.pk}/"
    assert client.patch(url, {"channel": "paper"}, format="json").status_code in (403, 405)
    assert client.delete(url).status_code in (403, 405)
    assert Response.objects.filter(pk=response.pk, channel=Channel.LINK).exists()
    assert reverse("api:surveys-response-detail", args=[response.pk]) == url
