"""Pages of the training app: plans (list, page with items and the completion matrix person × item, steps approve
and close), plan items, sessions (list, page, record form, cancel, materials, the sign-in sheet PDF), the training
records list (Excel), my training record and a staff member's record."""

from __future__ import annotations

import re

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, re_path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wuye.core.audit import audit
from wuye.core.pdf import PdfResponse, render_pdf
from wuye.core.querysets import restrict
from wuye.core.views import BaseView, ObjectDetailView, ObjectEditView, ObjectHistoryView, ObjectListView
from wuye.documents.files import file_response
from wuye.documents.forms import StepForm
from wuye.documents.views.base import StepView, TableStepView
from wuye.org.models import Staff

from . import selectors, services
from .choices import PlanStatus, SessionStatus
from .filtersets import AttendanceFilterSet, TrainingPlanFilterSet, TrainingSessionFilterSet
from .forms import CloseForm, MaterialForm, PlanForm, PlanItemForm, ReasonForm, RecordForm, SessionForm
from .models import DEPARTMENT_PERMISSION, Attendance, PlanItem, SessionMaterial, TrainingPlan, TrainingSession
from .tables import AttendanceTable, TrainingPlanTable, TrainingSessionTable

# --- plans ---------------------------------------------------------------------------------------------------------


class TrainingPlanListView(ObjectListView):
    queryset = TrainingPlan.objects.select_related("department", "approved_by")
    filterset = TrainingPlanFilterSet
    table = TrainingPlanTable


def plan_steps(plan: TrainingPlan, user) -> list[dict]:
    steps = []

    def add(step, label, style="outline-primary"):
        steps.append({"step": step, "label": label, "style": style,
                      "url": reverse("training:trainingplan_step", args=[plan.pk, step])})

    if plan.status == PlanStatus.DRAFT and user.has_perm(services.APPROVE) and plan.created_by_id != user.pk:
        add("approve", _("Approve"), "success")
    if plan.status == PlanStatus.APPROVED and user.has_perm(services.CHANGE_PLAN):
        add("close", _("Close"), "outline-secondary")
    return steps


class TrainingPlanView(ObjectDetailView):
    queryset = TrainingPlan.objects.select_related("department", "approved_by", "created_by")
    template_name = "training/trainingplan.html"

    def get_extra_context(self, plan):
        user = self.request.user
        draft = plan.status == PlanStatus.DRAFT
        items = list(plan.items.select_related("trainer_staff").prefetch_related("target_posts")
                     .order_by("month", "pk"))
        sessions = restrict(TrainingSession.objects.filter(plan_item__plan=plan), user, "view")
        return {
            "steps": plan_steps(plan, user),
            "edit_url": reverse("training:trainingplan_edit", args=[plan.pk]) if self.can_change and draft else None,
            "items": items,
            "item_add_url": reverse("training:planitem_add", args=[plan.pk])
            if draft and user.has_perm("training.add_planitem") else None,
            "can_edit_items": draft and user.has_perm("training.change_planitem"),
            "sessions": list(sessions.order_by("date", "pk")),
            "matrix": selectors.completion_matrix(plan) if user.has_perm(DEPARTMENT_PERMISSION) else None,
            "session_add_url": f"{reverse('training:trainingsession_add')}?plan_item="
            if plan.status == PlanStatus.APPROVED and user.has_perm("training.add_trainingsession") else None,
        }


class TrainingPlanAddView(ObjectEditView):
    queryset = TrainingPlan.objects.all()
    form = PlanForm

    def save(self, form):
        return services.plan_create(actor=self.request.user, **form.service_fields())


class TrainingPlanEditView(ObjectEditView):
    queryset = TrainingPlan.objects.all()
    form = PlanForm

    def get_object(self):
        plan = super().get_object()
        if plan.status != PlanStatus.DRAFT:
            raise PermissionDenied
        return plan

    def save(self, form):
        plan = TrainingPlan.objects.get(pk=form.instance.pk)
        return services.plan_update(actor=self.request.user, plan=plan, **form.service_fields())


class TrainingPlanHistoryView(ObjectHistoryView):
    queryset = TrainingPlan.objects.all()


PLAN_STEPS = {
    "approve": (gettext_lazy("Approve the plan"), "success", services.APPROVE, StepForm),
    "close": (gettext_lazy("Close the plan"), "secondary", services.CHANGE_PLAN, CloseForm),
}


