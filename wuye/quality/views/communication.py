"""Pages of communication (seed 1.10): meetings (list with Excel, page with agenda, minutes, decisions, action items
and files, plan/edit, steps, the minutes as PDF) and submissions (reports and appeals: list with Excel, page, file
one, steps assign/reply/close/file). Residents file and follow their own submissions on pages in the owner portal's
look (``quality:submission_add``, ``quality:submission_list``).

Confidential submissions are seen only by their submitter, their assignee and holders of
``quality.view_confidential_submission``: every list, page, export and step goes through ``restrict()``."""

from __future__ import annotations

import re

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, re_path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wuye.core.audit import audit
from wuye.core.pdf import PdfResponse, render_pdf
from wuye.core.querysets import restrict
from wuye.core.scope import user_scope
from wuye.core.views import BaseView, ObjectDetailView, ObjectEditView, ObjectHistoryView, ObjectListView
from wuye.documents.views.base import TableStepView

from .. import services
from ..choices import ActionItemStatus, MeetingStatus, SubmissionState
from ..filtersets.communication import MeetingFilterSet, SubmissionFilterSet
from ..forms.communication import (
    AssignForm,
    CloseForm,
    MeetingActionForm,
    MeetingForm,
    MinutesForm,
    QualityFileForm,
    ReasonForm,
    ReplyForm,
    ResidentSubmissionForm,
    SubmissionForm,
)
from ..models import Meeting, Submission
from ..selectors.communication import meeting_actions, with_open_actions
from ..services.communication import MEETING_CHANGE, SUBMISSION_HANDLE, entered_for_customer
from ..services.files import files_of
from ..tables.communication import MeetingTable, SubmissionTable

T = "quality/communication"


def is_resident(user) -> bool:
    """A resident using the owner portal (not staff): their submission pages take the portal's look."""
    return bool(user.is_authenticated and not user.is_staff and user_scope(user).is_resident)


# --- meetings -----------------------------------------------------------------------------------------------------


class MeetingListView(ObjectListView):
    queryset = Meeting.objects.select_related("department", "chair")
    filterset = MeetingFilterSet
    table = MeetingTable

    def get_queryset(self):
        return with_open_actions(super().get_queryset())


def meeting_steps(meeting: Meeting, user) -> list[dict]:
    steps = []

    def add(step, label, style="outline-primary"):
        steps.append({"step": step, "label": label, "style": style,
                      "url": reverse("quality:meeting_step", args=[meeting.pk, step])})

    if not user.has_perm(MEETING_CHANGE):
        return steps
    if meeting.status != MeetingStatus.CANCELLED:
        add("minutes", _("Record the minutes") if meeting.status == MeetingStatus.PLANNED
            else _("Correct the minutes"), "primary" if meeting.status == MeetingStatus.PLANNED else "outline-primary")
        if user.has_perm("quality.add_actionitem"):
            add("action", _("Add an action item"))
        if user.has_perm("quality.add_qualityfile"):
            add("file", _("Attach a file"))
    if meeting.status == MeetingStatus.PLANNED:
        add("cancel", _("Cancel the meeting"), "outline-danger")
    return steps


class MeetingView(ObjectDetailView):
    queryset = Meeting.objects.select_related("department", "chair", "chair__user")
    template_name = f"{T}/meeting.html"

    def get_extra_context(self, meeting):
        user = self.request.user
        actions = meeting_actions(meeting)
        for item in actions:  # the steps of an action item are the reviews subject's (quality:actionitem_step)
            item.meeting = meeting
            open_ = item.status == ActionItemStatus.OPEN
            item.complete_url = reverse("quality:actionitem_step", args=[item.pk, "complete"]) \
                if open_ and services.action_item_may_complete(user, item) else None
            item.cancel_url = reverse("quality:actionitem_step", args=[item.pk, "cancel"]) \
                if open_ and services.action_item_may_change(user, item) else None
        return {
            "steps": meeting_steps(meeting, user),
            "edit_url": reverse("quality:meeting_edit", args=[meeting.pk])
            if self.can_change and meeting.status == MeetingStatus.PLANNED else None,
            "attendees": list(meeting.attendees.select_related("department").order_by("department", "name")),
            "actions": actions,
            "files": list(files_of(meeting)) if user.has_perm("quality.view_qualityfile") else [],
            "pdf_url": reverse("quality:meeting_pdf", args=[meeting.pk]),
        }


class MeetingAddView(ObjectEditView):
    queryset = Meeting.objects.all()
    form = MeetingForm

    def save(self, form):
        return services.meeting_plan(actor=self.request.user, **form.service_fields())


class MeetingEditView(ObjectEditView):
    queryset = Meeting.objects.all()
    form = MeetingForm

    def get_object(self):
        meeting = super().get_object()
        if meeting.status != MeetingStatus.PLANNED:
            raise PermissionDenied
        return meeting

    def save(self, form):
        meeting = Meeting.objects.get(pk=form.instance.pk)
        return services.meeting_update(actor=self.request.user, meeting=meeting, **form.service_fields())


