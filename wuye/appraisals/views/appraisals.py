"""Pages of appraisals and cycles: the appraisal list (mine to make, mine, the others I may see; filters, Excel),
the appraisal page laid out like the paper form (header 被测评人 / 测评人 / 测评日期 / 测评时段, sections with their
items, a radio button per scale level and a comment per item, section subtotals, the weighted total and grade, the
self-assessment beside) with the system's evidence beside it, the steps as buttons; cycles (list, open one, the
cycle's page with its progress, remind, add staff, close).

Privacy: every list, page, export and step goes through ``restrict()`` (``Appraisal.restrict_queryset``): an
appraisal the user may not see answers 404."""

from __future__ import annotations

import re

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, path, re_path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wuye.core.querysets import restrict
from wuye.core.views import ObjectDetailView, ObjectEditView, ObjectHistoryView, ObjectListView
from wuye.documents.forms import StepForm
from wuye.documents.views.base import TableStepView

from ..choices import AppraisalState, CycleStatus
from ..filtersets.appraisals import MINE, MINE_TO_MAKE, AppraisalCycleFilterSet, AppraisalFilterSet
from ..forms.appraisals import (
    AcknowledgeForm,
    AddStaffForm,
    AppraisalForm,
    CycleForm,
    ReassignForm,
    ReviseForm,
    ScoreSheetForm,
)
from ..models import Appraisal, AppraisalCycle
from ..selectors import appraisals as selectors
from ..services import appraisals as services
from ..services.appraisals import CHANGE, MANAGE
from ..tables.appraisals import AppraisalCycleTable, AppraisalTable

T = "appraisals/appraisals"
S = AppraisalState


def _optional(name: str, *args) -> str | None:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


# --- appraisals ---------------------------------------------------------------------------------------------------


class AppraisalListView(ObjectListView):
    """Appraisals as ``restrict()`` lets the user see them: those they appraise, their own (from the
    acknowledgement on) and, for department managers, their department's."""

    queryset = Appraisal.objects.select_related("appraisee", "appraiser", "form_version__form", "cycle")
    filterset = AppraisalFilterSet
    table = AppraisalTable

    @property
    def extra_actions(self):
        base = reverse("appraisals:appraisal_list")
        actions = [(_("Mine to make"), f"{base}?view={MINE_TO_MAKE}"), (_("My appraisals"), f"{base}?view={MINE}")]
        if self.request.user.has_perm("appraisals.view_appraisalcycle"):
            actions.append((_("Cycles"), reverse("appraisals:appraisalcycle_list")))
        return actions


def appraisal_steps(appraisal: Appraisal, user) -> list[dict]:
    """The buttons of the steps ``user`` may take on ``appraisal`` now (the services have the last word)."""
    steps = []

    def add(step, label, style="outline-primary"):
        steps.append({"step": step, "label": label, "style": style,
                      "url": reverse("appraisals:appraisal_step", args=[appraisal.pk, step])})

    if not user.has_perm(CHANGE):
        return steps
    staff = getattr(user, "staff", None)
    appraiser = staff is not None and staff.pk == appraisal.appraiser_id
    appraisee = staff is not None and staff.pk == appraisal.appraisee_id
    state = appraisal.state
    if state == S.DRAFT and (appraiser or user.has_perm(MANAGE)):
        add("start", _("Start"), "primary")
    if state == S.SCORING and appraiser:
        add("submit", _("Submit to the appraisee"), "primary")
    if state == S.ACKNOWLEDGEMENT and appraisee and appraisal.acknowledged_at is None:
        add("acknowledge", _("Acknowledge"), "primary")
    if state == S.ACKNOWLEDGEMENT and appraisal.acknowledged_at and services.may_finalise(user, appraisal):
        add("finalise", _("Finalise"), "success")
    if state == S.FINAL and services.may_finalise(user, appraisal):
        add("revise", _("Correct (new revision)"), "outline-danger")
    if state in (S.DRAFT, S.SELF_ASSESSMENT, S.SCORING) and user.has_perm(MANAGE):
        add("reassign", _("Change the appraiser"))
    return steps


