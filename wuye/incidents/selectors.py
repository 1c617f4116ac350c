"""Reads of the incidents app: the figures of a period (for the 客户服务意外事故报告 and the report centre) and the
incidents of a period a user may see. The database does the counting."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils import timezone

from .choices import OPEN_STATUSES, IncidentStatus, Severity
from .models import Incident, IncidentKind

OPEN_DAYS = 30


def period_bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """[start 00:00, the day after end 00:00) in the installation's time zone."""
    tz = timezone.get_current_timezone()
    begin = dt.datetime.combine(start, dt.time.min, tzinfo=tz)
    finish = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    return begin, finish


def in_period(queryset, start: dt.date, end: dt.date):
    begin, finish = period_bounds(start, end)
    return queryset.filter(occurred_at__gte=begin, occurred_at__lt=finish)


def incidents_in_period(start: dt.date, end: dt.date, user):
    """The incidents that occurred from ``start`` to ``end`` (both included) that ``user`` may see, oldest first."""
    return (in_period(Incident.objects.restrict(user, "view"), start, end)
            .select_related("estate", "kind", "reported_by", "investigator", "reviewer", "corrective_action")
            .order_by("occurred_at", "id"))


def incident_figures(start: dt.date, end: dt.date, estate_ids=None, *, queryset=None, now=None) -> dict:
    """The figures of the incidents that occurred from ``start`` to ``end`` (both included), of the estates
    ``estate_ids`` (None: all; ``queryset`` narrows further, e.g. to what a user may see):

    - ``total``: incidents not withdrawn; ``withdrawn``: withdrawn reports (not counted anywhere else);
    - ``by_kind``: [{"kind_id", "code", "name", "count"}] of every kind in use or counted, in the kinds' order;
    - ``by_severity``: {severity: count} of every severity; ``by_status``: {status: count} of every status;
    - ``with_injuries``: incidents where someone was injured; ``injured``: people injured;
    - ``losses``: the sum of the estimated losses (Decimal, 0 without any);
    - ``open``: not closed (reviewed or earlier) now; ``open_over_30``: of those, reported more than 30 days ago;
    - ``with_action``: incidents with a corrective action.
    """
    now = now or timezone.now()
    base = Incident.objects.all() if queryset is None else queryset
    base = in_period(base, start, end)
    if estate_ids is not None:
        base = base.filter(estate_id__in=list(estate_ids))
    by_status = dict.fromkeys(IncidentStatus.values, 0)
    for row in base.order_by().values("status").annotate(n=Count("id")):
        by_status[row["status"]] = row["n"]
    counted = base.exclude(status=IncidentStatus.WITHDRAWN)
    by_severity = dict.fromkeys(Severity.values, 0)
    for row in counted.order_by().values("severity").annotate(n=Count("id")):
        by_severity[row["severity"]] = row["n"]
    kind_counts = dict(counted.order_by().values_list("kind_id").annotate(n=Count("id")))
    kinds = IncidentKind.objects.filter(Q(is_active=True) | Q(pk__in=list(kind_counts))).order_by("sort_order",
                                                                                                   "id")
    by_kind = [{"kind_id": k.pk, "code": k.code, "name": k.name, "count": kind_counts.get(k.pk, 0)} for k in kinds]
    open_q = Q(status__in=OPEN_STATUSES)
    totals = counted.aggregate(
        total=Count("id"),
        with_injuries=Count("id", filter=Q(injured_count__gt=0)),
        injured=Sum("injured_count"),
        losses=Sum("loss_amount"),
        open=Count("id", filter=open_q),
        open_over_30=Count("id", filter=open_q & Q(reported_at__lt=now - dt.timedelta(days=OPEN_DAYS))),
        with_action=Count("id", filter=Q(corrective_action__isnull=False)),
    )
    return {
        "start": start, "end": end,
        "total": totals["total"],
        "withdrawn": by_status[IncidentStatus.WITHDRAWN],
        "by_kind": by_kind,
        "by_severity": by_severity,
        "by_status": by_status,
        "with_injuries": totals["with_injuries"],
        "injured": totals["injured"] or 0,
        "losses": totals["losses"] if totals["losses"] is not None else Decimal("0.00"),
        "open": totals["open"],
        "open_over_30": totals["open_over_30"],
        "with_action": totals["with_action"],
    }


def estate_open_incidents(estate, user, limit: int = 20):
    """The estate's incidents not yet closed (nor withdrawn) that ``user`` may see, newest first."""
    return (Incident.objects.restrict(user, "view").filter(estate=estate, status__in=OPEN_STATUSES)
            .select_related("kind").order_by("-occurred_at", "-id")[:limit])
