"""Tables of the training lists (pages and Excel)."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from wuye.core.tables import BaseTable, ChoiceBadgeColumn

from .models import Attendance, TrainingPlan, TrainingSession

PLAN_COLORS = {"draft": "secondary", "approved": "success", "closed": "dark"}
SESSION_COLORS = {"planned": "info", "held": "success", "cancelled": "secondary"}


class TrainingPlanTable(BaseTable):
    year = tables.Column(linkify=True)
    title = tables.Column(linkify=True)
    department = tables.Column(accessor="department__name", verbose_name=_("department"))
    status = ChoiceBadgeColumn(colors=PLAN_COLORS)

    class Meta(BaseTable.Meta):
        model = TrainingPlan
        fields = ("year", "title", "department", "status", "approved_by", "approved_at", "closed_at", "notes")
        default_columns = ("year", "title", "department", "status", "approved_at")


class TrainingSessionTable(BaseTable):
    date = tables.DateColumn(format="Y-m-d", linkify=True)
    topic = tables.Column(linkify=True)
    department = tables.Column(accessor="department__name", verbose_name=_("department"))
    plan_item = tables.Column(accessor="plan_item__plan__title", verbose_name=_("training plan"), default="—")
    trainer = tables.Column(accessor="trainer_name", verbose_name=_("trainer"), orderable=False)
    status = ChoiceBadgeColumn(colors=SESSION_COLORS)

    class Meta(BaseTable.Meta):
        model = TrainingSession
        fields = ("date", "start_time", "end_time", "topic", "department", "plan_item", "hours", "trainer", "place",
                  "status", "cancel_reason", "recorded_at")
        default_columns = ("date", "topic", "plan_item", "hours", "trainer", "place", "status")


class AttendanceTable(BaseTable):
    date = tables.DateColumn(accessor="session__date", format="Y-m-d", verbose_name=_("date"))
    session = tables.Column(accessor="session__topic", verbose_name=_("topic"),
                            linkify=lambda record: record.session.get_absolute_url())
    staff = tables.Column(accessor="staff__name", verbose_name=_("staff member"))
    post = tables.Column(accessor="staff__post__name", verbose_name=_("post"))
    hours = tables.Column(accessor="session__hours", verbose_name=_("hours"))
    attended = tables.BooleanColumn()

    class Meta(BaseTable.Meta):
        model = Attendance
        fields = ("date", "session", "staff", "post", "hours", "attended", "score", "comment")
        default_columns = fields
