"""客户服务计划性报告 (customer service plan report): how the period's plans went — the quality work plans'
milestones due in the period (done, still open, overdue), the quality objectives with target and actual, the
training plan items of the period done against planned — and what the next period holds (milestones and training
items due then)."""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from wuye.quality.choices import MilestoneKind, MilestoneStatus, PlanStatus, PolicyStatus
from wuye.quality.models import Milestone, QualityObjective
from wuye.quality.selectors.policy import objective_rows
from wuye.tickets.reports import Period
from wuye.training.selectors import items_due, training_figures

from .common import chart, content, figure, next_period, rate, section, table, text

LIVE_WORK_PLANS = (PlanStatus.PUBLISHED, PlanStatus.CLOSED)
OPEN = (MilestoneStatus.NOT_STARTED, MilestoneStatus.IN_PROGRESS)


def _milestones(period: Period, department=None):
    qs = (Milestone.objects.filter(kind=MilestoneKind.MILESTONE, plan__status__in=LIVE_WORK_PLANS,
                                   due_on__gte=period.start, due_on__lte=period.end)
          .select_related("plan", "owner").order_by("due_on", "plan_id", "sort_order", "id"))
    if department is not None:  # the department's plans and the company's (no department)
        qs = qs.filter(Q(plan__department=department) | Q(plan__department__isnull=True))
    return list(qs)


def _status(m) -> str:
    return text(MilestoneStatus(m.status).label)


def milestone_figures(milestones, today) -> dict:
    counted = [m for m in milestones if m.status != MilestoneStatus.CANCELLED]
    done = [m for m in counted if m.status == MilestoneStatus.DONE]
    overdue = [m for m in counted if m.status in OPEN and m.due_on < today]
    return {"due": len(counted), "done": len(done), "open": len(counted) - len(done), "overdue": len(overdue),
            "cancelled": len(milestones) - len(counted), "done_rate": rate(len(done), len(counted))}


def _objectives(estate_ids):
    qs = (QualityObjective.objects.filter(policy__status=PolicyStatus.PUBLISHED).select_related("estate")
          .order_by("sort_order", "id"))
    if estate_ids is not None:
        qs = qs.filter(Q(estate__isnull=True) | Q(estate_id__in=list(estate_ids)))
    return list(qs)


def _number(value):
    return None if value is None else float(value)


