"""Tables of the audits lists (pages and Excel)."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from wuye.core.tables import BaseTable, ChoiceBadgeColumn

from ..models import Audit, AuditProgramme, ChecklistTemplate, Finding, FindingLimit

AUDIT_STATUS_COLORS = {"planned": "secondary", "in_progress": "info", "reported": "primary", "closed": "success",
                       "cancelled": "light"}
GRADE_COLORS = {"observation": "info", "minor": "warning", "major": "danger"}


class AuditProgrammeTable(BaseTable):
    year = tables.Column(linkify=True)
    title = tables.Column(linkify=True)
    status = ChoiceBadgeColumn(colors={"draft": "secondary", "approved": "success"})
    audit_count = tables.Column(verbose_name=_("audits"), orderable=True)

    class Meta(BaseTable.Meta):
        model = AuditProgramme
        fields = ("year", "title", "status", "approved_by", "approved_on", "audit_count")
        default_columns = fields


class AuditTable(BaseTable):
    number = tables.Column(linkify=True, attrs={"td": {"class": "text-nowrap"}})
    title = tables.Column(linkify=True)
    status = ChoiceBadgeColumn(colors=AUDIT_STATUS_COLORS)
    planned_start = tables.DateColumn(format="Y-m-d")
    planned_end = tables.DateColumn(format="Y-m-d")
    lead_auditor = tables.Column(accessor="lead_auditor__name", verbose_name=_("lead auditor"))
    estate_names = tables.Column(verbose_name=_("estates"), accessor="pk", orderable=False)
    finding_count = tables.Column(verbose_name=_("findings"), orderable=True)

    class Meta(BaseTable.Meta):
        model = Audit
        fields = ("number", "title", "kind", "certification_body", "programme", "estate_names", "lead_auditor",
                  "planned_start", "planned_end", "started_on", "reported_on", "closed_on", "status",
                  "finding_count", "cancel_reason")
        default_columns = ("number", "title", "kind", "estate_names", "lead_auditor", "planned_start",
                           "planned_end", "status", "finding_count")

    def render_estate_names(self, record):
        return "、".join(e.name for e in record.estates.all()) or "—"

    def value_estate_names(self, record):
        return "、".join(e.name for e in record.estates.all())


class FindingTable(BaseTable):
    reference = tables.Column(verbose_name=_("number"), accessor="pk", linkify=lambda record: record.get_absolute_url(),
                              order_by=("audit__number", "number"))
    audit = tables.Column(linkify=True, accessor="audit__number", verbose_name=_("audit"))
    grade = ChoiceBadgeColumn(colors=GRADE_COLORS)
    clause = tables.Column(accessor="clause__number", verbose_name=_("clause"))
    estate = tables.Column(accessor="estate__name", verbose_name=_("estate"))
    department = tables.Column(accessor="department__name", verbose_name=_("department"))
    found_on = tables.DateColumn(format="Y-m-d")
    corrective_action = tables.Column(accessor="corrective_action__number", verbose_name=_("corrective action"),
                                      default="—")

    class Meta(BaseTable.Meta):
        model = Finding
        fields = ("reference", "audit", "grade", "clause", "statement", "evidence", "estate", "department",
                  "found_on", "corrective_action")
        default_columns = ("reference", "grade", "clause", "statement", "estate", "found_on", "corrective_action")

    def render_reference(self, record):
        return record.reference

    def value_reference(self, record):
        return record.reference


class ChecklistTemplateTable(BaseTable):
    name = tables.Column(linkify=True)
    question_count = tables.Column(verbose_name=_("questions"))

    class Meta(BaseTable.Meta):
        model = ChecklistTemplate
        fields = ("name", "description", "question_count", "is_active")
        default_columns = fields


class FindingLimitTable(BaseTable):
    year = tables.Column(linkify=lambda record: record.get_absolute_url())

    class Meta(BaseTable.Meta):
        model = FindingLimit
        fields = ("year", "limit", "note", "updated_by", "updated_at")
        default_columns = ("year", "limit", "note")
