"""Base FilterSet: one class drives the list page's filter form and the API's query parameters.

``q`` searches: registered models (``core.search``) go through the full-text index; small tables may list
``search_fields`` for a plain ``icontains`` instead.
"""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from . import search
from .choices import BackupKind
from .forms import _style
from .models import AuditEvent, BackupRun


class BaseFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Search"))

    search_fields: tuple[str, ...] = ()

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        super().__init__(data=data, queryset=queryset, request=request, prefix=prefix)
        # related choices: only what the user may see
        user = getattr(request, "user", None)
        for f in self.filters.values():
            qs = getattr(f, "queryset", None)
            if qs is None:
                qs = f.extra.get("queryset")
            if qs is not None and hasattr(qs, "restrict") and user is not None:
                # django-filter builds the field from the filter's own ``queryset`` (not ``extra``): set both
                f.queryset = f.extra["queryset"] = qs.restrict(user, "view")

    def change_choices(self, name: str, change) -> None:
        """Reorder or narrow a related filter's choices: ``change(queryset)`` returns the new queryset.

        django-filter builds the field from the filter's ``queryset`` attribute, so both it and ``extra`` are
        set (setting only ``extra`` is silently ignored)."""
        f = self.filters[name]
        f.queryset = f.extra["queryset"] = change(f.queryset)

    @property
    def form(self):
        form = super().form
        if not getattr(form, "_styled", False):
            for field in form.fields.values():
                field.required = False
                _style(field)
            form._styled = True
        return form

    def filter_q(self, queryset, name, value):
        value = (value or "").strip()
        if not value:
            return queryset
        if queryset.model in search.registered_models():
            return search.filter_queryset(queryset, value, user=getattr(self.request, "user", None))
        condition = Q()
        for field in self.search_fields:
            condition |= Q(**{f"{field}__icontains": value})
        return queryset.filter(condition) if self.search_fields else queryset


class AuditEventFilterSet(BaseFilterSet):
    occurred_after = django_filters.DateFilter(field_name="occurred_at", lookup_expr="date__gte",
                                               label=_("From"))
    occurred_before = django_filters.DateFilter(field_name="occurred_at", lookup_expr="date__lte",
                                                label=_("To"))
    event_type = django_filters.CharFilter(lookup_expr="startswith", label=_("Event type"))
    actor = django_filters.CharFilter(field_name="actor__username", label=_("User name"))

    search_fields = ("object_repr", "event_type")

    class Meta:
        model = AuditEvent
        fields = ["q", "event_type", "actor", "occurred_after", "occurred_before"]


class BackupRunFilterSet(BaseFilterSet):
    kind = django_filters.ChoiceFilter(choices=BackupKind.choices, label=_("kind"))
    ok = django_filters.BooleanFilter(label=pgettext_lazy("backup run", "result"))
    started_after = django_filters.DateFilter(field_name="started_at", lookup_expr="date__gte", label=_("From"))
    started_before = django_filters.DateFilter(field_name="started_at", lookup_expr="date__lte", label=_("To"))

    search_fields = ("file_name", "message")

    class Meta:
        model = BackupRun
        fields = ["q", "kind", "ok", "started_after", "started_before"]