def build(*, period: Period, estate_ids: list[int] | None, department=None) -> dict:
    today = timezone.localdate()
    milestones = _milestones(period, department)
    f = milestone_figures(milestones, today)
    plans = {}
    for m in milestones:
        plans.setdefault(m.plan, []).append(m)
    plan_rows = []
    for plan, items in sorted(plans.items(), key=lambda p: (p[0].year, p[0].title)):
        pf = milestone_figures(items, today)
        plan_rows.append([plan.year, plan.title, pf["due"], pf["done"], pf["overdue"], pf["done_rate"]])
    work_plans = section("work_plans", _("Work plans"), figures=[
        figure("plans", _("Work plans with milestones due"), len(plans)),
        figure("due", _("Milestones due"), f["due"]),
        figure("done", _("Completed"), f["done"]),
        figure("open", _("Not yet done"), f["open"]),
        figure("overdue", _("Overdue"), f["overdue"]),
        figure("done_rate", _("Done on plan"), f["done_rate"], "%"),
    ], tables=[
        table("plans", _("By work plan"), [_("year"), _("work plan"), _("milestones due"), _("completed"), _("overdue"),
                                           _("done %")], plan_rows),
        table("milestones", _("Milestones due in the period"),
              [_("due on"), _("work plan"), _("milestone"), _("target"), _("owner"), _("status"), _("done on")],
              [[m.due_on, m.plan.title, m.title, m.target, m.owner.name if m.owner_id else "", _status(m), m.done_on]
               for m in milestones]),
    ], notes=[_("Milestones of published or closed work plans due in the period; cancelled ones are not counted. "
                "Overdue: not done and past due today. Work plans are the company's, not an estate's.")])

    objective_list = _objectives(estate_ids)
    rows = objective_rows(objective_list, period.start, period.end)
    met = sum(1 for r in rows if r["met"] is True)
    missed = sum(1 for r in rows if r["met"] is False)
    yes_no = {True: _("met"), False: _("not met"), None: _("no value")}
    objectives = section("objectives", _("Quality objectives"), figures=[
        figure("objectives", _("Objectives"), len(rows)),
        figure("met", _("Targets met"), met),
        figure("missed", _("Not met"), missed),
        figure("no_value", _("Without a value"), len(rows) - met - missed),
    ], tables=[table("objectives", _("Objectives: target and actual"),
                     [_("objective"), _("estate"), _("target is"), _("target"), _("actual"),
                      pgettext("measure", "unit"), _("result")],
                     [[r["objective"].title, r["objective"].estate.name if r["objective"].estate_id else "",
                       text(r["objective"].get_comparison_display()), _number(r["objective"].target),
                       _number(r["actual"]), r["objective"].unit, text(yes_no[r["met"]])] for r in rows])],
        notes=[_("The objectives of the published quality policy; an estate's objectives only for the estates of the "
                 "report.")])

    t = training_figures(period.start, period.end, department)
    due_items = list(items_due(period.start, period.end, department).select_related("plan")
                     .annotate(done=_done(period)).order_by("plan__year", "month", "id"))
    training = section("training", _("Training plan"), figures=[
        figure("items_due", _("Training items planned"), t["items_due"]),
        figure("items_done", _("Training items done"), t["items_done"]),
        figure("completion_rate", _("Training plan completion"), _number(t["completion_rate"]), "%"),
        figure("sessions_held", _("Sessions held"), t["sessions_held"]),
        figure("attendances", _("Attendances"), t["attendances"]),
        figure("person_hours", _("Person-hours"), _number(t["person_hours"])),
        figure("average_score", _("Average assessment score"), _number(t["average_score"])),
    ], tables=[table("items", _("Training items of the period"), [_("month"), _("topic"), _("hours"),
                                                                  _("trainer"), _("completed")],
                     [[f"{i.plan.year}-{i.month:02d}", i.topic, _number(i.hours), i.trainer,
                       text(_("yes") if i.done else _("no"))] for i in due_items])],
        chart=chart("bar", [_("planned"), _("completed")], [(_("training items"), [t["items_due"], t["items_done"]])]))

    upcoming = next_period(period)
    next_milestones = _milestones(upcoming, department)
    next_items = list(items_due(upcoming.start, upcoming.end, department).select_related("plan")
                      .order_by("plan__year", "month", "id"))
    next_plan = section("next_period", _("Next period's plan"), figures=[
        figure("milestones", _("Milestones due"), sum(1 for m in next_milestones
                                                      if m.status != MilestoneStatus.CANCELLED)),
        figure("training_items", _("Training items planned"), len(next_items)),
    ], tables=[
        table("milestones", _("Milestones due"), [_("due on"), _("work plan"), _("milestone"), _("target"),
                                                  _("owner"), _("status")],
              [[m.due_on, m.plan.title, m.title, m.target, m.owner.name if m.owner_id else "", _status(m)]
               for m in next_milestones if m.status != MilestoneStatus.CANCELLED]),
        table("training", _("Training items planned"), [_("month"), _("topic"), _("hours"), _("trainer")],
              [[f"{i.plan.year}-{i.month:02d}", i.topic, _number(i.hours), i.trainer] for i in next_items]),
    ], notes=[_("Next period: %(label)s.") % {"label": upcoming.label}])
    return content(_("Customer service plan report"), [work_plans, objectives, training, next_plan])


def _done(period: Period):
    """Exists: a held session of the item dated up to the period's end (as ``training_figures`` counts done)."""
    from django.db.models import Exists, OuterRef

    from wuye.training.choices import SessionStatus
    from wuye.training.models import TrainingSession

    return Exists(TrainingSession.objects.filter(plan_item=OuterRef("pk"), status=SessionStatus.HELD,
                                                 date__lte=period.end))

