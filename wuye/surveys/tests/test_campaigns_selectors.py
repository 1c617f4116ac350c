"""Response rates against hand counts, the households frame, the survey-due schedule and its home-page panel."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import RequestFactory
from django.utils import timezone

from wuye.estates.choices import OccupancyRole
from wuye.surveys import services
from wuye.surveys.choices import CampaignStatus
from wuye.surveys.models import Invitation
from wuye.surveys.selectors.campaigns import households, response_rates, survey_due, survey_due_panel

from .factories import open_campaign
from .factories_campaigns import add_households, draft

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def test_households_one_per_unit_with_a_current_occupant(world):
    units = add_households(world.estate_a, 2)
    add_households(world.estate_a, 1, role=OccupancyRole.FAMILY)        # a family member alone is not asked
    add_households(world.estate_a, 1, end=TODAY - dt.timedelta(days=1))  # moved out
    frame = households([world.estate_a.pk, world.estate_b.pk])
    assert frame == {world.estate_a.pk: sorted([world.unit_a.pk, *(u.pk for u in units)]),
                     world.estate_b.pk: [world.unit_b.pk]}


def test_response_rates_against_hand_counts(world):
    add_households(world.estate_a, 3)          # A: 4 units, B: 1
    campaign = open_campaign(world)
    a = list(Invitation.objects.filter(campaign=campaign, estate=world.estate_a).order_by("pk"))
    Invitation.objects.filter(pk__in=[a[0].pk, a[1].pk, a[2].pk]).update(answered=True)   # 3 of 4 in A
    manager = response_rates(campaign, world.users["cs_manager"])
    rows = {r["estate"].pk: (r["invited"], r["answered"], r["rate"]) for r in manager["rows"]}
    assert rows == {world.estate_a.pk: (4, 3, Decimal("75.0")), world.estate_b.pk: (1, 0, Decimal("0.0"))}
    assert (manager["total"]["invited"], manager["total"]["answered"], manager["total"]["rate"]) == (
        5, 3, Decimal("60.0"))
    # the agent serves only A: B's figures are not theirs
    agent = response_rates(campaign, world.users["agent"])
    assert [r["estate"].pk for r in agent["rows"]] == [world.estate_a.pk]
    assert agent["total"]["invited"] == 4 and agent["total"]["rate"] == Decimal("75.0")


def test_rates_of_a_draft_are_empty(world):
    campaign = draft(world)
    rates = response_rates(campaign, world.users["cs_manager"])
    assert [r["invited"] for r in rates["rows"]] == [0, 0] and rates["total"]["rate"] is None


def test_survey_due_follows_the_schedule(world):
    manager = world.users["cs_manager"]
    due = {d["estate"].pk: d for d in survey_due(manager)}
    assert set(due) == {world.estate_a.pk, world.estate_b.pk} and due[world.estate_a.pk]["last"] is None
    # A surveyed 100 days ago: within twice a year (182 days) → only B due
    open_campaign(world, estates=[world.estate_a], starts_on=TODAY - dt.timedelta(days=100))
    assert [d["estate"] for d in survey_due(manager)] == [world.estate_b]
    # four times a year (91 days): A is due again
    services.schedule_update(actor=manager, campaigns_per_year=4)
    due = {d["estate"].pk: d for d in survey_due(manager)}
    assert set(due) == {world.estate_a.pk, world.estate_b.pk} and due[world.estate_a.pk]["days"] == 100
    # drafts and cancelled campaigns do not count
    open_campaign(world, estates=[world.estate_b], number="SV-2026-09", status=CampaignStatus.CANCELLED)
    assert world.estate_b.pk in {d["estate"].pk for d in survey_due(manager)}
    # the agent sees only the estate they serve
    assert [d["estate"] for d in survey_due(world.users["agent"])] == [world.estate_a]


def test_due_panel_only_for_those_who_run_campaigns(world):
    request = RequestFactory().get("/")
    request.user = world.users["cs_manager"]
    panel = survey_due_panel(request)
    assert panel["template"] == "surveys/panel_due.html" and len(panel["due"]) == 2
    request.user = world.users["agent"]
    assert survey_due_panel(request) is None
    open_campaign(world, starts_on=TODAY)
    request.user = world.users["cs_manager"]
    assert survey_due_panel(request) is None     # nothing due


def test_home_page_shows_the_panel(world, client_for):
    page = client_for("cs_manager").get("/")
    assert page.status_code == 200 and "surveys-due-panel" in page.content.decode()
    assert "surveys-due-panel" not in client_for("agent").get("/").content.decode()