class TrainingPlanStepView(TableStepView):
    queryset = TrainingPlan.objects.select_related("department")
    steps = PLAN_STEPS
    view_permission = "training.view_trainingplan"

    def notice(self, plan):
        source = {"approve": PlanStatus.DRAFT, "close": PlanStatus.APPROVED}[self.step]
        if plan.status != source:
            return _("A training plan that is %(status)s cannot take this step.") % {
                "status": plan.get_status_display()}
        if self.step == "approve" and plan.created_by_id == self.request.user.pk:
            return _("The person who drafted a training plan may not approve it.")
        return None

    def perform(self, plan, form):
        if self.step == "approve":
            services.plan_approve(actor=self.request.user, plan=plan)
        else:
            services.plan_close(actor=self.request.user, plan=plan, reason=form.cleaned_data["reason"])
        return _("%(step)s: %(plan)s") % {"step": PLAN_STEPS[self.step][0], "plan": plan}


# --- plan items ----------------------------------------------------------------------------------------------------


class PlanItemAddView(ObjectEditView):
    """A training of a draft plan (``plans/<plan>/items/add/``)."""

    queryset = PlanItem.objects.all()
    form = PlanItemForm

    def plan(self) -> TrainingPlan:
        return get_object_or_404(restrict(TrainingPlan.objects.all(), self.request.user, "change"),
                                 pk=self.kwargs["plan"])

    def get_object(self):
        plan = self.plan()
        if plan.status != PlanStatus.DRAFT:
            raise PermissionDenied
        return PlanItem(plan=plan)

    def render_form(self, obj, form, status=200):
        response = super().render_form(obj, form, status)
        response.context_data["cancel_url"] = obj.plan.get_absolute_url()
        return response

    def save(self, form):
        return services.item_add(actor=self.request.user, plan=self.plan(), **form.service_fields())


class PlanItemEditView(ObjectEditView):
    queryset = PlanItem.objects.select_related("plan")
    form = PlanItemForm

    def get_object(self):
        item = super().get_object()
        if item.plan.status != PlanStatus.DRAFT:
            raise PermissionDenied
        return item

    def save(self, form):
        item = PlanItem.objects.get(pk=form.instance.pk)
        return services.item_update(actor=self.request.user, item=item, **form.service_fields())


# --- sessions ------------------------------------------------------------------------------------------------------


class TrainingSessionListView(ObjectListView):
    queryset = TrainingSession.objects.select_related("department", "plan_item__plan", "trainer_staff")
    filterset = TrainingSessionFilterSet
    table = TrainingSessionTable


def session_steps(session: TrainingSession, user) -> list[dict]:
    steps = []

    def add(step, label, style="outline-primary"):
        steps.append({"step": step, "label": label, "style": style,
                      "url": reverse("training:trainingsession_step", args=[session.pk, step])})

    if session.status != SessionStatus.CANCELLED and user.has_perm(services.RECORD):
        add("record", _("Record attendance") if session.status == SessionStatus.PLANNED else _("Correct the record"),
            "primary")
    if user.has_perm("training.add_sessionmaterial"):
        add("material", _("Add material"))
    if session.status == SessionStatus.PLANNED and user.has_perm(services.CHANGE_SESSION):
        add("cancel", _("Cancel"), "outline-danger")
    return steps


class TrainingSessionView(ObjectDetailView):
    queryset = TrainingSession.objects.select_related("department", "plan_item__plan", "trainer_staff",
                                                      "recorded_by")
    template_name = "training/trainingsession.html"

    def get_extra_context(self, session):
        user = self.request.user
        today = timezone.localdate()
        return {
            "steps": session_steps(session, user),
            "edit_url": reverse("training:trainingsession_edit", args=[session.pk])
            if self.can_change and session.status != SessionStatus.CANCELLED else None,
            "attendances": list(restrict(session.attendances.all(), user, "view")
                                .select_related("staff__post").order_by("staff__name")),
            "materials": list(restrict(session.materials.all(), user, "view")),
            "overdue": session.status == SessionStatus.PLANNED and session.date < today,
            "signin_url": reverse("training:trainingsession_signin", args=[session.pk])
            if user.has_perm(DEPARTMENT_PERMISSION) else None,
        }


