"""The manager's reports: the complaint register, the complaint and repair statistics and the case files.

Tickets are made through the services (created with a past ``reported_at``; step outcomes such as "resolved on
time" and the handling time set afterwards with ``queryset.update()``), and every statistic is checked against
counts computed here in plain Python over the created tickets. Excel files are opened with openpyxl, PDFs read
back with pdftotext. Scope: an agent given the report permission sees estate A only, everywhere.
"""

from __future__ import annotations

import datetime as dt
import io
import random
import re
import shutil
import subprocess
from collections import Counter
from statistics import mean

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from wuye.core.models import AuditEvent
from wuye.core.tests.test_static import assert_only_local_assets
from wuye.tickets import reports, services
from wuye.tickets.choices import (
    OPEN_STATUSES,
    CallbackOutcome,
    NoteVisibility,
    Priority,
    TicketKind,
    TicketStatus,
)
from wuye.tickets.models import Ticket, TicketSettings
from wuye.tickets.tests.factories import category, make_ticket, png

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _manager_handles_estate_b(world):
    """The manager's staff record serves both estates, so estate B's tickets have a handler too."""
    world.staff["cs_manager"].estates.add(world.estate_b)

needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")

REGISTER = "tickets:complaint_register"
COMPLAINT_STATS = "tickets:complaint_stats"
REPAIR_STATS = "tickets:repair_stats"
CASE_FILES = "tickets:case_file_list"
API_REGISTER = "api:tickets-report-complaint-register-list"
API_COMPLAINT_STATS = "api:tickets-report-complaint-stats-list"
API_REPAIR_STATS = "api:tickets-report-repair-stats-list"

CATEGORIES = ["服务态度", "秩序维护", "环境卫生", "工程维修/水电", "工程维修/电梯", "停车"]
Q1 = reports.Period(dt.date(2025, 1, 1), dt.date(2025, 3, 31), reports.PERIOD_QUARTER)
Q4 = reports.Period(dt.date(2024, 10, 1), dt.date(2024, 12, 31), reports.PERIOD_QUARTER)


def local(*args) -> dt.datetime:
    return timezone.make_aware(dt.datetime(*args))


def pdf_text(content: bytes) -> str:
    return subprocess.run(["pdftotext", "-layout", "-", "-"], input=content, capture_output=True,
                          check=True).stdout.decode()


def xlsx(response):
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)


def grant_reports(user):
    """Give one user the report permission on top of their role (as a manager may do for a team leader)."""
    user.user_permissions.add(Permission.objects.get(content_type__app_label="tickets", codename="view_reports"))


# --- building a quarter of tickets through the services ----------------------------------------------------


def _handle(world, ticket, *, assignee, valid):
    manager = world.users["cs_manager"]
    ticket = services.ticket_assign(actor=manager, ticket=ticket, assignee=assignee)
    ticket = services.ticket_start(actor=manager, ticket=ticket)
    analysis = {"is_valid_complaint": valid} if ticket.kind == TicketKind.COMPLAINT else {}
    return services.ticket_resolve(actor=manager, ticket=ticket, resolution="已处理完毕", **analysis)


FATES = ["open", "cancelled", "resolved", "called_back", "closed", "not_reached", "reopened", "resolved_again"]


def make_one(world, *, estate, kind, when, path, priority=Priority.NORMAL, fate="closed", valid=True,
             satisfaction=4, on_time=True, minutes=600, assignee=None, title=None):
    """One ticket through its life up to ``fate``; then the outcome a quarter ago (on time, handling time)."""
    manager = world.users["cs_manager"]
    if assignee is None or estate == world.estate_b:  # the agent serves estate A only
        assignee = world.staff["agent"] if estate == world.estate_a else world.staff["cs_manager"]
    ticket = make_ticket(world, estate=estate, kind=kind, reported_at=when, category=category(path),
                         priority=priority, title=title or f"{path}问题")
    if fate == "cancelled":
        services.ticket_cancel(actor=manager, ticket=ticket, reason="duplicate")
    elif fate == "open":
        services.ticket_assign(actor=manager, ticket=ticket, assignee=assignee)
    else:
        ticket = _handle(world, ticket, assignee=assignee, valid=valid)
        if fate == "not_reached":
            services.ticket_callback(actor=manager, ticket=ticket, outcome=CallbackOutcome.NOT_REACHED)
        elif fate in ("called_back", "closed"):
            services.ticket_callback(actor=manager, ticket=ticket, satisfaction=satisfaction, comment="回访满意度")
            if fate == "closed":
                services.ticket_close(actor=manager, ticket=Ticket.objects.get(pk=ticket.pk))
        elif fate in ("reopened", "resolved_again"):
            services.ticket_callback(actor=manager, ticket=ticket, satisfaction=2, comment="仍然漏水")  # reopens
            if fate == "resolved_again":
                ticket = _handle(world, Ticket.objects.get(pk=ticket.pk), assignee=assignee, valid=valid)
                services.ticket_callback(actor=manager, ticket=ticket, satisfaction=satisfaction)
    ticket = Ticket.objects.get(pk=ticket.pk)
    if ticket.resolved_at is not None:
        Ticket.objects.filter(pk=ticket.pk).update(resolution_met=on_time, handling_minutes=minutes)
    return Ticket.objects.get(pk=ticket.pk)


