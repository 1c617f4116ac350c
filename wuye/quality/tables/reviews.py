"""Tables of the management review lists (pages and Excel)."""

from __future__ import annotations

import django_tables2 as tables
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from wuye.core.tables import BaseTable, ChoiceBadgeColumn

from ..models import ActionItem, ManagementReview

REVIEW_COLORS = {"planned": "info", "held": "primary", "closed": "success", "cancelled": "secondary"}
ITEM_COLORS = {"open": "warning", "done": "success", "cancelled": "secondary"}


class ManagementReviewTable(BaseTable):
    number = tables.Column(linkify=True, attrs={"td": {"class": "text-nowrap"}})
    period_start = tables.DateColumn(format="Y-m-d")
    period_end = tables.DateColumn(format="Y-m-d")
    planned_on = tables.DateColumn(format="Y-m-d")
    held_on = tables.DateColumn(format="Y-m-d")
    chair = tables.Column(accessor="chair__name", verbose_name=_("chair"))
    status = ChoiceBadgeColumn(colors=REVIEW_COLORS)

    class Meta(BaseTable.Meta):
        model = ManagementReview
        fields = ("number", "title", "period_start", "period_end", "planned_on", "held_on", "chair", "status",
                  "conclusion", "cancel_reason")
        default_columns = ("number", "title", "period_start", "period_end", "planned_on", "held_on", "chair",
                           "status")


class ActionItemTable(BaseTable):
    text = tables.Column()
    source = tables.Column(verbose_name=_("from"), accessor="pk", orderable=False)
    kind = tables.Column()
    owner = tables.Column(accessor="owner__name", verbose_name=_("owner"))
    due_on = tables.DateColumn(format="Y-m-d")
    status = ChoiceBadgeColumn(colors=ITEM_COLORS)
    done_on = tables.DateColumn(format="Y-m-d")
    steps = tables.Column(verbose_name="", accessor="pk", orderable=False, exclude_from_export=True)

    class Meta(BaseTable.Meta):
        model = ActionItem
        fields = ("text", "source", "kind", "owner", "due_on", "status", "done_on", "result")
        default_columns = ("text", "source", "kind", "owner", "due_on", "status", "done_on", "steps")
        exclude_from_export = ("steps",)

    def render_steps(self, record):
        from ..services.reviews import action_item_may_complete

        user = getattr(self.request, "user", None)
        if record.status != "open" or user is None or not action_item_may_complete(user, record):
            return ""
        return format_html('<a class="btn btn-sm btn-outline-success action-complete" href="{}">{}</a>',
                           reverse("quality:actionitem_step", args=[record.pk, "complete"]), _("Mark as done"))

    def _may_open_parent(self, record) -> bool:
        """An agent owns items of reviews they may not open: the text and number then stay plain."""
        user = getattr(self.request, "user", None)
        parent = record.parent
        return user is not None and user.has_perm(f"quality.view_{parent._meta.model_name}")

    def render_text(self, record, value):
        if self._may_open_parent(record):
            return format_html('<a href="{}">{}</a>', record.get_absolute_url(), value)
        return value

    def render_source(self, record):
        parent = record.parent
        if not self._may_open_parent(record):
            return parent.number
        return format_html('<a href="{}">{}</a>', parent.get_absolute_url(), parent.number)

    def value_source(self, record):
        return record.parent.number

    def render_due_on(self, record, value):
        if record.is_overdue(timezone.localdate()):
            return format_html('<span class="text-danger action-overdue">{}</span>', f"{value:%Y-%m-%d}")
        return f"{value:%Y-%m-%d}"
