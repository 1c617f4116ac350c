"""Pages of the management review (管理评审, seed 1.9): the register (Excel), a review's page with its compiled
inputs as tables, its steps (compile, hold, add an output, close, cancel), the minutes as PDF (管理评审记录);
the action items list (mine / open / overdue) with the items' steps (complete, cancel)."""

from __future__ import annotations

import re

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import NoReverseMatch, path, re_path, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wuye.core.audit import audit
from wuye.core.pdf import PdfResponse, render_pdf
from wuye.core.querysets import restrict
from wuye.core.views import BaseView, ObjectDetailView, ObjectEditView, ObjectHistoryView, ObjectListView
from wuye.documents.views.base import StepView, TableStepView

from ..choices import ActionItemStatus, ReviewStatus
from ..filtersets.reviews import ActionItemFilterSet, ManagementReviewFilterSet
from ..forms.reviews import (
    ActionItemForm,
    CompileForm,
    CompleteForm,
    HoldForm,
    InputTextForm,
    ManagementReviewForm,
    ReasonForm,
)
from ..models import ActionItem, ManagementReview, ReviewInput
from ..selectors.reviews import inputs_with_tables
from ..services import reviews as services
from ..tables.reviews import ActionItemTable, ManagementReviewTable


class ManagementReviewListView(ObjectListView):
    queryset = ManagementReview.objects.select_related("chair")
    filterset = ManagementReviewFilterSet
    table = ManagementReviewTable


def review_steps(review: ManagementReview, user) -> list[dict]:
    """The steps ``user`` may take on ``review`` now (the services have the last word)."""
    steps = []

    def add(step, label, style="outline-primary"):
        steps.append({"step": step, "label": label, "style": style,
                      "url": reverse("quality:managementreview_step", args=[review.pk, step])})

    planned, held = review.status == ReviewStatus.PLANNED, review.status == ReviewStatus.HELD
    if planned and user.has_perm(services.REVIEW_CHANGE):
        add("compile", _("Refresh the inputs") if review.compiled_at else _("Compile the inputs"),
            "outline-primary" if review.compiled_at else "primary")
    if planned and review.compiled_at and user.has_perm(services.REVIEW_HOLD):
        add("hold", _("Record as held"), "primary")
    if (planned or held) and user.has_perm(services.REVIEW_CHANGE):
        add("action", _("Add an output"))
    if held and user.has_perm(services.REVIEW_HOLD):
        add("close", _("Close"), "success")
    if planned and user.has_perm(services.REVIEW_CHANGE):
        add("cancel", _("Cancel"), "outline-danger")
    return steps


def _corrective_action_url(review: ManagementReview, user) -> str | None:
    """The corrective actions' add page, told it comes from this review (when that page exists)."""
    if not user.has_perm("quality.add_correctiveaction") or review.status not in (ReviewStatus.HELD,
                                                                                  ReviewStatus.PLANNED):
        return None
    try:
        url = reverse("quality:correctiveaction_add")
    except NoReverseMatch:
        return None
    return f"{url}?{urlencode({'source': 'review', 'review': review.pk})}"


class ManagementReviewView(ObjectDetailView):
    queryset = ManagementReview.objects.select_related("chair").prefetch_related("attendees")
    template_name = "quality/reviews/managementreview.html"

    def get_extra_context(self, review):
        user = self.request.user
        items = list(review.actions.select_related("owner", "review"))
        today = timezone.localdate()
        for item in items:
            item.overdue = item.is_overdue(today)
            item.can_complete = item.status == ActionItemStatus.OPEN and services.action_item_may_complete(user, item)
            item.can_cancel = item.status == ActionItemStatus.OPEN and services.action_item_may_change(user, item)
        editable_inputs = (review.status in (ReviewStatus.PLANNED, ReviewStatus.HELD)
                           and user.has_perm(services.INPUT_CHANGE))
        return {
            "steps": review_steps(review, user),
            "edit_url": reverse("quality:managementreview_edit", args=[review.pk])
            if self.can_change and review.status == ReviewStatus.PLANNED else None,
            "inputs": inputs_with_tables(review),
            "editable_inputs": editable_inputs,
            "items": items,
            "pdf_url": reverse("quality:managementreview_pdf", args=[review.pk]),
            "corrective_action_url": _corrective_action_url(review, user),
            "corrective_actions": list(restrict(review.corrective_actions.all(), user, "view")),
        }


