"""The review's compiled inputs checked against independent counts (Python over the rows), the yearly-review
warning around the 12-month boundary, and the reminders' idempotence."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from wuye.core.models import Notification
from wuye.quality.choices import (
    ActionItemStatus,
    ActionSource,
    ActionState,
    AuditKind,
    AuditStatus,
    FindingGrade,
    OutputKind,
    ReviewTopic,
)
from wuye.quality.models import ActionItem, CorrectiveAction, Finding, ManagementReview, QualityObjective, QualityPolicy
from wuye.quality.selectors import reviews as selectors
from wuye.quality.services import reviews as services
from wuye.quality.tests import factories_reviews as f
from wuye.tickets.choices import TicketKind
from wuye.tickets.models import Callback, Ticket
from wuye.tickets.tests.factories import category, make_ticket, resolved

pytestmark = pytest.mark.django_db
D = dt.date


def day(n: int) -> dt.date:
    return f.today() + dt.timedelta(days=n)


# --- add_months and the 12-month boundary ---------------------------------------------------------------------


@pytest.mark.parametrize(("start", "months", "expected"), [
    (D(2025, 3, 10), 12, D(2026, 3, 10)), (D(2024, 2, 29), 12, D(2025, 2, 28)), (D(2025, 1, 31), 1, D(2025, 2, 28)),
    (D(2025, 11, 30), 3, D(2026, 2, 28)), (D(2025, 12, 15), 1, D(2026, 1, 15))])
def test_add_months(start, months, expected):
    assert selectors.add_months(start, months) == expected


def test_no_review_ever_held_is_overdue(world):
    f.plan(world)  # planned only
    status = selectors.review_status(f.today())
    assert status["overdue"] and status["never_held"] and status["last"] is None
    assert status["next"] is not None


@pytest.mark.parametrize(("today", "overdue"), [
    (D(2026, 3, 9), False),   # the day before the 12 months are up
    (D(2026, 3, 10), False),  # exactly 12 months: not yet overdue
    (D(2026, 3, 11), True),   # the day after
])
def test_overdue_after_twelve_calendar_months(world, today, overdue):
    last = f.held_on_day(world, D(2025, 3, 10))
    status = selectors.review_status(today)
    assert status["last"] == last and status["due_by"] == D(2026, 3, 10)
    assert status["overdue"] is overdue


@pytest.mark.parametrize(("today", "overdue"), [(D(2025, 2, 27), False), (D(2025, 2, 28), False),
                                                (D(2025, 3, 1), True)])
def test_boundary_of_a_review_held_on_the_29th_of_february(world, today, overdue):
    f.held_on_day(world, D(2024, 2, 29))
    assert selectors.review_status(today)["overdue"] is overdue


def test_the_latest_held_review_counts_not_planned_or_cancelled_ones(world):
    f.held_on_day(world, D(2024, 5, 1))
    newer = f.held_on_day(world, D(2025, 4, 20))
    cancelled = f.plan(world)
    services.management_review_cancel(actor=world.users["executive"], review=cancelled, reason="改期")
    status = selectors.review_status(D(2026, 4, 20))
    assert status["last"] == newer and status["overdue"] is False and status["next"] is None
    assert selectors.review_status(D(2026, 4, 21))["overdue"] is True


def test_overdue_review_actions_counted(world):
    review = f.held(world)
    f.item(world, review, due_on=day(10))
    late = f.item(world, review, owner="cs_manager")
    ActionItem.objects.filter(pk=late.pk).update(due_on=day(-1))
    done = f.item(world, review)
    ActionItem.objects.filter(pk=done.pk).update(due_on=day(-5), status=ActionItemStatus.DONE)
    f.item(world, f.meeting(world), actor=world.users["cs_manager"], due_on=day(30))
    assert selectors.review_status(f.today())["overdue_actions"] == 1
    assert selectors.review_status(day(11))["overdue_actions"] == 2


# --- the compiled inputs against independent counts ----------------------------------------------------------------


def _complaint(world, reported_days_ago: int, **kwargs):
    ticket = make_ticket(world, kind=TicketKind.COMPLAINT, title="投诉", category=category("服务态度"), **kwargs)
    Ticket.objects.filter(pk=ticket.pk).update(reported_at=timezone.now() - dt.timedelta(days=reported_days_ago))
    return ticket


def test_complaint_and_satisfaction_figures_match_independent_counts(world):
    start, end = day(-30), f.today()
    inside = [_complaint(world, 5), _complaint(world, 10), _complaint(world, 2, estate=world.estate_b)]
    resolved(world, inside[0])
    resolved(world, inside[1])
    _complaint(world, 60)  # before the period
    make_ticket(world, title="漏水")  # a repair, not a complaint
    for ticket, score in ((inside[0], 5), (inside[1], 2)):
        Callback.objects.create(ticket=ticket, satisfaction=score, called_at=timezone.now() - dt.timedelta(days=1))
    Callback.objects.create(ticket=inside[0], satisfaction=4, called_at=timezone.now() - dt.timedelta(days=90))

    figures = selectors.complaints_figures(start, end)
    period = [t for t in Ticket.objects.all() if t.kind == TicketKind.COMPLAINT and t.status != "cancelled"
              and start <= timezone.localdate(t.reported_at) <= end]
    assert figures["received"] == len(period) == 3
    assert figures["resolved"] == sum(1 for t in period if t.resolved_at) == 2
    assert figures["resolved_on_time"] == sum(1 for t in period if t.resolved_at and t.resolution_met)
    assert figures["by_category"] == [{"category": "服务态度", "received": 3, "resolved": 2,
                                       "resolved_on_time": figures["resolved_on_time"],
                                       "on_time_rate": figures["on_time_rate"]}]

    satisfaction = selectors.satisfaction_figures(start, end)
    rated = [c for c in Callback.objects.all() if c.satisfaction and start <= timezone.localdate(c.called_at) <= end]
    assert satisfaction["rated"] == len(rated) == 2
    assert satisfaction["satisfied"] == sum(1 for c in rated if c.satisfaction >= 3) == 1
    assert satisfaction["satisfaction_rate"] == 50.0
    assert satisfaction["by_score"]["5"] == 1 and satisfaction["by_score"]["2"] == 1
    assert satisfaction["surveys"] == {"campaigns": 0, "answered": 0, "satisfied": 0, "satisfaction_rate": None}


def test_satisfaction_input_counts_the_surveys_of_the_period(world):
    from wuye.surveys.tests.factories import answered_levels, open_campaign

    campaign = open_campaign(world, starts_on=day(-20))
    answered_levels(campaign, world.estate_a, service=[5, 4, 2], repair=[1])
    figures = selectors.satisfaction_figures(day(-30), f.today())["surveys"]
    assert figures == {"campaigns": 1, "answered": 4, "satisfied": 2, "satisfaction_rate": 50.0}
    assert selectors.satisfaction_figures(day(-400), day(-300))["surveys"]["campaigns"] == 0


def test_audit_figures_match_independent_counts(world):
    start, end = day(-90), f.today()
    internal = f.audit(world, started_on=day(-40))
    f.finding(world, internal, FindingGrade.OBSERVATION)
    minor_closed = f.finding(world, internal, FindingGrade.MINOR)
    f.finding(world, internal, FindingGrade.MINOR)
    external = f.audit(world, kind=AuditKind.EXTERNAL, started_on=day(-20), status=AuditStatus.CLOSED)
    f.finding(world, external, FindingGrade.MINOR)
    old = f.audit(world, started_on=day(-200))
    f.finding(world, old, FindingGrade.MAJOR)
    f.audit(world, started_on=day(-10), status=AuditStatus.PLANNED)  # not held
    f.audit(world, started_on=day(-10), status=AuditStatus.CANCELLED)
    f.corrective_action(world, state=ActionState.CLOSED, finding_=minor_closed, closed_on=day(-5),
                        effectiveness=f.EFFECTIVE, source=ActionSource.FINDING)

    figures = selectors.audits_figures(start, end)
    assert [a["number"] for a in figures["audits"]] == [internal.number, external.number]
    assert figures["by_kind"]["internal"] == {"audits": 1, "observation": 1, "minor": 2, "major": 0}
    assert figures["by_kind"]["external"] == {"audits": 1, "observation": 0, "minor": 1, "major": 0}
    assert figures["findings"] == {"observation": 1, "minor": 3, "major": 0}
    expected_open = [x for x in Finding.objects.all() if x.grade in ("minor", "major")
                     and not (CorrectiveAction.objects.filter(finding=x, state="closed").exists())]
    assert figures["open_findings"] == {"minor": 2, "major": 1}
    assert sorted(r["id"] for r in figures["open_finding_rows"]) == sorted(x.pk for x in expected_open)


def test_corrective_action_figures_match_independent_counts(world):
    start, end = day(-60), f.today()
    f.corrective_action(world, state=ActionState.IN_PROGRESS, due_on=day(-1), raised_on=day(-20))
    f.corrective_action(world, state=ActionState.ACTION_PLAN, due_on=day(3), raised_on=day(-10),
                        source=ActionSource.COMPLAINT)
    f.corrective_action(world, state=ActionState.VERIFICATION, due_on=day(-9), raised_on=day(-100))
    f.corrective_action(world, state=ActionState.CLOSED, closed_on=day(-3), effectiveness=f.EFFECTIVE,
                        raised_on=day(-50))
    f.corrective_action(world, state=ActionState.CLOSED, closed_on=day(-2), effectiveness=f.NOT_EFFECTIVE,
                        raised_on=day(-120))
    f.corrective_action(world, state=ActionState.CLOSED, closed_on=day(-90), effectiveness=f.EFFECTIVE,
                        raised_on=day(-150))
    figures = selectors.corrective_actions_figures(start, end, f.today())
    rows = list(CorrectiveAction.objects.all())
    assert figures["by_state"]["closed"] == sum(1 for r in rows if r.state == "closed") == 3
    assert figures["overdue"] == sum(1 for r in rows if r.is_overdue(f.today())) == 1
    assert figures["raised"] == sum(1 for r in rows if start <= r.raised_on <= end) == 3
    assert figures["raised_by_source"]["complaint"] == 1
    assert (figures["closed"], figures["closed_effective"], figures["closed_not_effective"]) == (2, 1, 1)


def test_previous_actions_and_objectives_in_the_compiled_inputs(world):
    earlier = f.held_on_day(world, day(-300))
    done = f.item(world, earlier, text="修订投诉程序")
    services.action_item_complete(actor=world.users["agent"], item=done, result="已修订")
    late = f.item(world, earlier, text="培训新员工", owner="cs_manager")
    ActionItem.objects.filter(pk=late.pk).update(due_on=day(-30))
    f.item(world, earlier, text="质量方针不变", kind=OutputKind.DECISION, owner=None)
    policy = QualityPolicy.objects.create(version=1, title="质量方针", statement="顾客至上", status="published")
    manual = QualityObjective.objects.create(policy=policy, code="Q3", title="员工培训覆盖率", target=95)
    manual.measurements.create(period_start=day(-300), period_end=day(-5), value=97)

    review = f.compiled(world, start=day(-299), end=day(-1))
    inputs = {i.topic: i.figures for i in review.inputs.all()}
    previous = inputs[ReviewTopic.PREVIOUS_ACTIONS]
    assert previous["last_review"]["number"] == earlier.number
    assert previous["counts"] == {"open": 2, "overdue": 1, "done": 1, "cancelled": 0}
    assert {i["text"]: i["overdue"] for i in previous["items"]} == {"修订投诉程序": False, "培训新员工": True,
                                                                   "质量方针不变": False}
    objectives = inputs[ReviewTopic.OBJECTIVES]
    assert objectives["policy"]["version"] == 1
    row = objectives["objectives"][0]
    assert (row["title"], row["target"], row["actual"], row["met"]) == ("员工培训覆盖率", 95.0, 97.0, True)
    # the tables the page shows
    tables = selectors.input_tables(ReviewTopic.PREVIOUS_ACTIONS, previous)["tables"]
    assert tables[0]["rows"] == [["2", "1", "1", "0"]]
    assert any("培训新员工" in row for row in tables[1]["rows"][1])


def test_every_input_renders_as_tables(world):
    review = f.compiled(world)
    for entry in selectors.inputs_with_tables(review):
        assert entry["tables"] or entry["notes"], entry["input"].topic


# --- reminders ----------------------------------------------------------------------------------------------------


def _keys(prefix):
    return sorted(Notification.objects.filter(key__startswith=prefix).values_list("recipient__username", "key"))


def test_overdue_review_reminder_once_a_month(world):
    holders = {"t_executive", "t_quality_auditor", "t_cs_manager"}  # quality.receive_quality_reminders
    assert services.reviews_remind(today=D(2026, 5, 4)) == len(holders)
    assert {u for u, _k in _keys("quality:review-overdue")} == holders
    assert services.reviews_remind(today=D(2026, 5, 4)) == 0
    assert services.reviews_remind(today=D(2026, 5, 31)) == 0
    assert services.reviews_remind(today=D(2026, 6, 1)) == len(holders)


def test_no_review_reminder_within_twelve_months(world):
    f.held_on_day(world, D(2025, 6, 1))
    assert services.reviews_remind(today=D(2026, 6, 1)) == 0
    assert services.reviews_remind(today=D(2026, 6, 2)) == 3


def test_overdue_action_items_remind_their_owners_once_per_due_date(world):
    review = f.held(world)
    Notification.objects.all().delete()
    mine = f.item(world, review, owner="agent", due_on=day(5))
    f.item(world, review, owner="cs_manager", due_on=day(20))
    talk = f.item(world, f.meeting(world), actor=world.users["cs_manager"], owner="cs_manager", due_on=day(5))
    Notification.objects.filter(key__endswith=":assigned").delete()
    assert services.reviews_remind(today=day(5)) == 0  # due today: not overdue yet
    assert services.reviews_remind(today=day(6)) == 2
    assert _keys("quality:actionitem") == sorted([
        ("t_agent", f"quality:actionitem:{mine.pk}:overdue:{day(5):%Y-%m-%d}"),
        ("t_cs_manager", f"quality:actionitem:{talk.pk}:overdue:{day(5):%Y-%m-%d}")])
    assert services.reviews_remind(today=day(7)) == 0
    ActionItem.objects.filter(pk=mine.pk).update(due_on=day(6))  # a new due date, missed again
    assert services.reviews_remind(today=day(8)) == 1
    services.action_item_complete(actor=world.users["agent"], item=mine, result="完成")
    assert services.reviews_remind(today=day(30)) == 1  # the manager's review item, due day 20
    assert ManagementReview.objects.count() == 1
