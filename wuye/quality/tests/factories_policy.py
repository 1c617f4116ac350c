"""Quality policies, objectives and work plans for tests, made through the services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from wuye.quality import services
from wuye.quality.choices import Comparison, Metric, MilestoneKind


def draft_policy(world, *, title="质量方针", objectives=(("complaint_timely", "98"),), **fields):
    """A draft policy drafted by the quality auditor, with one objective per (metric, target)."""
    actor = world.users["quality_auditor"]
    policy = services.quality_policy_create(actor=actor, title=title, statement="顾客满意，持续改进。", **fields)
    for i, (metric, target) in enumerate(objectives):
        services.quality_objective_add(actor=actor, policy=policy, title=f"目标{i + 1}", metric=metric,
                                       target=Decimal(target), comparison=Comparison.AT_LEAST, sort_order=i)
    return policy


def approved_policy(world, **kwargs):
    policy = draft_policy(world, **kwargs)
    return services.quality_policy_approve(actor=world.users["executive"], policy=policy)


def published_policy(world, **kwargs):
    policy = approved_policy(world, **kwargs)
    return services.quality_policy_publish(actor=world.users["quality_auditor"], policy=policy)


def manual_objective(world, policy=None):
    policy = policy or published_policy(world, objectives=(("manual", "100"),))
    return policy.objectives.get(metric=Metric.MANUAL)


def plan(world, *, year=None, scope=(), milestones=2, **fields):
    """A draft work plan of the customer-service department, with a phase and ``milestones`` milestones."""
    actor = world.users["cs_manager"]
    year = year or timezone.localdate().year
    work_plan = services.work_plan_create(actor=actor, year=year, title=fields.pop("title", "客户服务部年度工作计划"),
                                          department=world.department, scope_departments=scope, **fields)
    if milestones:
        phase = services.milestone_add(actor=actor, plan=work_plan, kind=MilestoneKind.PHASE, title="第一阶段",
                                       due_on=dt.date(year, 6, 30))
        for i in range(milestones):
            services.milestone_add(actor=actor, plan=work_plan, phase=phase, title=f"里程碑{i + 1}",
                                   due_on=dt.date(year, 3 + i, 15), owner=world.staff["cs_manager"])
    return work_plan


def published_plan(world, **kwargs):
    work_plan = plan(world, **kwargs)
    services.work_plan_publish(actor=world.users["cs_manager"], plan=work_plan)
    work_plan.refresh_from_db()
    return work_plan
