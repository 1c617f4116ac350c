"""Demo data of the training app (``manage.py load_demo``).

``load()``: this year's training plan of the customer-service department with 6 trainings, drafted by the manager
(cs_manager) and approved by top management (executive); one session per training: the first four held and
recorded with attendance and assessment scores, the fifth past its date without a record (so the reminder and the
page's warning have something to show), the sixth still to come. Made through ``services`` as the demo users.

Early in January (before the 10th) the plan is last year's, so that its sessions can lie in the past. The dates are
spread over the year up to yesterday on the first load; the plan is found by department and year, a training by its
topic, a session by its training, so a second run adds and changes nothing.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from wuye.core.demo import demo_user
from wuye.org.choices import StaffStatus
from wuye.org.models import Department, Staff

from . import services
from .choices import PlanStatus, SessionStatus
from .models import PlanItem, TrainingPlan, TrainingSession

ALL = ("manager", "supervisor", "agent", "reception", "doc", "auditor")
ITEMS = [
    # topic, target post codes, hours, trainer (an employee number or a name), place, notes
    ("客户服务礼仪与沟通技巧", ("supervisor", "agent", "reception"), "3", "外聘讲师 王慧", "公司三楼培训室",
     "含情景演练"),
    ("投诉处理流程与案例分析", ("supervisor", "agent"), "2", "KF001", "公司三楼培训室", "结合本年度典型投诉案例"),
    ("报修受理与工单系统操作", ("agent", "reception"), "2", "KF002", "客服中心", "上机操作考核"),
    ("质量管理体系文件宣贯", ALL, "1.5", "KF008", "公司三楼培训室", "新版程序文件"),
    ("消防安全与应急处置", ALL, "2", "西湖区消防救援大队", "云栖雅苑消防控制室", "含灭火器实操"),
    ("物业服务法规与合同知识", ("manager", "supervisor", "agent"), "3", "外聘律师 李明", "公司三楼培训室", ""),
]
HELD = 4  # the first four are held and recorded; the fifth is overdue; the sixth to come


def _year(today: dt.date) -> int:
    return today.year if (today.month, today.day) >= (1, 10) else today.year - 1


def _dates(year: int, today: dt.date) -> list[dt.date]:
    """Six session days: five spread from 5 January to yesterday, the sixth after today (or in late December)."""
    start = dt.date(year, 1, 5)
    end = min(today - dt.timedelta(days=1), dt.date(year, 12, 20))
    span = max((end - start).days, 5)
    past = [start + dt.timedelta(days=round(span * f)) for f in (0.1, 0.3, 0.5, 0.7, 0.95)]
    future = min(today + dt.timedelta(days=14), dt.date(year, 12, 28))
    if future <= today:
        future = dt.date(year, 12, 28)
    return [*past, future]


def _trainer(code: str, staff_by_no: dict) -> dict:
    if code in staff_by_no:
        return {"trainer": "", "trainer_staff": staff_by_no[code]}
    return {"trainer": code, "trainer_staff": None}


def load(*, stdout, style) -> list:
    manager, executive = demo_user("cs_manager"), demo_user("executive")
    department = Department.objects.get(code="cs")
    posts = {p.code: p for p in department.posts.all()}
    staff_by_no = {s.employee_no: s for s in Staff.objects.filter(department=department)}
    today = timezone.localdate()
    year = _year(today)
    rng = random.Random(f"training-{year}")
    changed = 0

    plan = TrainingPlan.objects.filter(department=department, year=year).first()
    if plan is None:
        plan = services.plan_create(actor=manager, department=department, year=year,
                                    title=f"{year}年度客户服务部员工培训计划",
                                    notes="依据岗位职责与质量目标编制；每人每年培训不少于12学时。")
        changed += 1
    dates = _dates(year, today)
    items = []
    for (topic, codes, hours, trainer, _place, notes), day in zip(ITEMS, dates, strict=True):
        item = plan.items.filter(topic=topic).first()
        if item is None and plan.status == PlanStatus.DRAFT:
            item = services.item_add(actor=manager, plan=plan, topic=topic, hours=Decimal(hours), month=day.month,
                                     target_posts=[posts[c] for c in codes if c in posts], notes=notes,
                                     **_trainer(trainer, staff_by_no))
            changed += 1
        if item is not None:
            items.append(item)
    if plan.status == PlanStatus.DRAFT and items:
        plan = services.plan_approve(actor=executive, plan=plan)
        changed += 1

    for n, (item, spec, day) in enumerate(zip(items, ITEMS, dates, strict=False)):
        session = TrainingSession.objects.filter(plan_item=item).first()
        if session is None:
            session = services.session_schedule(actor=manager, plan_item=item, date=day, place=spec[4],
                                                start_time=dt.time(14, 0), hours=item.hours)
            changed += 1
        if n < HELD and session.status == SessionStatus.PLANNED and session.date < today:
            services.session_record(actor=manager, session=session, attendance=_attendance(item, session, rng),
                                    today=today)
            changed += 1
    stdout.write(f"training: plan {plan.year} ({plan.get_status_display()}), {len(items)} trainings, "
                 f"{TrainingSession.objects.filter(plan_item__plan=plan, status=SessionStatus.HELD).count()} "
                 f"sessions held ({changed} changes)")
    return []


def _attendance(item: PlanItem, session: TrainingSession, rng: random.Random) -> list[dict]:
    """Everyone of the target posts on the session's day; one absent (sick leave); scores 62–98."""
    targets = list(item.target_posts.values_list("pk", flat=True))
    people = list(Staff.objects.filter(department_id=session.department_id, post_id__in=targets)
                  .filter(Q(status=StaffStatus.ACTIVE) | Q(left_on__gte=session.date)).order_by("employee_no"))
    absent = rng.choice(people[1:]) if len(people) > 2 else None
    rows = []
    for person in people:
        if person == absent:
            rows.append({"staff": person, "attended": False, "comment": "病假"})
        else:
            rows.append({"staff": person, "attended": True, "score": Decimal(rng.randint(124, 196)) / 2})
    return rows