def random_quarter(world, rng: random.Random, period: reports.Period, n: int) -> list[Ticket]:
    made = []
    days = (period.end - period.start).days + 1
    for _ in range(n):
        day = period.start + dt.timedelta(days=rng.randrange(days))
        made.append(make_one(
            world, estate=rng.choice([world.estate_a, world.estate_a, world.estate_b]),
            kind=rng.choice([TicketKind.COMPLAINT, TicketKind.COMPLAINT, TicketKind.REPAIR]),
            when=local(day.year, day.month, day.day, rng.randrange(8, 20), rng.randrange(60)),
            path=rng.choice(CATEGORIES), priority=rng.choice([Priority.NORMAL, Priority.NORMAL, Priority.URGENT]),
            fate=rng.choice(FATES), valid=rng.choice([True, True, False]), satisfaction=rng.randint(3, 5),
            on_time=rng.random() < 0.7, minutes=rng.randrange(30, 9000),
            assignee=rng.choice([world.staff["agent"], world.staff["cs_manager"]])))
    return made


@pytest.fixture
def quarter(world):
    """Q1 2025 (and Q4 2024 to compare with): tickets of both kinds, both estates, every fate, plus tickets at
    the edges of a month and of the quarter in local time."""
    TicketSettings.objects.update(repair_callback_percent=50)
    rng = random.Random(20250331)
    random_quarter(world, rng, Q1, 32)
    random_quarter(world, rng, Q4, 8)
    edge = {"kind": TicketKind.COMPLAINT, "path": "服务态度", "fate": "closed"}
    # 00:30 on 1 February in Beijing is still 31 January in UTC: it belongs to February
    make_one(world, estate=world.estate_a, when=local(2025, 2, 1, 0, 30), **edge)
    make_one(world, estate=world.estate_b, when=local(2025, 3, 31, 23, 50), **edge)   # last minutes of Q1
    make_one(world, estate=world.estate_a, when=local(2025, 4, 1, 0, 10), **edge)     # first minutes of Q2
    make_one(world, estate=world.estate_a, when=local(2024, 12, 31, 23, 59), **edge)  # last minute of Q4
    make_one(world, estate=world.estate_a, when=local(2025, 2, 10, 9), kind=TicketKind.CONSULTATION,
             path="其他", fate="resolved")  # another kind: in neither statistic
    services.tickets_escalate()
    return list(Ticket.objects.all())


def expected_figures(tickets, period: reports.Period, kind: str, estate=None) -> dict:
    """The statistics of one group, computed here independently of the SQL in reports.py."""
    ts = [t for t in tickets if t.kind == kind and period.start_at <= t.reported_at < period.end_at
          and (estate is None or t.estate_id == estate.pk)]
    live = [t for t in ts if t.status != TicketStatus.CANCELLED]
    done = [t for t in live if t.resolved_at is not None]
    rated = [t for t in live if t.satisfaction is not None]
    need_callback = [t for t in done if t.callback_required]

    def rate(part, whole):
        return round(100.0 * len(part) / len(whole), 1) if whole else None

    minutes = [t.handling_minutes for t in done]
    return {
        "received": len(live),
        "cancelled": len(ts) - len(live),
        "urgent": sum(t.priority == Priority.URGENT for t in live),
        "valid": sum(t.is_valid_complaint is True for t in live),
        "invalid": sum(t.is_valid_complaint is False for t in live),
        "open": sum(t.status in OPEN_STATUSES for t in ts),
        "overdue": sum(t.is_overdue for t in live),
        "resolved": len(done),
        "resolved_on_time": sum(t.resolution_met is True for t in done),
        "on_time_rate": rate([t for t in done if t.resolution_met], done),
        "response_on_time_rate": rate([t for t in live if t.response_met],
                                      [t for t in live if t.response_met is not None]),
        "avg_handling_minutes": round(mean(minutes), 1) if minutes else None,
        "callbacks_required": len(need_callback),
        "callbacks_reached": sum(t.called_back_at is not None for t in need_callback),
        "callback_rate": rate([t for t in need_callback if t.called_back_at], need_callback),
        "rated": len(rated),
        "satisfaction_avg": round(mean(t.satisfaction for t in rated), 2) if rated else None,
        "satisfaction_rate": rate([t for t in rated if t.satisfaction >= 3], rated),
        "first_time": sum(t.reopen_count == 0 for t in done),
        "first_time_rate": rate([t for t in done if t.reopen_count == 0], done),
        "reopened_tickets": sum(t.reopen_count > 0 for t in live),
        "reopens": sum(t.reopen_count for t in live),
    }


def assert_figures(actual: dict, expected: dict):
    for key, value in expected.items():
        if key in ("avg_handling_minutes", "satisfaction_avg") and value is not None:
            assert actual[key] == pytest.approx(value, abs=0.011), key
        else:
            assert actual[key] == value, (key, actual[key], value)


def month_of(ticket) -> str:
    return f"{timezone.localtime(ticket.reported_at):%Y-%m}"


