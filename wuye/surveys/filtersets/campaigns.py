"""Filters of the campaign lists; the same classes drive the pages' filter forms and the API's parameters."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from wuye.core.filtersets import BaseFilterSet
from wuye.estates.models import Estate

from ..choices import CampaignStatus
from ..models import Campaign, Invitation


class CampaignFilterSet(BaseFilterSet):
    """``status`` (repeatable), ``estate`` (campaigns covering it), ``year`` (the year it starts), ``q`` (number
    or name)."""

    search_fields = ("number", "name")
    status = django_filters.MultipleChoiceFilter(choices=CampaignStatus.choices, label=_("status"))
    estate = django_filters.ModelChoiceFilter(queryset=Estate.objects.all(), field_name="estates", label=_("estate"),
                                              distinct=True)
    year = django_filters.NumberFilter(field_name="starts_on", lookup_expr="year", label=_("year"), min_value=2000,
                                       max_value=2100)

    class Meta:
        model = Campaign
        fields = ["q", "status", "estate", "year"]


class InvitationFilterSet(BaseFilterSet):
    """A campaign's households: ``estate``, ``answered`` (yes/no), ``q`` (unit number)."""

    search_fields = ("unit__code",)
    answered = django_filters.BooleanFilter(label=_("answered"))

    class Meta:
        model = Invitation
        fields = ["q", "estate", "answered"]


class AnonymousInvitationFilterSet(BaseFilterSet):
    """The households of an anonymous campaign: ``estate``, ``q`` (unit number); never by answered."""

    search_fields = ("unit__code",)

    class Meta:
        model = Invitation
        fields = ["q", "estate"]
