"""Filters of the management review lists (pages and API)."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wuye.core.filtersets import BaseFilterSet

from ..choices import ActionItemStatus, OutputKind, ReviewStatus
from ..models import ActionItem, ManagementReview


class ManagementReviewFilterSet(BaseFilterSet):
    search_fields = ("number", "title")
    status = django_filters.MultipleChoiceFilter(choices=ReviewStatus.choices, label=_("status"))
    year = django_filters.NumberFilter(field_name="planned_on", lookup_expr="year", label=_("year"))

    class Meta:
        model = ManagementReview
        fields = ["q", "status", "year"]

    def filter_q(self, queryset, name, value):
        value = (value or "").strip()
        return queryset.filter(Q(number__icontains=value) | Q(title__icontains=value)) if value else queryset


class ActionItemFilterSet(BaseFilterSet):
    """``mine``: the items the user owns; ``open``: not done or cancelled; ``overdue``: open and past the due
    date; ``parent``: review or meeting items."""

    mine = django_filters.BooleanFilter(method="filter_mine", label=_("mine"))
    open = django_filters.BooleanFilter(method="filter_open", label=_("open"))
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("overdue"))
    parent = django_filters.ChoiceFilter(method="filter_parent", label=_("from"), choices=[
        ("review", _("Management reviews")), ("meeting", _("Meetings"))])
    status = django_filters.ChoiceFilter(choices=ActionItemStatus.choices, label=_("status"))
    kind = django_filters.ChoiceFilter(choices=OutputKind.choices, label=_("kind"))

    class Meta:
        model = ActionItem
        fields = ["q", "mine", "open", "overdue", "parent", "status", "kind", "review", "meeting"]

    def filter_q(self, queryset, name, value):
        value = (value or "").strip()
        return queryset.filter(text__icontains=value) if value else queryset

    def filter_mine(self, queryset, name, value):
        if value is None:
            return queryset
        user = getattr(self.request, "user", None)
        staff = getattr(user, "staff", None) if user is not None and user.is_authenticated else None
        mine = Q(owner=staff) if staff is not None else Q(pk__in=[])
        return queryset.filter(mine) if value else queryset.exclude(mine)

    def filter_open(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(status=ActionItemStatus.OPEN) if value else queryset.exclude(
            status=ActionItemStatus.OPEN)

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        overdue = Q(status=ActionItemStatus.OPEN, due_on__lt=timezone.localdate())
        return queryset.filter(overdue) if value else queryset.exclude(overdue)

    def filter_parent(self, queryset, name, value):
        if value == "review":
            return queryset.filter(review__isnull=False)
        if value == "meeting":
            return queryset.filter(meeting__isnull=False)
        return queryset