def sheet_mode(appraisal: Appraisal, user) -> str | None:
    """Which sheet the user fills in on the page: ``score`` (the appraiser while scoring), ``self_assess`` (the
    appraisee during the self-assessment), or None (read only)."""
    if not user.has_perm(CHANGE):
        return None
    staff = getattr(user, "staff", None)
    if staff is None:
        return None
    if appraisal.state == S.SCORING and staff.pk == appraisal.appraiser_id:
        return "score"
    if appraisal.state == S.SELF_ASSESSMENT and staff.pk == appraisal.appraisee_id:
        return "self_assess"
    return None


def appraisal_context(request, appraisal: Appraisal, form: ScoreSheetForm | None = None) -> dict:
    user = request.user
    appraisal.form_version = selectors.prefetched_version(appraisal.form_version)
    sheet = selectors.appraisal_sheet(appraisal)
    mode = sheet_mode(appraisal, user)
    if form is None and mode is not None:
        form = ScoreSheetForm(user=user, obj=appraisal, sheet=sheet, own=mode == "self_assess")
    rows = []
    for section in sheet.sections:
        lines = []
        for line in section.rows:
            fields = form.field_pairs(line) if form is not None else (None, None)
            lines.append({"item": line.item, "row": line.row, "score_field": fields[0], "comment_field": fields[1]})
        rows.append({"section": section.section, "result": section.result, "self_result": section.self_result,
                     "lines": lines})
    return {
        "object": appraisal, "model": Appraisal, "verbose_name": Appraisal._meta.verbose_name,
        "sheet": sheet, "sections": rows, "form": form, "mode": mode,
        "form_action": reverse("appraisals:appraisal_step", args=[appraisal.pk, mode]) if mode else None,
        "steps": appraisal_steps(appraisal, user),
        "evidence": selectors.evidence(appraisal, user=user),
        "revisions": selectors.revisions_of(appraisal) if appraisal.revision or hasattr(appraisal, "revised_by")
        else [],
        "history_url": reverse("appraisals:appraisal_history", args=[appraisal.pk]),
        "pdf_url": _optional("appraisals:appraisal_pdf", appraisal.pk),
        "person_url": _optional("appraisals:staff_history", appraisal.appraisee_id),
    }


class AppraisalView(ObjectDetailView):
    queryset = Appraisal.objects.select_related("appraisee__department", "appraisee__post", "appraiser__post",
                                                "form_version__form", "cycle", "revises")
    template_name = f"{T}/appraisal.html"

    def get_extra_context(self, appraisal):
        return appraisal_context(self.request, appraisal)


class AppraisalAddView(ObjectEditView):
    """One appraisal outside a cycle (e.g. the manager's, by top management)."""

    queryset = Appraisal.objects.all()
    form = AppraisalForm

    def save(self, form):
        return services.appraisal_create(actor=self.request.user, **form.service_fields())


class AppraisalHistoryView(ObjectHistoryView):
    queryset = Appraisal.objects.all()


APPRAISAL_STEPS = {
    "start": (gettext_lazy("Start"), "primary", CHANGE, StepForm),
    "self_assess": (gettext_lazy("Self-assessment"), "primary", CHANGE, ScoreSheetForm),
    "score": (gettext_lazy("Score"), "primary", CHANGE, ScoreSheetForm),
    "submit": (gettext_lazy("Submit to the appraisee"), "primary", CHANGE, StepForm),
    "acknowledge": (gettext_lazy("Acknowledge"), "primary", CHANGE, AcknowledgeForm),
    "finalise": (gettext_lazy("Finalise"), "success", CHANGE, StepForm),
    "revise": (gettext_lazy("Correct (new revision)"), "danger", CHANGE, ReviseForm),
    "reassign": (gettext_lazy("Change the appraiser"), "primary", MANAGE, ReassignForm),
}
# the state each step starts from (the page says so instead of showing a form that would be refused)
STEP_STATES = {step: sources for step, (sources, _targets) in services.TRANSITIONS.items()}


