"""Demo data of the work plans: this year's 客户服务部年度工作计划 (four phases with their milestones, some done,
one overdue), published by the customer-service manager; the manager and the agent 张丽 have acknowledged it, the
others in the department have not. Found by year and title: a second run changes nothing."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from wuye.core.demo import demo_user
from wuye.org.models import Department, Staff

from .. import services
from ..choices import MilestoneKind, MilestoneStatus
from ..models import WorkPlan

__all__ = ["load"]

TITLE = "客户服务部年度工作计划"
TARGETS = "投诉处理及时率 ≥ 98%；回访满意率 ≥ 90%；客户满意率 ≥ 90%；文件一分钟内取阅率 100%。"
ACKNOWLEDGED = ("cs_manager", "agent")

# phase title, end (month, day), [(milestone, due (month, day), target, done once its date is past)]; the
# internal audit is left open past its date (overdue)
PHASES = [
    ("一季度：制度完善", (3, 31), [
        ("修订客户服务工作程序", (2, 28), "程序文件发布", True),
        ("岗位标准全员培训", (3, 20), "培训覆盖率100%", True),
    ]),
    ("二季度：服务提升", (6, 30), [
        ("投诉处理时限专项检查", (5, 15), "及时率 ≥ 98%", True),
        ("上半年客户回访", (6, 20), "回访率100%", True),
    ]),
    ("三季度：内审与改进", (9, 30), [
        ("内部质量审核", (8, 31), "不合格项全部关闭", False),
        ("文件取阅抽查", (9, 15), "一分钟内取阅率100%", True),
    ]),
    ("四季度：总结评审", (12, 31), [
        ("年度客户满意度调查", (11, 30), "满意率 ≥ 90%", False),
        ("管理评审与年度总结", (12, 20), "形成评审报告", False),
    ]),
]


def load(*, stdout, style):
    today = timezone.localdate()
    year = today.year
    if WorkPlan.objects.filter(year=year, title=TITLE).exists():
        stdout.write(f"work plans: {year} {TITLE} already there")
        return []
    manager = demo_user("cs_manager")
    department = Department.objects.get(code="cs")
    owner = Staff.objects.filter(user=manager).first()
    plan = services.work_plan_create(actor=manager, year=year, title=TITLE, department=department,
                                     scope_departments=[department], targets=TARGETS,
                                     description="围绕质量目标，分四个阶段实施，每季度检查进度。")
    for n, (phase_title, (pm, pd), milestones) in enumerate(PHASES):
        start = dt.date(year, 3 * n + 1, 1)
        done_flags = [done_before and dt.date(year, month, day) < today - dt.timedelta(days=14)
                      for _title, (month, day), _target, done_before in milestones]
        phase_status = (MilestoneStatus.DONE if all(done_flags) else MilestoneStatus.IN_PROGRESS
                        if start <= today else MilestoneStatus.NOT_STARTED)
        phase_due = dt.date(year, pm, pd)
        phase = services.milestone_add(actor=manager, plan=plan, kind=MilestoneKind.PHASE, title=phase_title,
                                       start_on=start, due_on=phase_due, sort_order=n, owner=owner,
                                       status=phase_status, done_on=phase_due if all(done_flags) else None)
        for m, ((title, (month, day), target, _flag), done) in enumerate(zip(milestones, done_flags, strict=True)):
            due = dt.date(year, month, day)
            status = (MilestoneStatus.DONE if done else MilestoneStatus.IN_PROGRESS
                      if due <= today + dt.timedelta(days=30) else MilestoneStatus.NOT_STARTED)
            services.milestone_add(actor=manager, plan=plan, phase=phase, title=title, target=target, owner=owner,
                                   due_on=due, status=status, done_on=due if done else None, sort_order=m,
                                   note="按计划完成。" if done else "")
    services.work_plan_publish(actor=manager, plan=plan, note="年度计划发布")
    for username in ACKNOWLEDGED:
        services.work_plan_acknowledge(actor=demo_user(username), plan=plan)
    stdout.write(f"work plans: {year} {TITLE} published, {len(ACKNOWLEDGED)} staff acknowledged")
    return []
