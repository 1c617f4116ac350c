"""Pages of the contracts app: the contract register (合同清单) with its figures, Excel and PDF; a contract's
page and its steps (submit for review, review, sign, terminate, renew, attach a file); takeovers of estates;
renewal tasks; the review checklist."""

from __future__ import annotations

import re

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, re_path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wuye.core.audit import audit
from wuye.core.forms import apply_errors
from wuye.core.pdf import PdfResponse, render_pdf
from wuye.core.querysets import restrict
from wuye.core.views import BaseView, ObjectDetailView, ObjectEditView, ObjectHistoryView, ObjectListView
from wuye.documents.files import file_response
from wuye.documents.forms import StepForm
from wuye.documents.views.base import StepView, TableStepView
from wuye.estates.models import Estate
from wuye.tickets.views.reports import filter_summary

from . import selectors, services
from .choices import ENDED_STATUSES, LIVE_STATUSES, UNSIGNED_STATUSES, ContractStatus, RenewalState
from .filtersets import ContractFilterSet, RenewalTaskFilterSet, ReviewChecklistItemFilterSet, TakeoverFilterSet
from .forms import (
    CancelRenewalForm,
    ChecklistItemForm,
    ContractFileForm,
    ContractForm,
    ReviewForm,
    SignForm,
    TakeoverForm,
    TerminateForm,
)
from .models import Contract, ContractFile, RenewalTask, ReviewChecklistItem, Takeover
from .tables import ContractTable, RenewalTaskTable, ReviewChecklistItemTable, TakeoverTable

# the printed register stays readable and quick to make; a longer one is exported to Excel
REGISTER_PDF_MAX_ROWS = 2_000


class ContractListView(ObjectListView):
    """The contract register (合同清单, seed 2.13): every contract with its validity period, days left, status
    and renewal link; the figures of the filtered list above it; Excel and PDF of the filtered list."""

    queryset = Contract.objects.select_related("estate", "owner", "renews")
    filterset = ContractFilterSet
    table = ContractTable
    summary_template = "contracts/includes/register_summary.html"

    def get_summary(self, queryset):
        return selectors.summary(queryset)

    @property
    def extra_actions(self):
        query = self.request.GET.copy()
        query.pop("page", None)
        query["export"] = "pdf"
        if not self.request.user.has_perm("core.export_lists"):
            return []
        return [(_("Print (PDF)"), f"?{query.urlencode()}")]

    def export(self, request, filterset, queryset):
        if request.GET.get("export") != "pdf":
            return None
        count = queryset.count()
        if count > REGISTER_PDF_MAX_ROWS:
            messages.error(request, _("%(count)s contracts match: narrow the filters to at most %(max)s to print "
                                      "them.") % {"count": count, "max": REGISTER_PDF_MAX_ROWS})
            query = request.GET.copy()
            query.pop("export", None)
            return redirect(f"{reverse('contracts:contract_list')}?{query.urlencode()}")
        today = timezone.localdate()
        rows = [(c, c.days_left(today)) for c in queryset.order_by("valid_to", "number")]
        title = _("Contract register")
        pdf = render_pdf("contracts/register_pdf.html", {
            "title": title, "rows": rows, "summary": selectors.summary(queryset, today),
            "filters": filter_summary(filterset.form) if filterset is not None else [], "today": today,
        }, request=request, landscape=True)
        audit("report.export", actor=request.user, report="contract_register", format="pdf", rows=len(rows),
              query=request.GET.urlencode()[:500])
        return PdfResponse(pdf, f"{title}-{timezone.localtime():%Y%m%d-%H%M}.pdf")


