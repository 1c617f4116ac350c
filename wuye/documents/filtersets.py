"""Filters of the document lists; the same classes drive the pages' filter forms and the API's parameters."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wuye.core.filtersets import BaseFilterSet

from .choices import (
    Confidentiality,
    DocumentStatus,
    HandoverState,
    LoanMedium,
    LoanState,
    RegulationLevel,
    RegulationStatus,
)
from .models import ArchiveRequirement, Document, DocumentCategory, Handover, Loan, Location, Regulation


class DocumentFilterSet(BaseFilterSet):
    """``q`` searches the full-text index: code, title, category, keywords, description and the text of the
    current revision's files (any 2+ character Chinese substring)."""

    category = django_filters.ModelChoiceFilter(queryset=DocumentCategory.objects.all(), method="filter_category",
                                                label=_("category"))
    status = django_filters.ChoiceFilter(choices=DocumentStatus.choices, label=_("status"))
    confidentiality = django_filters.ChoiceFilter(choices=Confidentiality.choices, label=_("confidentiality"))

    class Meta:
        model = Document
        fields = ["q", "category", "status", "confidentiality", "department", "estate", "custodian", "location"]

    def filter_category(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(Q(category=value) | Q(category__path__startswith=f"{value.path}/"))


class DocumentCategoryFilterSet(BaseFilterSet):
    search_fields = ("path", "prefix")

    class Meta:
        model = DocumentCategory
        fields = ["q", "is_active", "archive_type"]


class LocationFilterSet(BaseFilterSet):
    search_fields = ("room", "cabinet", "shelf", "box")

    class Meta:
        model = Location
        fields = ["q", "room", "is_active"]


class LoanFilterSet(BaseFilterSet):
    state = django_filters.ChoiceFilter(choices=LoanState.choices, label=_("state"))
    medium = django_filters.ChoiceFilter(choices=LoanMedium.choices, label=_("form"))
    # paper loans past their end and not returned (``selectors.loans_needing_attention``), for the home page
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("overdue"))
    search_fields = ("document__code", "document__title", "purpose")

    class Meta:
        model = Loan
        fields = ["q", "state", "medium", "borrower"]

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        from .selectors import loans_needing_attention

        overdue, _waiting = loans_needing_attention()
        return queryset.filter(pk__in=overdue.values("pk")) if value else queryset.exclude(pk__in=overdue.values("pk"))


class RegulationFilterSet(BaseFilterSet):
    level = django_filters.ChoiceFilter(choices=RegulationLevel.choices, label=_("level"))
    status = django_filters.ChoiceFilter(choices=RegulationStatus.choices, label=_("status"))
    review_due = django_filters.BooleanFilter(method="filter_review_due", label=_("review due"),
                                              widget=django_filters.widgets.BooleanWidget())
    search_fields = ("title", "number", "authority")

    class Meta:
        model = Regulation
        fields = ["q", "level", "status", "departments", "review_due"]

    def filter_review_due(self, queryset, name, value):
        if value is None:
            return queryset
        from .selectors import regulations_due

        due = regulations_due(queryset)
        return due if value else queryset.exclude(pk__in=due.values("pk"))


class HandoverFilterSet(BaseFilterSet):
    state = django_filters.ChoiceFilter(choices=HandoverState.choices, label=_("state"))
    search_fields = ("from_staff__name", "to_staff__name", "reason")

    class Meta:
        model = Handover
        fields = ["q", "state"]


class ArchiveRequirementFilterSet(BaseFilterSet):
    search_fields = ("category__path",)

    class Meta:
        model = ArchiveRequirement
        fields = ["q", "archive_type", "is_active"]
