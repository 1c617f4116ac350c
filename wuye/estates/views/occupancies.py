"""Occupancies (a customer's relation to a unit) and owners' committees with their members."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from wuye.core.forms import apply_errors
from wuye.core.views import (
    BaseView,
    ObjectActionView,
    ObjectDetailView,
    ObjectEditView,
    ObjectHistoryView,
    ObjectListView,
)
from wuye.core.views.generic import object_or_404

from .. import services
from ..choices import CommitteeStatus
from ..filtersets import OccupancyFilterSet, OwnersCommitteeFilterSet
from ..forms import CommitteeMemberForm, EndDateForm, OccupancyForm, OccupancyStartForm, OwnersCommitteeForm
from ..models import CommitteeMember, Customer, Occupancy, OwnersCommittee, Unit
from ..tables import OccupancyTable, OwnersCommitteeTable

# --- occupancies ------------------------------------------------------------------------------------------------


class OccupancyListView(ObjectListView):
    queryset = Occupancy.objects.select_related("customer", "unit", "unit__estate")
    filterset = OccupancyFilterSet
    table = OccupancyTable


class OccupancyView(ObjectDetailView):
    queryset = Occupancy.objects.select_related("customer", "unit", "unit__estate")

    def get_extra_context(self, obj):
        return {"can_end": self.can_change and obj.is_current}


class OccupancyStartView(BaseView):
    """Add an occupancy. Without a customer it first asks who (the quick lookup, in picking mode)."""

    permission_required = "estates.add_occupancy"
    template_name = "estates/occupancy_form.html"

    def _context(self, form, customer, unit):
        return {"form": form, "customer": customer, "unit": unit, "model": Occupancy,
                "verbose_name": Occupancy._meta.verbose_name}

    def _get(self, model, key, source):
        value = source.get(key, "")
        if not str(value).isdigit():
            return None
        return object_or_404(model.objects.select_related("estate"), self.request.user, "view", pk=value)

    def get(self, request):
        customer = self._get(Customer, "customer", request.GET)
        unit = self._get(Unit, "unit", request.GET)
        if customer is None:
            return TemplateResponse(request, "estates/occupancy_pick.html", {
                "unit": unit, "model": Occupancy, "verbose_name": Occupancy._meta.verbose_name,
                "pick": {"mode": "occupancy", "param": "unit", "value": unit.pk if unit else ""}})
        initial = {"customer": customer.pk}
        if unit is not None:
            initial["unit_code"] = unit.code
        form = OccupancyStartForm(initial=initial, user=request.user)
        return TemplateResponse(request, self.template_name, self._context(form, customer, unit))

    def post(self, request):
        form = OccupancyStartForm(request.POST, user=request.user)
        customer = None
        if form.is_valid():
            data = form.cleaned_data
            customer = data["customer"]
            try:
                with transaction.atomic():
                    occupancy = services.occupancy_start(
                        actor=request.user, unit=data["unit"], customer=customer, role=data["role"],
                        start_date=data["start_date"], is_primary_contact=data["is_primary_contact"],
                        notes=data["notes"])
            except ValidationError as exc:
                if hasattr(exc, "error_dict") and "unit" in exc.error_dict:
                    exc.error_dict["unit_code"] = exc.error_dict.pop("unit")
                apply_errors(form, exc)
            else:
                messages.success(request, _("%(customer)s is recorded for %(unit)s.")
                                 % {"customer": customer, "unit": occupancy.unit.code})
                return redirect(customer)
        customer = getattr(form, "cleaned_data", {}).get("customer")
        return TemplateResponse(request, self.template_name, self._context(form, customer, None), status=400)


class OccupancyEditView(ObjectEditView):
    queryset = Occupancy.objects.select_related("unit", "customer")
    form = OccupancyForm


class OccupancyHistoryView(ObjectHistoryView):
    queryset = Occupancy.objects.all()


class OccupancyEndView(ObjectActionView):
    queryset = Occupancy.objects.select_related("unit", "customer")
    permission_required = "estates.change_occupancy"
    form_class = EndDateForm

    @property
    def title(self):
        return _("End occupancy")

    @property
    def intro(self):
        return _("The customer moved out, sold the unit or the lease ended. The record stays in the history.")

    def perform(self, obj, form):
        services.occupancy_end(actor=self.request.user, occupancy=obj, end_date=form.cleaned_data["end_date"])
        return _("The occupancy of %(unit)s by %(customer)s ends on %(date)s.") % {
            "unit": obj.unit.code, "customer": obj.customer, "date": form.cleaned_data["end_date"]}

    def success_url(self, obj):
        return obj.customer.get_absolute_url()


# --- owners' committees ------------------------------------------------------------------------------------------


class OwnersCommitteeListView(ObjectListView):
    queryset = OwnersCommittee.objects.select_related("estate").annotate(
        member_count=Count("members", filter=Q(members__left_on__isnull=True)))
    filterset = OwnersCommitteeFilterSet
    table = OwnersCommitteeTable


class OwnersCommitteeView(ObjectDetailView):
    queryset = OwnersCommittee.objects.select_related("estate")

    def get_extra_context(self, obj):
        user = self.request.user
        members = (CommitteeMember.objects.restrict(user).filter(committee=obj).select_related("customer")
                   .order_by("left_on", "position", "customer__name"))
        active = obj.status == CommitteeStatus.ACTIVE
        return {
            "members": members,
            "can_end": self.can_change and active,
            "add_member_url": reverse("estates:committeemember_add") + f"?committee={obj.pk}"
            if active and user.has_perm("estates.add_committeemember") else None,
            "can_change_members": user.has_perm("estates.change_committeemember"),
        }


class OwnersCommitteeEditView(ObjectEditView):
    queryset = OwnersCommittee.objects.all()
    form = OwnersCommitteeForm

    def save(self, form):
        if form.instance.pk:
            return form.save()
        data = form.cleaned_data
        return services.committee_create(actor=self.request.user, **data)


class OwnersCommitteeHistoryView(ObjectHistoryView):
    queryset = OwnersCommittee.objects.all()


class OwnersCommitteeEndView(ObjectActionView):
    queryset = OwnersCommittee.objects.select_related("estate")
    permission_required = "estates.change_ownerscommittee"
    form_class = EndDateForm
    button_class = "btn-danger"

    @property
    def title(self):
        return _("End the committee's term")

    @property
    def intro(self):
        return _("The committee stays on record; its members' seats end on this date. Then the next committee "
                 "can be recorded.")

    def perform(self, obj, form):
        services.committee_end(actor=self.request.user, committee=obj, ended_on=form.cleaned_data["end_date"])
        return _("The term of %(committee)s has ended.") % {"committee": obj}


class CommitteeMemberEditView(ObjectEditView):
    """Add a member (needs ``?committee=`` and ``?customer=``; without a customer, the lookup picks one)
    or edit a seat (position, dates)."""

    queryset = CommitteeMember.objects.select_related("committee", "customer")
    form = CommitteeMemberForm
    template_name = "estates/committeemember_form.html"

    def get(self, request, *args, **kwargs):
        if "pk" not in self.kwargs and not request.GET.get("customer", "").isdigit():
            committee = None
            if request.GET.get("committee", "").isdigit():
                committee = object_or_404(OwnersCommittee.objects.all(), request.user, "view",
                                          pk=request.GET["committee"])
            return TemplateResponse(request, "estates/committeemember_pick.html", {
                "committee": committee, "model": CommitteeMember,
                "verbose_name": CommitteeMember._meta.verbose_name,
                "pick": {"mode": "member", "param": "committee", "value": committee.pk if committee else ""}})
        return super().get(request, *args, **kwargs)

    def render_form(self, obj, form, status=200):
        response = super().render_form(obj, form, status)
        data = form.data if form.is_bound else form.initial
        if obj.pk:
            response.context_data.update(committee=obj.committee, customer=obj.customer)
        else:
            user = self.request.user
            committee_id, customer_id = str(data.get("committee", "")), str(data.get("customer", ""))
            response.context_data.update(
                committee=OwnersCommittee.objects.restrict(user).filter(pk=committee_id).first()
                if committee_id.isdigit() else None,
                customer=Customer.objects.restrict(user).filter(pk=customer_id).first()
                if customer_id.isdigit() else None)
        response.context_data["cancel_url"] = (response.context_data.get("committee") or obj).get_absolute_url() \
            if (obj.pk or response.context_data.get("committee")) else reverse("estates:ownerscommittee_list")
        return response

    def save(self, form):
        if form.instance.pk:
            return form.save()
        data = form.cleaned_data
        return services.committee_member_add(actor=self.request.user, committee=data["committee"],
                                             customer=data["customer"], position=data["position"],
                                             joined_on=data.get("joined_on"))
