"""The incident report (客户服务意外事故报告): every figure and cell checked against Python over the rows made."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from decimal import Decimal

import pytest
from django.utils import timezone

from wuye.incidents import services
from wuye.incidents.choices import IncidentStatus, Severity
from wuye.incidents.models import Incident
from wuye.incidents.tests.factories import advance, kind, reported
from wuye.reports.kinds import incidents as builder
from wuye.tickets.reports import period_for

pytestmark = pytest.mark.django_db

MONTH = period_for("month", dt.date(2025, 6, 10))


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


@pytest.fixture
def data(world):
    first, last = MONTH.start, MONTH.end
    rows = [
        # (when, estate, kind, severity, injured, loss, state)
        (_at(first, 0), "a", "injury", Severity.SERIOUS, 2, "860.00", "closed"),
        (_at(first + dt.timedelta(days=3), 12), "a", "flood", Severity.MAJOR, 0, "18500.50", "investigated"),
        (_at(first + dt.timedelta(days=5), 9), "b", "injury", Severity.MINOR, 1, None, "reported"),
        (_at(first + dt.timedelta(days=9), 9), "b", "fire", Severity.CRITICAL, 3, "1000.00", "withdrawn"),
        (_at(last, 23), "a", "equipment", Severity.MINOR, 0, "0.00", "investigating"),
        # the previous month (its last day) and the day after the period
        (_at(first - dt.timedelta(days=1), 23), "a", "injury", Severity.MINOR, 5, "99.00", "reported"),
        (_at(first - dt.timedelta(days=20), 8), "b", "fire", Severity.SERIOUS, 0, "10.00", "closed"),
        (_at(last + dt.timedelta(days=1), 0), "a", "injury", Severity.MINOR, 4, "77.00", "reported"),
    ]
    for when, estate, code, severity, injured, loss, state in rows:
        item = reported(world, estate=estate, reporter="admin", occurred_at=when, kind=kind(code),
                        severity=severity, injured_count=injured, loss_amount=loss)
        advance(world, item, state)
    services.incident_raise_action(actor=world.users["cs_manager"],
                                   incident=Incident.objects.get(status=IncidentStatus.CLOSED,
                                                                 occurred_at=_at(first, 0)))
    return world


def _rows(start, end, estates=None):
    result = []
    for i in Incident.objects.select_related("estate", "kind", "corrective_action"):
        day = timezone.localtime(i.occurred_at).date()
        if start <= day <= end and (estates is None or i.estate_id in estates):
            result.append(i)
    return sorted(result, key=lambda i: (i.occurred_at, i.id))


def _sections(content):
    return {s["key"]: s for s in content["sections"]}


def _figures(s):
    return {f["key"]: f for f in s["figures"]}


def _check(content, estates=None):
    rows = _rows(MONTH.start, MONTH.end, estates)
    prev = MONTH.previous()
    before = _rows(prev.start, prev.end, estates)
    counted = [i for i in rows if i.status != IncidentStatus.WITHDRAWN]
    counted_before = [i for i in before if i.status != IncidentStatus.WITHDRAWN]
    sections = _sections(content)
    summary = _figures(sections["summary"])
    assert summary["total"]["value"] == len(counted)
    assert summary["total"]["previous"] == len(counted_before)
    assert summary["total"]["change"] == len(counted) - len(counted_before)
    assert summary["with_injuries"]["value"] == sum(1 for i in counted if i.injured_count)
    assert summary["injured"]["value"] == sum(i.injured_count for i in counted)
    assert summary["injured"]["previous"] == sum(i.injured_count for i in counted_before)
    losses = sum((i.loss_amount or Decimal(0)) for i in counted)
    assert summary["losses"]["value"] == float(losses)
    assert summary["losses"]["previous"] == float(sum((i.loss_amount or Decimal(0)) for i in counted_before))
    assert summary["open"]["value"] == sum(1 for i in counted if i.status != IncidentStatus.CLOSED)
    assert summary["open_over_30"]["value"] == 0
    assert summary["with_action"]["value"] == sum(1 for i in counted if i.corrective_action_id)
    assert summary["withdrawn"]["value"] == sum(1 for i in rows if i.status == IncidentStatus.WITHDRAWN)

    sev = Counter(i.severity for i in counted)
    sev_before = Counter(i.severity for i in counted_before)
    table = sections["by_severity"]["tables"][0]["rows"]
    assert [r[0] for r in table] == [str(Severity(v).label) for v in Severity.values]
    assert [r[1:] for r in table] == [[sev[v], sev_before[v], sev[v] - sev_before[v]] for v in Severity.values]
    assert [f["value"] for f in sections["by_severity"]["figures"]] == [sev[v] for v in Severity.values]

    kinds = Counter(i.kind.name for i in counted)
    kinds_before = Counter(i.kind.name for i in counted_before)
    kind_rows = {r[0]: r[1:] for r in sections["by_kind"]["tables"][0]["rows"]}
    for name in set(kinds) | set(kinds_before):
        assert kind_rows[name] == [kinds[name], kinds_before[name], kinds[name] - kinds_before[name]]
    assert sum(r[0] for r in kind_rows.values()) == len(counted)

    per_estate = {}
    for i in counted:
        row = per_estate.setdefault(i.estate.name, [0, 0, Decimal(0), 0])
        row[0] += 1
        row[1] += i.injured_count
        row[2] += i.loss_amount or 0
        row[3] += i.status != IncidentStatus.CLOSED
    assert sections["by_estate"]["tables"][0]["rows"] == sorted(
        [[name, n, inj, float(loss), open_] for name, (n, inj, loss, open_) in per_estate.items()])

    status = Counter(i.status for i in rows)
    assert [r[1] for r in sections["by_status"]["tables"][0]["rows"]] == [status[v] for v in IncidentStatus.values]

    listing = sections["list"]["tables"][0]["rows"]
    assert [r[0] for r in listing] == [i.number for i in rows]
    for r, i in zip(listing, rows, strict=True):
        assert r[1] == timezone.localtime(i.occurred_at).date().isoformat()
        assert r[2] == i.estate.name and r[3] == i.kind.name
        assert r[6] == i.injured_count
        assert r[7] == (None if i.loss_amount is None else str(i.loss_amount))
        assert r[10] == (i.corrective_action.number if i.corrective_action_id else "")
        assert r[12] == str(i.get_status_display())
    json.dumps(content)
    return rows


def test_all_estates(data):
    content = builder.build(period=MONTH, estate_ids=None, department=None)
    rows = _check(content)
    # the edges: the first moment of the first day and the last hour of the last day are in, the days around out
    assert len(rows) == 5
    assert _figures(_sections(content)["summary"])["total"]["value"] == 4


def test_links_list_the_incidents_counted(data, client_for):
    content = builder.build(period=MONTH, estate_ids=[data.estate_a.pk], department=None)
    sections = _sections(content)
    client = client_for("cs_manager")
    for f in (*sections["summary"]["figures"], *sections["by_severity"]["figures"]):
        if "url" in f:
            response = client.get(f["url"])
            assert response.status_code == 200
            assert len(list(response.context["table"].data)) == f["value"], f["key"]


def test_one_estate(data):
    estates = [data.estate_a.pk]
    content = builder.build(period=MONTH, estate_ids=estates, department=None)
    rows = _check(content, set(estates))
    assert {i.estate_id for i in rows} == {data.estate_a.pk}
    url = _figures(_sections(content)["summary"])["total"]["url"]
    assert f"estate={data.estate_a.pk}" in url and "occurred_after=2025-06-01" in url


def test_year_and_quarter(data):
    for kind_ in ("quarter", "year"):
        p = period_for(kind_, MONTH.start)
        content = builder.build(period=p, estate_ids=None, department=None)
        total = _figures(_sections(content)["summary"])["total"]["value"]
        assert total == sum(1 for i in _rows(p.start, p.end) if i.status != IncidentStatus.WITHDRAWN)


def test_empty_period(world):
    content = builder.build(period=period_for("month", dt.date(2020, 1, 5)), estate_ids=None, department=None)
    summary = _figures(_sections(content)["summary"])
    assert summary["total"]["value"] == 0 and summary["losses"]["value"] == 0.0
    assert _sections(content)["list"]["tables"][0]["rows"] == []
    assert _sections(content)["by_estate"]["tables"][0]["rows"] == []
    json.dumps(content)
