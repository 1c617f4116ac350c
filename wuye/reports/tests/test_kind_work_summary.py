"""The work summary (工作总结): the year in numbers against Python over the rows made, and each report's section
holding that report's main figures and first table."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest

from wuye.budgets.tests.factories import budget, spend
from wuye.incidents.tests.factories import kind, reported
from wuye.reports.kinds import incidents, service_work, work_summary
from wuye.tickets.choices import TicketKind, TicketStatus
from wuye.tickets.reports import period_for

from .conftest import at, make

pytestmark = pytest.mark.django_db

YEAR = period_for("year", dt.date(2025, 3, 3))


@pytest.fixture
def data(world):
    a, b = world.estate_a, world.estate_b
    for estate, when, fields in (
        (a, at(dt.date(2025, 1, 1), 0), {"resolved_at": at(dt.date(2025, 1, 2)), "resolution_met": True,
                                         "status": TicketStatus.CLOSED, "satisfaction": 5}),
        (b, at(dt.date(2025, 12, 31), 23), {"resolved_at": at(dt.date(2025, 12, 31), 23), "resolution_met": False,
                                            "status": TicketStatus.RESOLVED, "satisfaction": 2}),
        (a, at(dt.date(2025, 7, 1)), {"kind": TicketKind.SUGGESTION}),
        (a, at(dt.date(2024, 12, 31), 23), {}),  # the year before
        (a, at(dt.date(2025, 8, 1)), {"status": TicketStatus.CANCELLED}),
    ):
        make(world, estate, when, **fields)
    for day, estate in ((dt.date(2025, 2, 2), "a"), (dt.date(2025, 11, 2), "b"), (dt.date(2026, 1, 1), "a")):
        reported(world, estate=estate, reporter="admin", kind=kind("fire"),
                 occurred_at=at(day, 12))
    item = budget(world, year=2025, lines=(("office", "1000.00"),))
    spend(world, item.lines.get(), "400.00", on=dt.date(2025, 5, 5))
    return world


def test_year(data):
    content = work_summary.build(period=YEAR, estate_ids=None, department=data.department)
    json.dumps(content)
    s = {x["key"]: x for x in content["sections"]}
    assert list(s) == ["year", "service_plan", "customer_needs", "service_work", "incidents", "budget", "archives"]
    year = {f["key"]: f["value"] for f in s["year"]["figures"]}
    assert year["service_work.received"] == 3  # five made, one the year before, one cancelled
    assert year["service_work.on_time_rate"] == 50.0
    assert year["service_work.satisfaction_rate"] == 50.0
    assert year["customer_needs.suggestions"] == 1
    assert year["incidents.total"] == 2
    assert year["budget.actual"] == float(Decimal("400.00"))
    assert year["budget.percent"] == 40.0
    assert year["archives.issued"] == 0
    assert year["service_plan.completion_rate"] is None
    # each report's section: that report's main figures and first table
    work = service_work.build(period=YEAR, estate_ids=None, department=None)
    main = {f"{x['key']}.{f['key']}": f["value"] for x in work["sections"]
            if x["key"] in ("volumes", "timeliness", "satisfaction", "callbacks", "first_time") for f in x["figures"]}
    assert {f["key"]: f["value"] for f in s["service_work"]["figures"]} == main
    assert s["service_work"]["tables"] == [work["sections"][0]["tables"][0]]
    accidents = incidents.build(period=YEAR, estate_ids=None, department=None)
    assert s["incidents"]["tables"] == [accidents["sections"][1]["tables"][0]]


def test_estate_scope(data):
    content = work_summary.build(period=YEAR, estate_ids=[data.estate_b.pk], department=data.department)
    year = {f["key"]: f["value"] for f in content["sections"][0]["figures"]}
    assert year["service_work.received"] == 1 and year["incidents.total"] == 1
    assert year["budget.actual"] == 400.0  # the department's budget is not an estate's
