"""Tables of the ticket lists (pages and Excel exports). The contact phone is always masked here."""

from __future__ import annotations

from types import SimpleNamespace

import django_tables2 as tables
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from wuye.core.tables import BaseTable, ChoiceBadgeColumn, MaskedColumn

from .filtersets import category_label
from .models import ServiceLevel, Ticket, TicketCategory

STATUS_COLORS = {"submitted": "info", "accepted": "primary", "assigned": "primary", "in_progress": "warning",
                 "resolved": "success", "called_back": "success", "closed": "secondary", "reopened": "danger",
                 "cancelled": "light"}
KIND_ICONS = {"repair": "tools", "complaint": "megaphone", "consultation": "question-circle",
              "suggestion": "lightbulb", "praise": "hand-thumbs-up"}


NOWRAP = {"td": {"class": "text-nowrap"}}


class TicketTable(BaseTable):
    number = tables.Column(linkify=True, attrs=NOWRAP)
    kind = tables.Column()
    priority = tables.Column()
    title = tables.Column(attrs={"td": {"class": "ticket-title"}})
    unit = tables.Column(accessor="unit__code", verbose_name=_("unit"), attrs=NOWRAP)
    status = ChoiceBadgeColumn(colors=STATUS_COLORS)
    assignee = tables.Column(accessor="assignee__name", verbose_name=_("handler"))
    reported_at = tables.DateTimeColumn(format="Y-m-d H:i", attrs=NOWRAP)
    resolution_due = tables.DateTimeColumn(format="Y-m-d H:i", attrs=NOWRAP)
    contact_phone = MaskedColumn()
    category = tables.Column(accessor="category__path", verbose_name=_("category"))
    department = tables.Column(accessor="department__name", verbose_name=_("handling department"))

    class Meta(BaseTable.Meta):
        model = Ticket
        fields = ("number", "kind", "priority", "title", "estate", "unit", "status", "assignee", "reported_at",
                  "resolution_due", "channel", "category", "location", "contact_name", "contact_phone",
                  "department", "is_overdue", "flagged", "satisfaction", "resolved_at", "closed_at")
        sequence = ("number", "kind", "priority", "title", "estate", "unit", "status", "assignee", "reported_at",
                    "resolution_due", "...")
        default_columns = ("number", "kind", "priority", "title", "estate", "unit", "status", "assignee",
                           "reported_at", "resolution_due")
        row_attrs = {"class": lambda record: "table-danger" if getattr(record, "queue_rank", 0) == 2 else ""}

    fast_columns = ("number", "kind", "priority", "title", "estate", "unit", "status", "assignee", "reported_at",
                    "resolution_due")

    def fast_row_class(self, record):
        return "table-danger" if getattr(record, "queue_rank", 0) == 2 else ""

    def _fast_parts(self):
        """What every row repeats, worked out once per table: labels in the user's language, the link pattern."""
        try:
            return self._fast_cache
        except AttributeError:
            pass
        from .choices import Priority, TicketKind, TicketStatus

        marker = 987654321
        url = reverse("tickets:ticket", args=[marker]).split(str(marker))
        kinds = {value: format_html('<span class="text-nowrap"><i class="bi bi-{}"></i> {}</span>',
                                    KIND_ICONS.get(value, "dot"), label) for value, label in TicketKind.choices}
        priorities = {value: self.render_priority(label, SimpleNamespace(priority=value))
                      for value, label in Priority.choices}
        statuses = {value: format_html('<span class="badge text-bg-{}">{}</span>',
                                       STATUS_COLORS.get(value, "secondary"), label)
                    for value, label in TicketStatus.choices}
        self._fast_cache = (url, kinds, priorities, statuses, timezone.get_current_timezone(), timezone.now(),
                            str(_("Overdue")))
        return self._fast_cache

    def fast_row(self, record):
        """The default columns of the queue, as django-tables2 renders them (``test_tables`` compares)."""
        url, kinds, priorities, statuses, zone, now, overdue = self._fast_parts()
        dash = "—"
        due = record.resolution_due
        if due is None:
            due_html = dash
        else:
            due_html = due.astimezone(zone).strftime("%Y-%m-%d %H:%M")
            if record.is_open and (record.is_overdue or due < now):
                due_html = format_html('<span class="text-danger fw-semibold overdue-mark" title="{}">'
                                       '<i class="bi bi-alarm"></i> {}</span>', overdue, due_html)
        number = escape(record.number)
        return [
            ("text-nowrap", mark_safe(f'<a href="{url[0]}{record.pk}{url[1]}">{number}</a>')),  # noqa: S308  # nosec
            ("", kinds.get(record.kind) or record.kind),
            ("", priorities.get(record.priority) or record.priority),
            ("ticket-title", record.title or dash),
            ("", record.estate.name if record.estate_id else dash),
            ("text-nowrap", record.unit.code if record.unit_id else dash),
            ("", statuses.get(record.status) or record.status),
            ("", record.assignee.name if record.assignee_id else dash),
            ("text-nowrap", record.reported_at.astimezone(zone).strftime("%Y-%m-%d %H:%M")),
            ("text-nowrap", due_html),
        ]

    def render_resolution_due(self, value, record):
        text = date_format(timezone.localtime(value), "Y-m-d H:i")
        if record.is_open and (record.is_overdue or value < timezone.now()):
            return format_html('<span class="text-danger fw-semibold overdue-mark" title="{}">'
                               '<i class="bi bi-alarm"></i> {}</span>', _("Overdue"), text)
        return text

    def value_resolution_due(self, value):
        return value

    def render_priority(self, value, record):
        if record.priority == "urgent":
            return format_html('<span class="badge text-bg-danger"><i class="bi bi-lightning-fill"></i> {}</span>',
                               value)
        return format_html('<span class="text-muted small">{}</span>', value)

    def value_priority(self, value):
        return value

    def render_kind(self, value, record):
        return format_html('<span class="text-nowrap"><i class="bi bi-{}"></i> {}</span>',
                           KIND_ICONS.get(record.kind, "dot"), value)


