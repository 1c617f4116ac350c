"""Filters of the work plan list (page and API)."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from wuye.core.filtersets import BaseFilterSet

from ..choices import PlanStatus
from ..models import WorkPlan


class WorkPlanFilterSet(BaseFilterSet):
    status = django_filters.MultipleChoiceFilter(choices=PlanStatus.choices, label=_("status"))
    year = django_filters.NumberFilter(label=_("year"))

    search_fields = ("title", "targets", "description")

    class Meta:
        model = WorkPlan
        fields = ["q", "year", "status", "department"]
