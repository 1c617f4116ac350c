"""Filters of the meeting and submission lists; the same classes drive the pages' filter forms and the API."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from wuye.core.filtersets import BaseFilterSet
from wuye.estates.models import Estate
from wuye.org.models import Department

from ..choices import MeetingKind, MeetingStatus, SubmissionKind, SubmissionState
from ..models import Meeting, Submission


class MeetingFilterSet(BaseFilterSet):
    """``q`` searches number, title, location, agenda, minutes and decisions; ``starts_after``/``starts_before``
    the meeting's day."""

    kind = django_filters.ChoiceFilter(choices=MeetingKind.choices, label=_("kind"))
    status = django_filters.ChoiceFilter(choices=MeetingStatus.choices, label=_("status"))
    department = django_filters.ModelChoiceFilter(queryset=Department.objects.all(), label=_("department"))
    starts_after = django_filters.DateFilter(field_name="starts_at", lookup_expr="date__gte", label=_("From"))
    starts_before = django_filters.DateFilter(field_name="starts_at", lookup_expr="date__lte", label=_("To"))

    search_fields = ("number", "title", "location", "agenda", "minutes", "decisions")

    class Meta:
        model = Meeting
        fields = ["q", "kind", "status", "department", "starts_after", "starts_before"]


class SubmissionFilterSet(BaseFilterSet):
    """``q`` searches number, subject, text and the submitter's name (within what the user may see)."""

    kind = django_filters.ChoiceFilter(choices=SubmissionKind.choices, label=_("kind"))
    state = django_filters.MultipleChoiceFilter(choices=SubmissionState.choices, label=_("state"))
    estate = django_filters.ModelChoiceFilter(queryset=Estate.objects.all(), label=_("estate"))
    confidential = django_filters.BooleanFilter(label=_("confidential"))
    filed_after = django_filters.DateFilter(field_name="created_at", lookup_expr="date__gte", label=_("From"))
    filed_before = django_filters.DateFilter(field_name="created_at", lookup_expr="date__lte", label=_("To"))

    search_fields = ("number", "subject", "body", "submitter_name")

    class Meta:
        model = Submission
        fields = ["q", "kind", "state", "estate", "confidential", "filed_after", "filed_before"]
