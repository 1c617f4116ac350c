"""Filters of the contract lists; the same classes drive the pages' filter forms and the API's parameters."""

from __future__ import annotations

import datetime as dt

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wuye.core.filtersets import BaseFilterSet

from .choices import LIVE_STATUSES, UNSIGNED_STATUSES, ContractKind, ContractStatus, PartyKind, RenewalState
from .models import Contract, RenewalTask, ReviewChecklistItem, Takeover


class ContractFilterSet(BaseFilterSet):
    """The contract register (合同清单): ``q`` searches number, title, counterparty and the files' text;
    ``party`` the counterparty's name; ``expiring_within`` N days: signed contracts not ended whose last valid day
    is within N days from today."""

    kind = django_filters.ChoiceFilter(choices=ContractKind.choices, label=_("kind"))
    status = django_filters.MultipleChoiceFilter(choices=ContractStatus.choices, label=_("status"))
    party_kind = django_filters.ChoiceFilter(choices=PartyKind.choices, label=_("counterparty type"))
    party = django_filters.CharFilter(method="filter_party", label=_("counterparty"))
    expiring_within = django_filters.NumberFilter(method="filter_expiring", label=_("ending within (days)"),
                                                  min_value=0, max_value=3650)
    valid_on = django_filters.DateFilter(method="filter_valid_on", label=_("valid on"))

    class Meta:
        model = Contract
        fields = ["q", "estate", "kind", "status", "party_kind", "party", "expiring_within", "valid_on", "owner"]

    def filter_party(self, queryset, name, value):
        value = (value or "").strip()
        return queryset.filter(party_name__icontains=value) if value else queryset

    def filter_expiring(self, queryset, name, value):
        if value is None:
            return queryset
        today = timezone.localdate()
        return queryset.filter(status__in=LIVE_STATUSES, valid_to__gte=today,
                               valid_to__lte=today + dt.timedelta(days=int(value)))

    def filter_valid_on(self, queryset, name, value):
        """Signed contracts whose period covers the day, unless they ended (terminated, superseded) before it."""
        if not value:
            return queryset
        return (queryset.exclude(status__in=UNSIGNED_STATUSES).filter(valid_from__lte=value, valid_to__gte=value)
                .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=value)))


class TakeoverFilterSet(BaseFilterSet):
    taken_after = django_filters.DateFilter(field_name="taken_over_on", lookup_expr="gte", label=_("From"))
    taken_before = django_filters.DateFilter(field_name="taken_over_on", lookup_expr="lte", label=_("To"))

    class Meta:
        model = Takeover
        fields = ["estate", "taken_after", "taken_before"]


class RenewalTaskFilterSet(BaseFilterSet):
    state = django_filters.ChoiceFilter(choices=RenewalState.choices, label=_("state"))

    class Meta:
        model = RenewalTask
        fields = ["estate", "state"]


class ReviewChecklistItemFilterSet(BaseFilterSet):
    search_fields = ("text", "guidance")

    class Meta:
        model = ReviewChecklistItem
        fields = ["q", "is_active"]
