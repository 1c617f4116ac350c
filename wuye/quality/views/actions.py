"""Pages of nonconformities and corrective actions: the register (filters, Excel), raising one (also from a finding
or a complaint: ``?finding=<id>`` / ``?ticket=<id>``), its page with the steps the user may take now, the steps,
evidence files, history and the printed nonconformity report (不合格及纠正措施报告)."""

from __future__ import annotations

import re

from django.core.exceptions import PermissionDenied
from django.urls import NoReverseMatch, path, re_path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wuye.core.audit import audit
from wuye.core.pdf import PdfResponse, render_pdf
from wuye.core.querysets import restrict
from wuye.core.views import ObjectDetailView, ObjectEditView, ObjectHistoryView, ObjectListView
from wuye.documents.forms import StepForm
from wuye.documents.views.base import TableStepView
from wuye.tickets.models import Ticket

from ..choices import OPEN_ACTION_STATES, ActionSource, ActionState
from ..filtersets.actions import CorrectiveActionFilterSet
from ..forms.actions import (
    CancelForm,
    CauseForm,
    CompleteForm,
    CorrectiveActionEditForm,
    CorrectiveActionForm,
    EvidenceForm,
    PlanForm,
    VerifyForm,
)
from ..models import CorrectiveAction, Finding, ManagementReview
from ..services import actions as services
from ..services.files import files_of
from ..tables.actions import CorrectiveActionTable

VIEW = "quality.view_correctiveaction"


def _url(obj) -> str | None:
    """The page of a related record, when its app has one (the audits' and reviews' pages may come later)."""
    try:
        return obj.get_absolute_url() if obj is not None else None
    except NoReverseMatch:
        return None


class CorrectiveActionListView(ObjectListView):
    """The register of nonconformities and corrective actions (filters, Excel of the filtered list)."""

    queryset = CorrectiveAction.objects.select_related("estate", "department", "owner")
    filterset = CorrectiveActionFilterSet
    table = CorrectiveActionTable


# --- the steps ------------------------------------------------------------------------------------------------------

# step: (label, button style, permission to open the page, form, states it starts from)
STEPS = {
    "submit": (gettext_lazy("Submit for cause analysis"), "primary", services.CHANGE, StepForm,
               (ActionState.DRAFT,)),
    "cause": (gettext_lazy("Record the cause"), "primary", services.CHANGE, CauseForm,
              (ActionState.CAUSE_ANALYSIS,)),
    "plan": (gettext_lazy("Plan the corrective action"), "primary", services.CHANGE, PlanForm,
             (ActionState.ACTION_PLAN,)),
    "complete": (gettext_lazy("Record as done"), "success", VIEW, CompleteForm, (ActionState.IN_PROGRESS,)),
    "verify": (gettext_lazy("Verify effectiveness"), "success", services.VERIFY, VerifyForm,
               (ActionState.VERIFICATION,)),
    "cancel": (gettext_lazy("Cancel"), "outline-danger", services.CANCEL, CancelForm, OPEN_ACTION_STATES),
    "file": (gettext_lazy("Attach evidence"), "outline-primary", VIEW, EvidenceForm, OPEN_ACTION_STATES),
}
# steps open to the action's owner without the change permission
OWNER_STEPS = ("complete", "file")


def corrective_action_steps(action: CorrectiveAction, user) -> list[dict]:
    """The buttons of the steps ``user`` may take on ``action`` now (the services have the last word)."""
    steps = []
    for step, (label, style, permission, _form, states) in STEPS.items():
        if action.state not in states:
            continue
        if step in OWNER_STEPS:
            allowed = services.may_complete(user, action) and (
                step != "file" or user.has_perm("quality.add_qualityfile"))
        elif step == "verify":
            allowed = services.may_verify(user, action)
        else:
            allowed = user.has_perm(permission)
        if allowed:
            steps.append({"step": step, "label": label, "style": style,
                          "url": reverse("quality:correctiveaction_step", args=[action.pk, step])})
    return steps


