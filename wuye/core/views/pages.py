"""Home page, global quick search, audit log."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.shortcuts import redirect
from django.template.response import TemplateResponse

from .. import search
from ..filtersets import AuditEventFilterSet
from ..models import AuditEvent
from ..querysets import permission_name
from ..scope import user_scope
from ..tables import AuditEventTable
from .generic import BaseView, ObjectListView

_search_hooks: list = []


def register_search_hook(func) -> None:
    """``func(user, q)`` -> a URL to go straight to (e.g. the customer found by a phone number) or None."""
    if func not in _search_hooks:
        _search_hooks.append(func)


class LoggedInView(BaseView):
    """Pages any logged-in user may open (their content is still restricted)."""

    login_only = True


_dashboard_panels: list = []


DEFAULT_PANEL_POSITION = 50


def register_dashboard_panel(func) -> None:
    """``func(request)`` -> dict(template=..., context...) or None when the user should not see it. Optional keys:
    ``css`` (the column classes), ``position`` (order on the page, default 50), ``charts`` (the page then loads
    ECharts and draws every ``[data-echart]`` element of the panel from the JSON its ``data-echart`` names)."""
    if func not in _dashboard_panels:
        _dashboard_panels.append(func)


class HomeView(LoggedInView):
    def get(self, request):
        if user_scope(request.user).is_resident and not request.user.is_staff:
            # A resident (the resident role and no estate served) has the owner portal as their home.
            return redirect("portal:home")
        panels = [p for p in (panel(request) for panel in _dashboard_panels) if p]
        # a panel may say where it goes (``position``, smaller first; the role's own figures come first), the
        # others keep their registration order after them
        panels.sort(key=lambda p: p.get("position", DEFAULT_PANEL_POSITION))
        return TemplateResponse(request, "core/home.html", {
            "panels": panels, "charts": any(p.get("charts") for p in panels)})


class SearchView(LoggedInView):
    """Global quick search: a phone number, a unit number like 3-2-1201 or a name; restricted per user."""

    limit_per_type = 20

    def get(self, request):
        q = (request.GET.get("q") or "").strip()
        groups = []
        if q:
            for hook in _search_hooks:
                target = hook(request.user, q)
                if target:
                    return redirect(target)
            scope = user_scope(request.user)
            entries = search.matching_entries(q)
            if not scope.all_estates:
                entries = entries.filter(Q(estate_id__in=scope.estate_ids) | Q(estate_id__isnull=True))
            for model in search.registered_models():
                if not request.user.has_perm(permission_name(model, "view")):
                    continue
                ct = ContentType.objects.get_for_model(model)
                ids = list(entries.filter(content_type=ct).order_by("-updated_at")
                           .values_list("object_id", flat=True)[: self.limit_per_type + 1])
                if not ids:
                    continue
                objects = list(model.objects.restrict(request.user, "view").filter(pk__in=ids)[: self.limit_per_type])
                if objects:
                    groups.append({"label": model._meta.verbose_name_plural, "objects": objects,
                                   "more": len(ids) > self.limit_per_type})
        return TemplateResponse(request, "core/search.html", {"q": q, "groups": groups})


class AuditEventListView(ObjectListView):
    queryset = AuditEvent.objects.select_related("actor", "content_type")
    filterset = AuditEventFilterSet
    table = AuditEventTable
    permission_required = "core.view_auditevent"

    def get_queryset(self):
        # AuditEvent is not a BaseModel: scope by its estate_id for staff who do not see every estate.
        user = self.request.user
        scope = user_scope(user)
        qs = self.queryset.all()
        if not scope.all_estates:
            qs = qs.filter(estate_id__in=scope.estate_ids)
        return qs
