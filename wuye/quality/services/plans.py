"""The annual work plan (年度工作计划, seed 1.5): the plan with its phases and milestones, publishing it (every
active staff member in scope is asked to acknowledge it: 全员熟知), the staff member's acknowledgement, closing.

Acknowledgements (``org.Acknowledgement``) point at a ``PlanPublication``: republishing a changed plan makes a new
publication, so everyone acknowledges again; acknowledgements of an earlier publication do not count."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wuye.core.audit import audit
from wuye.core.context import acting_as
from wuye.core.notifications import notify

from ..choices import MilestoneKind, MilestoneStatus, PlanStatus
from ..models import Milestone, PlanPublication, WorkPlan
from .common import require, staff_of

__all__ = [
    "PLAN_FIELDS", "MILESTONE_FIELDS", "work_plan_create", "work_plan_update", "work_plan_publish",
    "work_plan_acknowledge", "work_plan_close", "milestone_add", "milestone_update", "latest_publication",
    "staff_in_scope", "in_scope", "publication_acknowledged",
]

PUBLISH_PLAN = "quality.publish_workplan"
CHANGE_PLAN = "quality.change_workplan"

PLAN_FIELDS = ("year", "title", "department", "targets", "description")
MILESTONE_FIELDS = ("kind", "phase", "title", "target", "owner", "start_on", "due_on", "status", "done_on", "note",
                    "sort_order")


def _check(fields: dict, allowed: tuple[str, ...]) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")


def _locked(plan: WorkPlan) -> WorkPlan:
    return WorkPlan.objects.select_for_update().get(pk=plan.pk)


def _not_closed(plan: WorkPlan) -> None:
    if plan.status == PlanStatus.CLOSED:
        raise ValidationError(_("This work plan is closed; it cannot be changed."))


def latest_publication(plan: WorkPlan) -> PlanPublication | None:
    return plan.publications.order_by("-version").first()


def staff_in_scope(plan: WorkPlan):
    """The active staff members (with an active login) asked to acknowledge the plan: those of the departments in
    scope, or everyone when no department is named."""
    from wuye.org.choices import StaffStatus
    from wuye.org.models import Staff

    staff = Staff.objects.filter(status=StaffStatus.ACTIVE, user__isnull=False, user__is_active=True)
    if plan.pk and plan.scope_departments.exists():
        staff = staff.filter(department__in=plan.scope_departments.all())
    return staff


def in_scope(plan: WorkPlan, staff) -> bool:
    return staff is not None and staff_in_scope(plan).filter(pk=staff.pk).exists()


# --- the plan -----------------------------------------------------------------------------------------------------


@transaction.atomic
def work_plan_create(*, actor, scope_departments=(), **fields) -> WorkPlan:
    require(actor, "quality.add_workplan")
    _check(fields, PLAN_FIELDS)
    with acting_as(actor):
        plan = WorkPlan(**fields)
        plan.full_clean()
        plan.save()
        plan.scope_departments.set(list(scope_departments or ()))
        audit("work_plan.create", actor=actor, obj=plan, year=plan.year,
              scope=sorted(d.pk for d in plan.scope_departments.all()))
    return plan


@transaction.atomic
def work_plan_update(*, actor, plan: WorkPlan, scope_departments=None, **fields) -> WorkPlan:
    """Edit a draft or published plan (a published plan is republished after the change, so staff acknowledge
    what it says now)."""
    require(actor, CHANGE_PLAN)
    _check(fields, PLAN_FIELDS)
    plan = _locked(plan)
    _not_closed(plan)
    changed = sorted(name for name, value in fields.items() if getattr(plan, name) != value)
    with acting_as(actor):
        for name in changed:
            setattr(plan, name, fields[name])
        plan.full_clean()
        plan.save()
        if scope_departments is not None:
            before = set(plan.scope_departments.values_list("pk", flat=True))
            after = {d.pk for d in scope_departments}
            if before != after:
                plan.scope_departments.set(list(scope_departments))
                changed.append("scope_departments")
        if changed:
            audit("work_plan.update", actor=actor, obj=plan, fields=changed)
    return plan


@transaction.atomic
def work_plan_publish(*, actor, plan: WorkPlan, note: str = "") -> PlanPublication:
    """Publish (or republish) the plan: a new publication (version + 1); every active staff member in scope is
    notified and asked to acknowledge it."""
    require(actor, PUBLISH_PLAN)
    plan = _locked(plan)
    _not_closed(plan)
    if not plan.milestones.exists():
        raise ValidationError(_("Add the plan's phases and milestones before publishing it."))
    now = timezone.now()
    with acting_as(actor):
        plan.version += 1
        plan.status = PlanStatus.PUBLISHED
        plan.published_at = now
        plan.save()
        publication = PlanPublication(plan=plan, version=plan.version, published_at=now, published_by=actor,
                                      note=(note or "").strip()[:300])
        publication.full_clean()
        publication.save()
        audit("work_plan.publish", actor=actor, obj=plan, version=plan.version, publication=publication.pk)
    users = [s.user for s in staff_in_scope(plan).select_related("user")]
    title = (_("Work plan published: %(plan)s") if plan.version == 1
             else _("Work plan republished: %(plan)s (version %(version)s)")) % {"plan": plan,
                                                                                 "version": plan.version}
    notify(users, key=f"quality:workplan:{plan.pk}:publication:{publication.version}", title=title,
           body=_("Read the plan and confirm that you have read it."), url=plan.get_absolute_url())
    return publication


@transaction.atomic
def work_plan_acknowledge(*, actor, plan: WorkPlan):
    """The acting staff member confirms having read the latest publication of the plan."""
    from wuye.org.services import acknowledgement_confirm

    plan = WorkPlan.objects.get(pk=plan.pk)
    staff = staff_of(actor)
    if staff is None:
        raise ValidationError(_("Only a staff member can acknowledge a work plan."))
    if plan.status != PlanStatus.PUBLISHED:
        raise ValidationError(_("Only a published work plan can be acknowledged."))
    if not in_scope(plan, staff):
        raise ValidationError(_("This work plan is not addressed to your department."))
    publication = latest_publication(plan)
    if publication is None:  # pragma: no cover - a published plan has its publication
        raise ValidationError(_("Only a published work plan can be acknowledged."))
    if publication_acknowledged(publication, staff):
        raise ValidationError(_("You have already acknowledged this version of the plan."))
    ack = acknowledgement_confirm(actor=actor, subject=publication)
    audit("work_plan.acknowledge", actor=actor, obj=plan, version=publication.version, staff=staff.pk)
    return ack


def publication_acknowledged(publication: PlanPublication, staff) -> bool:
    from django.contrib.contenttypes.models import ContentType

    from wuye.org.models import Acknowledgement

    return Acknowledgement.objects.filter(staff=staff, content_type=ContentType.objects.get_for_model(publication),
                                          object_id=publication.pk).exists()


@transaction.atomic
def work_plan_close(*, actor, plan: WorkPlan, note: str = "") -> WorkPlan:
    """The year's plan is finished (or given up): closed, kept, no longer acknowledged."""
    require(actor, CHANGE_PLAN)
    plan = _locked(plan)
    if plan.status == PlanStatus.CLOSED:
        raise ValidationError(_("This work plan is already closed."))
    with acting_as(actor):
        plan.status = PlanStatus.CLOSED
        plan.save()
        audit("work_plan.close", actor=actor, obj=plan, note=(note or "")[:300])
    return plan


