"""``manage.py surveys_remind``: reminders after the schedule's interval, once; closing ended campaigns."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from wuye.surveys.choices import CampaignStatus
from wuye.surveys.models import Campaign, Invitation

from .factories import open_campaign

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _run(date=None) -> str:
    out = StringIO()
    call_command("surveys_remind", *(["--date", f"{date:%Y-%m-%d}"] if date else []), stdout=out)
    return out.getvalue()


def test_reminds_after_the_interval_then_not_again(world):
    campaign = open_campaign(world, starts_on=TODAY - dt.timedelta(days=10), days=40)
    Campaign.objects.filter(pk=campaign.pk).update(opened_at=timezone.now() - dt.timedelta(days=3))
    _run()
    assert set(Invitation.objects.filter(campaign=campaign).values_list("reminders", flat=True)) == {0}  # 3 < 7 days
    Campaign.objects.filter(pk=campaign.pk).update(opened_at=timezone.now() - dt.timedelta(days=8))
    Invitation.objects.filter(campaign=campaign, unit=world.unit_b).update(answered=True)
    out = _run()
    assert "1" in out
    assert Invitation.objects.get(campaign=campaign, unit=world.unit_a).reminders == 1
    assert Invitation.objects.get(campaign=campaign, unit=world.unit_b).reminders == 0
    _run()   # a second run the same day changes nothing
    _run(TODAY + dt.timedelta(days=3))   # the interval since the last reminder has not passed either
    assert Invitation.objects.get(campaign=campaign, unit=world.unit_a).reminders == 1


def test_closes_campaigns_past_their_last_day(world):
    ended = open_campaign(world, starts_on=TODAY - dt.timedelta(days=40), days=30)
    running = open_campaign(world, number="SV-2026-02", starts_on=TODAY, days=30)
    out = _run()
    assert ended.number in out
    assert Campaign.objects.get(pk=ended.pk).status == CampaignStatus.CLOSED
    assert Campaign.objects.get(pk=running.pk).status == CampaignStatus.OPEN
    _run()
    assert Campaign.objects.get(pk=ended.pk).status == CampaignStatus.CLOSED