class TicketCategoryTable(BaseTable):
    name = tables.Column(linkify=True, verbose_name=_("category"), order_by=("path",))
    kinds = tables.Column(orderable=False)
    department = tables.Column()
    is_active = tables.BooleanColumn()

    class Meta(BaseTable.Meta):
        model = TicketCategory
        fields = ("name", "path", "kinds", "department", "sort_order", "is_active")
        default_columns = ("name", "kinds", "department", "sort_order", "is_active")
        row_attrs = {"class": lambda record: "" if record.is_active else "text-muted"}

    def render_name(self, value, record):
        depth = (record.path or "").count("/")
        return format_html('<span style="padding-left:{}rem">{}</span>', depth * 1.5,
                           category_label(record).strip())

    def value_name(self, record):
        return record.path

    def render_kinds(self, value, record):
        return self.value_kinds(record)

    def value_kinds(self, record):
        from .choices import TicketKind

        if not record.kinds:
            return _("all kinds")
        return "、".join(str(TicketKind(k).label) for k in record.kinds if k in TicketKind.values)


class ServiceLevelTable(BaseTable):
    kind = tables.Column(linkify=lambda record: record.get_absolute_url())
    response = tables.Column(accessor="pk", verbose_name=_("response within"), orderable=False)
    onsite = tables.Column(accessor="pk", verbose_name=_("on site within"), orderable=False)
    resolution = tables.Column(accessor="pk", verbose_name=_("resolved within"), orderable=False)

    class Meta(BaseTable.Meta):
        model = ServiceLevel
        fields = ("kind", "priority", "callback_required")
        sequence = ("kind", "priority", "response", "onsite", "resolution", "callback_required")

    def render_response(self, record):
        return record.describe("response")

    def render_onsite(self, record):
        return record.describe("onsite")

    def render_resolution(self, record):
        return record.describe("resolution")

    value_response = render_response
    value_onsite = render_onsite
    value_resolution = render_resolution
