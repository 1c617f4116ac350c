"""Filters of the policy and objective lists (pages and API)."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from wuye.core.filtersets import BaseFilterSet

from ..choices import Metric, PolicyStatus
from ..models import QualityObjective, QualityPolicy


class QualityPolicyFilterSet(BaseFilterSet):
    status = django_filters.MultipleChoiceFilter(choices=PolicyStatus.choices, label=_("status"))

    search_fields = ("title", "statement", "change_note")

    class Meta:
        model = QualityPolicy
        fields = ["q", "status"]


class QualityObjectiveFilterSet(BaseFilterSet):
    metric = django_filters.ChoiceFilter(choices=Metric.choices, label=_("measured by"))
    policy_status = django_filters.MultipleChoiceFilter(field_name="policy__status", choices=PolicyStatus.choices,
                                                        label=_("policy status"))

    search_fields = ("title", "code", "notes")

    class Meta:
        model = QualityObjective
        fields = ["q", "policy", "policy_status", "metric", "estate", "department"]
