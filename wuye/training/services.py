"""Every write of the training app: ``<entity>_<action>(*, actor, ...)``, atomic, checked, audited.

Rules (``docs/training.md``):
- one plan per department and year; a plan is drafted, then approved by someone holding
  ``training.approve_trainingplan`` who did not draft it (the drafter may not approve their own plan), then closed;
- an approved plan is read-only: its items change only while it is a draft; it may only be closed;
- sessions of a plan item need an approved plan (not a draft, not closed); ad-hoc sessions need no item;
- a session is recorded (attendees and scores at once) on or after its date, unless cancelled; a score is 0–100 and
  only for someone who attended; a staff member who had left before the session's date cannot be recorded;
- a planned session may be cancelled with a reason; nothing is deleted.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wuye.core.audit import audit
from wuye.core.context import acting_as
from wuye.core.notifications import notify, permission_holders
from wuye.org.choices import StaffStatus

from .choices import PlanStatus, SessionStatus
from .models import Attendance, PlanItem, SessionMaterial, TrainingPlan, TrainingSession

CHANGE_PLAN = "training.change_trainingplan"
APPROVE = "training.approve_trainingplan"
CHANGE_SESSION = "training.change_trainingsession"
RECORD = "training.add_attendance"
REMINDED = "training.receive_training_reminders"

PLAN_FIELDS = ("department", "year", "title", "notes")
ITEM_FIELDS = ("topic", "target_posts", "hours", "trainer", "trainer_staff", "month", "notes")
SESSION_FIELDS = ("plan_item", "department", "topic", "date", "start_time", "end_time", "hours", "trainer",
                  "trainer_staff", "place", "notes")


def _require(actor, permission: str) -> None:
    if actor is None or not actor.has_perm(permission):
        raise PermissionDenied(_("You may not do this."))


def _check_fields(fields: dict, allowed: tuple[str, ...]) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")


def _plan_status_error(plan: TrainingPlan):
    return ValidationError(_("A training plan that is %(status)s cannot take this step.")
                           % {"status": plan.get_status_display()})


def _session_status_error(session: TrainingSession):
    return ValidationError(_("A training session that is %(status)s cannot take this step.")
                           % {"status": session.get_status_display()})


# --- plans -------------------------------------------------------------------------------------------------------


@transaction.atomic
def plan_create(*, actor, department, year: int, title: str, notes: str = "") -> TrainingPlan:
    """A draft plan; one per department and year."""
    _require(actor, "training.add_trainingplan")
    with acting_as(actor):
        plan = TrainingPlan(department=department, year=year, title=title, notes=notes)
        plan.full_clean()
        plan.save()
        audit("training.plan.create", actor=actor, obj=plan, year=year)
        return plan


@transaction.atomic
def plan_update(*, actor, plan: TrainingPlan, **fields) -> TrainingPlan:
    """Change a draft plan (approved and closed plans are read-only)."""
    _require(actor, CHANGE_PLAN)
    _check_fields(fields, PLAN_FIELDS)
    plan = TrainingPlan.objects.select_for_update().get(pk=plan.pk)
    changed = {name for name, value in fields.items() if getattr(plan, name) != value}
    if changed and plan.status != PlanStatus.DRAFT:
        raise ValidationError(_("Only a draft training plan can be changed."))
    if "department" in changed and plan.items.exists():
        raise ValidationError({"department": _("The plan has items: its department cannot change.")})
    for name in changed:
        setattr(plan, name, fields[name])
    with acting_as(actor):
        plan.full_clean()
        plan.save()
        if changed:
            audit("training.plan.update", actor=actor, obj=plan, fields=sorted(changed))
        return plan


@transaction.atomic
def plan_approve(*, actor, plan: TrainingPlan) -> TrainingPlan:
    """Draft → approved, by someone who did not draft the plan; the plan needs at least one item."""
    _require(actor, APPROVE)
    plan = TrainingPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != PlanStatus.DRAFT:
        raise _plan_status_error(plan)
    if plan.created_by_id is not None and plan.created_by_id == actor.pk:
        raise ValidationError(_("The person who drafted a training plan may not approve it."))
    if not plan.items.exists():
        raise ValidationError(_("Add the plan's trainings before approving it."))
    with acting_as(actor):
        plan.status = PlanStatus.APPROVED
        plan.approved_by = actor
        plan.approved_at = timezone.now()
        plan.save()
        audit("training.plan.approve", actor=actor, obj=plan)
        return plan


@transaction.atomic
def plan_close(*, actor, plan: TrainingPlan, reason: str = "") -> TrainingPlan:
    """Approved → closed (the year is over, or the plan is replaced); no new sessions for its items."""
    _require(actor, CHANGE_PLAN)
    plan = TrainingPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != PlanStatus.APPROVED:
        raise _plan_status_error(plan)
    with acting_as(actor):
        plan.status = PlanStatus.CLOSED
        plan.closed_at = timezone.now()
        plan.close_reason = (reason or "").strip()[:200]
        plan.save()
        audit("training.plan.close", actor=actor, obj=plan, reason=plan.close_reason)
        return plan


# --- plan items ----------------------------------------------------------------------------------------------------


def _draft_plan(plan: TrainingPlan) -> TrainingPlan:
    plan = TrainingPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != PlanStatus.DRAFT:
        raise ValidationError(_("An approved training plan is read-only: its items change only while it is a "
                                "draft."))
    return plan


def _check_posts(plan: TrainingPlan, posts) -> None:
    if any(post.department_id != plan.department_id for post in posts):
        raise ValidationError({"target_posts": _("Choose posts of the plan's department.")})


@transaction.atomic
def item_add(*, actor, plan: TrainingPlan, topic: str, hours, month: int, target_posts=(), trainer: str = "",
             trainer_staff=None, notes: str = "") -> PlanItem:
    """A training of a draft plan."""
    _require(actor, CHANGE_PLAN)
    plan = _draft_plan(plan)
    posts = list(target_posts or ())
    _check_posts(plan, posts)
    with acting_as(actor):
        item = PlanItem(plan=plan, topic=topic, hours=hours, month=month, trainer=trainer or "",
                        trainer_staff=trainer_staff, notes=notes or "")
        item.full_clean()
        item.save()
        item.target_posts.set(posts)
        audit("training.item.add", actor=actor, obj=plan, item=item.pk, topic=topic)
        return item


@transaction.atomic
def item_update(*, actor, item: PlanItem, **fields) -> PlanItem:
    """Change a training of a draft plan."""
    _require(actor, CHANGE_PLAN)
    _check_fields(fields, ITEM_FIELDS)
    plan = _draft_plan(item.plan)
    item = PlanItem.objects.select_for_update().get(pk=item.pk)
    posts = fields.pop("target_posts", None)
    if posts is not None:
        posts = list(posts)
        _check_posts(plan, posts)
    for name, value in fields.items():
        setattr(item, name, "" if value is None and name in ("trainer", "notes") else value)
    with acting_as(actor):
        item.full_clean()
        item.save()
        if posts is not None:
            item.target_posts.set(posts)
        audit("training.item.update", actor=actor, obj=plan, item=item.pk, fields=sorted([*fields, *(
            ["target_posts"] if posts is not None else [])]))
        return item


# --- sessions ------------------------------------------------------------------------------------------------------


def _check_item(session: TrainingSession) -> None:
    if session.plan_item_id is None:
        return
    plan = session.plan_item.plan
    if plan.status != PlanStatus.APPROVED:
        raise ValidationError({"plan_item": _("Sessions are scheduled only for items of an approved plan (this "
                                              "plan is %(status)s).") % {"status": plan.get_status_display()}})
    if session.date and session.date.year != plan.year:
        raise ValidationError({"date": _("The session's date is not in the plan's year (%(year)s).")
                               % {"year": plan.year}})


@transaction.atomic
def session_schedule(*, actor, date: dt.date, plan_item: PlanItem | None = None, department=None, topic: str = "",
                     hours=None, start_time=None, end_time=None, trainer: str = "", trainer_staff=None,
                     place: str = "", notes: str = "") -> TrainingSession:
    """A planned session, for an item of an approved plan (topic, hours, trainer and department from the item when
    not given) or ad hoc (topic and department required)."""
    _require(actor, "training.add_trainingsession")
    if plan_item is not None:
        plan_item = PlanItem.objects.select_related("plan").get(pk=plan_item.pk)
        department = department or plan_item.plan.department
        topic = topic or plan_item.topic
        if hours is None and not (start_time and end_time):
            hours = plan_item.hours
        if not trainer and trainer_staff is None:
            trainer, trainer_staff = plan_item.trainer, plan_item.trainer_staff
    if department is None:
        raise ValidationError({"department": _("Choose the department, or a plan item.")})
    with acting_as(actor):
        session = TrainingSession(plan_item=plan_item, department=department, topic=topic, date=date, hours=hours,
                                  start_time=start_time, end_time=end_time, trainer=trainer or "",
                                  trainer_staff=trainer_staff, place=place or "", notes=notes or "")
        session.full_clean()
        _check_item(session)
        session.save()
        audit("training.session.schedule", actor=actor, obj=session, date=f"{date:%Y-%m-%d}")
        return session


@transaction.atomic
def session_update(*, actor, session: TrainingSession, **fields) -> TrainingSession:
    """Change a planned session; once held or cancelled only its notes and place change."""
    _require(actor, CHANGE_SESSION)
    _check_fields(fields, SESSION_FIELDS)
    session = TrainingSession.objects.select_for_update().get(pk=session.pk)
    changed = {name for name, value in fields.items() if getattr(session, name) != value}
    if session.status != SessionStatus.PLANNED and changed - {"notes", "place"}:
        raise _session_status_error(session)
    for name in changed:
        setattr(session, name, fields[name])
    if {"start_time", "end_time"} & changed and "hours" not in fields:
        session.hours = None  # from the new times
    with acting_as(actor):
        session.full_clean()
        if {"plan_item", "date"} & changed:
            _check_item(session)
        session.save()
        if changed:
            audit("training.session.update", actor=actor, obj=session, fields=sorted(changed))
        return session


def _score(value):
    if value in (None, ""):
        return None
    try:
        score = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ValidationError({"score": _("A score is a number between 0 and 100.")}) from None
    if not score.is_finite() or score < 0 or score > 100:
        raise ValidationError({"score": _("A score is between 0 and 100 (%(score)s given).") % {"score": value}})
    return score.quantize(Decimal("0.1"))


@transaction.atomic
def session_record(*, actor, session: TrainingSession, attendance: list[dict],
                   today: dt.date | None = None) -> TrainingSession:
    """Record who attended and their scores, all at once: ``attendance`` is a list of
    ``{"staff": Staff, "attended": bool, "score": 0–100 or None, "comment": str}``. Planned → held; a held session
    may be recorded again (the record is replaced row by row, its history kept). Refused as a whole: a cancelled
    session, a session still to come, a score out of range or for an absentee, a staff member twice or one who had
    left before the session."""
    _require(actor, RECORD)
    session = TrainingSession.objects.select_for_update().get(pk=session.pk)
    today = today or timezone.localdate()
    if session.status == SessionStatus.CANCELLED:
        raise _session_status_error(session)
    if session.date > today:
        raise ValidationError({"date": _("A session is recorded on or after its date (%(date)s).")
                               % {"date": f"{session.date:%Y-%m-%d}"}})
    if not attendance:
        raise ValidationError(_("Name at least one attendee."))
    rows, seen = [], set()
    for entry in attendance:
        staff = entry["staff"]
        if staff.pk in seen:
            raise ValidationError(_("%(name)s is on the record twice.") % {"name": staff.name})
        seen.add(staff.pk)
        if staff.status == StaffStatus.LEFT and (staff.left_on is None or staff.left_on < session.date):
            raise ValidationError(_("%(name)s had left before the session.") % {"name": staff.name})
        attended = bool(entry.get("attended", True))
        score = _score(entry.get("score"))
        if score is not None and not attended:
            raise ValidationError({"score": _("%(name)s did not attend: no score.") % {"name": staff.name}})
        rows.append((staff, attended, score, (entry.get("comment") or "").strip()[:200]))
    if not any(attended for _staff, attended, _score_, _comment in rows):
        raise ValidationError(_("No one attended: cancel the session instead."))
    with acting_as(actor):
        existing = {a.staff_id: a for a in session.attendances.select_for_update()}
        for staff, attended, score, comment in rows:
            row = existing.pop(staff.pk, None) or Attendance(session=session, staff=staff)
            if row.pk and (row.attended, row.score, row.comment) == (attended, score, comment):
                continue
            row.attended, row.score, row.comment = attended, score, comment
            row.full_clean()
            row.save()
        for row in existing.values():  # no longer on the record: kept, marked absent
            if row.attended or row.score is not None:
                row.attended, row.score = False, None
                row.save()
        first = session.status == SessionStatus.PLANNED
        session.status = SessionStatus.HELD
        session.recorded_at = timezone.now()
        session.recorded_by = actor
        session.save()
        audit("training.session.record", actor=actor, obj=session, attendees=sum(1 for r in rows if r[1]),
              first=first)
        return session


@transaction.atomic
def session_cancel(*, actor, session: TrainingSession, reason: str) -> TrainingSession:
    """Planned → cancelled, with the reason."""
    _require(actor, CHANGE_SESSION)
    session = TrainingSession.objects.select_for_update().get(pk=session.pk)
    if session.status != SessionStatus.PLANNED:
        raise _session_status_error(session)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason.")})
    with acting_as(actor):
        session.status = SessionStatus.CANCELLED
        session.cancel_reason = reason[:200]
        session.save()
        audit("training.session.cancel", actor=actor, obj=session, reason=session.cancel_reason)
        return session


@transaction.atomic
def session_add_material(*, actor, session: TrainingSession, upload) -> SessionMaterial:
    """A handout, slides or the signed sign-in sheet: checked like a document's file; never removed."""
    from wuye.documents.files import inspect_upload

    _require(actor, "training.add_sessionmaterial")
    session = TrainingSession.objects.select_for_update().get(pk=session.pk)
    info = inspect_upload(upload)
    with acting_as(actor):
        stored = SessionMaterial(session=session)
        stored.store(upload, info)
        audit("training.session.material", actor=actor, obj=session, name=stored.name, sha256=stored.sha256)
        return stored


# --- the daily job -------------------------------------------------------------------------------------------------


def training_remind(*, today: dt.date | None = None) -> int:
    """Sessions whose date has passed without a record: tell the trainer (a staff member with a login) and the
    holders of ``training.receive_training_reminders``. One notification per session, user and day (idempotent)."""
    from .selectors import sessions_without_record

    today = today or timezone.localdate()
    managers = permission_holders(REMINDED)
    sent = 0
    for session in sessions_without_record(today).select_related("trainer_staff__user"):
        users = list(managers)
        if session.trainer_staff_id and session.trainer_staff.user_id:
            users.append(session.trainer_staff.user)
        days = (today - session.date).days
        sent += len(notify(
            users, key=f"training.norecord.{session.pk}.{today:%Y%m%d}",
            title=_("Training without a record: %(topic)s") % {"topic": session.topic},
            body=_("The session of %(date)s (%(days)s days ago) has no attendance record. Record it or cancel it.")
            % {"date": f"{session.date:%Y-%m-%d}", "days": days},
            url=session.get_absolute_url(), level="warning"))
    return sent