class ManagementReviewAddView(ObjectEditView):
    queryset = ManagementReview.objects.all()
    form = ManagementReviewForm

    def save(self, form):
        return services.management_review_plan(actor=self.request.user, attendees=form.cleaned_data["attendees"],
                                               **form.service_fields())


class ManagementReviewEditView(ObjectEditView):
    queryset = ManagementReview.objects.all()
    form = ManagementReviewForm

    def get_object(self):
        review = super().get_object()
        if review.status != ReviewStatus.PLANNED:
            raise PermissionDenied
        return review

    def save(self, form):
        review = ManagementReview.objects.get(pk=form.instance.pk)
        return services.management_review_update(actor=self.request.user, review=review,
                                                 attendees=form.cleaned_data["attendees"], **form.service_fields())


class ManagementReviewHistoryView(ObjectHistoryView):
    queryset = ManagementReview.objects.all()


STEPS = {
    "compile": (gettext_lazy("Compile the inputs"), "primary", services.REVIEW_CHANGE, CompileForm,
                (ReviewStatus.PLANNED,)),
    "hold": (gettext_lazy("Record as held"), "primary", services.REVIEW_HOLD, HoldForm, (ReviewStatus.PLANNED,)),
    "action": (gettext_lazy("Add an output"), "primary", services.REVIEW_CHANGE, ActionItemForm,
               (ReviewStatus.PLANNED, ReviewStatus.HELD)),
    "close": (gettext_lazy("Close"), "success", services.REVIEW_HOLD, CompileForm, (ReviewStatus.HELD,)),
    "cancel": (gettext_lazy("Cancel the review"), "danger", services.REVIEW_CHANGE, ReasonForm,
               (ReviewStatus.PLANNED,)),
}


class ManagementReviewStepView(TableStepView):
    queryset = ManagementReview.objects.all()
    steps = STEPS
    view_permission = "quality.view_managementreview"

    def notice(self, review):
        if review.status not in STEPS[self.step][4]:
            return _("A management review that is %(status)s cannot take this step.") % {
                "status": review.get_status_display()}
        if self.step == "compile" and review.compiled_at:
            return _("The figures are read again for the period; the summaries written are kept.")
        return None

    def perform(self, review, form):
        user, step, data = self.request.user, self.step, form.cleaned_data
        if step == "compile":
            services.management_review_compile(actor=user, review=review)
        elif step == "hold":
            services.management_review_hold(actor=user, review=review, held_on=data["held_on"],
                                            minutes=data["minutes"], conclusion=data["conclusion"],
                                            attendees=data["attendees"])
        elif step == "action":
            services.action_item_add(actor=user, parent=review, text=data["text"], kind=data["kind"],
                                     owner=data["owner"], due_on=data["due_on"])
        elif step == "close":
            services.management_review_close(actor=user, review=review)
        else:
            services.management_review_cancel(actor=user, review=review, reason=data["reason"])
        return _("%(step)s: %(review)s") % {"step": STEPS[step][0], "review": review.number}


class ReviewInputEditView(StepView):
    """The summary people write for one input (the figures stay as compiled)."""

    queryset = ReviewInput.objects.select_related("review")
    permission_required = services.INPUT_CHANGE
    form_class = InputTextForm

    def get_title(self, item):
        return _("Summary: %(topic)s") % {"topic": item.get_topic_display()}

    def notice(self, item):
        if item.review.status not in (ReviewStatus.PLANNED, ReviewStatus.HELD):
            return _("A management review that is %(status)s cannot take this step.") % {
                "status": item.review.get_status_display()}
        return None

    def cancel_url(self, item):
        return f"{item.review.get_absolute_url()}#input-{item.topic}"

    def perform(self, item, form):
        services.review_input_update(actor=self.request.user, input=item, text=form.cleaned_data["text"])
        return _("Saved the summary of %(topic)s.") % {"topic": item.get_topic_display()}