# --- statistics ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", [TicketKind.COMPLAINT, TicketKind.REPAIR])
def test_statistics_match_counts_computed_independently(world, quarter, kind):
    stats = reports.ticket_stats(user=world.users["cs_manager"], kind=kind, period=Q1)
    expected = expected_figures(quarter, Q1, kind)
    assert_figures(stats["current"], expected)
    assert_figures(stats["previous"], expected_figures(quarter, Q4, kind))
    assert stats["previous_period"] == Q4
    # the data exercise every figure (a sum of zeros would prove nothing)
    if kind == TicketKind.COMPLAINT:
        for key in ("received", "cancelled", "valid", "invalid", "open", "resolved", "resolved_on_time", "rated",
                    "callbacks_required", "callbacks_reached", "reopens", "urgent", "overdue"):
            assert expected[key] > 0, key
        assert 0 < expected["on_time_rate"] < 100 and 0 < expected["callback_rate"] < 100
        assert 0 < expected["first_time_rate"] < 100 and expected["satisfaction_rate"] < 100
    changes = {row["key"]: row["change"] for row in stats["figures"]}
    previous = expected_figures(quarter, Q4, kind)
    assert changes["received"] == expected["received"] - previous["received"]

    # by month (local time), by estate, by category, and category × estate × month
    in_period = [t for t in quarter if t.kind == kind and Q1.start_at <= t.reported_at < Q1.end_at]
    assert [m["label"] for m in stats["by_month"]] == ["2025-01", "2025-02", "2025-03"]
    for row in stats["by_month"]:
        start = dt.date.fromisoformat(f"{row['label']}-01")
        month = reports.period_for(reports.PERIOD_MONTH, start)
        assert_figures(row, expected_figures(quarter, month, kind))
    for row in stats["by_estate"]:
        estate = world.estate_a if row["estate_id"] == world.estate_a.pk else world.estate_b
        assert_figures(row, expected_figures(quarter, Q1, kind, estate))
    assert {r["estate_id"] for r in stats["by_estate"]} == {t.estate_id for t in in_period}
    live = [t for t in in_period if t.status != TicketStatus.CANCELLED]
    per_category = Counter(t.category.path for t in live)
    assert {r["category"]: r["received"] for r in stats["by_category"]} == {
        path: per_category.get(path, 0) for path in {t.category.path for t in in_period}}
    for row in stats["by_category"]:
        assert sum(row["months"]) == row["received"]
        assert row["months"] == [sum(1 for t in live if t.category.path == row["category"] and month_of(t) == m)
                                 for m in ("2025-01", "2025-02", "2025-03")]
    cells = Counter((month_of(t), t.estate.name, t.category.path) for t in live)
    assert {(r["month"], r["estate"], r["category"]): r["count"] for r in stats["breakdown"] if r["count"]} == cells
    valid_cells = Counter((month_of(t), t.estate.name, t.category.path) for t in live if t.is_valid_complaint)
    assert {(r["month"], r["estate"], r["category"]): r["valid"] for r in stats["breakdown"]
            if r["valid"]} == valid_cells


def test_month_boundaries_are_local_days(world, quarter):
    stats = reports.ticket_stats(user=world.users["cs_manager"], kind=TicketKind.COMPLAINT,
                                 period=reports.period_for(reports.PERIOD_MONTH, dt.date(2025, 2, 14)))
    edge = Ticket.objects.get(reported_at=local(2025, 2, 1, 0, 30))
    january = reports.ticket_stats(user=world.users["cs_manager"], kind=TicketKind.COMPLAINT,
                                   period=reports.period_for(reports.PERIOD_MONTH, dt.date(2025, 1, 5)))
    expected_feb = expected_figures(quarter, reports.period_for(reports.PERIOD_MONTH, dt.date(2025, 2, 1)),
                                    TicketKind.COMPLAINT)
    assert stats["current"]["received"] == expected_feb["received"]
    assert month_of(edge) == "2025-02" and edge.reported_at.astimezone(dt.UTC).month == 1
    assert stats["previous_period"] == january["period"]
    assert january["current"]["received"] == expected_figures(quarter, january["period"],
                                                              TicketKind.COMPLAINT)["received"]
    # the quarter holds the ticket of 23:50 on 31 March, not the one of 00:10 on 1 April
    numbers = set(reports.complaint_register(user=world.users["cs_manager"])
                  .filter(reported_at__gte=Q1.start_at, reported_at__lt=Q1.end_at).values_list("pk", flat=True))
    assert Ticket.objects.get(reported_at=local(2025, 3, 31, 23, 50)).pk in numbers
    assert Ticket.objects.get(reported_at=local(2025, 4, 1, 0, 10)).pk not in numbers


def test_periods():
    assert reports.period_for("month", dt.date(2024, 2, 10)) == reports.Period(dt.date(2024, 2, 1),
                                                                              dt.date(2024, 2, 29), "month")
    assert reports.period_for("quarter", dt.date(2025, 5, 31)).previous() == reports.Period(
        dt.date(2025, 1, 1), dt.date(2025, 3, 31), "quarter")
    assert reports.period_for("year", dt.date(2025, 5, 31)).previous().label == "2024"
    assert reports.period_for("month", dt.date(2025, 1, 31)).previous().label == "2024-12"
    custom = reports.Period(dt.date(2025, 3, 1), dt.date(2025, 3, 10))
    assert custom.previous() == reports.Period(dt.date(2025, 2, 19), dt.date(2025, 2, 28))
    assert custom.days == custom.previous().days == 10
    assert [m.month for m in Q1.months()] == [1, 2, 3]


