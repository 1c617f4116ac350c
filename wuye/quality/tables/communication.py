"""Tables of the meeting and submission lists (pages and Excel)."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from wuye.core.tables import BaseTable, ChoiceBadgeColumn

from ..models import Meeting, Submission

MEETING_COLORS = {"planned": "info", "held": "success", "cancelled": "secondary"}
SUBMISSION_COLORS = {"submitted": "warning", "assigned": "info", "replied": "primary", "closed": "secondary"}


class MeetingTable(BaseTable):
    number = tables.Column(linkify=True, attrs={"td": {"class": "text-nowrap"}})
    title = tables.Column(linkify=True)
    starts_at = tables.DateTimeColumn(format="Y-m-d H:i")
    department = tables.Column(accessor="department__name", verbose_name=_("department"))
    chair = tables.Column(accessor="chair__name", verbose_name=_("chair"))
    status = ChoiceBadgeColumn(colors=MEETING_COLORS)
    open_actions = tables.Column(verbose_name=_("open action items"), orderable=False, empty_values=())

    class Meta(BaseTable.Meta):
        model = Meeting
        fields = ("number", "kind", "title", "starts_at", "location", "department", "chair", "status",
                  "open_actions", "agenda", "minutes", "decisions", "cancel_reason")
        default_columns = ("number", "kind", "title", "starts_at", "location", "department", "chair", "status",
                           "open_actions")

    def render_open_actions(self, value):
        return value or "—"

    def value_open_actions(self, value):
        return value or 0


class SubmissionTable(BaseTable):
    number = tables.Column(linkify=True, attrs={"td": {"class": "text-nowrap"}})
    subject = tables.Column(linkify=True)
    estate = tables.Column(accessor="estate__name", verbose_name=_("estate"))
    assignee = tables.Column(accessor="assignee", verbose_name=_("handled by"))
    state = ChoiceBadgeColumn(colors=SUBMISSION_COLORS)
    confidential = tables.BooleanColumn()
    created_at = tables.DateTimeColumn(format="Y-m-d H:i", verbose_name=_("filed at"))

    class Meta(BaseTable.Meta):
        model = Submission
        fields = ("number", "kind", "subject", "submitter_kind", "submitter_name", "estate", "confidential",
                  "state", "assignee", "created_at", "replied_at", "closed_at", "reply")
        default_columns = ("number", "kind", "subject", "submitter_kind", "submitter_name", "estate",
                           "confidential", "state", "assignee", "created_at")

    def render_assignee(self, value):
        return value.get_full_name() or value.username

    def value_assignee(self, value):
        return (value.get_full_name() or value.username) if value else ""

    def render_confidential(self, value):
        return format_html('<i class="bi bi-lock-fill text-danger" title="{}"></i>', _("confidential")) if value \
            else ""
