"""The service plan report (客户服务计划性报告): milestones, objectives and training items checked against Python
over the rows made through the quality and training services."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.utils.translation import gettext

from wuye.quality import services as quality
from wuye.quality.choices import MilestoneKind, MilestoneStatus
from wuye.quality.models import Milestone, ObjectiveMeasurement
from wuye.quality.tests.factories_policy import published_plan, published_policy
from wuye.reports.kinds import service_plan as builder
from wuye.tickets.reports import period_for
from wuye.training.models import PlanItem
from wuye.training.tests.factories import plan as training_plan
from wuye.training.tests.factories import session

pytestmark = pytest.mark.django_db

YEAR = 2025
Q1 = period_for("quarter", dt.date(YEAR, 2, 2))


@pytest.fixture
def data(world):
    work_plan = published_plan(world, year=YEAR, milestones=2)  # due 03-15 and 04-15
    actor = world.users["cs_manager"]
    extra = [("年初检查", dt.date(YEAR, 1, 1)), ("季末总结", dt.date(YEAR, 3, 31)), ("取消的", dt.date(YEAR, 2, 1)),
             ("下季度第一天", dt.date(YEAR, 4, 1)), ("上年底", dt.date(YEAR - 1, 12, 31))]
    for title, due in extra:
        quality.milestone_add(actor=actor, plan=work_plan, kind=MilestoneKind.MILESTONE, title=title, due_on=due)
    Milestone.objects.filter(title="年初检查").update(status=MilestoneStatus.DONE, done_on=dt.date(YEAR, 1, 2))
    Milestone.objects.filter(title="取消的").update(status=MilestoneStatus.CANCELLED)
    Milestone.objects.filter(title="季末总结").update(status=MilestoneStatus.IN_PROGRESS)
    policy = published_policy(world, objectives=(("manual", "95"), ("manual", "90"), ("complaint_timely", "98")))
    first, second, _third = policy.objectives.order_by("sort_order")
    for objective, value in ((first, "96.5"), (second, "80")):
        ObjectiveMeasurement.objects.create(objective=objective, period_start=Q1.start, period_end=Q1.end,
                                            value=Decimal(value))
    made = training_plan(world, "approved", year=YEAR, items=4)  # months 1–4
    item_feb = made.items.get(month=2)
    session(world, "held", item=item_feb, date=dt.date(YEAR, 2, 10))
    session(world, "held", item=made.items.get(month=4), date=dt.date(YEAR, 3, 20))  # done early, due in Q2
    return world


def _sections(content):
    return {s["key"]: s for s in content["sections"]}


def _figures(s):
    return {f["key"]: f["value"] for f in s["figures"]}


def test_quarter(data):
    content = builder.build(period=Q1, estate_ids=None, department=None)
    json.dumps(content)
    s = _sections(content)
    milestones = [m for m in Milestone.objects.filter(kind=MilestoneKind.MILESTONE)
                  if Q1.start <= m.due_on <= Q1.end]
    counted = [m for m in milestones if m.status != MilestoneStatus.CANCELLED]
    done = [m for m in counted if m.status == MilestoneStatus.DONE]
    overdue = [m for m in counted if m.status != MilestoneStatus.DONE]  # all due dates of 2025 are past
    f = _figures(s["work_plans"])
    assert f == {"plans": 1, "due": len(counted), "done": len(done), "open": len(counted) - len(done),
                 "overdue": len(overdue), "done_rate": round(100 * len(done) / len(counted), 1)}
    assert (f["due"], f["done"]) == (3, 1)
    rows = s["work_plans"]["tables"][1]["rows"]
    assert [r[2] for r in rows] == [m.title for m in sorted(milestones, key=lambda m: (m.due_on, m.pk))]
    assert s["work_plans"]["tables"][0]["rows"] == [[YEAR, "客户服务部年度工作计划", 3, 1, 2, 33.3]]

    o = _figures(s["objectives"])
    assert o == {"objectives": 3, "met": 1, "missed": 1, "no_value": 1}
    assert [r[4] for r in s["objectives"]["tables"][0]["rows"]] == [96.5, 80.0, None]
    assert [r[3] for r in s["objectives"]["tables"][0]["rows"]] == [95.0, 90.0, 98.0]

    t = _figures(s["training"])
    due = [i for i in PlanItem.objects.all() if 1 <= i.month <= 3]
    assert t["items_due"] == len(due) == 3
    assert t["items_done"] == 1 and t["completion_rate"] == 33.3
    assert t["sessions_held"] == 2 and t["attendances"] == 4
    assert t["person_hours"] == float(2 * (2 + 1) + 2 * (2 + 3))  # attended × hours of each held session
    assert t["average_score"] == 88.0
    assert [r[4] for r in s["training"]["tables"][0]["rows"]] == [gettext("no"), gettext("yes"), gettext("no")]

    n = s["next_period"]
    q2_milestones = [m for m in Milestone.objects.filter(kind=MilestoneKind.MILESTONE)
                     if dt.date(YEAR, 4, 1) <= m.due_on <= dt.date(YEAR, 6, 30)
                     and m.status != MilestoneStatus.CANCELLED]
    assert _figures(n) == {"milestones": len(q2_milestones), "training_items": 1}
    assert [r[2] for r in n["tables"][0]["rows"]] == [m.title for m in sorted(q2_milestones, key=lambda m: m.due_on)]
    assert [r[1] for r in n["tables"][1]["rows"]] == ["培训4"]


def test_estate_objectives(data):
    """Objectives without an estate show in every scope; an estate's objective only in a scope holding it."""
    from wuye.quality.models import QualityObjective

    objective = QualityObjective.objects.order_by("sort_order").last()
    QualityObjective.objects.filter(pk=objective.pk).update(estate=data.estate_a)
    in_b = builder.build(period=Q1, estate_ids=[data.estate_b.pk], department=None)
    in_a = builder.build(period=Q1, estate_ids=[data.estate_a.pk], department=None)
    assert _figures(_sections(in_b)["objectives"])["objectives"] == 2
    assert _figures(_sections(in_a)["objectives"])["objectives"] == 3
    assert _sections(in_a)["objectives"]["tables"][0]["rows"][2][1] == data.estate_a.name


def test_empty(world):
    content = builder.build(period=period_for("month", dt.date(2019, 1, 1)), estate_ids=None, department=None)
    s = _sections(content)
    assert _figures(s["work_plans"])["due"] == 0 and _figures(s["work_plans"])["done_rate"] is None
    assert _figures(s["training"])["completion_rate"] is None
    json.dumps(content)


def test_department(data):
    """A report of the department counts its own plans and the company's; another department's are left out."""
    from wuye.org.tests.factories import DepartmentFactory

    ours = builder.build(period=Q1, estate_ids=None, department=data.department)
    assert _figures(_sections(ours)["work_plans"])["due"] == 3
    assert _figures(_sections(ours)["training"])["items_due"] == 3
    other = builder.build(period=Q1, estate_ids=None, department=DepartmentFactory(company=data.company, code="eng",
                                                                                   name="工程部"))
    assert _figures(_sections(other)["work_plans"])["due"] == 0
    assert _figures(_sections(other)["training"])["items_due"] == 0