class CorrectiveActionView(ObjectDetailView):
    queryset = CorrectiveAction.objects.select_related("estate", "department", "owner", "finding__audit", "ticket",
                                                       "review", "verifier", "completed_by")
    template_name = "quality/actions/correctiveaction.html"

    def get_extra_context(self, action):
        user = self.request.user
        ticket_url = None
        if action.ticket_id and restrict(Ticket.objects.filter(pk=action.ticket_id), user, "view").exists():
            ticket_url = _url(action.ticket)
        return {
            "steps": corrective_action_steps(action, user),
            "edit_url": reverse("quality:correctiveaction_edit", args=[action.pk])
            if self.can_change and action.state in services.EDITABLE_STATES else None,
            "pdf_url": reverse("quality:correctiveaction_pdf", args=[action.pk]),
            "files": list(files_of(action)),
            "finding_url": _url(action.finding),
            "ticket_url": ticket_url,
            "review_url": _url(action.review),
            "overdue": action.is_overdue(),
        }


class CorrectiveActionAddView(ObjectEditView):
    """Raise a nonconformity; ``?finding=<id>``, ``?ticket=<id>`` or ``?review=<id>`` fills it from the finding, the
    complaint or the management review whose output asks for it."""

    queryset = CorrectiveAction.objects.all()
    form = CorrectiveActionForm

    def get_initial(self):
        initial = super().get_initial()
        params = self.request.GET
        if params.get("finding", "").isdigit():
            finding = restrict(Finding.objects.select_related("audit"), self.request.user, "view").filter(
                pk=int(params["finding"])).first()
            if finding is not None:
                initial.update(source=ActionSource.FINDING, finding=finding.pk, grade=finding.grade,
                               estate=finding.estate_id, department=finding.department_id,
                               title=f"{finding.reference} {finding.statement}"[:200],
                               description=finding.statement)
        elif params.get("ticket", "").isdigit():
            ticket = restrict(Ticket.objects.all(), self.request.user, "view").filter(
                pk=int(params["ticket"])).first()
            if ticket is not None:
                initial.update(source=ActionSource.COMPLAINT, ticket=ticket.number, estate=ticket.estate_id,
                               title=ticket.title, description=ticket.description or ticket.title)
        elif params.get("review", "").isdigit():
            review = restrict(ManagementReview.objects.all(), self.request.user, "view").filter(
                pk=int(params["review"])).first()
            if review is not None:
                initial.update(source=ActionSource.REVIEW, review=review.pk)
        return initial

    def save(self, form):
        return services.corrective_action_raise(actor=self.request.user, **form.service_fields())


class CorrectiveActionEditView(ObjectEditView):
    queryset = CorrectiveAction.objects.all()
    form = CorrectiveActionEditForm

    def get_object(self):
        action = super().get_object()
        if action.state not in services.EDITABLE_STATES:
            raise PermissionDenied
        return action

    def save(self, form):
        action = CorrectiveAction.objects.get(pk=form.instance.pk)
        return services.corrective_action_update(actor=self.request.user, action=action, **form.service_fields())


class CorrectiveActionHistoryView(ObjectHistoryView):
    queryset = CorrectiveAction.objects.all()


