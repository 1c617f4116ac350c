"""Reads of meetings and submissions that span relations: a meeting's action items with their overdue flag, the
open action-item count per meeting for the list."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from ..choices import ActionItemStatus
from ..models import ActionItem, Meeting


def with_open_actions(queryset: QuerySet[Meeting]) -> QuerySet[Meeting]:
    return queryset.annotate(open_actions=Count("actions", filter=Q(actions__status=ActionItemStatus.OPEN)))


def meeting_actions(meeting: Meeting, today=None) -> list[ActionItem]:
    """The meeting's action items, open first, each with ``overdue`` set."""
    today = today or timezone.localdate()
    items = list(ActionItem.objects.filter(meeting=meeting).select_related("owner").order_by("due_on", "id"))
    for item in items:
        item.overdue = item.is_overdue(today)
    return sorted(items, key=lambda item: item.status != ActionItemStatus.OPEN)
