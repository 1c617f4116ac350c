"""Actual values of the quality objectives for a period (seed 1.6–1.8).

Computed metrics come from tickets by SQL aggregation (``Count(filter=...)``), over the whole company or the
objective's estate; a period is whole local days ``start`` … ``end`` (both included):

- ``complaint_timely`` (投诉处理及时率): complaints resolved in the period within their resolution limit
  (``Ticket.resolution_met``, set when the ticket is resolved against ``resolution_due``), over complaints resolved
  in the period (cancelled ones not counted; a reopened complaint counts when it is resolved again);
- ``ticket_timely``: the same over tickets of every kind;
- ``callback_satisfaction`` (回访满意率): callbacks of the period with a rating of 基本满意 (fairly satisfied) or
  better (``tickets.choices.SATISFIED_MIN``, as in the tickets statistics), over callbacks with a rating;
- ``reopen_rate``: tickets reopened in the period, over tickets resolved in the period (ticket steps);
- ``survey_satisfaction`` (客户满意率 in surveys): satisfaction answers of the survey campaigns whose period overlaps
  the asked period rated 基本满意 or better, over those answered (``surveys.selectors.results.satisfaction_rate``).

A hand-measured objective (``manual``) takes the latest measurement whose period overlaps the asked period.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ..choices import Metric
from ..models import ObjectiveMeasurement, QualityObjective

__all__ = ["objective_actual", "objective_rows", "year_period", "parse_period"]


def _start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def year_period(today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    today = today or timezone.localdate()
    return dt.date(today.year, 1, 1), dt.date(today.year, 12, 31)


def parse_period(start, end) -> tuple[dt.date, dt.date]:
    """A period from two ISO date strings (either may be empty: this year's bounds); swapped if reversed."""
    default_start, default_end = year_period()

    def day(value, default):
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value)) if value else default
        except ValueError:
            return default

    first, last = day(start, default_start), day(end, default_end)
    return (last, first) if last < first else (first, last)


def _rate(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(100) * part / whole).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _tickets(objective: QualityObjective):
    from wuye.tickets.models import Ticket

    tickets = Ticket.objects.all()
    return tickets.filter(estate_id=objective.estate_id) if objective.estate_id else tickets


def _timely(objective, start, end, complaints_only: bool):
    from wuye.tickets.choices import TicketKind, TicketStatus

    tickets = _tickets(objective).exclude(status=TicketStatus.CANCELLED).filter(
        resolved_at__gte=_start(start), resolved_at__lt=_start(end + dt.timedelta(days=1)))
    if complaints_only:
        tickets = tickets.filter(kind=TicketKind.COMPLAINT)
    n = tickets.order_by().aggregate(resolved=Count("pk"), on_time=Count("pk", filter=Q(resolution_met=True)),
                                     late=Count("pk", filter=Q(resolution_met=False)),
                                     no_limit=Count("pk", filter=Q(resolution_met__isnull=True)))
    return _rate(n["on_time"], n["resolved"]), {"numerator": n["on_time"], "denominator": n["resolved"], **n}


def _callback_satisfaction(objective, start, end):
    from wuye.tickets.choices import SATISFIED_MIN, TicketStatus
    from wuye.tickets.models import Callback

    callbacks = Callback.objects.filter(satisfaction__isnull=False, called_at__gte=_start(start),
                                        called_at__lt=_start(end + dt.timedelta(days=1))) \
        .exclude(ticket__status=TicketStatus.CANCELLED)
    if objective.estate_id:
        callbacks = callbacks.filter(ticket__estate_id=objective.estate_id)
    n = callbacks.order_by().aggregate(rated=Count("pk"),
                                       satisfied=Count("pk", filter=Q(satisfaction__gte=SATISFIED_MIN)))
    return _rate(n["satisfied"], n["rated"]), {"numerator": n["satisfied"], "denominator": n["rated"], **n}


def _reopen_rate(objective, start, end):
    from wuye.tickets.choices import Step
    from wuye.tickets.models import TicketEvent

    events = TicketEvent.objects.filter(at__gte=_start(start), at__lt=_start(end + dt.timedelta(days=1)),
                                        step__in=(Step.RESOLVE, Step.REOPEN))
    if objective.estate_id:
        events = events.filter(ticket__estate_id=objective.estate_id)
    n = events.order_by().aggregate(resolved=Count("ticket", filter=Q(step=Step.RESOLVE), distinct=True),
                                    reopened=Count("ticket", filter=Q(step=Step.REOPEN), distinct=True))
    return _rate(n["reopened"], n["resolved"]), {"numerator": n["reopened"], "denominator": n["resolved"], **n}


def _survey_satisfaction(objective: QualityObjective, start: dt.date, end: dt.date) -> tuple[Decimal | None, dict]:
    from wuye.surveys.selectors.results import satisfaction_rate

    figures = satisfaction_rate(start, end, estate_ids=[objective.estate_id] if objective.estate_id else None)
    value = _rate(figures["satisfied"], figures["answered"])
    detail = {"source": "surveys", "numerator": figures["satisfied"], "denominator": figures["answered"],
              "campaigns": figures["campaigns"]}
    if value is None:
        detail["note"] = _("No survey answers in this period.")
    return value, detail


def latest_measurement(objective: QualityObjective, start: dt.date, end: dt.date) -> ObjectiveMeasurement | None:
    return (objective.measurements.filter(period_start__lte=end, period_end__gte=start)
            .order_by("-period_end", "-created_at", "-id").first())


def objective_actual(objective: QualityObjective, start: dt.date, end: dt.date) -> tuple[Decimal | None, dict]:
    """The actual value of ``objective`` for the period and how it was found (``detail``: ``source``, the counts
    or the measurement, ``note`` when there is no value)."""
    metric = objective.metric
    if metric == Metric.MANUAL:
        measurement = latest_measurement(objective, start, end)
        if measurement is None:
            return None, {"source": "manual", "note": _("No measurement recorded for this period.")}
        return measurement.value, {"source": "manual", "measurement": measurement.pk,
                                   "period_start": measurement.period_start, "period_end": measurement.period_end}
    if metric == Metric.SURVEY_SATISFACTION:
        return _survey_satisfaction(objective, start, end)
    if metric in (Metric.COMPLAINT_TIMELY, Metric.TICKET_TIMELY):
        value, detail = _timely(objective, start, end, complaints_only=metric == Metric.COMPLAINT_TIMELY)
    elif metric == Metric.CALLBACK_SATISFACTION:
        value, detail = _callback_satisfaction(objective, start, end)
    elif metric == Metric.REOPEN_RATE:
        value, detail = _reopen_rate(objective, start, end)
    else:  # pragma: no cover - a new metric must be added here
        raise ValueError(metric)
    detail["source"] = "tickets"
    if value is None:
        detail["note"] = _("Nothing to count in this period.")
    return value, detail


def objective_rows(objectives, start: dt.date, end: dt.date) -> list[dict]:
    """One row per objective: the objective, its actual value, whether it is met, the detail."""
    rows = []
    for objective in objectives:
        value, detail = objective_actual(objective, start, end)
        rows.append({"objective": objective, "actual": value, "met": objective.met(value), "detail": detail})
    return rows