def contract_steps(contract: Contract, user) -> list[dict]:
    """The buttons of the steps ``user`` may take on ``contract`` now (the services have the last word)."""
    steps = []

    def add(step, label, style="outline-primary"):
        steps.append({"step": step, "label": label, "style": style,
                      "url": reverse("contracts:contract_step", args=[contract.pk, step])})

    status = contract.status
    if status == ContractStatus.DRAFT and user.has_perm(services.CHANGE):
        add("submit", _("Submit for review"), "primary")
    if status == ContractStatus.IN_REVIEW and user.has_perm(services.REVIEW):
        add("review", _("Review"), "primary")
    if status == ContractStatus.REVIEWED and user.has_perm(services.SIGN):
        add("sign", _("Record as signed"), "success")
    if status in LIVE_STATUSES and user.has_perm(services.SIGN):
        add("terminate", _("Terminate"), "outline-danger")
    if user.has_perm("contracts.add_contractfile"):
        add("file", _("Attach a file"))
    return steps


class ContractView(ObjectDetailView):
    queryset = Contract.objects.select_related("estate", "owner", "renews", "party_committee", "party_customer")
    template_name = "contracts/contract.html"

    def get_extra_context(self, contract):
        user = self.request.user
        reviews = list(contract.reviews.select_related("submitted_by", "reviewer").prefetch_related("checks"))
        renewals = list(restrict(contract.renewals.all(), user, "view"))
        tasks = list(restrict(RenewalTask.objects.filter(contract=contract), user, "view")
                     .select_related("committee", "new_contract"))
        renew_url = None
        if user.has_perm("contracts.add_contract") and contract.status not in UNSIGNED_STATUSES:
            renew_url = reverse("contracts:contract_renew", args=[contract.pk])
        return {
            "steps": contract_steps(contract, user),
            "edit_url": reverse("contracts:contract_edit", args=[contract.pk])
            if self.can_change and contract.status not in ENDED_STATUSES else None,
            "reviews": reviews,
            "files": list(contract.files.select_related("created_by")),
            "alerts": list(contract.alerts.all()),
            "renewals": renewals,
            "tasks": tasks,
            "takeovers": list(contract.takeovers.all()),
            "renew_url": renew_url,
            "days_left": contract.days_left(),
            "can_cancel_task": user.has_perm("contracts.change_renewaltask"),
        }


class ContractAddView(ObjectEditView):
    queryset = Contract.objects.all()
    form = ContractForm

    def save(self, form):
        return services.contract_create(actor=self.request.user, **form.service_fields())


class ContractEditView(ObjectEditView):
    queryset = Contract.objects.all()
    form = ContractForm

    def get_object(self):
        contract = super().get_object()
        if contract.status in ENDED_STATUSES:
            raise PermissionDenied
        return contract

    def get_initial(self):
        return {}

    def save(self, form):
        contract = Contract.objects.get(pk=form.instance.pk)
        return services.contract_update(actor=self.request.user, contract=contract, **form.service_fields())


class ContractRenewView(ContractAddView):
    """续签: a new draft filled from the contract it renews (for a preliminary contract whose estate has an owners'
    committee in office, a service contract with the committee)."""

    permission_required = "contracts.add_contract"

    @property
    def action(self):  # type: ignore[override]
        return "add"

    def renewed(self) -> Contract:
        return get_object_or_404(restrict(Contract.objects.all(), self.request.user, "view"), pk=self.kwargs["pk"])

    def get_object(self):
        return Contract()

    def get(self, request, *args, **kwargs):
        base = self.renewed()
        initial = {name: getattr(value, "pk", value) for name, value in services.renewal_defaults(base).items()}
        form = self.form(instance=Contract(), user=request.user, initial=initial)
        return self.render_form(Contract(), form)

    def save(self, form):
        fields = form.service_fields()
        fields.pop("renews", None)
        return services.contract_renew(actor=self.request.user, contract=self.renewed(), **fields)


class ContractHistoryView(ObjectHistoryView):
    queryset = Contract.objects.all()


STEPS = {
    "submit": (gettext_lazy("Submit for review"), "primary", services.CHANGE, StepForm),
    "review": (gettext_lazy("Review"), "primary", services.REVIEW, ReviewForm),
    "sign": (gettext_lazy("Record as signed"), "success", services.SIGN, SignForm),
    "terminate": (gettext_lazy("Terminate"), "danger", services.SIGN, TerminateForm),
    "file": (gettext_lazy("Attach a file"), "primary", "contracts.add_contractfile", ContractFileForm),
}


