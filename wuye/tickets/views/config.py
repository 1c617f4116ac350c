"""The manager's configuration of tickets: the category tree, the time limits (service levels) and the ticket
settings. Categories are never deleted: one no longer in use is taken out of use."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _

from wuye.core.views import BaseView, ObjectEditView, ObjectListView

from ..choices import Priority, TicketKind
from ..filtersets import TicketCategoryFilterSet, tree_ordered
from ..forms import ServiceLevelForm, TicketCategoryForm, TicketSettingsForm
from ..models import ServiceLevel, TicketCategory, TicketSettings
from ..tables import TicketCategoryTable
from .tickets import StaffPageMixin


class TicketCategoryListView(StaffPageMixin, ObjectListView):
    """The category tree, indented, in tree order."""

    queryset = TicketCategory.objects.select_related("department")
    filterset = TicketCategoryFilterSet
    table = TicketCategoryTable
    per_page = 200

    def get_queryset(self):
        return tree_ordered(super().get_queryset())


class TicketCategoryEditView(StaffPageMixin, ObjectEditView):
    queryset = TicketCategory.objects.all()
    form = TicketCategoryForm
    template_name = "tickets/config_form.html"

    def post(self, request, *args, **kwargs):
        return _back_to_list(super().post(request, *args, **kwargs), "tickets:ticketcategory_list")


def _back_to_list(response, url_name):
    """After a successful save, back to the list (the records' own URL is their edit page)."""
    return redirect(url_name) if response.status_code == 302 else response


class ServiceLevelListView(StaffPageMixin, BaseView):
    """Time limits as a kind × priority table: response, on site and resolution, each a value and a unit."""

    permission_required = "tickets.view_servicelevel"
    template_name = "tickets/servicelevel_list.html"

    def get(self, request):
        levels = {(s.kind, s.priority): s for s in ServiceLevel.objects.restrict(request.user, "view")}
        rows = [{"kind": kind, "cells": [_cell(levels.get((kind.value, p.value))) for p in Priority]}
                for kind in TicketKind]
        return TemplateResponse(request, self.template_name, {
            "rows": rows, "priorities": list(Priority), "model": ServiceLevel,
            "verbose_name_plural": ServiceLevel._meta.verbose_name_plural,
            "can_change": request.user.has_perm("tickets.change_servicelevel"),
        })


def _cell(level):
    if level is None:
        return None
    return {"level": level, "response": level.describe("response"), "onsite": level.describe("onsite"),
            "resolution": level.describe("resolution")}


class ServiceLevelEditView(StaffPageMixin, ObjectEditView):
    queryset = ServiceLevel.objects.all()
    form = ServiceLevelForm
    template_name = "tickets/config_form.html"

    def render_form(self, obj, form, status=200):
        response = super().render_form(obj, form, status)
        response.context_data["cancel_url"] = reverse("tickets:servicelevel_list")
        return response

    def post(self, request, *args, **kwargs):
        return _back_to_list(super().post(request, *args, **kwargs), "tickets:servicelevel_list")


class TicketSettingsView(StaffPageMixin, BaseView):
    """The single settings row: everyone on the staff may read it, the manager changes it."""

    template_name = "tickets/settings.html"

    def get_permission_required(self):
        return "tickets.change_ticketsettings" if self.request.method == "POST" else "tickets.view_ticketsettings"

    def render(self, form, status=200):
        return TemplateResponse(self.request, self.template_name, {
            "form": form, "model": TicketSettings, "can_change": self.can_change,
        }, status=status)

    @property
    def can_change(self):
        return self.request.user.has_perm("tickets.change_ticketsettings")

    def get(self, request):
        form = TicketSettingsForm(instance=TicketSettings.current(), user=request.user)
        if not self.can_change:
            for field in form.fields.values():
                field.disabled = True
        return self.render(form)

    def post(self, request):
        if not self.can_change:  # pragma: no cover - dispatch already refused
            raise PermissionDenied
        form = TicketSettingsForm(request.POST, instance=TicketSettings.current(), user=request.user)
        if form.is_valid():
            form.save()
            messages.success(request, _("Ticket settings saved."))
            return redirect("tickets:settings")
        return self.render(form, status=400)


urlpatterns = [
    path("categories/", TicketCategoryListView.as_view(), name="ticketcategory_list"),
    path("categories/add/", TicketCategoryEditView.as_view(), name="ticketcategory_add"),
    path("categories/<int:pk>/edit/", TicketCategoryEditView.as_view(), name="ticketcategory_edit"),
    path("service-levels/", ServiceLevelListView.as_view(), name="servicelevel_list"),
    path("service-levels/<int:pk>/edit/", ServiceLevelEditView.as_view(), name="servicelevel_edit"),
    path("settings/", TicketSettingsView.as_view(), name="settings"),
]
