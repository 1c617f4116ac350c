"""Filters of the appraisal-form list; the same class drives the page's filter form and the API's parameters."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from wuye.core.filtersets import BaseFilterSet
from wuye.org.models import Post

from ..choices import FormStatus
from ..models import AppraisalForm


class AppraisalFormFilterSet(BaseFilterSet):
    """``q``: name or code contains; ``post``: forms that apply to the post; ``is_builtin``; ``has``: forms with a
    version in that status (``active`` in use, ``draft`` with a draft under way)."""

    post = django_filters.ModelChoiceFilter(field_name="posts", queryset=Post.objects.all(), label=_("post"))
    is_builtin = django_filters.BooleanFilter(label=_("built in"))
    has = django_filters.ChoiceFilter(method="filter_has", choices=FormStatus.choices, label=_("has a version"))

    search_fields = ("name", "code")

    class Meta:
        model = AppraisalForm
        fields = ["q", "post", "is_builtin", "has"]

    def filter_has(self, queryset, name, value):
        return queryset.filter(versions__status=value).distinct() if value else queryset