class ContractStepView(TableStepView):
    queryset = Contract.objects.select_related("estate")
    steps = STEPS
    view_permission = "contracts.view_contract"

    @property
    def multipart(self):
        return self.step == "file"

    @property
    def template_name(self):
        # the review: one row per checklist point (holds, note), then the decision
        return "contracts/review_page.html" if self.step == "review" else StepView.template_name

    def render(self, obj, form, status=200):
        response = super().render(obj, form, status)
        if self.step == "review":
            response.context_data["checks"] = [(check, form[f"check_{check.pk}"], form[f"note_{check.pk}"])
                                               for check in form.checks]
        return response

    def make_form(self, contract, data=None, files=None):
        form_class = STEPS[self.step][3]
        if form_class is ReviewForm:
            review = services.current_review(contract)
            checks = (list(review.checks.select_related("item")) if review is not None and review.result == "pending"
                      else [])
            return ReviewForm(data, files, user=self.request.user, obj=contract, checks=checks)
        return form_class(data, files, user=self.request.user, obj=contract)

    def notice(self, contract):
        sources = {"submit": (ContractStatus.DRAFT,), "review": (ContractStatus.IN_REVIEW,),
                   "sign": (ContractStatus.REVIEWED,), "terminate": LIVE_STATUSES}.get(self.step)
        if sources and contract.status not in sources:
            return _("A contract that is %(status)s cannot take this step.") % {
                "status": contract.get_status_display()}
        return None

    def perform(self, contract, form):
        user, step, data = self.request.user, self.step, form.cleaned_data
        if step == "submit":
            services.contract_submit_review(actor=user, contract=contract)
        elif step == "review":
            if data["decision"] == "pass":
                services.contract_pass_review(actor=user, contract=contract, checks=form.answers(),
                                              comments=data["comments"])
            else:
                services.contract_return_review(actor=user, contract=contract, checks=form.answers(),
                                                comments=data["comments"])
        elif step == "sign":
            services.contract_sign(actor=user, contract=contract, signed_on=data["signed_on"])
        elif step == "terminate":
            services.contract_terminate(actor=user, contract=contract, ended_on=data["ended_on"],
                                        reason=data["reason"])
        else:
            services.contract_add_file(actor=user, contract=contract, upload=data["file"])
        return _("%(step)s: %(contract)s") % {"step": STEPS[step][0], "contract": contract.number}


class ContractFileView(BaseView):
    """A contract's file, through ``restrict()``, always as a download; every opening is audited."""

    permission_required = "contracts.view_contractfile"

    def get(self, request, pk):
        stored = get_object_or_404(restrict(ContractFile.objects.select_related("contract"), request.user, "view"),
                                   pk=pk)
        audit("contract.download", actor=request.user, obj=stored.contract, estate_id=stored.contract.estate_id,
              file=stored.name, sha256=stored.sha256)
        return file_response(stored, withdrawn=False)


# --- takeovers ---------------------------------------------------------------------------------------------------


class TakeoverListView(ObjectListView):
    queryset = Takeover.objects.select_related("estate", "contract", "created_by")
    filterset = TakeoverFilterSet
    table = TakeoverTable


class TakeoverView(ObjectDetailView):
    queryset = Takeover.objects.select_related("estate", "contract")


