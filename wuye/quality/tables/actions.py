"""The corrective-action register (page and Excel)."""

from __future__ import annotations

import django_tables2 as tables
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from wuye.core.tables import BaseTable, ChoiceBadgeColumn

from ..models import CorrectiveAction

STATE_COLORS = {"draft": "secondary", "cause_analysis": "info", "action_plan": "info", "in_progress": "primary",
                "verification": "warning", "closed": "success", "cancelled": "light"}


class DueColumn(tables.Column):
    """The due date, red when overdue."""

    def render(self, record, value):
        text = f"{value:%Y-%m-%d}"
        if record.is_overdue(timezone.localdate()):
            return format_html('<span class="text-danger fw-semibold ca-overdue">{}</span>', text)
        return text

    def value(self, value):
        return value


class CorrectiveActionTable(BaseTable):
    number = tables.Column(linkify=True, attrs={"td": {"class": "text-nowrap"}})
    title = tables.Column()
    source = tables.Column()
    grade = tables.Column()
    estate = tables.Column(accessor="estate__name", verbose_name=_("estate"))
    department = tables.Column(accessor="department__name", verbose_name=_("responsible department"))
    owner = tables.Column(accessor="owner__name", verbose_name=_("action owner"))
    due_on = DueColumn()
    state = ChoiceBadgeColumn(colors=STATE_COLORS)
    raised_on = tables.DateColumn(format="Y-m-d")

    class Meta(BaseTable.Meta):
        model = CorrectiveAction
        fields = ("number", "raised_on", "title", "source", "source_reference", "grade", "estate", "department",
                  "state", "owner", "due_on", "completed_on", "verified_on", "effectiveness", "closed_on",
                  "cancel_reason")
        default_columns = ("number", "raised_on", "title", "source", "estate", "department", "owner", "due_on",
                           "state")
