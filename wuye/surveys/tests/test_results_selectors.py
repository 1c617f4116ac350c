"""Survey results against hand-computed examples: average, 满意率, flags, NPS, choice counts, response rates, the
per-estate scope, the previous campaign's deltas, the trend of an estate, callback satisfaction beside, free text
and the figures the quality app reads."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from wuye.surveys.choices import CampaignStatus
from wuye.surveys.models import Campaign
from wuye.surveys.selectors.results import (
    campaign_results,
    campaigns_run,
    estate_trend,
    free_text,
    satisfaction_rate,
)

from .factories import make_version, open_campaign
from .factories_results import respond, satisfaction_set, units

pytestmark = pytest.mark.django_db


def _dim(block, code):
    return next(r for r in block["dimensions"] if r["dimension"]["code"] == code)


def _estate(results, estate):
    return next(e for e in results["estates"] if e["estate"]["id"] == estate.pk)


def test_average_rate_and_flag_by_hand(world):
    version = make_version()
    campaign = open_campaign(world, version, estates=[world.estate_a], low_score_threshold=Decimal("3.5"))
    satisfaction_set(campaign, world.estate_a, version, [5, 4, 3, 2], recommend=[10, 9, 7, 3])
    results = campaign_results(campaign, world.users["cs_manager"])
    service = _dim(_estate(results, world.estate_a), "t-service")
    assert service["answered"] == 4
    assert service["average"] == Decimal("3.50")
    assert service["rate"] == Decimal("50.0")
    assert [d["count"] for d in service["distribution"]] == [1, 1, 1, 1, 0]
    assert service["flagged"] is False  # 3.50 is not under 3.5
    rec = results["overall"]["recommendation"]
    assert (rec["promoters"], rec["passives"], rec["detractors"]) == (2, 1, 1)
    assert rec["nps"] == Decimal("25.0")
    # both questions together: 8 answers, same figures
    assert results["overall"]["satisfaction"]["answered"] == 8
    assert results["overall"]["satisfaction"]["average"] == Decimal("3.50")

    Campaign.objects.filter(pk=campaign.pk).update(low_score_threshold=Decimal("3.6"))
    campaign.refresh_from_db()
    flagged = campaign_results(campaign, world.users["cs_manager"])
    block = _estate(flagged, world.estate_a)
    assert _dim(block, "t-service")["flagged"] is True
    assert "测试客服" in block["flagged"]


def test_rounding_and_distribution(world):
    version = make_version()
    campaign = open_campaign(world, version, estates=[world.estate_a])
    satisfaction_set(campaign, world.estate_a, version, [5, 5, 4], repair=1)
    results = campaign_results(campaign, world.users["cs_manager"])
    block = _estate(results, world.estate_a)
    service, repair = _dim(block, "t-service"), _dim(block, "t-repair")
    assert service["average"] == Decimal("4.67")   # 14 / 3
    assert service["rate"] == Decimal("100.0")
    assert repair["average"] == Decimal("1.00") and repair["rate"] == Decimal("0.0") and repair["flagged"]
    assert [d["percent"] for d in repair["distribution"]][-1] == Decimal("100.0")


def test_choices_and_response_rate(world):
    version = make_version()
    extra = units(world.estate_a, 3)   # estate A: 4 households
    campaign = open_campaign(world, version, estates=[world.estate_a])
    q = version.q
    respond(campaign, world.estate_a, {q["service"]: 5, q["single"]: 0, q["multiple"]: [0, 2]}, unit=extra[0])
    respond(campaign, world.estate_a, {q["service"]: 4, q["single"]: 2, q["multiple"]: [2]}, unit=extra[1])
    results = campaign_results(campaign, world.users["cs_manager"])
    block = _estate(results, world.estate_a)
    assert (block["invited"], block["answered"], block["response_rate"]) == (4, 2, Decimal("50.0"))
    single = next(c for c in block["choices"] if c["question"]["id"] == q["single"].pk)
    assert [o["count"] for o in single["options"]] == [1, 0, 1]
    multiple = next(c for c in block["choices"] if c["question"]["id"] == q["multiple"].pk)
    assert [o["count"] for o in multiple["options"]] == [1, 0, 2]
    assert multiple["options"][2]["percent"] == Decimal("100.0")  # of the responses


def test_agent_sees_only_estate_a(world):
    version = make_version()
    campaign = open_campaign(world, version)
    satisfaction_set(campaign, world.estate_a, version, [5, 5])
    satisfaction_set(campaign, world.estate_b, version, [1, 1, 1])
    agent = campaign_results(campaign, world.users["agent"])
    assert [e["estate"]["id"] for e in agent["estates"]] == [world.estate_a.pk]
    assert agent["overall"]["answered"] == 2
    assert agent["overall"]["satisfaction"]["average"] == Decimal("5.00")
    manager = campaign_results(campaign, world.users["cs_manager"])
    assert len(manager["estates"]) == 2 and manager["overall"]["answered"] == 5
    # asking for estate B does not widen the agent's scope
    assert campaign_results(campaign, world.users["agent"], estate_ids=[world.estate_b.pk])["estates"] == []


def test_previous_campaign_deltas(world):
    today = timezone.localdate()
    before = open_campaign(world, make_version(code="old"), number="SV-2025-01",
                           starts_on=today - dt.timedelta(days=200), status=CampaignStatus.CLOSED)
    cancelled = open_campaign(world, make_version(code="cancelled"), number="SV-2025-02",
                              starts_on=today - dt.timedelta(days=100), status=CampaignStatus.CANCELLED)
    version = make_version()
    campaign = open_campaign(world, version, number="SV-2026-01", starts_on=today)
    satisfaction_set(before, world.estate_a, before.version, [3, 3])            # 3.00, 0 %
    satisfaction_set(cancelled, world.estate_a, cancelled.version, [1])
    satisfaction_set(campaign, world.estate_a, version, [5, 4])                 # 4.50, 100 %
    results = campaign_results(campaign, world.users["cs_manager"])
    assert results["previous"]["number"] == "SV-2025-01"
    service = _dim(_estate(results, world.estate_a), "t-service")
    assert service["previous_average"] == Decimal("3.00")
    assert service["delta_average"] == Decimal("1.50")
    assert service["delta_rate"] == Decimal("100.0")
    # the first campaign has nothing to compare with
    assert campaign_results(before, world.users["cs_manager"])["previous"] is None


def test_trend_of_an_estate(world):
    today = timezone.localdate()
    first = open_campaign(world, make_version(code="t1"), number="SV-2025-01",
                          starts_on=today - dt.timedelta(days=180), status=CampaignStatus.CLOSED)
    second = open_campaign(world, make_version(code="t2"), number="SV-2026-01", starts_on=today)
    open_campaign(world, make_version(code="t3"), number="SV-2026-02", starts_on=today, status=CampaignStatus.DRAFT)
    satisfaction_set(first, world.estate_a, first.version, [2, 3])
    satisfaction_set(second, world.estate_a, second.version, [4, 5])
    trend = estate_trend(world.estate_a, world.users["agent"])
    assert [p["campaign"]["number"] for p in trend["campaigns"]] == ["SV-2025-01", "SV-2026-01"]
    assert [p["average"] for p in trend["campaigns"]] == [Decimal("2.50"), Decimal("4.50")]
    assert [p["rate"] for p in trend["campaigns"]] == [Decimal("0.0"), Decimal("100.0")]
    assert trend["campaigns"][0]["flagged"] is True
    assert {d["name"] for d in trend["dimensions"]} == {"测试客服", "测试维修"}
    # the agent does not serve estate B
    assert estate_trend(world.estate_b, world.users["agent"])["campaigns"] == []


def test_callback_satisfaction_beside(world):
    from wuye.tickets.models import Ticket
    from wuye.tickets.tests.factories import make_ticket

    version = make_version()
    campaign = open_campaign(world, version, estates=[world.estate_a])
    for score in (5, 2):
        Ticket.objects.filter(pk=make_ticket(world).pk).update(satisfaction=score)
    results = campaign_results(campaign, world.users["cs_manager"])
    callbacks = _estate(results, world.estate_a)["callbacks"]
    assert callbacks["rated"] == 2
    assert callbacks["average"] == 3.5
    assert callbacks["rate"] == 50.0


def test_free_text_household_only_with_permission(world):
    version = make_version()
    campaign = open_campaign(world, version, estates=[world.estate_a])
    respond(campaign, world.estate_a, {version.q["service"]: 5, version.q["text"]: "电梯太慢"}, unit=world.unit_a)
    manager = free_text(campaign, world.users["cs_manager"])
    assert manager.paginator.count == 1
    assert manager.object_list[0]["text"] == "电梯太慢"
    assert manager.object_list[0]["unit"] == world.unit_a.code
    agent = free_text(campaign, world.users["agent"])
    assert agent.object_list[0]["text"] == "电梯太慢" and agent.object_list[0]["unit"] is None


def test_free_text_anonymous_has_no_unit_or_date(world):
    version = make_version()
    campaign = open_campaign(world, version, estates=[world.estate_a], anonymous=True)
    # even a response wrongly stored with its unit and time shows neither
    respond(campaign, world.estate_a, {version.q["text"]: "保安很负责"}, unit=world.unit_a, at=timezone.now())
    page = free_text(campaign, world.users["cs_manager"])
    assert page.object_list == [{"estate": world.estate_a.name, "question": version.q["text"].text,
                                 "text": "保安很负责", "submitted_on": None, "unit": None}]


def test_free_text_paginated(world):
    version = make_version()
    campaign = open_campaign(world, version, estates=[world.estate_a])
    for i in range(25):
        respond(campaign, world.estate_a, {version.q["text"]: f"意见{i}"})
    page = free_text(campaign, world.users["cs_manager"], page=2, per_page=20)
    assert page.number == 2 and len(page.object_list) == 5


def test_satisfaction_rate_and_campaigns_run(world):
    today = timezone.localdate()
    version = make_version()
    campaign = open_campaign(world, version, starts_on=today)
    draft = open_campaign(world, make_version(code="draft"), number="SV-2026-09", starts_on=today,
                          status=CampaignStatus.DRAFT)
    satisfaction_set(campaign, world.estate_a, version, [5, 4, 3, 2])        # 8 answers, 4 satisfied
    satisfaction_set(campaign, world.estate_b, version, [5])                 # 2 answers, 2 satisfied
    assert draft.status == CampaignStatus.DRAFT
    figures = satisfaction_rate(today, today + dt.timedelta(days=1))
    assert figures == {"answered": 10, "satisfied": 6, "rate": Decimal("60.0"), "campaigns": 1}
    only_a = satisfaction_rate(today, today, estate_ids=[world.estate_a.pk])
    assert (only_a["answered"], only_a["rate"]) == (8, Decimal("50.0"))
    assert satisfaction_rate(today - dt.timedelta(days=30), today - dt.timedelta(days=1))["rate"] is None
    assert campaigns_run(today, today) == 1
    assert campaigns_run(today, today, estate_ids=[world.estate_b.pk]) == 1
    assert campaigns_run(today + dt.timedelta(days=400), today + dt.timedelta(days=401)) == 0
