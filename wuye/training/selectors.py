"""Reads of the training app: the figures for the reports and the dashboard, completion per person and post, a
staff member's training record. The database counts (aggregate / Exists); no permission here: callers pass
querysets they restricted or show these only to those allowed (``training.view_department_training``)."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count, Exists, F, OuterRef, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from wuye.org.choices import StaffStatus
from wuye.org.models import Staff

from .choices import PlanStatus, SessionStatus
from .models import Attendance, PlanItem, TrainingPlan, TrainingSession

LIVE_PLANS = (PlanStatus.APPROVED, PlanStatus.CLOSED)
ZERO = Decimal("0")


def _rate(done: int, total: int) -> Decimal | None:
    """Percentage with one decimal, or None when there is nothing to count."""
    if not total:
        return None
    return (Decimal(done) * 100 / Decimal(total)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _round(value) -> Decimal | None:
    return None if value is None else Decimal(value).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _month_key(day: dt.date) -> int:
    return day.year * 100 + day.month


def attended_item(staff_ref=None) -> Exists:
    """Exists: the staff member (``staff_ref``, default the outer row's ``staff``) attended a held session of the
    outer plan item."""
    return Exists(Attendance.objects.filter(
        session__plan_item=OuterRef("pk"), session__status=SessionStatus.HELD, attended=True,
        staff=staff_ref if staff_ref is not None else OuterRef("staff")))


def items_due(start: dt.date, end: dt.date, department=None):
    """Items of approved or closed plans whose planned month falls within the period (by month)."""
    items = (PlanItem.objects.filter(plan__status__in=LIVE_PLANS)
             .annotate(month_key=F("plan__year") * 100 + F("month"))
             .filter(month_key__gte=_month_key(start), month_key__lte=_month_key(end)))
    if department is not None:
        items = items.filter(plan__department=department)
    return items


def training_figures(start: dt.date, end: dt.date, department=None) -> dict:
    """The training figures of a period (both days included), of one department or all:

    - ``sessions``: sessions dated in the period, and of them ``sessions_planned`` (not yet recorded),
      ``sessions_held``, ``sessions_cancelled``;
    - ``attendances`` (people who attended a held session), ``absences`` (on the record, absent);
    - ``hours``: the hours of the held sessions; ``person_hours``: hours × attendees;
    - ``average_score``: the mean assessment score of the held sessions' scored attendees (None without scores);
    - ``items_due``: plan items (approved or closed plans) planned for a month of the period; ``items_done``: those
      with a held session dated up to the period's end; ``completion_rate``: done / due in % (None when none due).
    """
    sessions = TrainingSession.objects.filter(date__gte=start, date__lte=end)
    if department is not None:
        sessions = sessions.filter(department=department)
    counts = sessions.aggregate(
        sessions=Count("pk"),
        sessions_planned=Count("pk", filter=Q(status=SessionStatus.PLANNED)),
        sessions_held=Count("pk", filter=Q(status=SessionStatus.HELD)),
        sessions_cancelled=Count("pk", filter=Q(status=SessionStatus.CANCELLED)),
        hours=Coalesce(Sum("hours", filter=Q(status=SessionStatus.HELD)), Value(ZERO)),
    )
    rows = Attendance.objects.filter(session__in=sessions.filter(status=SessionStatus.HELD))
    people = rows.aggregate(
        attendances=Count("pk", filter=Q(attended=True)),
        absences=Count("pk", filter=Q(attended=False)),
        person_hours=Coalesce(Sum("session__hours", filter=Q(attended=True)), Value(ZERO)),
        average_score=Avg("score", filter=Q(attended=True, score__isnull=False)),
    )
    due = items_due(start, end, department)
    done_sessions = TrainingSession.objects.filter(plan_item=OuterRef("pk"), status=SessionStatus.HELD,
                                                   date__lte=end)
    items = due.aggregate(items_due=Count("pk"),
                          items_done=Count("pk", filter=Q(Exists(done_sessions))))
    return {
        **counts,
        "hours": _round(counts["hours"]),
        "attendances": people["attendances"],
        "absences": people["absences"],
        "person_hours": _round(people["person_hours"]),
        "average_score": _round(people["average_score"]),
        "items_due": items["items_due"],
        "items_done": items["items_done"],
        "completion_rate": _rate(items["items_done"], items["items_due"]),
    }


def sessions_without_record(today: dt.date) -> QuerySet:
    """Planned sessions whose day has passed (before ``today``) without an attendance record."""
    return TrainingSession.objects.filter(status=SessionStatus.PLANNED, date__lt=today).order_by("date", "pk")


def required_items(staff: Staff, year: int | None = None):
    """The plan items (of approved or closed plans of the staff member's department) that target their post, each
    with ``done``: they attended a held session of it."""
    items = PlanItem.objects.filter(plan__status__in=LIVE_PLANS, plan__department_id=staff.department_id,
                                    target_posts=staff.post_id)
    if year is not None:
        items = items.filter(plan__year=year)
    return (items.select_related("plan", "trainer_staff")
            .annotate(done=attended_item(staff.pk)).order_by("-plan__year", "month", "pk"))


def staff_training_record(staff: Staff, year: int | None = None) -> dict:
    """A staff member's training record: ``attendances`` (their rows of held sessions, newest first, with the
    session), ``required`` (items targeting their post, with ``done``), ``required_count``, ``required_done``,
    ``completion_rate`` (%), ``sessions_attended``, ``hours`` (of the sessions attended), ``average_score``."""
    rows = Attendance.objects.filter(staff=staff, session__status=SessionStatus.HELD)
    if year is not None:
        rows = rows.filter(session__date__year=year)
    figures = rows.aggregate(
        sessions_attended=Count("pk", filter=Q(attended=True)),
        hours=Coalesce(Sum("session__hours", filter=Q(attended=True)), Value(ZERO)),
        average_score=Avg("score", filter=Q(attended=True, score__isnull=False)),
    )
    required = required_items(staff, year)
    counts = required.aggregate(required_count=Count("pk"), required_done=Count("pk", filter=Q(done=True)))
    return {
        "staff": staff,
        "year": year,
        "attendances": rows.select_related("session__plan_item__plan", "session__trainer_staff")
        .order_by("-session__date", "-session_id"),
        "required": required,
        "required_count": counts["required_count"],
        "required_done": counts["required_done"],
        "completion_rate": _rate(counts["required_done"], counts["required_count"]),
        "sessions_attended": figures["sessions_attended"],
        "hours": _round(figures["hours"]),
        "average_score": _round(figures["average_score"]),
    }


def plan_staff(plan: TrainingPlan):
    """The staff of the plan's department during its year: active, or left on or after 1 January."""
    return (Staff.objects.filter(department_id=plan.department_id)
            .filter(Q(status=StaffStatus.ACTIVE) | Q(left_on__gte=dt.date(plan.year, 1, 1)))
            .select_related("post").order_by("post__name", "name"))


def completion_matrix(plan: TrainingPlan) -> dict:
    """Person × item for a plan: ``items``; ``rows`` [{staff, cells [{item, required, done, score}], required,
    done, rate}]; ``posts`` [{post, staff, required, done, rate}] (required = staff × items targeting the post)."""
    items = list(plan.items.prefetch_related("target_posts").order_by("month", "pk"))
    targets = {item.pk: {post.pk for post in item.target_posts.all()} for item in items}
    attended = {}
    for staff_id, item_id, score in (Attendance.objects.filter(
            session__plan_item__plan=plan, session__status=SessionStatus.HELD, attended=True)
            .values_list("staff_id", "session__plan_item_id", "score").order_by("session__date", "pk")):
        attended[(staff_id, item_id)] = score if score is not None else attended.get((staff_id, item_id))
    rows, posts = [], {}
    for staff in plan_staff(plan):
        cells, required, done = [], 0, 0
        for item in items:
            needed = staff.post_id in targets[item.pk]
            present = (staff.pk, item.pk) in attended
            required += needed
            done += needed and present
            cells.append({"item": item, "required": needed, "done": present,
                          "score": attended.get((staff.pk, item.pk))})
        rows.append({"staff": staff, "cells": cells, "required": required, "done": done,
                     "rate": _rate(done, required)})
        entry = posts.setdefault(staff.post_id, {"post": staff.post, "staff": 0, "required": 0, "done": 0})
        entry["staff"] += 1
        entry["required"] += required
        entry["done"] += done
    for entry in posts.values():
        entry["rate"] = _rate(entry["done"], entry["required"])
    return {"items": items, "rows": rows, "posts": sorted(posts.values(), key=lambda e: e["post"].name)}