def test_one_estate_and_the_scope_of_an_agent(world, quarter):
    manager = world.users["cs_manager"]
    only_b = reports.ticket_stats(user=manager, kind=TicketKind.COMPLAINT, period=Q1, estate=world.estate_b)
    assert_figures(only_b["current"], expected_figures(quarter, Q1, TicketKind.COMPLAINT, world.estate_b))
    assert {r["estate_id"] for r in only_b["by_estate"]} == {world.estate_b.pk}

    agent = world.users["agent"]  # serves estate A only
    grant_reports(agent)
    mine = reports.ticket_stats(user=agent, kind=TicketKind.COMPLAINT, period=Q1)
    assert_figures(mine["current"], expected_figures(quarter, Q1, TicketKind.COMPLAINT, world.estate_a))
    assert {r["estate_id"] for r in mine["by_estate"]} == {world.estate_a.pk}
    assert world.estate_b.name not in {r["estate"] for r in mine["breakdown"]}

    client = _client(agent)
    page = client.get(reverse(COMPLAINT_STATS), {"period": "quarter", "date": "2025-02-01"})
    assert page.status_code == 200 and world.estate_b.name not in page.content.decode()
    refused = client.get(reverse(COMPLAINT_STATS), {"period": "quarter", "date": "2025-02-01",
                                                    "estate": world.estate_b.pk})
    assert refused.status_code == 400 and "stats-errors" in refused.content.decode()


