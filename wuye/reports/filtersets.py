"""Filters of the report list; the same class drives the page's filter form and the API's parameters."""

from __future__ import annotations

import datetime as dt

import django_filters
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from wuye.core.filtersets import BaseFilterSet

from .choices import ReportStatus
from .kinds import KIND_CHOICES
from .models import Report
from .periods import parse_period


class ReportFilterSet(BaseFilterSet):
    """``kind`` and ``status`` (repeatable), ``period`` (``2026-10``, ``2026-Q3``, ``2026``: the reports whose period
    lies within it), ``estate``, ``author``, ``mine`` (true: written by me)."""

    kind = django_filters.MultipleChoiceFilter(choices=KIND_CHOICES, label=_("kind"))
    status = django_filters.MultipleChoiceFilter(choices=ReportStatus.choices, label=_("status"))
    period = django_filters.CharFilter(method="filter_period", label=_("period"))
    mine = django_filters.BooleanFilter(method="filter_mine", label=_("written by me"))

    search_fields = ("estate__name", "department__name", "author__first_name", "author__last_name",
                     "author__username")

    class Meta:
        model = Report
        fields = ["kind", "status", "period", "estate", "mine"]

    def filter_period(self, queryset, name, value):
        value = (value or "").strip()
        if not value:
            return queryset
        try:
            period = parse_period(value, today=dt.date.max)
        except ValidationError:
            return queryset.none()
        return queryset.filter(period_start__gte=period.start, period_end__lte=period.end)

    def filter_mine(self, queryset, name, value):
        user = getattr(self.request, "user", None)
        if value is None or user is None:
            return queryset
        return queryset.filter(author=user) if value else queryset.exclude(author=user)