class AppraisalStepView(TableStepView):
    """One step of an appraisal. ``score`` and ``self_assess`` are the sheet on the appraisal page itself (their
    GET shows that page); a refusal re-shows it with the service's message and changes nothing."""

    queryset = Appraisal.objects.select_related("appraisee", "appraiser", "form_version__form", "cycle")
    steps = APPRAISAL_STEPS
    view_permission = "appraisals.view_appraisal"

    def check(self, appraisal):
        user, step = self.request.user, self.step
        staff = getattr(user, "staff", None)
        me = staff.pk if staff is not None else None
        if step in ("score", "submit") and me != appraisal.appraiser_id:
            raise PermissionDenied
        if step in ("self_assess", "acknowledge") and me != appraisal.appraisee_id:
            raise PermissionDenied
        if step == "start" and me != appraisal.appraiser_id and not user.has_perm(MANAGE):
            raise PermissionDenied
        if step in ("finalise", "revise") and not services.may_finalise(user, appraisal):
            raise PermissionDenied

    def notice(self, appraisal):
        if appraisal.state == S.FINAL and self.step != "revise":
            return _("A final appraisal is read-only: correct it with a revision.")
        if appraisal.state not in STEP_STATES[self.step]:
            return _("An appraisal at the step “%(state)s” cannot take this step.") % {
                "state": appraisal.get_state_display()}
        return None

    def make_form(self, appraisal, data=None, files=None):
        form_class = APPRAISAL_STEPS[self.step][3]
        if form_class is ScoreSheetForm:
            appraisal.form_version = selectors.prefetched_version(appraisal.form_version)
            return ScoreSheetForm(data, files, user=self.request.user, obj=appraisal,
                                  sheet=selectors.appraisal_sheet(appraisal), own=self.step == "self_assess")
        return form_class(data, files, user=self.request.user, obj=appraisal)

    def render(self, appraisal, form, status=200):
        if self.step in ("score", "self_assess"):
            context = appraisal_context(self.request, appraisal, form)
            context["notice"] = self.notice(appraisal)
            return TemplateResponse(self.request, f"{T}/appraisal.html", context, status=status)
        return super().render(appraisal, form, status)

    def success_url(self, appraisal):
        if self.step == "revise" and getattr(self, "revision", None) is not None:
            return self.revision.get_absolute_url()
        if self.step in ("score", "self_assess") and not form_submitted(self.request):
            return reverse("appraisals:appraisal", args=[appraisal.pk]) + "#sheet"
        return appraisal.get_absolute_url()

    def perform(self, appraisal, form):
        user, step, data = self.request.user, self.step, form.cleaned_data
        if step == "start":
            services.appraisal_start(actor=user, appraisal=appraisal)
        elif step == "self_assess":
            services.appraisal_self_assess(actor=user, appraisal=appraisal, scores=form.scores(),
                                           submit=form.submitting)
            if not form.submitting:
                return _("Self-assessment saved.")
        elif step == "score":
            services.appraisal_score(actor=user, appraisal=appraisal, scores=form.scores(), comment=data["comment"],
                                     appraised_on=data["appraised_on"])
            if not form.submitting:
                return _("Scores saved.")
            services.appraisal_submit(actor=user, appraisal=appraisal)
        elif step == "submit":
            services.appraisal_submit(actor=user, appraisal=appraisal)
        elif step == "acknowledge":
            services.appraisal_acknowledge(actor=user, appraisal=appraisal, disagreement=data["disagreement"])
        elif step == "finalise":
            services.appraisal_finalise(actor=user, appraisal=appraisal)
        elif step == "revise":
            self.revision = services.appraisal_revise(actor=user, appraisal=appraisal, reason=data["reason"])
            return _("Revision %(n)s made; the final appraisal is kept as superseded.") % {
                "n": self.revision.revision}
        else:
            services.appraisal_reassign(actor=user, appraisal=appraisal, appraiser=data["appraiser"])
        return _("%(step)s: %(appraisal)s") % {"step": APPRAISAL_STEPS[step][0], "appraisal": appraisal}

    def get(self, request, *args, **kwargs):
        if self.step in ("score", "self_assess"):
            appraisal = self.get_object()
            self.check(appraisal)
            return self.render(appraisal, self.make_form(appraisal))
        return super().get(request, *args, **kwargs)


def form_submitted(request) -> bool:
    return request.POST.get("do") == "submit"


# --- cycles ---------------------------------------------------------------------------------------------------------


class AppraisalCycleListView(ObjectListView):
    queryset = AppraisalCycle.objects.select_related("form_version__form")
    filterset = AppraisalCycleFilterSet
    table = AppraisalCycleTable

    def get_queryset(self):
        return super().get_queryset().annotate(
            appraisal_count=Count("appraisals", filter=~Q(appraisals__state=S.SUPERSEDED)),
            final_count=Count("appraisals", filter=Q(appraisals__state=S.FINAL)))


