"""Filters of the survey responses (the page and ``/api/v1/survey-responses/``): campaign, estate, channel,
answered from/to."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from wuye.core.filtersets import BaseFilterSet
from wuye.estates.models import Estate

from ..choices import Channel
from ..models import Campaign, Response


class ResponseFilterSet(BaseFilterSet):
    campaign = django_filters.ModelChoiceFilter(queryset=Campaign.objects.all(), label=_("survey campaign"))
    estate = django_filters.ModelChoiceFilter(queryset=Estate.objects.all(), label=_("estate"))
    channel = django_filters.ChoiceFilter(choices=Channel.choices, label=_("channel"))
    answered_after = django_filters.DateFilter(field_name="submitted_on", lookup_expr="gte", label=_("From"))
    answered_before = django_filters.DateFilter(field_name="submitted_on", lookup_expr="lte", label=_("To"))

    class Meta:
        model = Response
        fields = ["campaign", "estate", "channel", "answered_after", "answered_before"]