class EstateTakeoverView(BaseView):
    """Record an estate's takeover: the page says which contract the rule (seed 2.10 / 2.11) requires and whether
    one is in force; the service refuses without it."""

    permission_required = services.TAKEOVER
    template_name = "contracts/takeover_form.html"

    def get_estate(self):
        return get_object_or_404(restrict(Estate.objects.all(), self.request.user, "change"), pk=self.kwargs["pk"])

    def render(self, estate, form, status=200):
        basis, rule = services.takeover_basis(estate)
        return TemplateResponse(self.request, self.template_name, {
            "estate": estate, "form": form, "basis": basis, "rule": services.takeover_rule(estate)[2],
            "missing": rule, "takeover": estate.takeovers.select_related("contract").first(),
            "add_url": f"{reverse('contracts:contract_add')}?estate={estate.pk}",
            "can_add": self.request.user.has_perm("contracts.add_contract"),
        }, status=status)

    def get(self, request, pk):
        estate = self.get_estate()
        return self.render(estate, TakeoverForm(user=request.user, estate=estate))

    def post(self, request, pk):
        estate = self.get_estate()
        form = TakeoverForm(request.POST, user=request.user, estate=estate)
        if form.is_valid():
            data = form.cleaned_data
            try:
                with transaction.atomic():
                    takeover = services.takeover_record(actor=request.user, estate=estate,
                                                        taken_over_on=data["taken_over_on"],
                                                        contract=data["contract"], notes=data["notes"])
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("%(estate)s has been taken over (contract %(number)s).") % {
                    "estate": estate, "number": takeover.contract.number})
                return redirect(estate.get_absolute_url())
        return self.render(estate, form, status=400)


# --- renewal tasks and the checklist -------------------------------------------------------------------------------


class RenewalTaskListView(ObjectListView):
    queryset = RenewalTask.objects.select_related("estate", "contract", "committee", "new_contract")
    filterset = RenewalTaskFilterSet
    table = RenewalTaskTable

    def get_queryset(self):
        return super().get_queryset().order_by("state", "-opened_on")


class RenewalCancelView(StepView):
    queryset = RenewalTask.objects.select_related("estate", "contract")
    permission_required = "contracts.change_renewaltask"
    form_class = CancelRenewalForm
    title = gettext_lazy("Cancel the renewal task")
    button_class = "btn-danger"

    def notice(self, task):
        if task.state != RenewalState.OPEN:
            return _("This renewal task is already closed.")
        return None

    def cancel_url(self, task):
        return task.contract.get_absolute_url()

    def perform(self, task, form):
        services.renewal_cancel(actor=self.request.user, task=task, reason=form.cleaned_data["reason"])
        return _("The renewal task of %(estate)s is cancelled.") % {"estate": task.estate}


class ChecklistListView(ObjectListView):
    queryset = ReviewChecklistItem.objects.all()
    filterset = ReviewChecklistItemFilterSet
    table = ReviewChecklistItemTable
    permission_required = "contracts.change_reviewchecklistitem"


class ChecklistEditView(ObjectEditView):
    queryset = ReviewChecklistItem.objects.all()
    form = ChecklistItemForm


_steps = "|".join(map(re.escape, STEPS))
urlpatterns = [
    path("", ContractListView.as_view(), name="contract_list"),
    path("add/", ContractAddView.as_view(), name="contract_add"),
    path("<int:pk>/", ContractView.as_view(), name="contract"),
    path("<int:pk>/edit/", ContractEditView.as_view(), name="contract_edit"),
    path("<int:pk>/history/", ContractHistoryView.as_view(), name="contract_history"),
    path("<int:pk>/renew/", ContractRenewView.as_view(), name="contract_renew"),
    re_path(rf"^(?P<pk>\d+)/(?P<step>{_steps})/$", ContractStepView.as_view(), name="contract_step"),
    path("files/<int:pk>/", ContractFileView.as_view(), name="file"),
    path("takeovers/", TakeoverListView.as_view(), name="takeover_list"),
    path("takeovers/<int:pk>/", TakeoverView.as_view(), name="takeover"),
    path("estates/<int:pk>/takeover/", EstateTakeoverView.as_view(), name="estate_takeover"),
    path("renewals/", RenewalTaskListView.as_view(), name="renewaltask_list"),
    path("renewals/<int:pk>/cancel/", RenewalCancelView.as_view(), name="renewaltask_cancel"),
    path("checklist/", ChecklistListView.as_view(), name="reviewchecklistitem_list"),
    path("checklist/add/", ChecklistEditView.as_view(), name="reviewchecklistitem_add"),
    path("checklist/<int:pk>/edit/", ChecklistEditView.as_view(), name="reviewchecklistitem_edit"),
]
