"""Reads of corrective actions: the overdue ones, a user's own, the counts by state (for panels and reviews)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from wuye.core.querysets import restrict

from ..choices import DUE_ACTION_STATES, OPEN_ACTION_STATES
from ..models import CorrectiveAction
from ..services.common import staff_of


def overdue_condition(today: dt.date | None = None) -> Q:
    """Past the due date while the work is not done (action plan or in progress); due today is not overdue."""
    return Q(state__in=DUE_ACTION_STATES, due_on__lt=today or timezone.localdate())


def overdue(queryset: QuerySet | None = None, today: dt.date | None = None) -> QuerySet:
    queryset = CorrectiveAction.objects.all() if queryset is None else queryset
    return queryset.filter(overdue_condition(today))


def register(user) -> QuerySet:
    """The corrective actions ``user`` may see."""
    return restrict(CorrectiveAction.objects.select_related("estate", "department", "owner"), user, "view")


def owned_by(user) -> QuerySet:
    """The open actions whose owner is ``user``'s staff record, the earliest due first."""
    staff = staff_of(user)
    if staff is None:
        return CorrectiveAction.objects.none()
    return (register(user).filter(owner=staff, state__in=OPEN_ACTION_STATES)
            .order_by("due_on", "number"))


def counts_by_state(queryset: QuerySet) -> dict[str, int]:
    """{state: count} of ``queryset`` (one query)."""
    return dict(queryset.order_by().values_list("state").annotate(n=Count("pk")).values_list("state", "n"))


def status_summary(start: dt.date, end: dt.date, today: dt.date | None = None) -> dict:
    """The corrective-action figures of a period (raised in it), e.g. for a management review's inputs: raised,
    by state, closed effective, open, overdue now."""
    period = CorrectiveAction.objects.filter(raised_on__gte=start, raised_on__lte=end)
    figures = period.aggregate(
        raised=Count("pk"),
        open=Count("pk", filter=Q(state__in=OPEN_ACTION_STATES)),
        closed=Count("pk", filter=Q(state="closed")),
        cancelled=Count("pk", filter=Q(state="cancelled")),
        overdue=Count("pk", filter=overdue_condition(today)),
    )
    figures["by_state"] = counts_by_state(period)
    return figures