class MeetingHistoryView(ObjectHistoryView):
    queryset = Meeting.objects.all()


MEETING_STEPS = {
    "minutes": (gettext_lazy("Record the minutes"), "primary", MEETING_CHANGE, MinutesForm),
    "action": (gettext_lazy("Add an action item"), "primary", "quality.add_actionitem", MeetingActionForm),
    "file": (gettext_lazy("Attach a file"), "primary", "quality.add_qualityfile", QualityFileForm),
    "cancel": (gettext_lazy("Cancel the meeting"), "danger", MEETING_CHANGE, ReasonForm),
}


class MeetingStepView(TableStepView):
    queryset = Meeting.objects.all()
    steps = MEETING_STEPS
    view_permission = MEETING_CHANGE

    def check(self, meeting):
        if not self.request.user.has_perm(MEETING_CHANGE):
            raise PermissionDenied

    @property
    def multipart(self):
        return self.step == "file"

    def notice(self, meeting):
        if meeting.status == MeetingStatus.CANCELLED or (self.step == "cancel"
                                                          and meeting.status != MeetingStatus.PLANNED):
            return _("A meeting that is %(status)s cannot take this step.") % {
                "status": meeting.get_status_display()}
        return None

    def perform(self, meeting, form):
        user, data = self.request.user, form.cleaned_data
        if self.step == "minutes":
            services.meeting_record_minutes(actor=user, meeting=meeting, minutes=data["minutes"],
                                            decisions=data["decisions"], attendees=list(data["attendees"]))
        elif self.step == "action":
            services.meeting_action_add(actor=user, meeting=meeting, text=data["text"], owner=data["owner"],
                                        due_on=data["due_on"])
        elif self.step == "file":
            services.meeting_add_file(actor=user, meeting=meeting, upload=data["file"], note=data["note"])
        else:
            services.meeting_cancel(actor=user, meeting=meeting, reason=data["reason"])
        return _("%(step)s: %(meeting)s") % {"step": MEETING_STEPS[self.step][0], "meeting": meeting.number}


class MeetingPdfView(BaseView):
    """The minutes of a meeting as PDF (会议纪要): attendees, agenda, minutes, decisions, action items."""

    permission_required = "quality.view_meeting"

    def get(self, request, pk):
        meeting = get_object_or_404(restrict(Meeting.objects.select_related("department", "chair"), request.user,
                                             "view"), pk=pk)
        title = _("Meeting minutes")
        pdf = render_pdf(f"{T}/meeting_pdf.html", {
            "title": title, "meeting": meeting, "actions": meeting_actions(meeting),
            "attendees": list(meeting.attendees.select_related("department").order_by("department", "name")),
        }, request=request)
        audit("report.export", actor=request.user, obj=meeting, report="meeting_minutes", format="pdf")
        return PdfResponse(pdf, f"{title}-{meeting.number}")


# --- submissions ------------------------------------------------------------------------------------------------


class SubmissionListView(ObjectListView):
    """Reports and appeals, as ``restrict()`` lets the user see them (the Excel export too). A resident sees their
    own on a page in the portal's look."""

    queryset = Submission.objects.select_related("estate", "assignee")
    filterset = SubmissionFilterSet
    table = SubmissionTable

    def get(self, request, *args, **kwargs):
        if is_resident(request.user) and not request.GET.get("export"):
            return TemplateResponse(request, f"{T}/portal_submission_list.html", {
                "submissions": list(self.get_queryset().order_by("-created_at", "-id")[:200]),
                "add_url": reverse("quality:submission_add"),
            })
        return super().get(request, *args, **kwargs)


def submission_steps(submission: Submission, user) -> list[dict]:
    steps = []

    def add(step, label, style="outline-primary"):
        steps.append({"step": step, "label": label, "style": style,
                      "url": reverse("quality:submission_step", args=[submission.pk, step])})

    state = submission.state
    handler = user.has_perm(SUBMISSION_HANDLE)
    if handler and state in (SubmissionState.SUBMITTED, SubmissionState.ASSIGNED):
        add("assign", _("Assign") if state == SubmissionState.SUBMITTED else _("Reassign"),
            "primary" if state == SubmissionState.SUBMITTED else "outline-primary")
        add("reply", _("Reply"), "primary" if state == SubmissionState.ASSIGNED else "outline-primary")
    if handler and state == SubmissionState.REPLIED:
        add("close", _("Close"), "success")
    if state != SubmissionState.CLOSED and user.has_perm("quality.add_qualityfile") and (
            handler or user.pk in (submission.submitted_by_id, submission.assignee_id)):
        add("file", _("Attach a file"))
    return steps


