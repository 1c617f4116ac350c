"""Filters of the training lists; the same classes drive the pages' filter forms and the API's parameters."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from wuye.core.filtersets import BaseFilterSet

from .choices import PlanStatus, SessionStatus
from .models import Attendance, TrainingPlan, TrainingSession


class TrainingPlanFilterSet(BaseFilterSet):
    status = django_filters.ChoiceFilter(choices=PlanStatus.choices, label=_("status"))
    search_fields = ("title", "items__topic")

    class Meta:
        model = TrainingPlan
        fields = ["q", "department", "year", "status"]

    def filter_q(self, queryset, name, value):
        return super().filter_q(queryset, name, value).distinct()


class TrainingSessionFilterSet(BaseFilterSet):
    status = django_filters.MultipleChoiceFilter(choices=SessionStatus.choices, label=_("status"))
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte", label=_("From"))
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte", label=_("To"))
    plan = django_filters.NumberFilter(field_name="plan_item__plan", label=_("training plan"))
    adhoc = django_filters.BooleanFilter(field_name="plan_item", lookup_expr="isnull", label=_("ad hoc"))
    search_fields = ("topic", "trainer", "place")

    class Meta:
        model = TrainingSession
        fields = ["q", "department", "status", "date_from", "date_to", "plan", "plan_item", "adhoc"]


class AttendanceFilterSet(BaseFilterSet):
    date_from = django_filters.DateFilter(field_name="session__date", lookup_expr="gte", label=_("From"))
    date_to = django_filters.DateFilter(field_name="session__date", lookup_expr="lte", label=_("To"))
    year = django_filters.NumberFilter(field_name="session__date__year", label=_("year"))
    post = django_filters.NumberFilter(field_name="staff__post", label=_("post"))
    search_fields = ("staff__name", "session__topic")

    class Meta:
        model = Attendance
        fields = ["q", "staff", "session", "attended", "year", "post", "date_from", "date_to"]
