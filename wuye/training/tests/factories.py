"""Training objects for the tests, made through the services as the test world's users: the customer-service
manager drafts and runs the plan, top management approves it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from wuye.org.tests.factories import PostFactory, StaffFactory
from wuye.training import services


def today() -> dt.date:
    return timezone.localdate()


def yesterday() -> dt.date:
    return today() - dt.timedelta(days=1)


def other_post(w):
    """A second post of the world's department (no training targets it unless asked)."""
    return PostFactory(department=w.department, name="前台接待员", code="reception")


def plan(w, state: str = "draft", year: int | None = None, department=None, items: int = 2):
    """A plan of the world's department for ``year`` (default yesterday's year) with ``items`` trainings for the agent's
    post (hours 2, 3, …; months 1, 2, …); approved by top management when ``state`` is approved or closed."""
    made = services.plan_create(actor=w.users["cs_manager"], department=department or w.department,
                                year=year or yesterday().year, title="年度培训计划")
    for n in range(items):
        services.item_add(actor=w.users["cs_manager"], plan=made, topic=f"培训{n + 1}", hours=Decimal(2 + n),
                          month=n + 1, target_posts=[w.post], trainer="外聘讲师")
    if state in ("approved", "closed"):
        services.plan_approve(actor=w.users["executive"], plan=made)
    if state == "closed":
        services.plan_close(actor=w.users["cs_manager"], plan=made, reason="年度结束")
    made.refresh_from_db()
    return made


def session(w, state: str = "planned", item=None, date: dt.date | None = None, **kwargs):
    """A session of ``item`` (default: the first item of a new approved plan) on ``date`` (default yesterday);
    held: the agent attended with 88, the cs_manager attended without score, the executive was absent."""
    item = item or plan(w, "approved").items.order_by("month").first()
    made = services.session_schedule(actor=w.users["cs_manager"], plan_item=item,
                                     date=date or yesterday(), place="三楼会议室", **kwargs)
    if state == "held":
        services.session_record(actor=w.users["cs_manager"], session=made, attendance=[
            {"staff": w.staff["agent"], "attended": True, "score": Decimal("88")},
            {"staff": w.staff["cs_manager"], "attended": True},
            {"staff": w.staff["executive"], "attended": False, "comment": "请假"},
        ])
    elif state == "cancelled":
        services.session_cancel(actor=w.users["cs_manager"], session=made, reason="讲师临时有事")
    made.refresh_from_db()
    return made


def adhoc(w, date: dt.date | None = None, hours=Decimal("1.5")):
    return services.session_schedule(actor=w.users["cs_manager"], department=w.department, topic="消防演练",
                                     date=date or yesterday(), hours=hours)


def left_staff(w, left_on: dt.date):
    staff = StaffFactory(post=w.post, user=None, status="left", left_on=left_on, joined_on=dt.date(2020, 1, 1))
    return staff