class CorrectiveActionStepView(TableStepView):
    queryset = CorrectiveAction.objects.select_related("estate", "owner")
    steps = STEPS
    view_permission = VIEW

    def check(self, action):
        if self.step in OWNER_STEPS and not services.may_complete(self.request.user, action):
            raise PermissionDenied
        if self.step == "file" and not self.request.user.has_perm("quality.add_qualityfile"):
            raise PermissionDenied

    @property
    def multipart(self):
        return self.step in ("complete", "file")

    def notice(self, action):
        if action.state not in STEPS[self.step][4]:
            return _("A corrective action that is %(state)s cannot take this step.") % {
                "state": action.get_state_display()}
        if self.step == "verify" and not services.may_verify(self.request.user, action):
            return _("A corrective action is verified by someone other than its owner and the person who "
                     "completed it.")
        return None

    def perform(self, action, form):
        user, step, data = self.request.user, self.step, form.cleaned_data
        if step == "submit":
            services.corrective_action_submit(actor=user, action=action)
        elif step == "cause":
            services.corrective_action_record_cause(actor=user, action=action, root_cause=data["root_cause"],
                                                    immediate_correction=data["immediate_correction"])
        elif step == "plan":
            services.corrective_action_plan(actor=user, action=action, action_plan=data["action_plan"],
                                            owner=data["owner"], due_on=data["due_on"])
        elif step == "complete":
            services.corrective_action_complete(actor=user, action=action, completion_note=data["completion_note"],
                                                files=data["files"])
        elif step == "verify":
            services.corrective_action_verify(actor=user, action=action,
                                              effective=data["effectiveness"] == "effective", note=data["note"],
                                              due_on=data["due_on"])
        elif step == "cancel":
            services.corrective_action_cancel(actor=user, action=action, reason=data["reason"])
        else:
            services.corrective_action_add_file(actor=user, action=action, upload=data["file"], note=data["note"])
        return _("%(step)s: %(action)s") % {"step": STEPS[step][0], "action": action.number}


class CorrectiveActionPdfView(ObjectDetailView):
    """不合格及纠正措施报告: the nonconformity, its source, correction, cause, action, owner, due date, completion
    and verification, as a PDF."""

    queryset = CorrectiveActionView.queryset

    def get(self, request, *args, **kwargs):
        action = self.get_object()
        title = _("Nonconformity and corrective action report")
        pdf = render_pdf("quality/actions/report_pdf.html", {
            "title": title, "object": action, "files": list(files_of(action)), "today": timezone.localdate(),
            "history": _steps_done(action),
        }, request=request)
        audit("report.export", actor=request.user, obj=action, report="corrective_action", format="pdf")
        return PdfResponse(pdf, f"{title}-{action.number}.pdf")


def _steps_done(action) -> list[dict]:
    """Who took which step when, from the audit events of the action (oldest first)."""
    from django.contrib.contenttypes.models import ContentType

    from wuye.core.models import AuditEvent

    labels = {"corrective_action.raise": _("Raised"), "corrective_action.submit": _("Submitted for cause analysis"),
              "corrective_action.cause": _("Cause recorded"), "corrective_action.plan": _("Action planned"),
              "corrective_action.complete": _("Recorded as done"), "corrective_action.verify": _("Verified"),
              "corrective_action.cancel": _("Cancelled")}
    events = (AuditEvent.objects.filter(content_type=ContentType.objects.get_for_model(action),
                                        object_id=str(action.pk), event_type__in=labels)
              .select_related("actor").order_by("occurred_at", "pk"))
    return [{"label": labels[e.event_type], "at": e.occurred_at, "actor": e.actor, "data": e.data} for e in events]


_steps = "|".join(map(re.escape, STEPS))
urlpatterns = [
    path("corrective-actions/", CorrectiveActionListView.as_view(), name="correctiveaction_list"),
    path("corrective-actions/add/", CorrectiveActionAddView.as_view(), name="correctiveaction_add"),
    path("corrective-actions/<int:pk>/", CorrectiveActionView.as_view(), name="correctiveaction"),
    path("corrective-actions/<int:pk>/edit/", CorrectiveActionEditView.as_view(), name="correctiveaction_edit"),
    path("corrective-actions/<int:pk>/history/", CorrectiveActionHistoryView.as_view(),
         name="correctiveaction_history"),
    path("corrective-actions/<int:pk>/report.pdf", CorrectiveActionPdfView.as_view(), name="correctiveaction_pdf"),
    re_path(rf"^corrective-actions/(?P<pk>\d+)/(?P<step>{_steps})/$", CorrectiveActionStepView.as_view(),
            name="correctiveaction_step"),
]
