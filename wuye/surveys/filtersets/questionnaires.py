"""Filters of the questionnaire and dimension lists; the same classes drive the pages' filter forms and the API's
parameters."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from wuye.core.filtersets import BaseFilterSet

from ..choices import VersionStatus
from ..models import Dimension, Questionnaire


class QuestionnaireFilterSet(BaseFilterSet):
    """``q``: name or code contains; ``is_builtin``; ``has``: questionnaires with a version in that status
    (``active`` in use, ``draft`` with a draft under way)."""

    is_builtin = django_filters.BooleanFilter(label=_("built in"))
    has = django_filters.ChoiceFilter(method="filter_has", choices=VersionStatus.choices, label=_("has a version"))

    search_fields = ("name", "code")

    class Meta:
        model = Questionnaire
        fields = ["q", "is_builtin", "has"]

    def filter_has(self, queryset, name, value):
        return queryset.filter(versions__status=value).distinct() if value else queryset


class DimensionFilterSet(BaseFilterSet):
    """``q``: name or code contains; ``is_active``: in use or not."""

    is_active = django_filters.BooleanFilter(label=_("in use"))

    search_fields = ("name", "code")

    class Meta:
        model = Dimension
        fields = ["q", "is_active"]
