"""The figures for the reports and the dashboard, each checked against a count made here from the rows."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from wuye.org.tests.factories import DepartmentFactory, PostFactory
from wuye.training import selectors, services
from wuye.training.choices import SessionStatus
from wuye.training.models import Attendance, TrainingSession

from .factories import adhoc, other_post, plan, session, today, yesterday

pytestmark = pytest.mark.django_db


def _independent(start, end, department=None):
    """The same figures computed in Python from all rows."""
    sessions = [s for s in TrainingSession.objects.all() if start <= s.date <= end
                and (department is None or s.department_id == department.pk)]
    held = [s for s in sessions if s.status == SessionStatus.HELD]
    rows = [a for a in Attendance.objects.select_related("session") if a.session in held]
    scores = [a.score for a in rows if a.attended and a.score is not None]
    from wuye.training.models import PlanItem

    due = [i for i in PlanItem.objects.select_related("plan") if i.plan.status in ("approved", "closed")
           and (department is None or i.plan.department_id == department.pk)
           and (start.year, start.month) <= (i.plan.year, i.month) <= (end.year, end.month)]
    done = [i for i in due if any(s.plan_item_id == i.pk and s.status == SessionStatus.HELD and s.date <= end
                                  for s in TrainingSession.objects.all())]
    average = (sum(scores) / len(scores)).quantize(Decimal("0.1")) if scores else None
    return {
        "sessions": len(sessions),
        "sessions_planned": sum(s.status == SessionStatus.PLANNED for s in sessions),
        "sessions_held": len(held),
        "sessions_cancelled": sum(s.status == SessionStatus.CANCELLED for s in sessions),
        "hours": sum((s.hours for s in held), Decimal("0")),
        "attendances": sum(a.attended for a in rows),
        "absences": sum(not a.attended for a in rows),
        "person_hours": sum((a.session.hours for a in rows if a.attended), Decimal("0")),
        "average_score": average,
        "items_due": len(due),
        "items_done": len(done),
        "completion_rate": (Decimal(len(done) * 100) / len(due)).quantize(Decimal("0.1")) if due else None,
    }


def _data(world):
    """A plan of yesterday's year with 4 items (months 1–4), sessions held, planned, cancelled, ad hoc; and a plan
    of another department."""
    year = yesterday().year
    made = plan(world, "approved", items=4)
    items = list(made.items.order_by("month"))
    day = dt.date(year, 1, 10) if yesterday() >= dt.date(year, 1, 10) else yesterday()
    session(world, "held", item=items[0], date=day)
    services.session_record(actor=world.users["cs_manager"], session=session(world, item=items[1], date=day),
                            attendance=[{"staff": world.staff["agent"], "score": 61},
                                        {"staff": world.staff["admin"], "score": "70.5"}])
    session(world, "cancelled", item=items[2], date=day)
    session(world, item=items[3], date=day)
    held_adhoc = adhoc(world, date=day, hours=Decimal("1.5"))
    services.session_record(actor=world.users["cs_manager"], session=held_adhoc,
                            attendance=[{"staff": world.staff["agent"]}])
    other = DepartmentFactory(company=world.company, name="工程部", code="eng")
    plan(world, department=other, items=0)                      # a draft: counts nowhere
    services.session_schedule(actor=world.users["cs_manager"], department=other, topic="安全生产", date=day,
                              hours=Decimal("2"))
    return made, other


def test_training_figures_match_an_independent_count(world):
    made, other = _data(world)
    year = made.year
    for start, end, department in [
        (dt.date(year, 1, 1), dt.date(year, 12, 31), None),
        (dt.date(year, 1, 1), dt.date(year, 12, 31), world.department),
        (dt.date(year, 1, 1), dt.date(year, 1, 31), world.department),
        (dt.date(year, 2, 1), dt.date(year, 3, 31), None),
        (dt.date(year, 1, 1), dt.date(year, 12, 31), other),
    ]:
        figures = selectors.training_figures(start, end, department)
        assert figures == _independent(start, end, department), (start, end, department)
    whole = selectors.training_figures(dt.date(year, 1, 1), dt.date(year, 12, 31))
    # and by hand, to be sure the independent count is not empty
    assert (whole["sessions"], whole["sessions_held"], whole["sessions_cancelled"], whole["sessions_planned"]) == (
        6, 3, 1, 2)
    assert whole["attendances"] == 5 and whole["absences"] == 1
    assert whole["hours"] == Decimal("2") + Decimal("3") + Decimal("1.5")
    assert whole["person_hours"] == Decimal("2") * 2 + Decimal("3") * 2 + Decimal("1.5")
    assert whole["average_score"] == ((Decimal(88) + 61 + Decimal("70.5")) / 3).quantize(Decimal("0.1"))
    assert (whole["items_due"], whole["items_done"], whole["completion_rate"]) == (4, 2, Decimal("50.0"))


def test_empty_period_has_no_rates(world):
    figures = selectors.training_figures(dt.date(2001, 1, 1), dt.date(2001, 12, 31))
    assert figures["sessions"] == 0 and figures["completion_rate"] is None and figures["average_score"] is None
    assert figures["hours"] == Decimal("0")


def test_sessions_without_record(world):
    overdue = session(world, date=yesterday())
    session(world, "held", item=overdue.plan_item)
    adhoc(world, date=today())
    cancelled = adhoc(world, date=yesterday())
    services.session_cancel(actor=world.users["cs_manager"], session=cancelled, reason="x")
    assert list(selectors.sessions_without_record(today())) == [overdue]
    assert list(selectors.sessions_without_record(yesterday())) == []


def test_staff_training_record(world):
    made, _other = _data(world)
    agent = world.staff["agent"]
    record = selectors.staff_training_record(agent, made.year)
    mine = [a for a in Attendance.objects.select_related("session") if a.staff_id == agent.pk]
    assert record["sessions_attended"] == sum(a.attended for a in mine) == 3
    assert record["hours"] == sum(a.session.hours for a in mine if a.attended) == Decimal("6.5")
    assert record["average_score"] == ((Decimal(88) + 61) / 2).quantize(Decimal("0.1"))
    assert [a.pk for a in record["attendances"]] == [a.pk for a in sorted(
        mine, key=lambda a: (a.session.date, a.session_id), reverse=True)]
    # 4 items target the agent's post; items 1 and 2 were attended
    assert (record["required_count"], record["required_done"], record["completion_rate"]) == (4, 2, Decimal("50.0"))
    assert [i.done for i in record["required"]] == [True, True, False, False]
    # the executive was absent from item 1's session: not done
    executive = selectors.staff_training_record(world.staff["executive"], made.year)
    assert executive["required_done"] == 0 and executive["sessions_attended"] == 0
    assert selectors.staff_training_record(agent, made.year - 1)["required_count"] == 0


def test_completion_matrix_per_person_and_post(world):
    made = plan(world, items=2)
    reception = other_post(world)
    services.item_add(actor=world.users["cs_manager"], plan=made, topic="前台礼仪", hours=1, month=3,
                      target_posts=[reception])
    from wuye.org.tests.factories import StaffFactory

    receptionist = StaffFactory(post=reception, user=None)
    StaffFactory(post=PostFactory(), user=None)                  # another department: not in the matrix
    services.plan_approve(actor=world.users["executive"], plan=made)
    first = made.items.order_by("month").first()
    session(world, "held", item=first)
    matrix = selectors.completion_matrix(made)
    assert [i.topic for i in matrix["items"]] == ["培训1", "培训2", "前台礼仪"]
    by_staff = {row["staff"].pk: row for row in matrix["rows"]}
    assert set(by_staff) == {*(s.pk for s in world.staff.values()), receptionist.pk}
    agent = by_staff[world.staff["agent"].pk]
    assert [(c["required"], c["done"], c["score"]) for c in agent["cells"]] == [
        (True, True, Decimal("88.0")), (True, False, None), (False, False, None)]
    assert (agent["required"], agent["done"], agent["rate"]) == (2, 1, Decimal("50.0"))
    assert by_staff[receptionist.pk]["required"] == 1 and by_staff[receptionist.pk]["done"] == 0
    posts = {p["post"].pk: p for p in matrix["posts"]}
    staff_on_post = len(world.staff)
    assert posts[world.post.pk]["staff"] == staff_on_post
    assert posts[world.post.pk]["required"] == staff_on_post * 2
    assert posts[world.post.pk]["done"] == 2                       # agent and cs_manager attended item 1
    assert posts[reception.pk] == {"post": reception, "staff": 1, "required": 1, "done": 0, "rate": Decimal("0.0")}
