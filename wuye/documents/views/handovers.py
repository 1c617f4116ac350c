"""Custodian handovers (交接, seed 2.6): the list, preparing one (the generated list, add and remove items),
sending it, the successor's item-by-item confirmation, cancelling, and the printable record (PDF)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wuye.core.audit import audit
from wuye.core.forms import apply_errors
from wuye.core.pdf import PdfResponse, render_pdf
from wuye.core.querysets import restrict
from wuye.core.views import BaseView, ObjectDetailView, ObjectListView

from .. import services
from ..choices import HandoverState
from ..filtersets import HandoverFilterSet
from ..forms import HandoverForm, HandoverItemForm, ReasonForm, StepForm
from ..models import Document, Handover
from ..tables import HandoverTable
from .base import StepView


class HandoverListView(ObjectListView):
    queryset = Handover.objects.select_related("from_staff", "to_staff")
    filterset = HandoverFilterSet
    table = HandoverTable


class HandoverAddView(BaseView):
    """The controller prepares a handover: every document in the leaving custodian's care is listed."""

    permission_required = services.HANDOVER
    template_name = "documents/handover_add.html"

    def render(self, form, status=200):
        return TemplateResponse(self.request, self.template_name, {"form": form, "model": Handover}, status=status)

    def get(self, request):
        initial = {k: v for k, v in request.GET.items() if k in ("from_staff", "to_staff")}
        return self.render(HandoverForm(initial=initial, user=request.user))

    def post(self, request):
        form = HandoverForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                with transaction.atomic():
                    handover = services.handover_create(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Handover prepared: %(handover)s") % {"handover": handover})
                return redirect(handover.get_absolute_url())
        return self.render(form, status=400)


class HandoverView(ObjectDetailView):
    queryset = Handover.objects.select_related("from_staff", "to_staff")
    template_name = "documents/handover.html"

    def get_extra_context(self, handover):
        user = self.request.user
        manage = user.has_perm(services.HANDOVER)
        draft, sent = handover.state == HandoverState.DRAFT, handover.state == HandoverState.SENT
        items = list(handover.items.select_related("document__category", "document__location").order_by(
            "document__code"))
        return {
            "items": items,
            "edit_url": None,
            "can_edit_items": manage and draft,
            "can_send": manage and draft and bool(items),
            "can_cancel": manage and (draft or sent),
            "can_confirm": sent and handover.to_staff.user_id == user.pk,
            "confirmed": sum(1 for i in items if i.confirmed_at),
        }


class HandoverStepView(StepView):
    queryset = Handover.objects.select_related("from_staff", "to_staff")
    permission_required = services.HANDOVER
    form_class = StepForm
    sources: tuple = (HandoverState.DRAFT,)

    def notice(self, handover):
        if handover.state not in self.sources:
            return _("A handover that is %(state)s cannot be changed so.") % {"state": handover.get_state_display()}
        return None


class HandoverItemAddView(HandoverStepView):
    form_class = HandoverItemForm
    title = gettext_lazy("Add a document")

    def perform(self, handover, form):
        code = form.cleaned_data["code"].strip()
        document = restrict(Document.objects.all(), self.request.user, "view").filter(code=code).first()
        if document is None:
            raise ValidationError({"code": _("No document with this code can be requested.")})
        services.handover_add(actor=self.request.user, handover=handover, document=document,
                              note=form.cleaned_data["note"])
        return _("%(code)s added to the handover.") % {"code": document.code}


class HandoverItemView(HandoverStepView):
    """A step on one listed document (the ``document`` in the URL must be in the handover)."""

    def document(self, handover):
        return get_object_or_404(Document.objects.filter(handover_items__handover=handover),
                                 pk=self.kwargs["document"])

    def get_title(self, handover):
        return f"{self.title} {self.document(handover).code}"


class HandoverItemRemoveView(HandoverItemView):
    title = gettext_lazy("Take off the list")
    button_class = "btn-danger"

    def perform(self, handover, form):
        document = self.document(handover)
        services.handover_remove(actor=self.request.user, handover=handover, document=document)
        return _("%(code)s taken off the handover.") % {"code": document.code}


class HandoverConfirmView(HandoverItemView):
    """The successor confirms receiving one document; with the last one custody moves."""

    permission_required = "documents.view_handover"
    title = gettext_lazy("Confirm receipt")
    button_class = "btn-success"
    sources = (HandoverState.SENT,)

    def check(self, handover):
        if handover.to_staff.user_id != self.request.user.pk:
            raise PermissionDenied

    def perform(self, handover, form):
        document = self.document(handover)
        handover = services.handover_confirm(actor=self.request.user, handover=handover, document=document)
        if handover.state == HandoverState.COMPLETED:
            return _("Every document is confirmed: the custody has moved to %(name)s.") % {
                "name": handover.to_staff.name}
        return _("Receipt of %(code)s confirmed.") % {"code": document.code}


class HandoverSendView(HandoverStepView):
    title = gettext_lazy("Send to the successor")

    def perform(self, handover, form):
        services.handover_send(actor=self.request.user, handover=handover)
        return _("Handover sent to %(name)s for confirmation.") % {"name": handover.to_staff.name}


class HandoverCancelView(HandoverStepView):
    form_class = ReasonForm
    title = gettext_lazy("Cancel the handover")
    button_class = "btn-danger"
    sources = (HandoverState.DRAFT, HandoverState.SENT)

    def perform(self, handover, form):
        services.handover_cancel(actor=self.request.user, handover=handover, reason=form.cleaned_data["reason"])
        return _("Handover cancelled.")


class HandoverPrintView(BaseView):
    """The handover record as a PDF (kept with the paper originals, signed by both)."""

    permission_required = "documents.view_handover"

    def get(self, request, pk):
        handover = get_object_or_404(restrict(Handover.objects.select_related("from_staff", "to_staff"),
                                              request.user, "view"), pk=pk)
        items = handover.items.select_related("document__category", "document__location").order_by("document__code")
        title = _("Document handover record")
        pdf = render_pdf("documents/handover_pdf.html", {"title": title, "handover": handover, "items": items},
                         request=request)
        audit("handover.print", actor=request.user, obj=handover)
        return PdfResponse(pdf, f"{title}-{handover.pk}-{timezone.localdate():%Y%m%d}.pdf")


urlpatterns = [
    path("handovers/", HandoverListView.as_view(), name="handover_list"),
    path("handovers/add/", HandoverAddView.as_view(), name="handover_add"),
    path("handovers/<int:pk>/", HandoverView.as_view(), name="handover"),
    path("handovers/<int:pk>/items/add/", HandoverItemAddView.as_view(), name="handover_item_add"),
    path("handovers/<int:pk>/items/<int:document>/remove/", HandoverItemRemoveView.as_view(),
         name="handover_item_remove"),
    path("handovers/<int:pk>/items/<int:document>/confirm/", HandoverConfirmView.as_view(), name="handover_confirm"),
    path("handovers/<int:pk>/send/", HandoverSendView.as_view(), name="handover_send"),
    path("handovers/<int:pk>/cancel/", HandoverCancelView.as_view(), name="handover_cancel"),
    path("handovers/<int:pk>/print/", HandoverPrintView.as_view(), name="handover_print"),
]

