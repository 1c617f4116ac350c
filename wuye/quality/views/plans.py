"""Pages of the annual work plans: list, page (phases and milestones with the overdue ones marked, progress, the
acknowledgements of the latest publication: N of M and who has not), add, edit, history; the steps publish,
acknowledge (“I have read this plan”), close, add a milestone; and a milestone's update step."""

from __future__ import annotations

import re

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import path, re_path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wuye.core.views import ObjectDetailView, ObjectEditView, ObjectHistoryView, ObjectListView
from wuye.documents.forms import StepForm
from wuye.documents.views.base import StepView, TableStepView

from .. import services
from ..choices import PlanStatus
from ..filtersets.plans import WorkPlanFilterSet
from ..forms.plans import CloseForm, MilestoneForm, PublishForm, WorkPlanForm
from ..models import Milestone, WorkPlan
from ..selectors.plans import acknowledgement_summary, may_see_acknowledgements, milestone_progress, milestones_of
from ..services.common import staff_of
from ..services.plans import CHANGE_PLAN, PUBLISH_PLAN, in_scope, latest_publication, publication_acknowledged
from ..tables.plans import WorkPlanTable


def pending_for(plan: WorkPlan, user) -> bool:
    """Whether ``user`` is asked to acknowledge the plan's latest publication and has not yet."""
    staff = staff_of(user)
    if plan.status != PlanStatus.PUBLISHED or staff is None or not in_scope(plan, staff):
        return False
    publication = latest_publication(plan)
    return publication is not None and not publication_acknowledged(publication, staff)


class WorkPlanListView(ObjectListView):
    queryset = WorkPlan.objects.select_related("department")
    filterset = WorkPlanFilterSet
    table = WorkPlanTable


def plan_steps(plan: WorkPlan, user) -> list[dict]:
    steps = []

    def add(step, label, style="outline-primary"):
        steps.append({"step": step, "label": label, "style": style,
                      "url": reverse("quality:workplan_step", args=[plan.pk, step])})

    if plan.status == PlanStatus.CLOSED:
        return steps
    if pending_for(plan, user):
        add("acknowledge", _("I have read this plan"), "success")
    if user.has_perm("quality.add_milestone"):
        add("milestone", _("Add a phase or milestone"))
    if user.has_perm(PUBLISH_PLAN):
        add("publish", _("Publish") if plan.status == PlanStatus.DRAFT else _("Republish"), "primary")
    if user.has_perm(CHANGE_PLAN):
        add("close", _("Close the plan"), "outline-secondary")
    return steps


class WorkPlanView(ObjectDetailView):
    queryset = WorkPlan.objects.select_related("department").prefetch_related("scope_departments")
    template_name = "quality/plans/workplan.html"

    def get_extra_context(self, plan):
        user = self.request.user
        milestones = list(milestones_of(plan))
        phases = [m for m in milestones if m.kind == "phase"]
        grouped = [(phase, [m for m in milestones if m.phase_id == phase.pk]) for phase in phases]
        loose = [m for m in milestones if m.kind != "phase" and m.phase_id is None]
        can_update = user.has_perm("quality.change_milestone") and plan.status != PlanStatus.CLOSED
        return {
            "steps": plan_steps(plan, user),
            "edit_url": reverse("quality:workplan_edit", args=[plan.pk])
            if self.can_change and plan.status != PlanStatus.CLOSED else None,
            "grouped": grouped, "loose": loose, "progress": milestone_progress(plan),
            "can_update_milestones": can_update,
            "acks": acknowledgement_summary(plan) if may_see_acknowledgements(user) and plan.version else None,
            "pending": pending_for(plan, user),
            "publications": list(plan.publications.select_related("published_by").order_by("-version")),
        }


class WorkPlanAddView(ObjectEditView):
    queryset = WorkPlan.objects.all()
    form = WorkPlanForm

    def save(self, form):
        return services.work_plan_create(actor=self.request.user, **form.service_fields())


class WorkPlanEditView(ObjectEditView):
    queryset = WorkPlan.objects.all()
    form = WorkPlanForm

    def get_object(self):
        plan = super().get_object()
        if plan.status == PlanStatus.CLOSED:
            raise PermissionDenied
        return plan

    def save(self, form):
        plan = WorkPlan.objects.get(pk=form.instance.pk)
        return services.work_plan_update(actor=self.request.user, plan=plan, **form.service_fields())