class TrainingSessionAddView(ObjectEditView):
    queryset = TrainingSession.objects.all()
    form = SessionForm

    def save(self, form):
        return services.session_schedule(actor=self.request.user, **form.service_fields())


class TrainingSessionEditView(ObjectEditView):
    queryset = TrainingSession.objects.all()
    form = SessionForm

    def get_object(self):
        session = super().get_object()
        if session.status == SessionStatus.CANCELLED:
            raise PermissionDenied
        return session

    def get_initial(self):
        return {}

    def save(self, form):
        session = TrainingSession.objects.get(pk=form.instance.pk)
        return services.session_update(actor=self.request.user, session=session, **form.service_fields())


class TrainingSessionHistoryView(ObjectHistoryView):
    queryset = TrainingSession.objects.all()


SESSION_STEPS = {
    "record": (gettext_lazy("Record attendance"), "primary", services.RECORD, RecordForm),
    "cancel": (gettext_lazy("Cancel the session"), "danger", services.CHANGE_SESSION, ReasonForm),
    "material": (gettext_lazy("Add material"), "primary", "training.add_sessionmaterial", MaterialForm),
}


class TrainingSessionStepView(TableStepView):
    queryset = TrainingSession.objects.select_related("department", "plan_item")
    steps = SESSION_STEPS
    view_permission = "training.view_trainingsession"

    @property
    def multipart(self):
        return self.step == "material"

    @property
    def template_name(self):
        return "training/record_page.html" if self.step == "record" else StepView.template_name

    def render(self, obj, form, status=200):
        response = super().render(obj, form, status)
        if self.step == "record":
            response.context_data["rows"] = [
                (staff, form[f"attended_{staff.pk}"], form[f"score_{staff.pk}"], form[f"comment_{staff.pk}"])
                for staff in form.rows]
        return response

    def notice(self, session):
        if self.step == "record":
            if session.status == SessionStatus.CANCELLED:
                return _("A training session that is %(status)s cannot take this step.") % {
                    "status": session.get_status_display()}
            if session.date > timezone.localdate():
                return _("A session is recorded on or after its date (%(date)s).") % {
                    "date": f"{session.date:%Y-%m-%d}"}
        if self.step == "cancel" and session.status != SessionStatus.PLANNED:
            return _("A training session that is %(status)s cannot take this step.") % {
                "status": session.get_status_display()}
        return None

    def perform(self, session, form):
        user, data = self.request.user, form.cleaned_data
        if self.step == "record":
            services.session_record(actor=user, session=session, attendance=form.attendance())
        elif self.step == "cancel":
            services.session_cancel(actor=user, session=session, reason=data["reason"])
        else:
            services.session_add_material(actor=user, session=session, upload=data["file"])
        return _("%(step)s: %(session)s") % {"step": SESSION_STEPS[self.step][0], "session": session}


class SessionSignInView(BaseView):
    """The sign-in sheet of a session (PDF): the department's staff with a blank signature column."""

    permission_required = DEPARTMENT_PERMISSION

    def get(self, request, pk):
        from .forms import record_candidates

        session = get_object_or_404(restrict(TrainingSession.objects.select_related("department", "plan_item"),
                                             request.user, "view"), pk=pk)
        title = _("Training sign-in sheet")
        pdf = render_pdf("training/signin_pdf.html", {
            "title": title, "session": session, "staff": list(record_candidates(session)),
            "today": timezone.localdate()}, request=request)
        audit("report.export", actor=request.user, obj=session, report="training_signin", format="pdf")
        return PdfResponse(pdf, f"{title}-{session.date:%Y%m%d}.pdf")


class MaterialFileView(BaseView):
    """A session's material, through ``restrict()``, always as a download."""

    permission_required = "training.view_sessionmaterial"

    def get(self, request, pk):
        stored = get_object_or_404(restrict(SessionMaterial.objects.select_related("session"), request.user,
                                            "view"), pk=pk)
        audit("training.material.download", actor=request.user, obj=stored.session, file=stored.name,
              sha256=stored.sha256)
        return file_response(stored, withdrawn=False)


# --- records -------------------------------------------------------------------------------------------------------


class AttendanceListView(ObjectListView):
    """Training records: every attendance row the user may see (their own, or the department's); Excel."""

    queryset = Attendance.objects.select_related("session", "staff__post")
    filterset = AttendanceFilterSet
    table = AttendanceTable

    def get_queryset(self):
        return super().get_queryset().order_by("-session__date", "staff__name")


