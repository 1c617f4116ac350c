"""Filters of the estates lists; the same classes drive the pages' filter forms and the API's parameters."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wuye.core.filtersets import BaseFilterSet

from . import selectors
from .choices import (
    BuildingKind,
    CommitteeStatus,
    CustomerKind,
    CustomerStatus,
    EstateKind,
    EstateStatus,
    OccupancyRole,
    UnitStatus,
    UnitUsage,
)
from .models import Building, CommitteeMember, Customer, Estate, Occupancy, OwnersCommittee, Unit


class EstateFilterSet(BaseFilterSet):
    kind = django_filters.ChoiceFilter(choices=EstateKind.choices, label=_("kind"))
    status = django_filters.ChoiceFilter(choices=EstateStatus.choices, label=_("status"))
    search_fields = ("name", "code", "address", "district", "city")

    class Meta:
        model = Estate
        fields = ["q", "kind", "status", "city", "district"]


class BuildingFilterSet(BaseFilterSet):
    kind = django_filters.ChoiceFilter(choices=BuildingKind.choices, label=_("kind"))

    class Meta:
        model = Building
        fields = ["q", "estate", "kind"]


class UnitFilterSet(BaseFilterSet):
    usage = django_filters.ChoiceFilter(choices=UnitUsage.choices, label=_("usage"))
    status = django_filters.ChoiceFilter(choices=UnitStatus.choices, label=_("status"))
    code = django_filters.CharFilter(method="filter_code", label=_("unit number"))

    class Meta:
        model = Unit
        fields = ["q", "estate", "building", "code", "usage", "status"]

    def filter_code(self, queryset, name, value):
        code = selectors.normalize_unit_code(value)
        return queryset.filter(code=code) if code else queryset


class CustomerFilterSet(BaseFilterSet):
    """``q`` understands a phone number, its last 4 digits, a unit number or a name (see selectors)."""

    kind = django_filters.ChoiceFilter(choices=CustomerKind.choices, label=_("kind"))
    status = django_filters.ChoiceFilter(choices=CustomerStatus.choices, label=_("status"))
    unit = django_filters.CharFilter(method="filter_unit", label=_("unit number"))

    class Meta:
        model = Customer
        fields = ["q", "estate", "kind", "status", "unit"]

    def filter_q(self, queryset, name, value):
        value = (value or "").strip()
        return selectors.filter_customers(queryset, value) if value else queryset

    def filter_unit(self, queryset, name, value):
        code = selectors.normalize_unit_code(value)
        if not code:
            return queryset
        occupants = Occupancy.objects.filter(selectors.current_q(), unit__code=code).values("customer_id")
        return queryset.filter(pk__in=occupants)


class OccupancyFilterSet(BaseFilterSet):
    role = django_filters.ChoiceFilter(choices=OccupancyRole.choices, label=_("role"))
    estate = django_filters.ModelChoiceFilter(field_name="unit__estate", queryset=Estate.objects.all(),
                                              label=_("estate"))
    current = django_filters.BooleanFilter(method="filter_current", label=_("current"))
    unit = django_filters.NumberFilter(field_name="unit_id", widget=forms.HiddenInput, label=_("unit"))
    customer = django_filters.NumberFilter(field_name="customer_id", widget=forms.HiddenInput, label=_("customer"))
    search_fields = ("customer__name", "unit__code")

    class Meta:
        model = Occupancy
        fields = ["q", "estate", "role", "current", "unit", "customer"]

    def filter_current(self, queryset, name, value):
        if value is None:
            return queryset
        today = timezone.localdate()
        current = Q(start_date__lte=today) & selectors.current_q()
        return queryset.filter(current) if value else queryset.exclude(current)


class OwnersCommitteeFilterSet(BaseFilterSet):
    status = django_filters.ChoiceFilter(choices=CommitteeStatus.choices, label=_("status"))
    search_fields = ("estate__name", "filing_number")

    class Meta:
        model = OwnersCommittee
        fields = ["q", "estate", "status"]


class CommitteeMemberFilterSet(BaseFilterSet):
    customer = django_filters.NumberFilter(field_name="customer_id", widget=forms.HiddenInput, label=_("customer"))
    search_fields = ("customer__name",)

    class Meta:
        model = CommitteeMember
        fields = ["q", "committee", "customer", "position"]