def _client(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def test_stats_page_shows_the_figures_and_a_local_chart(world, quarter, client_for):
    response = client_for("cs_manager").get(reverse(COMPLAINT_STATS), {"period": "quarter", "date": "2025-03-15"})
    assert response.status_code == 200
    stats = response.context["stats"]
    expected = expected_figures(quarter, Q1, TicketKind.COMPLAINT)
    assert_figures(stats["current"], expected)
    html = response.content.decode()
    assert_only_local_assets(html)
    assert "/static/vendor/echarts/echarts.min.js" in html and 'id="stats-chart-data"' in html
    row = re.search(r'data-figure="received"><td>[^<]*</td>\s*<td[^>]*>\s*(\d+)', html)
    assert row and int(row.group(1)) == expected["received"]
    chart = stats["chart"]
    assert chart["months"] == ["2025-01", "2025-02", "2025-03"]
    assert sum(sum(s["data"]) for s in chart["series"]) == expected["received"]
    # previous and next quarter links
    assert "date=2024-12-31" in response.context["previous_url"] and "date=2025-04-01" in response.context["next_url"]


def test_stats_period_choices_and_bad_input(world, quarter, client_for):
    client = client_for("cs_manager")
    year = client.get(reverse(COMPLAINT_STATS), {"period": "year", "date": "2025-06-01"})
    assert year.context["stats"]["period"] == reports.Period(dt.date(2025, 1, 1), dt.date(2025, 12, 31), "year")
    assert len(year.context["stats"]["by_month"]) == 12
    custom = client.get(reverse(COMPLAINT_STATS), {"from": "2025-01-01", "to": "2025-03-31"})
    assert custom.context["stats"]["current"]["received"] == expected_figures(
        quarter, Q1, TicketKind.COMPLAINT)["received"]
    assert custom.context["stats"]["previous_period"] == reports.Period(dt.date(2024, 10, 3), dt.date(2024, 12, 31))
    default = client.get(reverse(COMPLAINT_STATS))
    assert default.status_code == 200 and default.context["stats"]["period"].start == timezone.localdate().replace(
        day=1)
    for bad in ({"from": "2025-03-01", "to": "2025-01-01"}, {"period": "custom", "from": "2025-01-01"},
                {"from": "2020-01-01", "to": "2025-01-01"}, {"date": "not-a-date"}, {"period": "decade"}):
        response = client.get(reverse(COMPLAINT_STATS), bad)
        assert response.status_code == 400 and response.context["stats"] is None, bad


def test_repair_stats_page(world, quarter, client_for):
    response = client_for("cs_manager").get(reverse(REPAIR_STATS), {"period": "quarter", "date": "2025-01-01"})
    assert response.status_code == 200
    assert_figures(response.context["stats"]["current"], expected_figures(quarter, Q1, TicketKind.REPAIR))
    assert "valid" not in [r["key"] for r in response.context["stats"]["figures"]]


def test_stats_excel(world, quarter, client_for):
    response = client_for("cs_manager").get(reverse(COMPLAINT_STATS), {"period": "quarter", "date": "2025-01-01",
                                                                       "format": "xlsx"})
    book = xlsx(response)
    assert len(book.sheetnames) == 6
    summary = list(book.worksheets[0].iter_rows(values_only=True))
    assert summary[0][1:3] == (Q1.label, Q4.label)
    expected = expected_figures(quarter, Q1, TicketKind.COMPLAINT)
    previous = expected_figures(quarter, Q4, TicketKind.COMPLAINT)
    stats = reports.ticket_stats(user=world.users["cs_manager"], kind=TicketKind.COMPLAINT, period=Q1)
    keys = [r["key"] for r in stats["figures"]]
    values = {key: row[1:] for key, row in zip(keys, summary[1:], strict=True)}
    assert values["received"] == (expected["received"], previous["received"],
                                  expected["received"] - previous["received"])
    assert values["on_time_rate"][0] == expected["on_time_rate"]
    assert values["callback_rate"][0] == expected["callback_rate"]
    breakdown = list(book.worksheets[4].iter_rows(values_only=True))[1:]
    live = [t for t in quarter if t.kind == TicketKind.COMPLAINT and t.status != TicketStatus.CANCELLED
            and Q1.start_at <= t.reported_at < Q1.end_at]
    assert {(m, e, c): n for m, e, c, n, _v in breakdown if n} == Counter(
        (month_of(t), t.estate.name, t.category.path) for t in live)
    assert AuditEvent.objects.filter(event_type="report.export", data__report="complaint_stats",
                                     data__format="xlsx").count() == 1


@needs_poppler
def test_stats_pdf_holds_the_figures(world, quarter, client_for):
    response = client_for("cs_manager").get(reverse(COMPLAINT_STATS), {"period": "quarter", "date": "2025-01-01",
                                                                       "format": "pdf"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    expected = expected_figures(quarter, Q1, TicketKind.COMPLAINT)
    assert Q1.label in text and "2025-01-01 – 2025-03-31" in text
    assert f"{expected['on_time_rate']}%" in text and f"{expected['callback_rate']}%" in text
    assert world.estate_a.name in text and world.estate_b.name in text
    estate_a = expected_figures(quarter, Q1, TicketKind.COMPLAINT, world.estate_a)
    assert re.search(rf"{world.estate_a.name}\s+{estate_a['received']}\s+{estate_a['valid']}\s+", text)
    assert AuditEvent.objects.filter(event_type="report.export", data__format="pdf").exists()


# --- the complaint register ----------------------------------------------------------------------------------


def register_numbers(response) -> list[str]:
    assert response.status_code == 200, response.content[:300]
    return [row["number"] for row in response.context["page"].rows]


def test_register_rows_and_filters(world, quarter, client_for):
    client = client_for("cs_manager")
    complaints = sorted((t for t in quarter if t.kind == TicketKind.COMPLAINT),
                        key=lambda t: (t.reported_at, t.pk), reverse=True)
    everything = client.get(reverse(REGISTER))
    assert everything.context["page"].paginator.count == len(complaints)
    assert register_numbers(everything) == [t.number for t in complaints[:50]]

    def numbers(**params):
        response = client.get(reverse(REGISTER), params)
        assert response.context["page"].paginator.count <= 50
        return sorted(register_numbers(response))

    in_q1 = [t for t in complaints if Q1.start_at <= t.reported_at < Q1.end_at]
    assert numbers(reported_from="2025-01-01", reported_to="2025-03-31") == sorted(t.number for t in in_q1)
    assert numbers(reported_from="2025-01-01", reported_to="2025-03-31", estate=world.estate_b.pk) == sorted(
        t.number for t in in_q1 if t.estate_id == world.estate_b.pk)
    repairs_parent = category("工程维修")
    assert numbers(category=repairs_parent.pk) == sorted(
        t.number for t in complaints if t.category.path.startswith("工程维修/"))
    assert numbers(handler=world.staff["cs_manager"].pk) == sorted(
        t.number for t in complaints if t.assignee_id == world.staff["cs_manager"].pk)
    assert numbers(state="open") == sorted(t.number for t in complaints if t.status in OPEN_STATUSES)
    assert numbers(state="closed") == sorted(t.number for t in complaints if t.status == TicketStatus.CLOSED)
    assert numbers(valid="no") == sorted(t.number for t in complaints if t.is_valid_complaint is False)
    bad = client.get(reverse(REGISTER), {"reported_from": "31/02/2025"})
    assert bad.status_code == 400 and bad.context["page"] is None


def test_register_row_content(world, client_for):
    ticket = make_one(world, estate=world.estate_a, kind=TicketKind.COMPLAINT, when=local(2025, 1, 6, 9, 15),
                      path="服务态度", fate="closed", satisfaction=5, on_time=False, title="保安态度差")
    client = client_for("cs_manager")
    row = client.get(reverse(REGISTER), {"reported_to": "2025-12-31"}).context["page"].rows[0]
    ticket.refresh_from_db()
    assert row["number"] == ticket.number and row["complainant"] == "王芳" and row["unit"] == "3-2-1201"
    assert row["estate"] == "丽景园" and row["category"] == "服务态度" and row["content"] == "保安态度差"
    assert row["handler"] == world.staff["agent"].name and row["department"] == world.department.name
    assert row["deadline"] == ticket.resolution_due and row["closed_at"] == ticket.closed_at
    assert row["callback_at"] == ticket.callbacks.get().called_at
    assert row["satisfaction"] == ticket.get_satisfaction_display()
    assert row["result"] == "已处理完毕" and row["progress"] == ticket.get_status_display()
    assert row["valid"] == reports._yes_no(True) and row["on_time"] == reports._yes_no(False)
    open_one = make_ticket(world, kind=TicketKind.COMPLAINT, title="噪音", description="楼上装修噪音")
    services.note_add(actor=world.users["cs_manager"], ticket=open_one, body="已约业主周三面谈")
    services.note_add(actor=world.users["cs_manager"], ticket=open_one, body="面谈后已协调邻居")
    latest = [r for r in client.get(reverse(REGISTER)).context["page"].rows if r["number"] == open_one.number][0]
    assert latest["progress"] == "面谈后已协调邻居" and latest["content"] == "噪音：楼上装修噪音"
    assert latest["callback_at"] is None and latest["closed_at"] is None


def test_register_query_count_is_constant(world, client_for):
    client = client_for("cs_manager")
    for _ in range(3):
        make_one(world, estate=world.estate_a, kind=TicketKind.COMPLAINT, when=local(2025, 1, 6), path="服务态度")
    client.get(reverse(REGISTER))  # warm caches (content types, sessions)
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse(REGISTER)).status_code == 200
    for n in range(25):
        make_one(world, estate=[world.estate_a, world.estate_b][n % 2], kind=TicketKind.COMPLAINT,
                 when=local(2025, 1, 7), path=CATEGORIES[n % len(CATEGORIES)], fate=FATES[n % len(FATES)],
                 assignee=world.staff["agent"])
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse(REGISTER))
    assert len(response.context["page"].rows) == 28
    assert len(many) == len(few), [q["sql"][:120] for q in many.captured_queries]


def test_register_excel(world, quarter, client_for):
    response = client_for("cs_manager").get(reverse(REGISTER), {"reported_from": "2025-01-01",
                                                                "reported_to": "2025-03-31", "format": "xlsx"})
    rows = list(xlsx(response).worksheets[0].iter_rows(values_only=True))
    expected = sorted((t for t in quarter if t.kind == TicketKind.COMPLAINT and Q1.start_at <= t.reported_at
                       < Q1.end_at), key=lambda t: (t.reported_at, t.pk), reverse=True)
    assert len(rows[0]) == len(reports.REGISTER_COLUMNS)
    assert [r[0] for r in rows[1:]] == [t.number for t in expected]
    first = expected[0]
    assert rows[1][1] == timezone.localtime(first.reported_at).replace(tzinfo=None)
    assert rows[1][3] == first.estate.name and rows[1][7] == first.category.path
    event = AuditEvent.objects.get(event_type="report.export", data__report="complaint_register")
    assert event.actor == world.users["cs_manager"] and event.data["rows"] == len(expected)


@needs_poppler
def test_register_pdf(world, quarter, client_for):
    client = client_for("cs_manager")
    response = client.get(reverse(REGISTER), {"estate": world.estate_b.pk, "format": "pdf"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    complaints = [t for t in quarter if t.kind == TicketKind.COMPLAINT]
    for t in complaints:
        assert (t.number in text) == (t.estate_id == world.estate_b.pk), t.number
    info = subprocess.run(["pdfinfo", "-"], input=response.content, capture_output=True, check=True).stdout.decode()
    width, height = re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info).groups()
    assert float(width) > float(height)  # A4 landscape
    assert AuditEvent.objects.filter(event_type="report.export", data__report="complaint_register",
                                     data__format="pdf", data__rows=sum(t.estate_id == world.estate_b.pk
                                                                        for t in complaints)).exists()


def test_register_pdf_refuses_too_many_rows(world, client_for, monkeypatch):
    from wuye.tickets.views import reports as views

    monkeypatch.setattr(views, "REGISTER_PDF_MAX_ROWS", 2)
    for _ in range(3):
        make_ticket(world, kind=TicketKind.COMPLAINT)
    response = client_for("cs_manager").get(reverse(REGISTER), {"format": "pdf", "estate": world.estate_a.pk})
    assert response.status_code == 302 and "format" not in response["Location"]
    assert f"estate={world.estate_a.pk}" in response["Location"]
    assert not AuditEvent.objects.filter(event_type="report.export").exists()


def test_agent_with_the_report_permission_sees_estate_a_only(world, quarter):
    agent = world.users["agent"]
    grant_reports(agent)
    client = _client(agent)
    complaints_a = {t.number for t in quarter if t.kind == TicketKind.COMPLAINT and t.estate_id == world.estate_a.pk}
    complaints_b = {t.number for t in quarter if t.kind == TicketKind.COMPLAINT and t.estate_id == world.estate_b.pk}
    assert complaints_a and complaints_b
    page = client.get(reverse(REGISTER))
    assert page.context["page"].paginator.count == len(complaints_a)
    assert not complaints_b & set(register_numbers(page))
    assert client.get(reverse(REGISTER), {"estate": world.estate_b.pk}).status_code == 400
    book = xlsx(client.get(reverse(REGISTER), {"format": "xlsx"}))
    assert {r[0] for r in list(book.worksheets[0].iter_rows(values_only=True))[1:]} == complaints_a
    stats_book = xlsx(client.get(reverse(COMPLAINT_STATS), {"period": "year", "date": "2025-01-01",
                                                            "format": "xlsx"}))
    assert world.estate_b.name not in {r[1] for r in list(stats_book.worksheets[4].iter_rows(values_only=True))}
    if shutil.which("pdftotext"):
        text = pdf_text(client.get(reverse(REGISTER), {"format": "pdf"}).content)
        assert not [n for n in complaints_b if n in text] and all(n in text for n in complaints_a)
        text = pdf_text(client.get(reverse(COMPLAINT_STATS), {"period": "year", "date": "2025-01-01",
                                                              "format": "pdf"}).content)
        assert world.estate_b.name not in text and world.estate_a.name in text
    ticket_b = next(t for t in quarter if t.estate_id == world.estate_b.pk and t.kind == TicketKind.COMPLAINT)
    assert client.get(reverse("tickets:case_file", args=[ticket_b.pk])).status_code == 404


def test_excel_needs_the_export_permission(world, django_user_model):
    user = django_user_model.objects.create_user("reader")
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label="tickets",
                                                         codename__in=["view_reports", "view_ticket"]))
    client = _client(user)
    assert client.get(reverse(REGISTER)).status_code == 200
    assert client.get(reverse(REGISTER), {"format": "xlsx"}).status_code == 403
    assert client.get(reverse(COMPLAINT_STATS), {"format": "xlsx"}).status_code == 403


