"""Filters of the appraisal and cycle lists (pages and API)."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wuye.core.filtersets import BaseFilterSet

from ..choices import OPEN_STATES, AppraisalState, CycleStatus, PeriodKind
from ..models import Appraisal, AppraisalCycle

MINE_TO_MAKE, MINE, DEPARTMENT = "to_make", "mine", "department"


class AppraisalFilterSet(BaseFilterSet):
    """``view``: ``to_make`` (those I appraise, not yet submitted), ``mine`` (my own), ``department`` (the others I
    may see); ``state`` (repeatable), ``cycle``, ``form`` (any version), ``appraisee``, ``appraiser``, ``period_from``
    and ``period_to`` (periods meeting those days), ``q`` (the appraisee's or appraiser's name)."""

    view = django_filters.ChoiceFilter(method="filter_view", label=_("show"), choices=[
        (MINE_TO_MAKE, _("Mine to make")), (MINE, _("My appraisals")), (DEPARTMENT, _("Others I may see"))])
    state = django_filters.MultipleChoiceFilter(choices=AppraisalState.choices, label=_("state"))
    period_kind = django_filters.ChoiceFilter(choices=PeriodKind.choices, label=_("period"))
    form = django_filters.NumberFilter(field_name="form_version__form", label=_("form"))
    period_from = django_filters.DateFilter(field_name="period_end", lookup_expr="gte", label=_("period from"))
    period_to = django_filters.DateFilter(field_name="period_start", lookup_expr="lte", label=_("period to"))
    grade = django_filters.CharFilter(label=_("grade"))

    search_fields = ("appraisee__name", "appraiser__name", "appraisee__employee_no")

    class Meta:
        model = Appraisal
        fields = ["q", "view", "state", "cycle", "period_kind", "form", "appraisee", "appraiser", "period_from",
                  "period_to", "grade"]

    def filter_view(self, queryset, name, value):
        staff = getattr(getattr(self.request, "user", None), "staff", None)
        if not value:
            return queryset
        if staff is None:
            return queryset.none()
        if value == MINE_TO_MAKE:
            return queryset.filter(appraiser=staff, state__in=OPEN_STATES)
        if value == MINE:
            return queryset.filter(appraisee=staff)
        return queryset.exclude(Q(appraisee=staff) | Q(appraiser=staff))


class AppraisalCycleFilterSet(BaseFilterSet):
    status = django_filters.ChoiceFilter(choices=CycleStatus.choices, label=_("status"))
    period_kind = django_filters.ChoiceFilter(choices=PeriodKind.choices, label=_("period"))

    search_fields = ("name",)

    class Meta:
        model = AppraisalCycle
        fields = ["q", "status", "period_kind", "form_version"]