class WorkPlanHistoryView(ObjectHistoryView):
    queryset = WorkPlan.objects.all()


PLAN_STEPS = {
    "publish": (gettext_lazy("Publish the work plan"), "primary", PUBLISH_PLAN, PublishForm),
    "acknowledge": (gettext_lazy("I have read this plan"), "success", "quality.view_workplan", StepForm),
    "close": (gettext_lazy("Close the plan"), "secondary", CHANGE_PLAN, CloseForm),
    "milestone": (gettext_lazy("Add a phase or milestone"), "primary", "quality.add_milestone", MilestoneForm),
}


class WorkPlanStepView(TableStepView):
    queryset = WorkPlan.objects.all()
    steps = PLAN_STEPS
    view_permission = "quality.view_workplan"

    def make_form(self, plan, data=None, files=None):
        form_class = PLAN_STEPS[self.step][3]
        if form_class is MilestoneForm:
            return MilestoneForm(data, files, user=self.request.user, obj=plan, plan=plan)
        return form_class(data, files, user=self.request.user, obj=plan)

    def notice(self, plan):
        if plan.status == PlanStatus.CLOSED:
            return _("This work plan is closed; it cannot be changed.")
        if self.step == "acknowledge":
            if plan.status != PlanStatus.PUBLISHED:
                return _("Only a published work plan can be acknowledged.")
            if not pending_for(plan, self.request.user):
                return _("You have nothing to acknowledge on this plan.")
        return None

    def perform(self, plan, form):
        user, data = self.request.user, form.cleaned_data
        if self.step == "publish":
            publication = services.work_plan_publish(actor=user, plan=plan, note=data["note"])
            return _("Published version %(version)s of %(plan)s.") % {"version": publication.version, "plan": plan}
        if self.step == "acknowledge":
            services.work_plan_acknowledge(actor=user, plan=plan)
            return _("Thank you: you have acknowledged %(plan)s.") % {"plan": plan}
        if self.step == "close":
            services.work_plan_close(actor=user, plan=plan, note=data["note"])
            return _("%(plan)s is closed.") % {"plan": plan}
        milestone = services.milestone_add(actor=user, plan=plan, **form.service_fields())
        return _("Added: %(milestone)s") % {"milestone": milestone}


class MilestoneStepView(StepView):
    """Update a phase or milestone: dates, owner, target, status, done date, progress note."""

    queryset = Milestone.objects.select_related("plan", "phase", "owner")
    permission_required = "quality.change_milestone"
    title = gettext_lazy("Update the milestone")

    def get_object(self):
        if self.kwargs["step"] != "update":
            raise Http404
        return super().get_object()

    def make_form(self, milestone, data=None, files=None):
        return MilestoneForm(data, files, user=self.request.user, obj=milestone, plan=milestone.plan,
                             milestone=milestone)

    def notice(self, milestone):
        if milestone.plan.status == PlanStatus.CLOSED:
            return _("This work plan is closed; it cannot be changed.")
        return None

    def perform(self, milestone, form):
        services.milestone_update(actor=self.request.user, milestone=milestone, **form.service_fields())
        return _("Saved: %(milestone)s") % {"milestone": milestone.title}


_plan_steps = "|".join(map(re.escape, PLAN_STEPS))
urlpatterns = [
    path("plans/", WorkPlanListView.as_view(), name="workplan_list"),
    path("plans/add/", WorkPlanAddView.as_view(), name="workplan_add"),
    path("plans/<int:pk>/", WorkPlanView.as_view(), name="workplan"),
    path("plans/<int:pk>/edit/", WorkPlanEditView.as_view(), name="workplan_edit"),
    path("plans/<int:pk>/history/", WorkPlanHistoryView.as_view(), name="workplan_history"),
    re_path(rf"^plans/(?P<pk>\d+)/(?P<step>{_plan_steps})/$", WorkPlanStepView.as_view(), name="workplan_step"),
    re_path(r"^milestones/(?P<pk>\d+)/(?P<step>update)/$", MilestoneStepView.as_view(), name="milestone_step"),
]
