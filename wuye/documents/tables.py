"""Tables of the document lists (pages and Excel exports)."""

from __future__ import annotations

from types import SimpleNamespace

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from wuye.core.tables import BaseTable, ChoiceBadgeColumn

from .choices import Confidentiality, DocumentStatus
from .models import ArchiveRequirement, Document, DocumentCategory, Handover, Loan, Location, Regulation, Revision

STATUS_COLORS = {"draft": "secondary", "current": "success", "obsolete": "danger"}
CONFIDENTIALITY_COLORS = {"public": "light", "internal": "info", "secret": "warning", "confidential": "danger"}


class DocumentTable(BaseTable):
    code = tables.Column(linkify=True, attrs={"td": {"class": "text-nowrap"}})
    title = tables.Column()
    category = tables.Column(accessor="category__path", verbose_name=_("category"))
    status = ChoiceBadgeColumn(colors=STATUS_COLORS)
    confidentiality = ChoiceBadgeColumn(colors=CONFIDENTIALITY_COLORS)
    revision = tables.Column(accessor="current_revision__mark", verbose_name=_("revision"), orderable=False)
    custodian = tables.Column(accessor="custodian__name", verbose_name=_("custodian"))
    location = tables.Column(verbose_name=_("paper original at"))

    class Meta(BaseTable.Meta):
        model = Document
        fields = ("code", "title", "category", "status", "confidentiality", "revision", "custodian", "location",
                  "department", "estate", "review_by", "retention_years", "obsoleted_at")
        default_columns = ("code", "title", "category", "status", "confidentiality", "revision", "custodian",
                           "location")
        row_attrs = {"class": lambda record: "text-muted" if record.status == "obsolete" else ""}

    def render_status(self, value, record):
        color = STATUS_COLORS.get(record.status, "secondary")
        if record.status == "obsolete":
            return format_html('<span class="badge text-bg-danger obsolete-mark">作废 · {}</span>', value)
        return format_html('<span class="badge text-bg-{}">{}</span>', color, value)

    # the register's rows rendered by the table itself (``BaseTable.fast_row``; test_tables compares them)
    fast_columns = ("code", "title", "category", "status", "confidentiality", "revision", "custodian", "location")

    def fast_row_class(self, record):
        return "text-muted" if record.status == "obsolete" else ""

    def _fast_parts(self):
        try:
            return self._fast_cache
        except AttributeError:
            pass
        statuses = {value: self.render_status(label, SimpleNamespace(status=value))
                    for value, label in DocumentStatus.choices}
        levels = {value: format_html('<span class="badge text-bg-{}">{}</span>',
                                     CONFIDENTIALITY_COLORS.get(value, "secondary"), label)
                  for value, label in Confidentiality.choices}
        self._fast_cache = (statuses, levels)
        return self._fast_cache

    def fast_row(self, record):
        statuses, levels = self._fast_parts()
        dash = "—"
        return [
            ("text-nowrap", format_html('<a href="{}">{}</a>', record.get_absolute_url(), record.code)),
            ("", record.title),
            ("", record.category.path),
            ("", statuses.get(record.status) or record.status),
            ("", levels.get(record.confidentiality) or record.confidentiality),
            ("", record.current_revision.mark if record.current_revision_id else dash),
            ("", record.custodian.name if record.custodian_id else dash),
            ("", str(record.location) if record.location_id else dash),
        ]


class DocumentCategoryTable(BaseTable):
    path = tables.Column(linkify=True, verbose_name=_("category"))

    class Meta(BaseTable.Meta):
        model = DocumentCategory
        fields = ("path", "prefix", "pattern", "next_number", "default_confidentiality", "retention_years",
                  "archive_type", "is_active")


class LocationTable(BaseTable):
    room = tables.Column(linkify=True)

    class Meta(BaseTable.Meta):
        model = Location
        fields = ("room", "cabinet", "shelf", "box", "notes", "is_active")


class LoanTable(BaseTable):
    document = tables.Column(accessor="document__code", linkify=lambda record: record.get_absolute_url(),
                             verbose_name=_("document"))
    title = tables.Column(accessor="document__title", verbose_name=_("title"))
    borrower = tables.Column()
    state = tables.Column(empty_values=(), orderable=False)

    class Meta(BaseTable.Meta):
        model = Loan
        fields = ("document", "title", "borrower", "medium", "starts_at", "ends_at", "state", "purpose")

    def render_state(self, record):
        return record.display_state()

    def value_state(self, record):
        return record.display_state()


class RegulationTable(BaseTable):
    title = tables.Column(linkify=True)

    class Meta(BaseTable.Meta):
        model = Regulation
        fields = ("title", "number", "authority", "level", "effective_on", "status", "last_reviewed_on")
        row_attrs = {"class": lambda record: "text-muted" if record.is_repealed else ""}


class WithdrawnRevisionTable(BaseTable):
    """The withdrawal register's revisions: superseded or obsolete, kept and marked 作废."""

    document = tables.Column(accessor="document__code", verbose_name=_("code"),
                             linkify=lambda record: record.document.get_absolute_url())
    title = tables.Column(accessor="document__title", verbose_name=_("title"))
    mark = tables.Column()
    state = tables.Column()
    issued_at = tables.DateTimeColumn(format="Y-m-d")
    superseded_at = tables.DateTimeColumn(format="Y-m-d")
    reason = tables.Column(accessor="document__obsolete_reason", verbose_name=_("reason for withdrawal"),
                           orderable=False)

    class Meta(BaseTable.Meta):
        model = Revision
        fields = ("document", "title", "mark", "state", "issued_at", "superseded_at", "reason")

    def render_state(self, value, record):
        return format_html('<span class="badge text-bg-danger obsolete-mark">作废 · {}</span>', value)


class HandoverTable(BaseTable):
    id = tables.Column(linkify=True, verbose_name=_("number"))
    from_staff = tables.Column(accessor="from_staff__name", verbose_name=_("handed over by"))
    to_staff = tables.Column(accessor="to_staff__name", verbose_name=_("received by"))

    class Meta(BaseTable.Meta):
        model = Handover
        fields = ("id", "from_staff", "to_staff", "reason", "state", "created_at", "sent_at", "completed_at")


class ArchiveRequirementTable(BaseTable):
    category = tables.Column(linkify=lambda record: reverse("documents:archiverequirement_edit", args=[record.pk]),
                             accessor="category__path", verbose_name=_("document category"))

    class Meta(BaseTable.Meta):
        model = ArchiveRequirement
        fields = ("archive_type", "category", "sort_order", "is_active")
        sequence = ("archive_type", "category", "sort_order", "is_active")
