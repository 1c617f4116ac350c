"""Actual values of the objectives, checked against counts made independently from the tickets' own timestamps and
ratings (tickets made through the tickets services with known outcomes)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from wuye.quality import services
from wuye.quality.choices import Metric
from wuye.quality.selectors.policy import objective_actual, objective_rows
from wuye.quality.tests.factories_policy import manual_objective, published_policy
from wuye.tickets import services as ticket_services
from wuye.tickets.choices import TicketKind, TicketStatus
from wuye.tickets.models import Callback, Ticket, TicketEvent
from wuye.tickets.tests.factories import make_ticket, resolved

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year
THIS_YEAR = (dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31))


def _ticket(world, *, kind, late: bool, estate=None, rating=None):
    """A ticket resolved now, after (late) or before its resolution deadline; optionally rated at callback."""
    ticket = make_ticket(world, kind=kind, estate=estate or world.estate_a)
    due = timezone.now() + dt.timedelta(hours=-1 if late else 5)
    Ticket.objects.filter(pk=ticket.pk).update(resolution_due=due)
    ticket.refresh_from_db()
    ticket = resolved(world, ticket)
    if rating is not None:
        ticket_services.ticket_callback(actor=world.users["cs_manager"], ticket=ticket, satisfaction=rating)
    return ticket


@pytest.fixture
def tickets(world):
    C, R = TicketKind.COMPLAINT, TicketKind.REPAIR
    world.estate_b.staff.add(world.staff["agent"])  # the handler of every ticket here
    made = [
        _ticket(world, kind=C, late=False, rating=5),
        _ticket(world, kind=C, late=False, rating=3),
        _ticket(world, kind=C, late=True, rating=2),     # dissatisfied: reopened by the callback
        _ticket(world, kind=C, late=False),
        _ticket(world, kind=R, late=True, rating=4),
        _ticket(world, kind=R, late=False, rating=1),    # reopened
        _ticket(world, kind=C, late=True, estate=world.estate_b, rating=5),
    ]
    cancelled = make_ticket(world, kind=C)
    ticket_services.ticket_cancel(actor=world.users["cs_manager"], ticket=cancelled, reason="duplicate")
    return made


def _objective(world, metric, estate=None):
    policy = published_policy(world, objectives=((metric, "90"),))
    objective = policy.objectives.get()
    if estate is not None:
        type(objective).objects.filter(pk=objective.pk).update(estate=estate)
        objective.refresh_from_db()
    return objective


def _expected_timely(tickets, *, kind=None, estate=None):
    """Resolved tickets of the period (resolved_at set: reopened ones are not resolved now), on time by their own
    timestamps."""
    rows = [t for t in Ticket.objects.all() if t.resolved_at is not None and t.status != TicketStatus.CANCELLED
            and (kind is None or t.kind == kind) and (estate is None or t.estate_id == estate.pk)]
    on_time = [t for t in rows if t.resolved_at <= t.resolution_due]
    return on_time, rows


def _pct(part, whole):
    return (Decimal(100) * len(part) / len(whole)).quantize(Decimal("0.01"))


@pytest.mark.parametrize("estate_scoped", [False, True])
def test_complaint_timely_matches_an_independent_count(world, tickets, estate_scoped):
    estate = world.estate_a if estate_scoped else None
    objective = _objective(world, Metric.COMPLAINT_TIMELY, estate)
    on_time, rows = _expected_timely(tickets, kind=TicketKind.COMPLAINT, estate=estate)
    value, detail = objective_actual(objective, *THIS_YEAR)
    assert (detail["numerator"], detail["denominator"]) == (len(on_time), len(rows))
    assert value == _pct(on_time, rows)
    # known outcomes: estate A: 3 complaints still resolved (2 on time, 1 late reopened), estate B: 1 late
    assert (len(on_time), len(rows)) == ((3, 3) if estate_scoped else (3, 4))


def test_ticket_timely_counts_every_kind(world, tickets):
    objective = _objective(world, Metric.TICKET_TIMELY)
    on_time, rows = _expected_timely(tickets)
    value, detail = objective_actual(objective, *THIS_YEAR)
    assert detail["denominator"] == len(rows) == 5
    assert value == _pct(on_time, rows)


def test_callback_satisfaction_matches_an_independent_count(world, tickets):
    objective = _objective(world, Metric.CALLBACK_SATISFACTION)
    rated = [c for c in Callback.objects.all() if c.satisfaction is not None]
    satisfied = [c for c in rated if c.satisfaction >= 3]  # 基本满意 or better
    value, detail = objective_actual(objective, *THIS_YEAR)
    assert (detail["numerator"], detail["denominator"]) == (len(satisfied), len(rated)) == (4, 6)
    assert value == _pct(satisfied, rated)
    assert objective.met(value) is False  # 66.67 < 90


def test_callback_satisfaction_per_estate(world, tickets):
    objective = _objective(world, Metric.CALLBACK_SATISFACTION, world.estate_b)
    value, detail = objective_actual(objective, *THIS_YEAR)
    assert (value, detail["denominator"]) == (Decimal("100.00"), 1)


def test_reopen_rate_matches_the_ticket_steps(world, tickets):
    objective = _objective(world, Metric.REOPEN_RATE)
    reopened = {e.ticket_id for e in TicketEvent.objects.filter(step="reopen")}
    resolved_ids = {e.ticket_id for e in TicketEvent.objects.filter(step="resolve")}
    value, detail = objective_actual(objective, *THIS_YEAR)
    assert (detail["numerator"], detail["denominator"]) == (len(reopened), len(resolved_ids)) == (2, 7)
    assert value == (Decimal(200) / 7).quantize(Decimal("0.01"))


def test_another_period_counts_nothing(world, tickets):
    objective = _objective(world, Metric.COMPLAINT_TIMELY)
    value, detail = objective_actual(objective, dt.date(YEAR - 1, 1, 1), dt.date(YEAR - 1, 12, 31))
    assert value is None and detail["denominator"] == 0 and detail["note"]
    assert objective.met(value) is None


def test_survey_satisfaction_is_a_note_when_no_survey_ran(world):
    objective = _objective(world, Metric.SURVEY_SATISFACTION)
    value, detail = objective_actual(objective, *THIS_YEAR)
    assert value is None
    assert detail["source"] == "surveys" and detail["note"] and detail["denominator"] == 0


def test_survey_satisfaction_counts_satisfaction_answers_of_overlapping_campaigns(world):
    from wuye.surveys.tests.factories import answered_levels, open_campaign

    campaign = open_campaign(world, starts_on=dt.date(YEAR, 3, 1))
    # 客服 5, 4, 3, 2 and 维修 5 in estate A; 客服 1 in estate B: satisfied (≥ 基本满意) 3 of 5 in A, 3 of 6 overall
    answered_levels(campaign, world.estate_a, service=[5, 4, 3, 2], repair=[5])
    answered_levels(campaign, world.estate_b, service=[1])
    value, detail = objective_actual(_objective(world, Metric.SURVEY_SATISFACTION), *THIS_YEAR)
    assert (value, detail["numerator"], detail["denominator"], detail["campaigns"]) == (Decimal("50.00"), 3, 6, 1)
    per_estate = _objective(world, Metric.SURVEY_SATISFACTION, world.estate_a)
    value, detail = objective_actual(per_estate, *THIS_YEAR)
    assert (value, detail["numerator"], detail["denominator"]) == (Decimal("60.00"), 3, 5)
    # a period the campaign does not overlap counts nothing
    value, detail = objective_actual(per_estate, dt.date(YEAR - 1, 1, 1), dt.date(YEAR - 1, 12, 31))
    assert value is None and detail["denominator"] == 0


def test_manual_takes_the_latest_overlapping_measurement(world):
    objective = manual_objective(world)
    actor = world.users["quality_auditor"]
    services.objective_measurement_record(actor=actor, objective=objective, period_start=dt.date(YEAR, 1, 1),
                                          period_end=dt.date(YEAR, 3, 31), value=Decimal("95"))
    services.objective_measurement_record(actor=actor, objective=objective, period_start=dt.date(YEAR, 4, 1),
                                          period_end=dt.date(YEAR, 6, 30), value=Decimal("100"))
    services.objective_measurement_record(actor=actor, objective=objective, period_start=dt.date(YEAR - 1, 1, 1),
                                          period_end=dt.date(YEAR - 1, 12, 31), value=Decimal("80"))
    assert objective_actual(objective, *THIS_YEAR)[0] == Decimal("100")
    assert objective_actual(objective, dt.date(YEAR, 1, 1), dt.date(YEAR, 2, 1))[0] == Decimal("95")
    assert objective_actual(objective, dt.date(YEAR - 1, 1, 1), dt.date(YEAR - 1, 6, 1))[0] == Decimal("80")
    assert objective_actual(objective, dt.date(YEAR - 5, 1, 1), dt.date(YEAR - 5, 6, 1))[0] is None
    row = objective_rows([objective], *THIS_YEAR)[0]
    assert row["met"] is True
