"""Borrowing (借阅, seed 2.6): the request by code, the borrowing register, a loan's page and its steps.

A secret or confidential document is not listed to someone who may not open it, so they ask for it by its
code. An unknown code and a document they may not even ask for get the same neutral answer.
"""

from __future__ import annotations

import datetime as dt
import re

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, re_path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wuye.core.forms import apply_errors
from wuye.core.views import BaseView, ObjectDetailView, ObjectListView

from .. import services
from ..choices import LoanMedium, LoanState
from ..filtersets import LoanFilterSet
from ..forms import LoanRequestForm, ReasonForm, StepForm
from ..models import Document, Loan
from ..tables import LoanTable
from .base import StepView


def neutral_error() -> str:
    return _("No document with this code can be requested.")


class LoanRequestView(BaseView):
    """Ask to borrow a document by its code."""

    permission_required = "documents.add_loan"
    template_name = "documents/loan_request.html"

    def render(self, form, status=200):
        return TemplateResponse(self.request, self.template_name, {"form": form}, status=status)

    def get(self, request):
        now = timezone.localtime().replace(second=0, microsecond=0)
        initial = {"code": request.GET.get("code", "")[:60], "starts_at": now,
                   "ends_at": now + dt.timedelta(days=1), "medium": LoanMedium.ELECTRONIC}
        return self.render(LoanRequestForm(initial=initial, user=request.user))

    def post(self, request):
        form = LoanRequestForm(request.POST, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            user = request.user
            document = Document.objects.filter(code=data["code"].strip()).filter(Document.in_scope(user)).first()
            openable = document is not None and Document.objects.restrict(user, "view").filter(
                pk=document.pk).exists()
            if document is None or (document.is_obsolete and not openable):
                form.add_error("code", neutral_error())
            else:
                try:
                    with transaction.atomic():
                        loan = services.loan_request(actor=user, document=document, purpose=data["purpose"],
                                                     medium=data["medium"], starts_at=data["starts_at"],
                                                     ends_at=data["ends_at"])
                except PermissionDenied:
                    form.add_error("code", neutral_error())
                except ValidationError as exc:
                    apply_errors(form, exc)
                else:
                    messages.success(request, _("Your request to borrow %(code)s was sent.") % {
                        "code": document.code})
                    return redirect(loan.get_absolute_url())
        return self.render(form, status=400)


class LoanListView(ObjectListView):
    """The borrowing register (借阅登记): the controller sees every loan, others their own."""

    queryset = Loan.objects.select_related("document", "borrower")
    filterset = LoanFilterSet
    table = LoanTable

    @property
    def extra_actions(self):
        from django.urls import reverse

        if self.request.user.has_perm("documents.add_loan"):
            return [(_("Request to borrow"), reverse("documents:loan_request"))]
        return []


LOAN_STEPS = {
    # step: (label, style, states it leaves, form)
    "approve": (gettext_lazy("Approve"), "success", (LoanState.REQUESTED,), StepForm),
    "reject": (gettext_lazy("Reject"), "outline-danger", (LoanState.REQUESTED, LoanState.APPROVED), ReasonForm),
    "lend": (gettext_lazy("Hand out the paper copy"), "primary", (LoanState.APPROVED,), StepForm),
    "return": (gettext_lazy("Record the return"), "primary", (LoanState.LENT,), StepForm),
    "cancel": (gettext_lazy("Withdraw the request"), "outline-danger", (LoanState.REQUESTED, LoanState.APPROVED),
               StepForm),
}


def may_take(loan: Loan, user, step: str) -> bool:
    """Whether ``user`` may take ``step`` on ``loan`` now (the service has the last word)."""
    if loan.state not in LOAN_STEPS[step][2]:
        return False
    if step == "cancel":
        return loan.borrower_id == user.pk
    if step == "return":
        own_electronic = loan.medium == LoanMedium.ELECTRONIC and loan.borrower_id == user.pk
        return own_electronic or services.may_decide(user, loan.document)
    if step == "approve" and loan.borrower_id == user.pk:
        return False
    if step == "lend" and loan.medium != LoanMedium.PAPER:
        return False
    return services.may_decide(user, loan.document)


class LoanView(ObjectDetailView):
    queryset = Loan.objects.select_related("document__custodian", "borrower", "decided_by", "returned_to")
    template_name = "documents/loan.html"

    def get_extra_context(self, loan):
        user = self.request.user
        from django.urls import reverse

        steps = [{"step": step, "label": label, "style": style,
                  "url": reverse("documents:loan_step", args=[loan.pk, step])}
                 for step, (label, style, _sources, _form) in LOAN_STEPS.items() if may_take(loan, user, step)]
        return {"steps": steps, "edit_url": None, "document_openable": Document.objects.restrict(user, "view")
                .filter(pk=loan.document_id).exists()}


class LoanStepView(StepView):
    """approve, reject (with the reason), lend (paper), return, cancel (the borrower)."""

    queryset = Loan.objects.select_related("document__custodian", "borrower")
    permission_required = "documents.view_loan"

    @property
    def step(self):
        return self.kwargs["step"]

    def get_object(self):
        if self.step not in LOAN_STEPS:
            raise Http404
        return super().get_object()

    def check(self, loan):
        step = self.step
        if step == "cancel":
            allowed = loan.borrower_id == self.request.user.pk
        elif step == "return":
            allowed = loan.borrower_id == self.request.user.pk or services.may_decide(self.request.user, loan.document)
        else:
            allowed = services.may_decide(self.request.user, loan.document)
        if not allowed:
            raise PermissionDenied

    def make_form(self, obj, data=None, files=None):
        return LOAN_STEPS[self.step][3](data, files, user=self.request.user, obj=obj)

    def get_title(self, loan):
        return str(LOAN_STEPS[self.step][0])

    @property
    def button_class(self):
        return "btn-" + LOAN_STEPS[self.step][1].replace("outline-", "")

    def notice(self, loan):
        if loan.state not in LOAN_STEPS[self.step][2]:
            return _("A loan that is %(state)s cannot take this step.") % {"state": loan.display_state()}
        return None

    def perform(self, loan, form):
        user, step = self.request.user, self.step
        if step == "approve":
            services.loan_approve(actor=user, loan=loan)
        elif step == "reject":
            services.loan_reject(actor=user, loan=loan, reason=form.cleaned_data["reason"])
        elif step == "lend":
            services.loan_lend(actor=user, loan=loan)
        elif step == "return":
            services.loan_return(actor=user, loan=loan)
        else:
            services.loan_cancel(actor=user, loan=loan)
        return _("%(step)s: %(loan)s") % {"step": LOAN_STEPS[step][0], "loan": loan}


urlpatterns = [
    path("loans/", LoanListView.as_view(), name="loan_list"),
    path("loans/request/", LoanRequestView.as_view(), name="loan_request"),
    path("loans/<int:pk>/", LoanView.as_view(), name="loan"),
    re_path(rf"^loans/(?P<pk>\d+)/(?P<step>{'|'.join(map(re.escape, LOAN_STEPS))})/$", LoanStepView.as_view(),
            name="loan_step"),
]