def cycle_steps(cycle: AppraisalCycle, user) -> list[dict]:
    steps = []
    if cycle.status == CycleStatus.OPEN and user.has_perm(MANAGE):
        for step, label, style in (("remind", _("Send reminders"), "primary"),
                                   ("add_staff", _("Add staff"), "outline-primary"),
                                   ("close", _("Close the cycle"), "outline-danger")):
            steps.append({"step": step, "label": label, "style": style,
                          "url": reverse("appraisals:appraisalcycle_step", args=[cycle.pk, step])})
    return steps


class AppraisalCycleView(ObjectDetailView):
    queryset = AppraisalCycle.objects.select_related("form_version__form").prefetch_related("posts", "departments")
    template_name = f"{T}/appraisalcycle.html"

    def get_extra_context(self, cycle):
        user = self.request.user
        appraisals = (restrict(cycle.appraisals.all(), user, "view").exclude(state=S.SUPERSEDED)
                      .select_related("appraisee", "appraiser").order_by("appraisee__name"))
        return {
            "steps": cycle_steps(cycle, user),
            "progress": selectors.cycle_progress(cycle),
            "appraisals": list(appraisals),
            "skipped": selectors.cycle_skipped(cycle) if user.has_perm(MANAGE) else [],
            "results_url": _optional("appraisals:cycle_results", cycle.pk),
            "list_url": reverse("appraisals:appraisal_list") + f"?cycle={cycle.pk}",
        }


class AppraisalCycleAddView(ObjectEditView):
    """Open a cycle: its appraisals are made in the same action (the page of the cycle lists who was skipped and
    why)."""

    queryset = AppraisalCycle.objects.all()
    form = CycleForm

    def save(self, form):
        run = services.cycle_open(actor=self.request.user, **form.service_fields())
        messages.info(self.request, _("%(created)s appraisals made, %(skipped)s staff skipped.") % {
            "created": len(run.created), "skipped": len(run.skipped)})
        return run.cycle


CYCLE_STEPS = {
    "remind": (gettext_lazy("Send reminders"), "primary", MANAGE, StepForm),
    "add_staff": (gettext_lazy("Add staff"), "primary", MANAGE, AddStaffForm),
    "close": (gettext_lazy("Close the cycle"), "danger", MANAGE, StepForm),
}


class AppraisalCycleStepView(TableStepView):
    queryset = AppraisalCycle.objects.select_related("form_version__form")
    steps = CYCLE_STEPS
    view_permission = "appraisals.view_appraisalcycle"

    def notice(self, cycle):
        if cycle.status != CycleStatus.OPEN:
            return _("This cycle is closed.")
        return None

    def perform(self, cycle, form):
        user = self.request.user
        if self.step == "remind":
            sent = services.cycle_remind(actor=user, cycle=cycle)
            return _("%(n)s reminders sent (one a day per person).") % {"n": sent}
        if self.step == "add_staff":
            run = services.cycle_add_staff(actor=user, cycle=cycle, staff=list(form.cleaned_data["staff"]))
            return _("%(created)s appraisals made, %(skipped)s staff skipped.") % {
                "created": len(run.created), "skipped": len(run.skipped)}
        services.cycle_close(actor=user, cycle=cycle)
        return _("The cycle is closed.")


def _steps(steps: dict) -> str:
    return "|".join(map(re.escape, steps))


urlpatterns = [
    path("", AppraisalListView.as_view(), name="appraisal_list"),
    path("add/", AppraisalAddView.as_view(), name="appraisal_add"),
    path("<int:pk>/", AppraisalView.as_view(), name="appraisal"),
    path("<int:pk>/history/", AppraisalHistoryView.as_view(), name="appraisal_history"),
    re_path(rf"^(?P<pk>\d+)/(?P<step>{_steps(APPRAISAL_STEPS)})/$", AppraisalStepView.as_view(),
            name="appraisal_step"),
    path("cycles/", AppraisalCycleListView.as_view(), name="appraisalcycle_list"),
    path("cycles/add/", AppraisalCycleAddView.as_view(), name="appraisalcycle_add"),
    path("cycles/<int:pk>/", AppraisalCycleView.as_view(), name="appraisalcycle"),
    re_path(rf"^cycles/(?P<pk>\d+)/(?P<step>{_steps(CYCLE_STEPS)})/$", AppraisalCycleStepView.as_view(),
            name="appraisalcycle_step"),
]