def _year(request) -> int:
    try:
        return int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        raise Http404 from None


class StaffRecordView(BaseView):
    """A staff member's training record for a year: required trainings (their post's plan items) done or not,
    sessions attended with scores, hours. Their own, or anyone's with ``training.view_department_training``."""

    template_name = "training/staff_record.html"

    def own_staff(self):
        return Staff.objects.filter(user=self.request.user).first() if self.request.user.is_authenticated else None

    def get_permission_required(self):
        own = self.own_staff()
        if own is not None and own.pk == self.kwargs.get("pk"):
            return "training.view_attendance"
        return DEPARTMENT_PERMISSION

    def get_staff(self):
        own = self.own_staff()
        if own is not None and own.pk == self.kwargs["pk"]:
            return own
        return get_object_or_404(restrict(Staff.objects.select_related("post", "department"), self.request.user,
                                          "view"), pk=self.kwargs["pk"])

    def get(self, request, pk):
        staff = self.get_staff()
        return self.render(staff, _("Training record: %(name)s") % {"name": staff.name})

    def render(self, staff, title):
        year = _year(self.request)
        record = selectors.staff_training_record(staff, year)
        years = sorted({*Attendance.objects.filter(staff=staff).values_list("session__date__year", flat=True),
                        timezone.localdate().year, year}, reverse=True)
        return TemplateResponse(self.request, self.template_name, {
            "title": title, "staff": staff, "record": record, "year": year, "years": years,
            "attendances": list(record["attendances"]), "required": list(record["required"]),
            "can_see_sessions": self.request.user.has_perm("training.view_trainingsession"),
        })


class MyRecordView(StaffRecordView):
    permission_required = "training.view_attendance"

    def get_permission_required(self):
        return self.permission_required

    def get(self, request):
        staff = self.own_staff()
        if staff is None:
            return TemplateResponse(request, self.template_name, {"title": _("My training record"), "staff": None})
        return self.render(staff, _("My training record"))


_plan_steps = "|".join(map(re.escape, PLAN_STEPS))
_session_steps = "|".join(map(re.escape, SESSION_STEPS))
urlpatterns = [
    path("plans/", TrainingPlanListView.as_view(), name="trainingplan_list"),
    path("plans/add/", TrainingPlanAddView.as_view(), name="trainingplan_add"),
    path("plans/<int:pk>/", TrainingPlanView.as_view(), name="trainingplan"),
    path("plans/<int:pk>/edit/", TrainingPlanEditView.as_view(), name="trainingplan_edit"),
    path("plans/<int:pk>/history/", TrainingPlanHistoryView.as_view(), name="trainingplan_history"),
    re_path(rf"^plans/(?P<pk>\d+)/(?P<step>{_plan_steps})/$", TrainingPlanStepView.as_view(),
            name="trainingplan_step"),
    path("plans/<int:plan>/items/add/", PlanItemAddView.as_view(), name="planitem_add"),
    path("items/<int:pk>/edit/", PlanItemEditView.as_view(), name="planitem_edit"),
    path("sessions/", TrainingSessionListView.as_view(), name="trainingsession_list"),
    path("sessions/add/", TrainingSessionAddView.as_view(), name="trainingsession_add"),
    path("sessions/<int:pk>/", TrainingSessionView.as_view(), name="trainingsession"),
    path("sessions/<int:pk>/edit/", TrainingSessionEditView.as_view(), name="trainingsession_edit"),
    path("sessions/<int:pk>/history/", TrainingSessionHistoryView.as_view(), name="trainingsession_history"),
    path("sessions/<int:pk>/sign-in.pdf", SessionSignInView.as_view(), name="trainingsession_signin"),
    re_path(rf"^sessions/(?P<pk>\d+)/(?P<step>{_session_steps})/$", TrainingSessionStepView.as_view(),
            name="trainingsession_step"),
    path("materials/<int:pk>/", MaterialFileView.as_view(), name="material"),
    path("records/", AttendanceListView.as_view(), name="attendance_list"),
    path("records/me/", MyRecordView.as_view(), name="my_record"),
    path("records/staff/<int:pk>/", StaffRecordView.as_view(), name="staff_record"),
]