# --- case files ----------------------------------------------------------------------------------------------


def full_case(world):
    manager = world.users["cs_manager"]
    ticket = make_ticket(world, kind=TicketKind.COMPLAINT, title="保安态度差", description="业主称门岗保安出言不逊",
                         category=category("服务态度"), files=[png("门岗.png", size=(40, 30))])
    services.note_add(actor=manager, ticket=ticket, body="已调取门岗监控", visibility=NoteVisibility.INTERNAL)
    services.note_add(actor=manager, ticket=ticket, body="已向业主致歉", visibility=NoteVisibility.PUBLIC)
    ticket = services.ticket_assign(actor=manager, ticket=Ticket.objects.get(pk=ticket.pk),
                                    assignee=world.staff["agent"])
    ticket = services.ticket_resolve(actor=manager, ticket=ticket, resolution="当面致歉并调整岗位",
                                     is_valid_complaint=True, responsible_department=world.department,
                                     cause="岗前培训不足", measures="全员服务礼仪培训")
    services.ticket_callback(actor=manager, ticket=ticket, outcome=CallbackOutcome.NOT_REACHED)
    services.ticket_callback(actor=manager, ticket=Ticket.objects.get(pk=ticket.pk), satisfaction=4,
                             comment="业主表示满意")
    return services.ticket_close(actor=manager, ticket=Ticket.objects.get(pk=ticket.pk))