# --- phases and milestones ----------------------------------------------------------------------------------------


def _check_milestone(milestone: Milestone) -> None:
    phase = milestone.phase
    if phase is not None:
        if phase.plan_id != milestone.plan_id:
            raise ValidationError({"phase": _("The phase belongs to another plan.")})
        if phase.kind != MilestoneKind.PHASE:
            raise ValidationError({"phase": _("Choose a phase, not a milestone.")})
        if milestone.kind == MilestoneKind.PHASE:
            raise ValidationError({"phase": _("A phase is not part of another phase.")})
        if milestone.pk and phase.pk == milestone.pk:
            raise ValidationError({"phase": _("A phase is not part of another phase.")})
    if milestone.start_on and milestone.due_on and milestone.start_on > milestone.due_on:
        raise ValidationError({"due_on": _("The due date is before the start.")})
    if milestone.status == MilestoneStatus.DONE:
        if milestone.done_on is None:
            milestone.done_on = timezone.localdate()
    elif milestone.done_on is not None:
        raise ValidationError({"done_on": _("Only a milestone that is done has a done date.")})


@transaction.atomic
def milestone_add(*, actor, plan: WorkPlan, **fields) -> Milestone:
    require(actor, "quality.add_milestone")
    _check(fields, MILESTONE_FIELDS)
    plan = _locked(plan)
    _not_closed(plan)
    with acting_as(actor):
        milestone = Milestone(plan=plan, **fields)
        _check_milestone(milestone)
        milestone.full_clean()
        milestone.save()
        audit("milestone.add", actor=actor, obj=plan, milestone=milestone.pk, title=milestone.title)
    return milestone


@transaction.atomic
def milestone_update(*, actor, milestone: Milestone, **fields) -> Milestone:
    """Progress (status, done date, note) or the plan itself (dates, owner, target). Done without a date: today."""
    require(actor, "quality.change_milestone")
    _check(fields, MILESTONE_FIELDS)
    plan = _locked(milestone.plan)
    _not_closed(plan)
    milestone = Milestone.objects.select_for_update().get(pk=milestone.pk)
    if fields.get("status") not in (None, MilestoneStatus.DONE) and "done_on" not in fields:
        fields["done_on"] = None
    if (milestone.kind == MilestoneKind.PHASE and fields.get("kind", MilestoneKind.PHASE) != MilestoneKind.PHASE
            and milestone.milestones.exists()):
        raise ValidationError({"kind": _("This phase has milestones; it stays a phase.")})
    changed = sorted(name for name, value in fields.items() if getattr(milestone, name) != value)
    with acting_as(actor):
        for name in changed:
            setattr(milestone, name, fields[name])
        _check_milestone(milestone)
        milestone.full_clean()
        milestone.save()
        if changed:
            audit("milestone.update", actor=actor, obj=plan, milestone=milestone.pk, fields=changed,
                  status=milestone.status)
    return milestone
