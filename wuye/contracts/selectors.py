"""Reads of the contracts app that span relations or aggregate: the register with its renewal links, its summary
figures, what needs the manager's attention."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Sum
from django.utils import timezone

from wuye.core.querysets import restrict

from .choices import IN_FORCE_STATUSES, LIVE_STATUSES, ContractStatus, RenewalState
from .models import Contract, RenewalTask


def register(user):
    """The contract register (合同清单, seed 2.13) the user may see."""
    return restrict(Contract.objects.all(), user, "view").select_related("estate", "owner", "renews")


def expiring_within(queryset, days: int, today: dt.date | None = None):
    """Signed contracts (not ended) whose last valid day is within ``days`` days from today."""
    today = today or timezone.localdate()
    return queryset.filter(status__in=LIVE_STATUSES, valid_to__gte=today,
                           valid_to__lte=today + dt.timedelta(days=days))


def summary(queryset, today: dt.date | None = None) -> dict:
    """The register's figures for ``queryset`` (the filtered register): contracts by status, how many are in
    force and their total amount, how many end within 30, 60 and 90 days. The database counts."""
    today = today or timezone.localdate()
    by_status = dict(queryset.order_by().values_list("status").annotate(n=Count("pk")))
    in_force = queryset.filter(status__in=IN_FORCE_STATUSES)
    figures = {
        "total": sum(by_status.values()),
        "by_status": [(status, label, by_status.get(status, 0)) for status, label in ContractStatus.choices],
        "in_force": in_force.count(),
        "in_force_amount": in_force.aggregate(s=Sum("amount"))["s"] or 0,
    }
    for days in (30, 60, 90):
        figures[f"within_{days}"] = expiring_within(queryset, days, today).count()
    return figures


def open_renewals(user):
    return (restrict(RenewalTask.objects.filter(state=RenewalState.OPEN), user, "view")
            .select_related("estate", "contract", "committee"))
