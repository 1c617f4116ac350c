"""Filters of the corrective-action register; the same class drives the page's filter form and the API."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from wuye.core.filtersets import BaseFilterSet
from wuye.org.models import Department, Staff

from ..choices import ActionSource, ActionState, FindingGrade
from ..models import CorrectiveAction
from ..selectors.actions import overdue_condition


class CorrectiveActionFilterSet(BaseFilterSet):
    """``q`` searches number, title and the nonconformity; ``overdue``: past the due date in action plan or in
    progress."""

    state = django_filters.MultipleChoiceFilter(choices=ActionState.choices, label=_("state"))
    source = django_filters.ChoiceFilter(choices=ActionSource.choices, label=_("source"))
    grade = django_filters.ChoiceFilter(choices=FindingGrade.choices, label=_("grade"))
    department = django_filters.ModelChoiceFilter(queryset=Department.objects.all(),
                                                  label=_("responsible department"))
    owner = django_filters.ModelChoiceFilter(queryset=Staff.objects.all(), label=_("action owner"))
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("overdue"))
    raised_after = django_filters.DateFilter(field_name="raised_on", lookup_expr="gte", label=_("raised from"))
    raised_before = django_filters.DateFilter(field_name="raised_on", lookup_expr="lte", label=_("raised to"))

    search_fields = ("number", "title", "description", "source_reference")

    class Meta:
        model = CorrectiveAction
        fields = ["q", "state", "source", "grade", "estate", "department", "owner", "overdue", "raised_after",
                  "raised_before"]

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(overdue_condition()) if value else queryset.exclude(overdue_condition())
