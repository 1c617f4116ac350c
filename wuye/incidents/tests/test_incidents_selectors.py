"""The period's figures (for the 客户服务意外事故报告 and the report centre), each checked against a computation
in Python over the rows, and the incidents a user sees in a period."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal

import pytest
from django.utils import timezone

from wuye.incidents import selectors, services
from wuye.incidents.choices import OPEN_STATUSES, IncidentStatus, Severity
from wuye.incidents.models import Incident

from .factories import advance, kind, reported

pytestmark = pytest.mark.django_db


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


@pytest.fixture
def month(world):
    """Incidents of last month and around it, in several kinds, severities and states, in both estates."""
    today = timezone.localdate()
    first = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    last = today.replace(day=1) - dt.timedelta(days=1)
    rows = [
        # (day, estate, kind, severity, injured, loss, state)
        (first, "a", "injury", Severity.SERIOUS, 2, "860.00", "closed"),
        (first + dt.timedelta(days=3), "a", "flood", Severity.MAJOR, 0, "18500.50", "investigated"),
        (first + dt.timedelta(days=5), "b", "injury", Severity.MINOR, 1, None, "reported"),
        (first + dt.timedelta(days=9), "b", "fire", Severity.CRITICAL, 3, "1000.00", "withdrawn"),
        (last, "a", "equipment", Severity.MINOR, 0, "0.00", "investigating"),
        # outside the period: the day before and the day after
        (first - dt.timedelta(days=1), "a", "injury", Severity.MINOR, 5, "99.00", "reported"),
        (last + dt.timedelta(days=1), "a", "injury", Severity.MINOR, 5, "99.00", "reported"),
    ]
    for day, estate, code, severity, injured, loss, state in rows:
        hour = 0 if day in (first, last + dt.timedelta(days=1)) else 23  # the edges of the days count
        item = reported(world, estate=estate, reporter="admin", occurred_at=_at(day, hour), kind=kind(code),
                        severity=severity, injured_count=injured, loss_amount=loss)
        advance(world, item, state)
    # one reported long ago (open for more than 30 days) and a corrective action on the closed one
    Incident.objects.filter(estate=world.estate_a, status=IncidentStatus.INVESTIGATED).update(
        reported_at=timezone.now() - dt.timedelta(days=45))
    services.incident_raise_action(actor=world.users["cs_manager"],
                                   incident=Incident.objects.get(status=IncidentStatus.CLOSED))
    return first, last


def _expected(rows: list[Incident]) -> dict:
    counted = [i for i in rows if i.status != IncidentStatus.WITHDRAWN]
    now = timezone.now()
    return {
        "total": len(counted),
        "withdrawn": sum(1 for i in rows if i.status == IncidentStatus.WITHDRAWN),
        "by_kind": Counter(i.kind.code for i in counted),
        "by_severity": Counter(i.severity for i in counted),
        "by_status": Counter(i.status for i in rows),
        "with_injuries": sum(1 for i in counted if i.injured_count > 0),
        "injured": sum(i.injured_count for i in counted),
        "losses": sum((i.loss_amount or Decimal("0")) for i in counted),
        "open": sum(1 for i in counted if i.status in OPEN_STATUSES),
        "open_over_30": sum(1 for i in counted if i.status in OPEN_STATUSES
                            and i.reported_at < now - dt.timedelta(days=30)),
        "with_action": sum(1 for i in counted if i.corrective_action_id),
    }


def _in(rows, first, last):
    return [i for i in rows if first <= timezone.localtime(i.occurred_at).date() <= last]


def _check(figures: dict, expected: dict):
    for name in ("total", "withdrawn", "with_injuries", "injured", "losses", "open", "open_over_30", "with_action"):
        assert figures[name] == expected[name], name
    assert {k["code"]: k["count"] for k in figures["by_kind"] if k["count"]} == dict(expected["by_kind"])
    assert figures["by_severity"] == {s: expected["by_severity"].get(s, 0) for s in Severity.values}
    assert figures["by_status"] == {s: expected["by_status"].get(s, 0) for s in IncidentStatus.values}


def test_figures_of_all_estates(world, month):
    first, last = month
    rows = _in(list(Incident.objects.select_related("kind")), first, last)
    assert len(rows) == 5
    figures = selectors.incident_figures(first, last)
    expected = _expected(rows)
    _check(figures, expected)
    # the hand-made fixture's own numbers, as a second opinion
    assert (figures["total"], figures["withdrawn"], figures["injured"]) == (4, 1, 3)
    assert figures["losses"] == Decimal("19360.50")
    assert (figures["open"], figures["open_over_30"], figures["with_action"]) == (3, 1, 1)
    # every kind in use is listed, also with no incident
    assert {k["code"] for k in figures["by_kind"]} >= {"injury", "property", "fire", "other"}


def test_figures_of_one_estate(world, month):
    first, last = month
    rows = [i for i in _in(list(Incident.objects.select_related("kind")), first, last)
            if i.estate_id == world.estate_b.pk]
    figures = selectors.incident_figures(first, last, [world.estate_b.pk])
    _check(figures, _expected(rows))
    assert figures["total"] == 1 and figures["withdrawn"] == 1


def test_figures_of_an_empty_period(world, month):
    first, _last = month
    figures = selectors.incident_figures(first - dt.timedelta(days=400), first - dt.timedelta(days=300))
    assert figures["total"] == 0 and figures["losses"] == Decimal("0.00") and figures["injured"] == 0
    assert all(k["count"] == 0 for k in figures["by_kind"])


def test_incidents_in_period_follow_the_users_scope(world, month):
    first, last = month
    mine = list(selectors.incidents_in_period(first, last, world.users["agent"]))
    assert {i.estate_id for i in mine} == {world.estate_a.pk}
    assert len(mine) == 3
    assert [i.occurred_at for i in mine] == sorted(i.occurred_at for i in mine)
    everything = selectors.incidents_in_period(first, last, world.users["executive"])
    assert everything.count() == 5
    assert selectors.incidents_in_period(first, last, world.users["resident"]).count() == 0
    assert selectors.incidents_in_period(first, last, world.users["document_controller"]).count() == 0


def test_estate_open_incidents(world, month):
    rows = list(selectors.estate_open_incidents(world.estate_a, world.users["agent"]))
    assert rows and all(i.status in OPEN_STATUSES and i.estate_id == world.estate_a.pk for i in rows)
    expected = Incident.objects.filter(estate=world.estate_a, status__in=OPEN_STATUSES).count()
    assert len(rows) == expected