class SubmissionView(ObjectDetailView):
    queryset = Submission.objects.select_related("estate", "staff", "customer", "submitted_by", "assignee")
    template_name = f"{T}/submission.html"

    def get_template_names(self):
        if is_resident(self.request.user):
            return [f"{T}/portal_submission.html"]
        return super().get_template_names()

    def get_extra_context(self, submission):
        user = self.request.user
        return {
            "steps": submission_steps(submission, user),
            "files": list(files_of(submission)) if user.has_perm("quality.view_qualityfile") else [],
            "entered_for_customer": entered_for_customer(submission),
            "history_url": reverse("quality:submission_history", args=[submission.pk])
            if user.has_perm(SUBMISSION_HANDLE) else None,
        }


class SubmissionAddView(ObjectEditView):
    """File a report or an appeal: a staff member their own (a handler also one for a customer), a resident their
    own."""

    queryset = Submission.objects.all()

    @property
    def form(self):  # type: ignore[override]
        return ResidentSubmissionForm if is_resident(self.request.user) else SubmissionForm

    @property
    def template_name(self):  # type: ignore[override]
        return f"{T}/portal_submission_form.html" if is_resident(self.request.user) else "core/object_edit.html"

    def save(self, form):
        return services.submission_file(actor=self.request.user, **form.service_fields())


class SubmissionHistoryView(ObjectHistoryView):
    """The change history of a submission: for those who handle submissions."""

    queryset = Submission.objects.all()
    permission_required = SUBMISSION_HANDLE


SUBMISSION_STEPS = {
    "assign": (gettext_lazy("Assign"), "primary", SUBMISSION_HANDLE, AssignForm),
    "reply": (gettext_lazy("Reply"), "primary", SUBMISSION_HANDLE, ReplyForm),
    "close": (gettext_lazy("Close"), "success", SUBMISSION_HANDLE, CloseForm),
    "file": (gettext_lazy("Attach a file"), "primary", "quality.add_qualityfile", QualityFileForm),
}


class SubmissionStepView(TableStepView):
    queryset = Submission.objects.select_related("assignee", "customer")
    steps = SUBMISSION_STEPS
    view_permission = SUBMISSION_HANDLE

    def check(self, submission):
        user = self.request.user
        if self.step == "file" and not (user.has_perm(SUBMISSION_HANDLE)
                                        or user.pk in (submission.submitted_by_id, submission.assignee_id)):
            raise PermissionDenied

    @property
    def multipart(self):
        return self.step == "file"

    def notice(self, submission):
        allowed = {"assign": (SubmissionState.SUBMITTED, SubmissionState.ASSIGNED),
                   "reply": (SubmissionState.SUBMITTED, SubmissionState.ASSIGNED),
                   "close": (SubmissionState.REPLIED,),
                   "file": (SubmissionState.SUBMITTED, SubmissionState.ASSIGNED, SubmissionState.REPLIED)}[self.step]
        if submission.state not in allowed:
            return _("A submission that is %(state)s cannot take this step.") % {
                "state": submission.get_state_display()}
        return None

    def perform(self, submission, form):
        user, data = self.request.user, form.cleaned_data
        if self.step == "assign":
            services.submission_assign(actor=user, submission=submission, assignee=data["assignee"])
        elif self.step == "reply":
            services.submission_reply(actor=user, submission=submission, reply=data["reply"])
        elif self.step == "close":
            services.submission_close(actor=user, submission=submission, note=data["note"])
        else:
            services.submission_add_file(actor=user, submission=submission, upload=data["file"], note=data["note"])
        return _("%(step)s: %(submission)s") % {"step": SUBMISSION_STEPS[self.step][0],
                                                "submission": submission.number}


def _steps(steps: dict) -> str:
    return "|".join(map(re.escape, steps))


urlpatterns = [
    path("meetings/", MeetingListView.as_view(), name="meeting_list"),
    path("meetings/add/", MeetingAddView.as_view(), name="meeting_add"),
    path("meetings/<int:pk>/", MeetingView.as_view(), name="meeting"),
    path("meetings/<int:pk>/edit/", MeetingEditView.as_view(), name="meeting_edit"),
    path("meetings/<int:pk>/history/", MeetingHistoryView.as_view(), name="meeting_history"),
    path("meetings/<int:pk>/minutes.pdf", MeetingPdfView.as_view(), name="meeting_pdf"),
    re_path(rf"^meetings/(?P<pk>\d+)/(?P<step>{_steps(MEETING_STEPS)})/$", MeetingStepView.as_view(),
            name="meeting_step"),
    path("submissions/", SubmissionListView.as_view(), name="submission_list"),
    path("submissions/add/", SubmissionAddView.as_view(), name="submission_add"),
    path("submissions/<int:pk>/", SubmissionView.as_view(), name="submission"),
    path("submissions/<int:pk>/history/", SubmissionHistoryView.as_view(), name="submission_history"),
    re_path(rf"^submissions/(?P<pk>\d+)/(?P<step>{_steps(SUBMISSION_STEPS)})/$", SubmissionStepView.as_view(),
            name="submission_step"),
]
