"""Filters of the incident lists; the same classes drive the pages' filter forms and the API's parameters."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from wuye.core.filtersets import BaseFilterSet

from .choices import OPEN_STATUSES, IncidentStatus, Severity
from .models import Incident, IncidentKind


class IncidentFilterSet(BaseFilterSet):
    """``q`` searches number, title, place and description; ``occurred_after`` / ``occurred_before`` are dates
    (both included); ``open`` true: not closed nor withdrawn."""

    kind = django_filters.ModelChoiceFilter(queryset=IncidentKind.objects.all(), label=_("kind"))
    severity = django_filters.MultipleChoiceFilter(choices=Severity.choices, label=_("severity"))
    status = django_filters.MultipleChoiceFilter(choices=IncidentStatus.choices, label=_("status"))
    occurred_after = django_filters.DateFilter(field_name="occurred_at", lookup_expr="date__gte", label=_("From"))
    occurred_before = django_filters.DateFilter(field_name="occurred_at", lookup_expr="date__lte", label=_("To"))
    open = django_filters.BooleanFilter(method="filter_open", label=_("open"))

    search_fields = ("number", "title", "place", "description")

    class Meta:
        model = Incident
        fields = ["q", "estate", "kind", "severity", "status", "occurred_after", "occurred_before", "open"]

    def filter_open(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(status__in=OPEN_STATUSES) if value else queryset.exclude(status__in=OPEN_STATUSES)


class IncidentKindFilterSet(BaseFilterSet):
    search_fields = ("code", "name")

    class Meta:
        model = IncidentKind
        fields = ["q", "is_active"]