class ManagementReviewPdfView(BaseView):
    """管理评审记录: attendees, inputs, minutes, conclusion, outputs with owners and due dates."""

    permission_required = "quality.view_managementreview"

    def get(self, request, pk):
        review = get_object_or_404(restrict(ManagementReview.objects.select_related("chair"), request.user, "view"),
                                   pk=pk)
        title = _("Management review record")
        pdf = render_pdf("quality/reviews/review_pdf.html", {
            "title": title, "review": review, "attendees": list(review.attendees.order_by("name")),
            "inputs": inputs_with_tables(review), "items": list(review.actions.select_related("owner")),
            "corrective_actions": list(review.corrective_actions.all()),
        }, request=request)
        audit("report.export", actor=request.user, obj=review, report="management_review", format="pdf")
        return PdfResponse(pdf, f"{title}-{review.number}.pdf")


# --- action items ----------------------------------------------------------------------------------------------------


class ActionItemListView(ObjectListView):
    """Action items of reviews and meetings; ``?mine=true&open=true`` are the user's own open ones."""

    queryset = ActionItem.objects.select_related("owner", "review", "meeting")
    filterset = ActionItemFilterSet
    table = ActionItemTable

    def get_queryset(self):
        return super().get_queryset().order_by("status", "due_on", "pk")


ITEM_STEPS = {
    "complete": (gettext_lazy("Mark as done"), "success", "quality.view_actionitem", CompleteForm),
    "cancel": (gettext_lazy("Cancel the action item"), "danger", "quality.change_actionitem", ReasonForm),
}


class ActionItemStepView(StepView):
    queryset = ActionItem.objects.select_related("owner", "review", "meeting")

    @property
    def step(self):
        return self.kwargs["step"]

    def get_permission_required(self):
        return ITEM_STEPS[self.step][2] if self.step in ITEM_STEPS else "quality.view_actionitem"

    def get_object(self):
        if self.step not in ITEM_STEPS:
            raise Http404
        return super().get_object()

    def check(self, item):
        allowed = (services.action_item_may_complete if self.step == "complete"
                   else services.action_item_may_change)(self.request.user, item)
        if not allowed:
            raise PermissionDenied

    @property
    def button_class(self):
        return f"btn-{ITEM_STEPS[self.step][1]}"

    def get_title(self, item):
        return str(ITEM_STEPS[self.step][0])

    def make_form(self, item, data=None, files=None):
        return ITEM_STEPS[self.step][3](data, files, user=self.request.user, obj=item)

    def notice(self, item):
        if item.status != ActionItemStatus.OPEN:
            return _("This action item is already %(status)s.") % {"status": item.get_status_display()}
        return None

    def success_url(self, item):
        parent = item.review or item.meeting
        if self.request.user.has_perm(f"quality.view_{parent._meta.model_name}"):
            return parent.get_absolute_url()
        return f"{reverse('quality:actionitem_list')}?mine=true"

    def cancel_url(self, item):
        return self.success_url(item)

    def perform(self, item, form):
        data = form.cleaned_data
        if self.step == "complete":
            services.action_item_complete(actor=self.request.user, item=item, result=data["result"],
                                          done_on=data["done_on"])
        else:
            services.action_item_cancel(actor=self.request.user, item=item, reason=data["reason"])
        return _("%(step)s: %(item)s") % {"step": ITEM_STEPS[self.step][0], "item": item}


_steps = "|".join(map(re.escape, STEPS))
_item_steps = "|".join(map(re.escape, ITEM_STEPS))
urlpatterns = [
    path("reviews/", ManagementReviewListView.as_view(), name="managementreview_list"),
    path("reviews/add/", ManagementReviewAddView.as_view(), name="managementreview_add"),
    path("reviews/<int:pk>/", ManagementReviewView.as_view(), name="managementreview"),
    path("reviews/<int:pk>/edit/", ManagementReviewEditView.as_view(), name="managementreview_edit"),
    path("reviews/<int:pk>/history/", ManagementReviewHistoryView.as_view(), name="managementreview_history"),
    path("reviews/<int:pk>/minutes.pdf", ManagementReviewPdfView.as_view(), name="managementreview_pdf"),
    re_path(rf"^reviews/(?P<pk>\d+)/(?P<step>{_steps})/$", ManagementReviewStepView.as_view(),
            name="managementreview_step"),
    path("reviews/inputs/<int:pk>/edit/", ReviewInputEditView.as_view(), name="reviewinput_edit"),
    path("action-items/", ActionItemListView.as_view(), name="actionitem_list"),
    re_path(rf"^action-items/(?P<pk>\d+)/(?P<step>{_item_steps})/$", ActionItemStepView.as_view(),
            name="actionitem_step"),
]
