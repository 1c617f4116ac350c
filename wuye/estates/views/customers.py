"""The customer archive: list, the 360° customer page, add/edit/archive, reveal, and the quick lookup."""

from __future__ import annotations

from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from wuye.core.forms import BaseForm
from wuye.core.personal import may_view_personal_data
from wuye.core.views import (
    BaseView,
    ObjectActionView,
    ObjectDetailView,
    ObjectEditView,
    ObjectHistoryView,
    ObjectListView,
)
from wuye.core.views.personal import RevealPersonalDataView

from .. import selectors, services
from ..choices import CustomerStatus
from ..filtersets import CustomerFilterSet
from ..forms import ArchiveForm, CustomerCreateForm, CustomerForm
from ..models import Customer, OwnersCommittee, Unit
from ..panels import customer_panels
from ..tables import CustomerTable


class CustomerListView(ObjectListView):
    queryset = Customer.objects.select_related("estate").prefetch_related(
        selectors.current_occupancies_prefetch())
    filterset = CustomerFilterSet
    table = CustomerTable
    import_url_name = "estates:customer_import"

    @property
    def extra_actions(self):
        return [(_("Quick lookup"), reverse("estates:lookup"))]


class CustomerView(ObjectDetailView):
    """The 360° page: the record (personal data masked, reveal audited), units and occupancy history,
    committee seats, and the panels other apps register (tickets, callbacks, survey answers, documents)."""

    queryset = Customer.objects.select_related("estate", "user")
    history_limit = 8

    def get_extra_context(self, obj):
        user = self.request.user
        return {
            **selectors.customer_overview(user=user, customer=obj),
            "panels": customer_panels(self.request, obj),
            "can_reveal": may_view_personal_data(user),
            "add_occupancy_url": reverse("estates:occupancy_add") + f"?customer={obj.pk}"
            if self.can_change and user.has_perm("estates.add_occupancy") and obj.status == CustomerStatus.ACTIVE
            else None,
        }


class CustomerEditView(ObjectEditView):
    queryset = Customer.objects.all()

    @property
    def form(self):
        return CustomerForm if "pk" in self.kwargs else CustomerCreateForm

    def save(self, form):
        fields = form.service_fields()
        if form.instance.pk:
            return services.customer_update(actor=self.request.user, customer=form.instance, **fields)
        data = form.cleaned_data
        return services.customer_create(actor=self.request.user, estate=data["estate"], unit=data.get("unit"),
                                        occupancy_role=data["occupancy_role"], moved_in_on=data.get("moved_in_on"),
                                        **fields)


class CustomerHistoryView(ObjectHistoryView):
    queryset = Customer.objects.all()


class CustomerRevealView(RevealPersonalDataView):
    queryset = Customer.objects.all()


class CustomerArchiveView(ObjectActionView):
    queryset = Customer.objects.all()
    permission_required = "estates.change_customer"
    form_class = ArchiveForm
    button_class = "btn-danger"

    @property
    def title(self):
        return _("Archive customer")

    @property
    def intro(self):
        return _("The record and its history are kept and can be made active again. The customer's current "
                  "occupancies and committee seats end on the date given.")

    def perform(self, obj, form):
        services.customer_archive(actor=self.request.user, customer=obj, on=form.cleaned_data.get("on"),
                                  reason=form.cleaned_data.get("reason") or "")
        return _("%(name)s is archived.") % {"name": obj.name}


class CustomerReactivateView(ObjectActionView):
    queryset = Customer.objects.all()
    permission_required = "estates.change_customer"

    form_class = BaseForm

    @property
    def title(self):
        return _("Make customer active again")

    def perform(self, obj, form):
        services.customer_reactivate(actor=self.request.user, customer=obj)
        return _("%(name)s is active again.") % {"name": obj.name}


# --- quick lookup ---------------------------------------------------------------------------------------------

PICK_MODES = {
    # mode: (URL name, the query parameter carried along, model it refers to)
    "occupancy": ("estates:occupancy_add", "unit", Unit),
    "member": ("estates:committeemember_add", "committee", OwnersCommittee),
}


class LookupView(BaseView):
    """One box for a phone call: a phone number or its last 4 digits, a unit number, a name.

    As-you-type (htmx) it answers the result list; on Enter, a single match opens the customer's page.
    With ``mode=occupancy&unit=<id>`` or ``mode=member&committee=<id>`` it picks a customer for a form.
    """

    permission_required = "estates.view_customer"
    template_name = "estates/lookup.html"
    results_template = "estates/includes/lookup_results.html"

    def pick(self, request):
        mode = request.GET.get("mode")
        if mode not in PICK_MODES:
            return None
        url_name, param, model = PICK_MODES[mode]
        value = request.GET.get(param, "")
        target = None
        if value.isdigit():
            target = model.objects.restrict(request.user, "view").filter(pk=value).first()
        return {"mode": mode, "url": reverse(url_name), "param": param, "target": target,
                "value": value if target is not None else ""}

    def get(self, request):
        q = (request.GET.get("q") or "").strip()
        pick = self.pick(request)
        result = selectors.customer_lookup(user=request.user, q=q)
        if pick is not None:
            for customer in result.customers:
                params = {"customer": customer.pk}
                if pick["value"]:
                    params[pick["param"]] = pick["value"]
                customer.pick_url = f"{pick['url']}?{urlencode(params)}"
        context = {"q": q, "result": result, "pick": pick,
                   "can_add": request.user.has_perm("estates.add_customer") and pick is None}
        if request.htmx and not request.htmx.boosted:
            return TemplateResponse(request, self.results_template, context)
        if result.single is not None and pick is None and request.GET.get("go", "1") != "0":
            return redirect(result.single)
        return TemplateResponse(request, self.template_name, context)


# --- search hook and dashboard panel (registered in EstatesConfig.ready) ------------------------------------


def customer_search_hook(user, q):
    """The navbar's quick search goes straight to the customer a phone number, its last 4 digits or a unit
    number identifies (when exactly one); names fall through to the full search page."""
    if not user.has_perm("estates.view_customer"):
        return None
    kind, _value = selectors.classify(q)
    if kind not in (selectors.PHONE, selectors.TAIL, selectors.UNIT):
        return None
    customer = selectors.customer_lookup(user=user, q=q, limit=1).single
    return customer.get_absolute_url() if customer is not None else None


def lookup_dashboard_panel(request):
    user = request.user
    if not (user.has_perm("estates.view_customer") and user.has_perm("estates.add_customer")):
        return None
    return {"template": "estates/panels/lookup.html", "css": "col-12 col-xl-8"}
