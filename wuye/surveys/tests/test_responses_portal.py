"""The owner portal: the "surveys waiting for you" block, answering with the channel portal, another household's
invitation 404, an expired one refused."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from wuye.surveys.choices import Channel
from wuye.surveys.models import Invitation, Response

from .factories import full_answers, invitation_for, open_campaign
from .factories_responses import state

pytestmark = pytest.mark.django_db


def _post(version):
    return {f"q{pk}": [str(v) for v in value] if isinstance(value, list) else str(value)
            for pk, value in full_answers(version).items()}


def test_resident_sees_and_answers_the_survey_on_the_portal(world, client_for):
    campaign = open_campaign(world)
    invitation = invitation_for(campaign, world.unit_a)
    open_campaign(world, number="SV-2026-02", channel_portal=False)  # not on the portal
    client = client_for("resident")
    home = client.get(reverse("portal:home")).content.decode()
    assert 'id="portal-surveys"' in home and home.count("portal-survey\"") == 1
    assert reverse("portal:survey_answer", args=[invitation.pk]) in home
    page = client.get(reverse("portal:survey_answer", args=[invitation.pk]))
    assert page.status_code == 200 and campaign.version.q["service"].text in page.content.decode()
    response = client.post(reverse("portal:survey_answer", args=[invitation.pk]), _post(campaign.version))
    assert response.status_code == 302 and response["Location"] == reverse("portal:home")
    stored = Response.objects.get()
    assert stored.channel == Channel.PORTAL and stored.unit == world.unit_a
    assert 'id="portal-surveys"' not in client.get(reverse("portal:home")).content.decode()
    again = client.post(reverse("portal:survey_answer", args=[invitation.pk]), _post(campaign.version))
    assert again.status_code == 410 and Response.objects.count() == 1


def test_other_households_invitation_is_404(world, client_for):
    campaign = open_campaign(world)
    other = invitation_for(campaign, world.unit_b)
    client = client_for("resident")
    assert client.get(reverse("portal:survey_answer", args=[other.pk])).status_code == 404
    before = state(other)
    assert client.post(reverse("portal:survey_answer", args=[other.pk]), _post(campaign.version)).status_code == 404
    assert state(other) == before


def test_expired_invitation_not_listed_and_refused(world, client_for):
    campaign = open_campaign(world)
    invitation = invitation_for(campaign, world.unit_a)
    Invitation.objects.filter(pk=invitation.pk).update(expires_on=timezone.localdate() - dt.timedelta(days=1))
    client = client_for("resident")
    assert 'id="portal-surveys"' not in client.get(reverse("portal:home")).content.decode()
    before = state(invitation)
    response = client.post(reverse("portal:survey_answer", args=[invitation.pk]), _post(campaign.version))
    assert response.status_code == 410 and state(invitation) == before


def test_missing_answer_on_the_portal(world, client_for):
    campaign = open_campaign(world)
    invitation = invitation_for(campaign, world.unit_a)
    data = _post(campaign.version)
    data.pop(f"q{campaign.version.q['repair'].pk}")
    client = client_for("resident")  # logging in writes an audit event
    before = state(invitation)
    response = client.post(reverse("portal:survey_answer", args=[invitation.pk]), data)
    assert response.status_code == 400 and "survey-error" in response.content.decode()
    assert state(invitation) == before


def test_anonymous_survey_on_the_portal_hides_the_unit(world, client_for):
    campaign = open_campaign(world, anonymous=True)
    invitation = invitation_for(campaign, world.unit_a)
    html = client_for("resident").get(reverse("portal:survey_answer", args=[invitation.pk])).content.decode()
    assert "survey-anonymous" in html and "survey-household" not in html