@needs_poppler
def test_case_file_pdf_holds_the_whole_record(world, client_for):
    ticket = full_case(world)
    response = client_for("cs_manager").get(reverse("tickets:case_file", args=[ticket.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert ticket.number in response["Content-Disposition"]
    text = pdf_text(response.content)
    for expected in (ticket.number, "保安态度差", "业主称门岗保安出言不逊", "已调取门岗监控", "已向业主致歉",
                     "当面致歉并调整岗位", "岗前培训不足", "全员服务礼仪培训", "业主表示满意", "门岗.png",
                     world.staff["agent"].name, world.department.name, "丽景园", "3-2-1201"):
        assert expected in text, expected
    assert "13812345678" not in text  # the phone number is masked
    events = list(ticket.events.order_by("at", "id"))
    assert len(events) == 6 and all(timezone.localtime(e.at).strftime("%Y-%m-%d %H:%M") in text for e in events)
    images = subprocess.run(["pdfimages", "-list", "-"], input=response.content, capture_output=True,
                            check=True).stdout.decode()
    assert len(images.strip().splitlines()) >= 3  # header lines + the embedded photo
    assert AuditEvent.objects.filter(event_type="report.export", data__report="case_file",
                                     object_id=str(ticket.pk)).count() == 1


def test_case_file_queries_do_not_grow_with_the_record(world, client_for):
    client = client_for("cs_manager")
    small = make_ticket(world, kind=TicketKind.COMPLAINT)
    big = full_case(world)
    for n in range(5):
        services.note_add(actor=world.users["agent"], ticket=make_ticket(world), body=f"备注{n}")
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("tickets:case_file", args=[small.pk]))
    with CaptureQueriesContext(connection) as other:
        client.get(reverse("tickets:case_file", args=[big.pk]))
    assert len(one) == len(other)


def test_case_file_list_and_bulk_pdf(world, quarter, client_for):
    client = client_for("cs_manager")
    closed = [t for t in quarter if t.kind == TicketKind.COMPLAINT and t.status == TicketStatus.CLOSED]
    assert len(closed) >= 4 and {t.estate_id for t in closed} == {world.estate_a.pk, world.estate_b.pk}
    response = client.get(reverse(CASE_FILES))
    listed = [t.number for t in response.context["page"].object_list]
    assert sorted(listed) == sorted(t.number for t in closed)
    today = timezone.localdate().isoformat()
    assert sorted(t.number for t in client.get(reverse(CASE_FILES), {"closed_from": today, "estate":
                  world.estate_b.pk}).context["page"].object_list) == sorted(
        t.number for t in closed if t.estate_id == world.estate_b.pk)
    assert not client.get(reverse(CASE_FILES), {"closed_to": "2020-01-01"}).context["page"].object_list
    chosen = closed[:3]
    pdf = client.get(reverse(CASE_FILES), {"format": "pdf", "ticket": [t.pk for t in chosen]})
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    if shutil.which("pdftotext"):
        text = pdf_text(pdf.content)
        assert all(t.number in text for t in chosen) and closed[3].number not in text
    assert AuditEvent.objects.filter(event_type="report.export", data__report="case_file").count() == 3
    nothing = client.get(reverse(CASE_FILES), {"format": "pdf"})
    assert nothing.status_code == 302
    assert client.get(reverse(CASE_FILES), {"format": "pdf", "ticket": "x"}).status_code == 302


def test_bulk_case_files_out_of_scope_are_404(world, quarter):
    agent = world.users["agent"]
    grant_reports(agent)
    client = _client(agent)
    closed = [t for t in quarter if t.kind == TicketKind.COMPLAINT and t.status == TicketStatus.CLOSED]
    mine = [t for t in closed if t.estate_id == world.estate_a.pk]
    theirs = [t for t in closed if t.estate_id == world.estate_b.pk]
    listed = {t.pk for t in client.get(reverse(CASE_FILES)).context["page"].object_list}
    assert listed == {t.pk for t in mine}
    assert client.get(reverse(CASE_FILES), {"format": "pdf", "ticket": [mine[0].pk]}).status_code == 200
    assert client.get(reverse(CASE_FILES), {"format": "pdf", "ticket": [mine[0].pk, theirs[0].pk]}).status_code == 404


# --- the API -------------------------------------------------------------------------------------------------


def test_api_register(world, quarter, client_for):
    api = client_for("cs_manager", api=True)
    response = api.get(reverse(API_REGISTER), {"reported_from": "2025-01-01", "reported_to": "2025-03-31",
                                               "estate": world.estate_a.pk, "page_size": 100})
    assert response.status_code == 200, response.content
    expected = sorted((t for t in quarter if t.kind == TicketKind.COMPLAINT and t.estate_id == world.estate_a.pk
                       and Q1.start_at <= t.reported_at < Q1.end_at), key=lambda t: (t.reported_at, t.pk),
                      reverse=True)
    body = response.json()
    assert body["count"] == len(expected)
    assert [r["number"] for r in body["results"]] == [t.number for t in expected]
    first = body["results"][0]
    assert first["estate_name"] == "丽景园" and first["case_file_url"].endswith(f"/tickets/{expected[0].pk}/case-file/")
    assert api.get(reverse(API_REGISTER), {"reported_from": "nope"}).status_code == 400
    book = xlsx(api.get(reverse(API_REGISTER), {"estate": world.estate_a.pk, "reported_from": "2025-01-01",
                                                "reported_to": "2025-03-31", "format": "xlsx"}))
    assert [r[0] for r in list(book.worksheets[0].iter_rows(values_only=True))[1:]] == [t.number for t in expected]
    assert AuditEvent.objects.filter(event_type="report.export", data__channel="api").count() == 1


def test_api_register_query_count_is_constant(world, client_for):
    api = client_for("cs_manager", api=True)
    make_one(world, estate=world.estate_a, kind=TicketKind.COMPLAINT, when=local(2025, 1, 6), path="服务态度")
    api.get(reverse(API_REGISTER))
    with CaptureQueriesContext(connection) as few:
        api.get(reverse(API_REGISTER))
    for n in range(12):
        make_one(world, estate=world.estate_b, kind=TicketKind.COMPLAINT, when=local(2025, 1, 8),
                 path=CATEGORIES[n % len(CATEGORIES)], fate=FATES[n % len(FATES)])
    with CaptureQueriesContext(connection) as many:
        assert api.get(reverse(API_REGISTER)).json()["count"] == 13
    assert len(many) == len(few)


@pytest.mark.parametrize(("name", "kind"), [(API_COMPLAINT_STATS, TicketKind.COMPLAINT),
                                            (API_REPAIR_STATS, TicketKind.REPAIR)])
def test_api_stats_are_the_page_figures(world, quarter, client_for, name, kind):
    api = client_for("cs_manager", api=True)
    response = api.get(reverse(name), {"period": "quarter", "date": "2025-02-01"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["period"] == {"kind": "quarter", "start": "2025-01-01", "end": "2025-03-31", "label": Q1.label}
    assert_figures(body["figures"], expected_figures(quarter, Q1, kind))
    assert_figures(body["previous"], expected_figures(quarter, Q4, kind))
    page = client_for("cs_manager").get(reverse(COMPLAINT_STATS if kind == TicketKind.COMPLAINT else REPAIR_STATS),
                                        {"period": "quarter", "date": "2025-02-01"})
    assert body["figures"] == page.context["stats"]["current"]
    assert [m["month"] for m in body["by_month"]] == ["2025-01", "2025-02", "2025-03"]
    assert body["notes"]
    bad = api.get(reverse(name), {"from": "2025-03-01", "to": "2025-01-01"})
    assert bad.status_code == 400 and "non_field_errors" in bad.json()
    book = xlsx(api.get(reverse(name), {"period": "quarter", "date": "2025-02-01", "format": "xlsx"}))
    assert list(book.worksheets[0].iter_rows(values_only=True))[1][1] == body["figures"]["received"]


def test_api_scope_of_an_agent(world, quarter, client_for):
    agent = world.users["agent"]
    grant_reports(agent)
    api = client_for("agent", api=True)
    numbers = {r["number"] for r in api.get(reverse(API_REGISTER), {"page_size": 500}).json()["results"]}
    assert numbers == {t.number for t in quarter if t.kind == TicketKind.COMPLAINT
                       and t.estate_id == world.estate_a.pk}
    body = api.get(reverse(API_COMPLAINT_STATS), {"period": "quarter", "date": "2025-02-01"}).json()
    assert_figures(body["figures"], expected_figures(quarter, Q1, TicketKind.COMPLAINT, world.estate_a))
    assert {r["estate_id"] for r in body["by_estate"]} == {world.estate_a.pk}
    assert api.get(reverse(API_COMPLAINT_STATS), {"estate": world.estate_b.pk}).status_code == 400


def test_api_refusals_are_json_even_when_excel_was_asked(world, client_for):
    response = client_for("agent", api=True).get(reverse(API_REGISTER), {"format": "xlsx"})
    assert response.status_code == 403 and response["Content-Type"].startswith("application/json")
    assert "detail" in response.json()
