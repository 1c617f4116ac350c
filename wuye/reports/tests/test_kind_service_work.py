"""The service work report (客户服务工作报告): every figure and every cell checked against Python over the
tickets made (definitions of ``tickets.reports.FIGURE_NOTES``), with the period's edges, cancelled tickets, an
estate out of scope and the previous period."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone

from wuye.reports.kinds import service_work as builder
from wuye.tickets.choices import OPEN_STATUSES, SATISFIED_MIN, TicketKind, TicketStatus
from wuye.tickets.models import Ticket
from wuye.tickets.reports import period_for

from .conftest import at, make

pytestmark = pytest.mark.django_db

Q = period_for("quarter", dt.date(2025, 5, 5))  # 2025-04-01 … 2025-06-30
S = TicketStatus


@pytest.fixture
def data(world, estate_c):
    a, b = world.estate_a, world.estate_b
    agent, manager = world.staff["agent"], world.staff["cs_manager"]
    first, last = Q.start, Q.end
    rows = [
        # in the period
        (a, at(first, 0, 0), {"kind": TicketKind.REPAIR, "status": S.CLOSED, "assignee": agent,
                              "resolved_at": at(first, 5), "resolution_met": True, "response_met": True,
                              "onsite_met": True, "handling_minutes": 300, "callback_required": True,
                              "called_back_at": at(first, 9), "satisfaction": 5}),
        (a, at(first + dt.timedelta(days=20)), {"kind": TicketKind.COMPLAINT, "status": S.RESOLVED, "assignee": manager,
                                                   "resolved_at": at(first + dt.timedelta(days=25)),
                                                   "resolution_met": False, "response_met": True,
                                                   "handling_minutes": 7200,
                                                   "callback_required": True, "satisfaction": 2, "reopen_count": 1,
                                                   "is_overdue": True, "priority": "urgent"}),
        (b, at(first + dt.timedelta(days=40)), {"kind": TicketKind.REPAIR, "status": S.IN_PROGRESS, "assignee": agent,
                                                   "response_met": False, "is_overdue": True}),
        (b, at(first + dt.timedelta(days=41)), {"kind": TicketKind.SUGGESTION, "status": S.SUBMITTED}),
        (a, at(first + dt.timedelta(days=50)), {"kind": TicketKind.REPAIR, "status": S.CANCELLED, "assignee": agent,
                                                   "is_overdue": True}),
        (b, at(last, 23, 59), {"kind": TicketKind.REPAIR, "status": S.CALLED_BACK, "assignee": manager,
                                   "resolved_at": at(last, 23, 59), "resolution_met": True, "handling_minutes": 60,
                                   "callback_required": True, "called_back_at": at(last, 23, 59), "satisfaction": 3,
                                   "response_met": True, "onsite_met": False}),
        (a, at(first + dt.timedelta(days=60)), {"kind": TicketKind.PRAISE, "status": S.CLOSED,
                                                   "resolved_at": at(first + dt.timedelta(days=60), 11),
                                                   "handling_minutes": 60, "satisfaction": 4}),
        # out of the period: the day before and the day after, and the previous quarter
        (a, at(first - dt.timedelta(days=1), 23, 59), {"kind": TicketKind.REPAIR, "status": S.CLOSED,
                                                           "resolved_at": at(first), "resolution_met": False,
                                                           "satisfaction": 1}),
        (a, at(last + dt.timedelta(days=1), 0, 0), {"kind": TicketKind.COMPLAINT, "status": S.SUBMITTED}),
        (b, at(first - dt.timedelta(days=45)), {"kind": TicketKind.COMPLAINT, "status": S.SUBMITTED}),
        # an estate out of the scope of the one-estate tests
        (estate_c, at(first + dt.timedelta(days=3)), {"kind": TicketKind.REPAIR, "status": S.SUBMITTED}),
    ]
    for estate, reported_at, fields in rows:
        make(world, estate, reported_at, **fields)
    return world


def _in(period, estates=None):
    result = []
    for t in Ticket.objects.select_related("estate", "assignee"):
        day = timezone.localtime(t.reported_at).date()
        if period.start <= day <= period.end and (estates is None or t.estate_id in estates):
            result.append(t)
    return result


def _pct(part, whole):
    return round(100.0 * part / whole, 1) if whole else None


def expected(tickets) -> dict:
    """The figures computed in Python, one ticket at a time."""
    live = [t for t in tickets if t.status != S.CANCELLED]
    resolved = [t for t in live if t.resolved_at is not None]
    rated = [t for t in live if t.satisfaction is not None]
    timed = [t for t in resolved if t.handling_minutes is not None]
    with_limit = [t for t in resolved if t.resolution_met is not None]
    answered = [t for t in live if t.response_met is not None]
    onsite = [t for t in live if t.onsite_met is not None]
    required = [t for t in resolved if t.callback_required]
    reached = [t for t in required if t.called_back_at is not None]
    first_time = [t for t in resolved if t.reopen_count == 0]
    minutes = sum(t.handling_minutes for t in timed)
    return {
        "received": len(live),
        "resolved": len(resolved),
        "open": sum(1 for t in tickets if t.status in OPEN_STATUSES),
        "cancelled": sum(1 for t in tickets if t.status == S.CANCELLED),
        "urgent": sum(1 for t in live if t.priority == "urgent"),
        "overdue": sum(1 for t in live if t.is_overdue),
        "on_time_rate": _pct(sum(1 for t in resolved if t.resolution_met), len(resolved)),
        "response_on_time_rate": _pct(sum(1 for t in answered if t.response_met), len(answered)),
        "onsite_on_time_rate": _pct(sum(1 for t in onsite if t.onsite_met), len(onsite)),
        "avg_handling_hours": round(minutes / len(timed) / 60, 1) if timed else None,
        "rated": len(rated),
        "satisfaction_avg": round(sum(t.satisfaction for t in rated) / len(rated), 2) if rated else None,
        "satisfaction_rate": _pct(sum(1 for t in rated if t.satisfaction >= SATISFIED_MIN), len(rated)),
        "callbacks_required": len(required),
        "callbacks_reached": len(reached),
        "callback_rate": _pct(len(reached), len(required)),
        "first_time": len(first_time),
        "first_time_rate": _pct(len(first_time), len(resolved)),
        "reopened_tickets": sum(1 for t in live if t.reopen_count),
        "reopens": sum(t.reopen_count for t in live),
        "with_limit": len(with_limit),
    }


TABLE_KEYS = ["received", "resolved", "open", "overdue", "on_time_rate", "avg_handling_hours", "callback_rate",
              "satisfaction_avg", "satisfaction_rate", "first_time_rate", "reopens"]


def check(content, period, estates=None):
    json.dumps(content)
    tickets = _in(period, estates)
    before = _in(period.previous(), estates)
    now, prev = expected(tickets), expected(before)
    sections = {s["key"]: s for s in content["sections"]}
    seen = set()
    for key in ("volumes", "timeliness", "satisfaction", "callbacks", "first_time"):
        for f in sections[key]["figures"]:
            assert f["value"] == now[f["key"]], f["key"]
            assert f["previous"] == prev[f["key"]], f["key"]
            if now[f["key"]] is not None and prev[f["key"]] is not None:
                assert f["change"] == round(now[f["key"]] - prev[f["key"]], 2)
            seen.add(f["key"])
    assert seen == set(now) - {"with_limit"}

    kinds = {str(label): value for value, label in TicketKind.choices}
    for row in sections["volumes"]["tables"][0]["rows"]:
        k = kinds[row[0]]
        e = expected([t for t in tickets if t.kind == k])
        p = expected([t for t in before if t.kind == k])
        assert row[1:] == [e["received"], p["received"], e["received"] - p["received"], e["resolved"], e["open"],
                           e["cancelled"], e["overdue"]]
    assert len(sections["volumes"]["tables"][0]["rows"]) == len(TicketKind.choices)

    estate_rows = sections["by_estate"]["tables"][0]["rows"]
    names = sorted({t.estate.name for t in tickets})
    assert [r[0] for r in estate_rows] == names
    for r in estate_rows:
        e = expected([t for t in tickets if t.estate.name == r[0]])
        assert r[1:] == [e[k] for k in TABLE_KEYS]

    staff_rows = sections["by_staff"]["tables"][0]["rows"]
    handlers = {t.assignee.name if t.assignee_id else None for t in tickets}
    assert len(staff_rows) == len(handlers)
    for r in staff_rows:
        name = r[0] if r[0] in handlers else None
        e = expected([t for t in tickets if (t.assignee.name if t.assignee_id else None) == name])
        assert r[1:] == [e[k] for k in TABLE_KEYS]

    month_rows = sections["by_month"]["tables"][0]["rows"]
    assert [r[0] for r in month_rows] == [f"{m:%Y-%m}" for m in period.months()]
    for r in month_rows:
        e = expected([t for t in tickets if f"{timezone.localtime(t.reported_at):%Y-%m}" == r[0]])
        assert r[1:] == [e[k] for k in TABLE_KEYS]
    chart = sections["volumes"]["chart"]
    repair = next(s for s in chart["series"] if s["name"] == str(TicketKind.REPAIR.label))
    assert repair["data"] == [sum(1 for t in tickets if t.kind == TicketKind.REPAIR and t.status != S.CANCELLED
                                  and f"{timezone.localtime(t.reported_at):%Y-%m}" == m) for m in chart["x"]]
    return now, prev


def test_all_estates(data):
    content = builder.build(period=Q, estate_ids=None, department=None)
    now, prev = check(content, Q)
    # the edges: the first minute of the first day and the last minute of the last day count, the days around not
    assert now["received"] == 7 and now["cancelled"] == 1 and prev["received"] == 2


def test_one_estate(data):
    content = builder.build(period=Q, estate_ids=[data.estate_b.pk], department=None)
    now, _prev = check(content, Q, {data.estate_b.pk})
    assert now["received"] == 3
    rows = {s["key"]: s for s in content["sections"]}["by_estate"]["tables"][0]["rows"]
    assert [r[0] for r in rows] == [data.estate_b.name]
    figures = {f["key"]: f for f in content["sections"][0]["figures"]}
    assert f"estate={data.estate_b.pk}" in figures["open"]["url"] and "status=open" in figures["open"]["url"]


def test_two_estates_and_a_month(data):
    month = period_for("month", Q.end)
    content = builder.build(period=month, estate_ids=[data.estate_a.pk, data.estate_b.pk], department=None)
    check(content, month, {data.estate_a.pk, data.estate_b.pk})


def test_open_link_lists_the_same_tickets(data, client_for):
    content = builder.build(period=Q, estate_ids=[data.estate_b.pk], department=None)
    figures = {f["key"]: f for f in content["sections"][0]["figures"]}
    response = client_for("cs_manager").get(figures["open"]["url"])
    assert response.status_code == 200
    listed = list(response.context["table"].data)
    assert len(listed) == figures["open"]["value"]


def test_empty(world):
    month = period_for("month", dt.date(2019, 3, 3))
    content = builder.build(period=month, estate_ids=None, department=None)
    sections = {s["key"]: s for s in content["sections"]}
    figures = {f["key"]: f["value"] for f in sections["volumes"]["figures"]}
    assert figures["received"] == 0
    assert {f["key"]: f["value"] for f in sections["timeliness"]["figures"]}["on_time_rate"] is None
    assert sections["by_estate"]["tables"][0]["rows"] == []
    json.dumps(content)
