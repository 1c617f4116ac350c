"""Filters of the audits lists; the same classes drive the pages' filter forms and the API's parameters."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from wuye.core.filtersets import BaseFilterSet
from wuye.estates.models import Estate
from wuye.org.models import Department

from ..choices import AuditKind, AuditStatus, FindingGrade, ProgrammeStatus
from ..models import Audit, AuditProgramme, ChecklistTemplate, Finding, FindingLimit, IsoClause


class AuditProgrammeFilterSet(BaseFilterSet):
    status = django_filters.ChoiceFilter(choices=ProgrammeStatus.choices, label=_("status"))

    class Meta:
        model = AuditProgramme
        fields = ["year", "status"]


class AuditFilterSet(BaseFilterSet):
    """``year``: the year of the planned start; ``estate`` / ``department``: audits covering it."""

    search_fields = ("number", "title", "scope", "certification_body")
    kind = django_filters.ChoiceFilter(choices=AuditKind.choices, label=_("kind"))
    status = django_filters.MultipleChoiceFilter(choices=AuditStatus.choices, label=_("status"))
    year = django_filters.NumberFilter(field_name="planned_start__year", label=_("year"))
    estate = django_filters.ModelChoiceFilter(field_name="estates", queryset=Estate.objects.all(), label=_("estate"),
                                              distinct=True)
    department = django_filters.ModelChoiceFilter(field_name="departments", queryset=Department.objects.all(),
                                                  label=_("department"), distinct=True)

    class Meta:
        model = Audit
        fields = ["q", "programme", "kind", "status", "year", "estate", "department", "lead_auditor"]


class FindingFilterSet(BaseFilterSet):
    grade = django_filters.MultipleChoiceFilter(choices=FindingGrade.choices, label=_("grade"))
    kind = django_filters.ChoiceFilter(field_name="audit__kind", choices=AuditKind.choices, label=_("audit kind"))
    year = django_filters.NumberFilter(field_name="found_on__year", label=_("year"))
    clause = django_filters.ModelChoiceFilter(queryset=IsoClause.objects.all(), label=_("clause"))
    without_action = django_filters.BooleanFilter(field_name="corrective_action", lookup_expr="isnull",
                                                  label=_("without corrective action"))

    class Meta:
        model = Finding
        fields = ["audit", "grade", "kind", "year", "estate", "department", "clause", "without_action"]


class ChecklistTemplateFilterSet(BaseFilterSet):
    search_fields = ("name", "description")

    class Meta:
        model = ChecklistTemplate
        fields = ["is_active"]


class FindingLimitFilterSet(BaseFilterSet):
    class Meta:
        model = FindingLimit
        fields = ["year"]
