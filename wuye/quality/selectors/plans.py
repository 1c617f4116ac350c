"""Reads of the work plans: who in scope has acknowledged the latest publication (全员熟知), milestone progress,
the plans waiting for the user's acknowledgement. SQL does the work (Subquery, Count)."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.utils import timezone

from ..choices import MilestoneKind, MilestoneStatus, PlanStatus
from ..models import Milestone, PlanPublication, WorkPlan
from ..services.plans import latest_publication, staff_in_scope

__all__ = ["may_see_acknowledgements", "plan_acknowledgements", "acknowledgement_summary", "milestone_progress",
           "pending_plans_for", "milestones_of"]

OPEN_MILESTONE = (MilestoneStatus.NOT_STARTED, MilestoneStatus.IN_PROGRESS)


def may_see_acknowledgements(user) -> bool:
    """Who sees who has (not) acknowledged a plan: those who change plans, or see acknowledgements."""
    return user.has_perm("quality.change_workplan") or user.has_perm("org.view_acknowledgement")


def plan_acknowledgements(plan: WorkPlan, publication: PlanPublication | None = None):
    """Every staff member in scope annotated with ``acknowledged_at`` on the latest publication (None: not yet);
    not acknowledged first, then by department and name."""
    from wuye.org.models import Acknowledgement

    publication = publication or latest_publication(plan)
    staff = staff_in_scope(plan).select_related("department", "post", "user")
    if publication is None:
        return staff.annotate(acknowledged_at=Subquery(Acknowledgement.objects.none().values("acknowledged_at")))
    acks = Acknowledgement.objects.filter(staff=OuterRef("pk"), object_id=publication.pk,
                                          content_type=ContentType.objects.get_for_model(PlanPublication))
    return (staff.annotate(acknowledged_at=Subquery(acks.values("acknowledged_at")[:1]))
            .order_by(F("acknowledged_at").desc(nulls_first=True), "department__name", "name"))


def acknowledgement_summary(plan: WorkPlan) -> dict:
    """N of M acknowledged on the latest publication, and who has not."""
    publication = latest_publication(plan)
    rows = list(plan_acknowledgements(plan, publication))
    done = [s for s in rows if s.acknowledged_at is not None]
    pending = [s for s in rows if s.acknowledged_at is None]
    total = len(rows)
    return {"publication": publication, "total": total, "acknowledged": len(done), "pending": pending,
            "done": done, "percent": round(100 * len(done) / total) if total else None}


def milestones_of(plan: WorkPlan, today=None):
    """The plan's phases and milestones, annotated ``is_overdue`` (past due and not done or cancelled)."""
    from django.db.models import BooleanField, Case, Value, When

    today = today or timezone.localdate()
    return (plan.milestones.select_related("owner", "phase")
            .annotate(is_overdue=Case(When(status__in=OPEN_MILESTONE, due_on__lt=today, then=Value(True)),
                                      default=Value(False), output_field=BooleanField()))
            .order_by("due_on", "sort_order", "id"))


def milestone_progress(plan: WorkPlan, today=None) -> dict:
    """Counts of the plan's milestones (phases not counted) by status, and those overdue."""
    today = today or timezone.localdate()
    counts = Milestone.objects.filter(plan=plan, kind=MilestoneKind.MILESTONE).aggregate(
        total=Count("pk", filter=~Q(status=MilestoneStatus.CANCELLED)),
        done=Count("pk", filter=Q(status=MilestoneStatus.DONE)),
        in_progress=Count("pk", filter=Q(status=MilestoneStatus.IN_PROGRESS)),
        not_started=Count("pk", filter=Q(status=MilestoneStatus.NOT_STARTED)),
        cancelled=Count("pk", filter=Q(status=MilestoneStatus.CANCELLED)),
        overdue=Count("pk", filter=Q(status__in=OPEN_MILESTONE, due_on__lt=today)),
    )
    counts["percent"] = round(100 * counts["done"] / counts["total"]) if counts["total"] else None
    return counts


def pending_plans_for(user):
    """Published plans whose latest publication the user's staff record is asked to acknowledge and has not."""
    from wuye.org.models import Acknowledgement

    staff = getattr(user, "staff", None) if getattr(user, "is_authenticated", False) else None
    if staff is None:
        return WorkPlan.objects.none()
    latest = PlanPublication.objects.filter(plan=OuterRef("pk")).order_by("-version")
    plans = (WorkPlan.objects.filter(status=PlanStatus.PUBLISHED)
             .filter(Q(scope_departments__isnull=True) | Q(scope_departments=staff.department_id))
             .distinct().annotate(latest_publication=Subquery(latest.values("pk")[:1])))
    acknowledged = Acknowledgement.objects.filter(
        staff=staff, content_type=ContentType.objects.get_for_model(PlanPublication)).values("object_id")
    if not staff_in_scope(WorkPlan()).filter(pk=staff.pk).exists():
        return WorkPlan.objects.none()
    return plans.exclude(latest_publication__in=acknowledged).order_by("-year", "title")
