"""Workflow writes of the tickets app: intake, the lifecycle steps, notes, photos, callbacks and escalation.

Every function is keyword-only, runs in one transaction, checks the actor's permission and scope, validates,
writes a ``TicketEvent`` (the timeline) and an audit event, and raises ``ValidationError`` in the user's
language on bad input, changing nothing. Tickets are never deleted: they are cancelled with a reason.

Two people acting on one ticket at once: every step bumps ``Ticket.version`` with a conditional UPDATE; a
caller that passes the ``version`` it saw (pages and the API do) is told the ticket changed instead of
overwriting the other's work.
"""

from __future__ import annotations

import datetime as dt
import mimetypes
import secrets
import uuid

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from wuye.core.audit import audit
from wuye.core.context import acting_as
from wuye.core.notifications import notify
from wuye.core.roles import Role
from wuye.core.scope import user_scope

from . import hooks
from .choices import (
    DISSATISFIED_MAX,
    OPEN_STATUSES,
    CallbackMethod,
    CallbackOutcome,
    CancelReason,
    Channel,
    Limit,
    NoteVisibility,
    Priority,
    Step,
    TicketKind,
    TicketStatus,
    UnsatisfiedAction,
)
from .models import (
    Attachment,
    Callback,
    DailySequence,
    ProgressNote,
    ServiceLevel,
    Ticket,
    TicketEvent,
    TicketSettings,
)
from .workdays import add_limit
from .workflow import TRANSITIONS, blocked_reason

DETAIL_FIELDS = ("kind", "priority", "channel", "unit", "customer", "contact_name", "contact_phone", "location",
                 "category", "title", "description")
ANALYSIS_FIELDS = ("is_valid_complaint", "responsible_department", "cause", "measures")
IMAGE_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "GIF": "image/gif", "WEBP": "image/webp"}


class TicketChanged(ValidationError):
    """Someone else changed the ticket since the caller loaded it."""


# --- numbers and time limits --------------------------------------------------------------------------------


def next_number(at: dt.datetime | None = None) -> str:
    """``GD20261127-0001``: the day's next number (local date), safe under concurrent intake."""
    day = timezone.localdate(at) if at is not None else timezone.localdate()
    with transaction.atomic():
        updated = DailySequence.objects.filter(day=day).update(last=F("last") + 1)
        if not updated:
            try:
                with transaction.atomic():
                    DailySequence.objects.create(day=day, last=1)
            except IntegrityError:
                DailySequence.objects.filter(day=day).update(last=F("last") + 1)
        last = DailySequence.objects.get(day=day).last
    return f"GD{day:%Y%m%d}-{last:04d}"


def service_level_for(kind: str, priority: str) -> ServiceLevel | None:
    return ServiceLevel.objects.filter(kind=kind, priority=priority).first()


def apply_deadlines(ticket: Ticket, level: ServiceLevel | None = None) -> None:
    """Set the due times from the service level of the ticket's kind and priority, counted from reporting."""
    level = level if level is not None else service_level_for(ticket.kind, ticket.priority)
    for limit in Limit:
        value, unit = level.limit(limit.value) if level is not None else (None, None)
        setattr(ticket, f"{limit.value}_due", add_limit(ticket.reported_at, value, unit) if value else None)


def _minutes_between(start, end) -> int:
    return max(0, int((end - start).total_seconds() // 60))


# --- checks -------------------------------------------------------------------------------------------------


def _check_scope(actor, estate_id: int) -> None:
    scope = user_scope(actor)
    if scope.is_resident or not scope.covers_estate(estate_id):
        raise PermissionDenied(_("You do not serve this estate."))


def _check_step(actor, ticket: Ticket, step: str) -> None:
    transition = TRANSITIONS[step]
    if not actor.has_perm(transition.permission):
        raise PermissionDenied(_("You may not take this step."))
    _check_scope(actor, ticket.estate_id)
    if ticket.status not in transition.sources:
        raise ValidationError(_("A ticket that is %(status)s cannot be given the step “%(step)s”.")
                              % {"status": ticket.get_status_display(), "step": transition.label})
    reason = blocked_reason(ticket, step)
    if reason:
        raise ValidationError(str(reason))


def _lock(ticket: Ticket, version: int | None) -> Ticket:
    """Claim the ticket for this transaction: bump its version if it is still the one the caller saw."""
    qs = Ticket.objects.filter(pk=ticket.pk)
    if version is not None:
        qs = qs.filter(version=version)
    if not qs.update(version=F("version") + 1):
        raise TicketChanged(_("Someone else changed this ticket in the meantime. Reload it and try again."),
                            code="changed")
    fresh = Ticket.objects.select_related("estate", "assignee", "category").get(pk=ticket.pk)
    fresh._loaded_fks = {f.attname: getattr(fresh, f.attname) for f in _foreign_keys()}
    return fresh


def _foreign_keys():
    return [f for f in Ticket._meta.concrete_fields if f.is_relation]


def _event(ticket: Ticket, step: str, actor, *, from_status: str = "", comment: str = "", at=None,
           **data) -> TicketEvent:
    return TicketEvent.objects.create(ticket=ticket, step=step, actor=actor if _is_user(actor) else None,
                                      from_status=from_status, to_status=ticket.status, comment=comment,
                                      at=at or timezone.now(), data=data)


def _is_user(actor) -> bool:
    return actor is not None and getattr(actor, "is_authenticated", False)


def _save(ticket: Ticket) -> Ticket:
    """``full_clean`` (the number excepted), then save. A foreign key read by ``_lock`` and not changed since is
    not looked up again: the database holds it already (and checks it), and each lookup is one query."""
    loaded = getattr(ticket, "_loaded_fks", {})
    unchanged = [f.name for f in _foreign_keys() if f.attname in loaded and getattr(ticket, f.attname) ==
                 loaded[f.attname]]
    errors: dict = {}
    # Model.full_clean's steps and error collection, with the unchanged keys left out of clean_fields only
    for check in (lambda: ticket.clean_fields(exclude=["number", *unchanged]), ticket.clean):
        try:
            check()
        except ValidationError as e:
            errors = e.update_error_dict(errors)
    exclude = {"number", *(name for name in errors if name != NON_FIELD_ERRORS)}
    for check in (ticket.validate_unique, ticket.validate_constraints):
        try:
            check(exclude=exclude)
        except ValidationError as e:
            errors = e.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)
    ticket.save()
    return ticket


def _check_category(category, kind: str) -> None:
    if category is None:
        return
    if not category.is_active:
        raise ValidationError({"category": _("This category is no longer in use.")})
    if not category.suits(kind):
        raise ValidationError({"category": _("This category is not offered for this kind of request.")})


def _validate_place(*, estate, unit, customer) -> None:
    errors = {}
    if unit is not None and unit.estate_id != estate.pk:
        errors["unit"] = _("This unit is not in the ticket's estate.")
    if customer is not None and customer.estate_id != estate.pk:
        errors["customer"] = _("This customer is not in the ticket's estate.")
    if errors:
        raise ValidationError(errors)


# --- intake -------------------------------------------------------------------------------------------------


@transaction.atomic
def ticket_create(*, actor, estate, title: str, kind: str = TicketKind.REPAIR, priority: str = Priority.NORMAL,
                  channel: str = Channel.PHONE, unit=None, customer=None, category=None, description: str = "",
                  location: str = "", contact_name: str = "", contact_phone: str = "", reported_at=None,
                  files=(), assignee=None, department=None) -> Ticket:
    """An agent takes a call or a walk-in: the ticket is accepted (受理) at once, and assigned if a handler is
    given. Contact details default to the customer's."""
    if not actor.has_perm("tickets.add_ticket"):
        raise PermissionDenied(_("You may not create tickets."))
    _check_scope(actor, estate.pk)
    _validate_place(estate=estate, unit=unit, customer=customer)
    _check_category(category, kind)
    files = _check_uploads(files)
    now = timezone.now()
    with acting_as(actor):
        ticket = Ticket(estate=estate, unit=unit, customer=customer, category=category, kind=kind,
                        priority=priority, channel=channel, title=(title or "").strip(),
                        description=description or "", location=location or "",
                        contact_name=contact_name or (customer.name if customer else ""),
                        contact_phone=contact_phone or (customer.mobile or customer.phone if customer else ""),
                        reported_at=reported_at or now, status=TicketStatus.ACCEPTED, accepted_at=now)
        if ticket.reported_at > now + dt.timedelta(minutes=5):
            raise ValidationError({"reported_at": _("The reporting time is in the future.")})
        apply_deadlines(ticket)
        ticket.number = next_number(ticket.reported_at)
        _save(ticket)
        _event(ticket, Step.CREATE, actor, data={"channel": channel})
        for upload in files:
            _attach(ticket, upload, NoteVisibility.PUBLIC)
        audit("ticket.create", actor=actor, obj=ticket)
        if assignee is not None or department is not None:
            ticket = ticket_assign(actor=actor, ticket=ticket, assignee=assignee, department=department)
    return ticket


@transaction.atomic
def ticket_submit(*, actor, unit, title: str, kind: str = TicketKind.REPAIR, category=None,
                  description: str = "", location: str = "", files=()) -> Ticket:
    """A resident files a ticket on the portal for one of their units; it waits to be accepted."""
    from wuye.estates.models import Unit

    if not actor.has_perm("tickets.add_ticket"):
        raise PermissionDenied(_("You may not create tickets."))
    if unit is None or not Unit.objects.filter(Unit.resident_scope(actor), pk=unit.pk).exists():
        raise ValidationError({"unit": _("You can only report for a unit your household lives in.")})
    if kind not in TicketKind.values:
        raise ValidationError({"kind": _("Choose what kind of request this is.")})
    _check_category(category, kind)
    files = _check_uploads(files, images_only=True)
    customer = getattr(actor, "customer", None)
    with acting_as(actor):
        ticket = Ticket(estate=unit.estate, unit=unit, customer=customer, category=category, kind=kind,
                        priority=Priority.NORMAL, channel=Channel.PORTAL, title=(title or "").strip(),
                        description=description or "", location=location or "",
                        contact_name=customer.name if customer else actor.get_full_name(),
                        contact_phone=(customer.mobile or customer.phone) if customer else "",
                        status=TicketStatus.SUBMITTED)
        apply_deadlines(ticket)
        ticket.number = next_number(ticket.reported_at)
        _save(ticket)
        _event(ticket, Step.CREATE, actor, data={"channel": Channel.PORTAL})
        for upload in files:
            _attach(ticket, upload, NoteVisibility.PUBLIC)
        audit("ticket.submit", actor=actor, obj=ticket)
        _notify_estate_agents(ticket, key=f"ticket:{ticket.pk}:submitted",
                              title=_("New ticket from the portal: %(number)s") % {"number": ticket.number})
    return ticket


@transaction.atomic
def ticket_update(*, actor, ticket: Ticket, version: int | None = None, **changes) -> Ticket:
    """Correct a ticket's details while it is not closed; a new kind or priority recomputes its time limits."""
    if not actor.has_perm("tickets.change_ticket"):
        raise PermissionDenied(_("You may not change tickets."))
    _check_scope(actor, ticket.estate_id)
    unknown = set(changes) - set(DETAIL_FIELDS) - set(ANALYSIS_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    if ticket.is_final:
        raise ValidationError(_("A closed or cancelled ticket cannot be changed."))
    with acting_as(actor):
        ticket = _lock(ticket, version)
        before = {f: getattr(ticket, f) for f in changes}
        for field, value in changes.items():
            setattr(ticket, field, value)
        _validate_place(estate=ticket.estate, unit=ticket.unit, customer=ticket.customer)
        level_before = (before.get("kind", ticket.kind), before.get("priority", ticket.priority))
        if level_before != (ticket.kind, ticket.priority):
            apply_deadlines(ticket)
            _recheck_met(ticket)
        _save(ticket)
        changed = sorted(f for f in changes if before[f] != getattr(ticket, f))
        if changed:
            _event(ticket, Step.EDIT, actor, from_status=ticket.status, data={"fields": changed})
            audit("ticket.update", actor=actor, obj=ticket, fields=changed)
    return ticket


def _recheck_met(ticket: Ticket) -> None:
    for limit, done in (("response", ticket.responded_at), ("onsite", ticket.started_at),
                        ("resolution", ticket.resolved_at)):
        due = getattr(ticket, f"{limit}_due")
        setattr(ticket, f"{limit}_met", None if done is None or due is None else done <= due)


# --- the lifecycle ------------------------------------------------------------------------------------------


def _respond(ticket: Ticket, at) -> None:
    """The first time someone takes the ticket on counts as the response."""
    if ticket.responded_at is None:
        ticket.responded_at = at
        ticket.response_met = None if ticket.response_due is None else at <= ticket.response_due


@transaction.atomic
def ticket_accept(*, actor, ticket: Ticket, version: int | None = None, comment: str = "") -> Ticket:
    _check_step(actor, ticket, Step.ACCEPT)
    with acting_as(actor):
        ticket = _lock(ticket, version)
        _check_step(actor, ticket, Step.ACCEPT)
        before = ticket.status
        ticket.status = TicketStatus.ACCEPTED
        ticket.accepted_at = timezone.now()
        _save(ticket)
        _event(ticket, Step.ACCEPT, actor, from_status=before, comment=comment)
        audit("ticket.accept", actor=actor, obj=ticket)
    return ticket


@transaction.atomic
def ticket_assign(*, actor, ticket: Ticket, assignee=None, department=None, version: int | None = None,
                  comment: str = "") -> Ticket:
    """派单: to a staff member who serves the ticket's estate, or to a department (or both)."""
    _check_step(actor, ticket, Step.ASSIGN)
    from wuye.org.choices import StaffStatus

    errors = {}
    if assignee is None and department is None:
        errors["assignee"] = _("Choose a handler or a department.")
    if assignee is not None:
        if assignee.status != StaffStatus.ACTIVE:
            errors["assignee"] = _("This staff member is no longer active.")
        elif not assignee.estates.filter(pk=ticket.estate_id).exists():
            errors["assignee"] = _("%(name)s does not serve %(estate)s.") % {"name": assignee.name,
                                                                           "estate": ticket.estate.name}
    if errors:
        raise ValidationError(errors)
    with acting_as(actor):
        ticket = _lock(ticket, version)
        _check_step(actor, ticket, Step.ASSIGN)
        before = ticket.status
        now = timezone.now()
        ticket.assignee = assignee
        ticket.department = department if department is not None else (assignee.department if assignee else None)
        ticket.assigned_at = now
        if ticket.status in (TicketStatus.ACCEPTED, TicketStatus.REOPENED):
            ticket.status = TicketStatus.ASSIGNED
        _respond(ticket, now)
        _save(ticket)
        _event(ticket, Step.ASSIGN, actor, from_status=before, comment=comment,
               assignee=assignee.name if assignee else "", department=str(ticket.department or ""))
        audit("ticket.assign", actor=actor, obj=ticket, assignee=assignee.pk if assignee else None,
              department=ticket.department_id)
        if assignee is not None and assignee.user_id:
            notify([assignee.user], key=f"ticket:{ticket.pk}:assign:{ticket.version}",
                   title=_("Ticket assigned to you: %(ticket)s") % {"ticket": ticket},
                   url=ticket.get_absolute_url(),
                   level="danger" if ticket.priority == Priority.URGENT else "info",
                   email=TicketSettings.current().notify_by_email)
    return ticket


@transaction.atomic
def ticket_start(*, actor, ticket: Ticket, version: int | None = None, comment: str = "") -> Ticket:
    """处理: the handler is on site (or has started); the on-site limit is measured here."""
    _check_step(actor, ticket, Step.START)
    with acting_as(actor):
        ticket = _lock(ticket, version)
        _check_step(actor, ticket, Step.START)
        before = ticket.status
        now = timezone.now()
        ticket.status = TicketStatus.IN_PROGRESS
        if ticket.started_at is None:
            ticket.started_at = now
            ticket.onsite_met = None if ticket.onsite_due is None else now <= ticket.onsite_due
        _respond(ticket, now)
        _save(ticket)
        _event(ticket, Step.START, actor, from_status=before, comment=comment)
        audit("ticket.start", actor=actor, obj=ticket)
    return ticket


def _callback_needed(ticket: Ticket, policy: TicketSettings) -> bool:
    if ticket.kind == TicketKind.COMPLAINT:
        return True
    level = service_level_for(ticket.kind, ticket.priority)
    if level is not None and level.callback_required:
        return True
    if ticket.kind == TicketKind.REPAIR:
        # A fair draw that no handler can predict: each repair has the configured chance.
        return secrets.randbelow(100) < policy.repair_callback_percent
    return False


@transaction.atomic
def ticket_resolve(*, actor, ticket: Ticket, resolution: str, version: int | None = None,
                   **analysis) -> Ticket:
    """办结: the work is done; decides whether a callback is due. Complaint analysis may be given here."""
    _check_step(actor, ticket, Step.RESOLVE)
    if not (resolution or "").strip():
        raise ValidationError({"resolution": _("Describe how the request was resolved.")})
    unknown = set(analysis) - set(ANALYSIS_FIELDS)
    if unknown:
        raise ValueError(f"not analysis fields: {sorted(unknown)}")
    with acting_as(actor):
        ticket = _lock(ticket, version)
        _check_step(actor, ticket, Step.RESOLVE)
        policy = TicketSettings.current()
        before = ticket.status
        now = timezone.now()
        ticket.status = TicketStatus.RESOLVED
        ticket.resolution = resolution.strip()
        ticket.resolved_at = now
        ticket.resolution_met = None if ticket.resolution_due is None else now <= ticket.resolution_due
        ticket.handling_minutes = _minutes_between(ticket.reported_at, now)
        _respond(ticket, now)
        for field, value in analysis.items():
            setattr(ticket, field, value)
        ticket.callback_required = ticket.callback_required or _callback_needed(ticket, policy)
        ticket.callback_due = now + dt.timedelta(days=policy.callback_within_days) if ticket.callback_required \
            else None
        _save(ticket)
        _event(ticket, Step.RESOLVE, actor, from_status=before, comment=ticket.resolution,
               callback_required=ticket.callback_required)
        audit("ticket.resolve", actor=actor, obj=ticket)
    return ticket


@transaction.atomic
def complaint_analyse(*, actor, ticket: Ticket, version: int | None = None, **analysis) -> Ticket:
    """Record whether a complaint is valid (有效投诉), the responsible department, the cause and the measures."""
    if not ticket.is_complaint:
        raise ValidationError(_("Only complaints are analysed."))
    if not actor.has_perm("tickets.handle_ticket"):
        raise PermissionDenied(_("You may not take this step."))
    if ticket.status in (TicketStatus.CANCELLED, TicketStatus.CLOSED):
        raise ValidationError(_("A closed or cancelled ticket cannot be changed."))
    return ticket_update(actor=actor, ticket=ticket, version=version,
                         **{k: v for k, v in analysis.items() if k in ANALYSIS_FIELDS})


@transaction.atomic
def ticket_callback(*, actor, ticket: Ticket, outcome: str = CallbackOutcome.REACHED, satisfaction=None,
                    method: str = CallbackMethod.PHONE, comment: str = "", called_at=None,
                    version: int | None = None) -> Callback:
    """回访: reached with a rating, or not reached (the ticket stays resolved for another try). A rating of
    不满意 or worse reopens the ticket or flags it for the manager, as the ticket settings say."""
    _check_step(actor, ticket, Step.CALLBACK)
    satisfaction = None if satisfaction in (None, "") else _rating(satisfaction)
    with acting_as(actor):
        ticket = _lock(ticket, version)
        _check_step(actor, ticket, Step.CALLBACK)
        now = timezone.now()
        callback = Callback(ticket=ticket, outcome=outcome, satisfaction=satisfaction, method=method,
                            comment=comment or "", called_at=called_at or now)
        callback.full_clean()
        callback.save()
        before = ticket.status
        if outcome == CallbackOutcome.REACHED:
            ticket.status = TicketStatus.CALLED_BACK
            ticket.called_back_at = callback.called_at
            ticket.satisfaction = satisfaction
        _save(ticket)
        _event(ticket, Step.CALLBACK, actor, from_status=before, comment=comment, outcome=outcome,
               satisfaction=satisfaction)
        audit("ticket.callback", actor=actor, obj=ticket, outcome=outcome, satisfaction=satisfaction)
        if satisfaction is not None and satisfaction <= DISSATISFIED_MAX:
            _on_dissatisfied(actor, ticket)
    return callback


def _rating(value) -> int:
    """A satisfaction rating 1–5 from a form or API value; ValidationError otherwise."""
    try:
        rating = int(value)
    except (TypeError, ValueError):
        rating = -1
    if not 1 <= rating <= 5:
        raise ValidationError({"satisfaction": _("Satisfaction is rated from 1 to 5.")})
    return rating


def _on_dissatisfied(actor, ticket: Ticket) -> None:
    policy = TicketSettings.current()
    if policy.unsatisfied_action == UnsatisfiedAction.REOPEN:
        _reopen(actor, ticket, _("The customer is not satisfied."))
    else:
        ticket.flagged = True
        _save(ticket)
    _notify_managers(ticket, key=f"ticket:{ticket.pk}:dissatisfied:{ticket.version}",
                     title=_("Customer not satisfied: %(ticket)s") % {"ticket": ticket}, level="warning")


@transaction.atomic
def ticket_rate(*, actor, ticket: Ticket, satisfaction, comment: str = "") -> Callback:
    """The customer rates a resolved ticket on the portal; the rating counts as its callback."""
    if not Ticket.objects.filter(Ticket.resident_scope(actor), pk=ticket.pk).exists():
        raise PermissionDenied(_("This is not your ticket."))
    satisfaction = _rating(satisfaction)
    with acting_as(actor):
        ticket = _lock(ticket, None)
        if ticket.status != TicketStatus.RESOLVED:
            raise ValidationError(_("A ticket can be rated once, after it is resolved."))
        callback = Callback.objects.create(ticket=ticket, method=CallbackMethod.PORTAL,
                                           outcome=CallbackOutcome.REACHED, satisfaction=satisfaction,
                                           comment=comment or "")
        before = ticket.status
        ticket.status = TicketStatus.CALLED_BACK
        ticket.called_back_at = callback.called_at
        ticket.satisfaction = satisfaction
        _save(ticket)
        _event(ticket, Step.RATE, actor, from_status=before, comment=comment, satisfaction=satisfaction)
        audit("ticket.rate", actor=actor, obj=ticket, satisfaction=satisfaction)
        if satisfaction <= DISSATISFIED_MAX:
            _on_dissatisfied(actor, ticket)
    return callback


@transaction.atomic
def ticket_close(*, actor, ticket: Ticket, version: int | None = None, comment: str = "") -> Ticket:
    """归档: the case is complete and filed."""
    _check_step(actor, ticket, Step.CLOSE)
    with acting_as(actor):
        ticket = _lock(ticket, version)
        _check_step(actor, ticket, Step.CLOSE)
        before = ticket.status
        ticket.status = TicketStatus.CLOSED
        ticket.closed_at = timezone.now()
        _save(ticket)
        _event(ticket, Step.CLOSE, actor, from_status=before, comment=comment)
        audit("ticket.close", actor=actor, obj=ticket)
    return ticket


def _reopen(actor, ticket: Ticket, reason: str) -> None:
    """Back to work; ``ticket`` is already claimed by ``_lock`` in this transaction (its version bumped)."""
    before = ticket.status
    ticket.status = TicketStatus.REOPENED
    ticket.reopen_count += 1
    ticket.resolved_at = None
    ticket.resolution_met = None
    ticket.called_back_at = None
    ticket.callback_due = None
    ticket.flagged = False
    _save(ticket)
    _event(ticket, Step.REOPEN, actor, from_status=before, comment=reason)
    audit("ticket.reopen", actor=actor, obj=ticket, reason=reason)
    if ticket.assignee_id and ticket.assignee.user_id:
        notify([ticket.assignee.user], key=f"ticket:{ticket.pk}:reopen:{ticket.reopen_count}",
               title=_("Ticket reopened: %(ticket)s") % {"ticket": ticket}, body=reason,
               url=ticket.get_absolute_url(), level="warning")


@transaction.atomic
def ticket_reopen(*, actor, ticket: Ticket, reason: str, version: int | None = None) -> Ticket:
    """The customer is not satisfied, or the callback failed: the ticket goes back to work."""
    _check_step(actor, ticket, Step.REOPEN)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the ticket is reopened.")})
    with acting_as(actor):
        ticket = _lock(ticket, version)
        _check_step(actor, ticket, Step.REOPEN)
        _reopen(actor, ticket, reason.strip())
    return ticket


@transaction.atomic
def ticket_cancel(*, actor, ticket: Ticket, reason: str, comment: str = "", version: int | None = None) -> Ticket:
    """Cancelled with a reason; the ticket is kept."""
    _check_step(actor, ticket, Step.CANCEL)
    if reason not in CancelReason.values:
        raise ValidationError({"reason": _("Choose why the ticket is cancelled.")})
    if reason == CancelReason.OTHER and not (comment or "").strip():
        raise ValidationError({"comment": _("Explain the reason.")})
    with acting_as(actor):
        ticket = _lock(ticket, version)
        _check_step(actor, ticket, Step.CANCEL)
        before = ticket.status
        ticket.status = TicketStatus.CANCELLED
        ticket.cancelled_at = timezone.now()
        ticket.cancel_reason = reason
        ticket.cancel_comment = (comment or "").strip()
        _save(ticket)
        _event(ticket, Step.CANCEL, actor, from_status=before, comment=ticket.cancel_comment, reason=reason)
        audit("ticket.cancel", actor=actor, obj=ticket, reason=reason)
    return ticket


# --- notes and files ----------------------------------------------------------------------------------------


@transaction.atomic
def note_add(*, actor, ticket: Ticket, body: str, visibility: str = NoteVisibility.INTERNAL,
             files=()) -> ProgressNote:
    """阶段性进展报告 at any open step; a note visible to the customer counts as a response."""
    if not actor.has_perm("tickets.add_progressnote"):
        raise PermissionDenied(_("You may not add progress notes."))
    _check_scope(actor, ticket.estate_id)
    if ticket.is_final:
        raise ValidationError(_("A closed or cancelled ticket takes no more notes."))
    if not (body or "").strip():
        raise ValidationError({"body": _("Write the progress.")})
    if visibility not in NoteVisibility.values:
        raise ValidationError({"visibility": _("Choose who may read the note.")})
    files = _check_uploads(files)
    with acting_as(actor):
        note = ProgressNote(ticket=ticket, body=body.strip(), visibility=visibility)
        note.full_clean()
        note.save()
        for upload in files:
            _attach(ticket, upload, visibility)
        if visibility == NoteVisibility.PUBLIC and ticket.responded_at is None:
            ticket = _lock(ticket, None)
            _respond(ticket, note.noted_at)
            _save(ticket)
        audit("ticket.note", actor=actor, obj=ticket, visibility=visibility)
    return note


def validate_upload(upload: UploadedFile, *, images_only: bool = False) -> tuple[str, bool]:
    """The checked content type of an upload and whether it is a photo; ValidationError if refused."""
    limit = settings.WUYE_UPLOAD_MAX_BYTES
    if upload.size is None or upload.size > limit:
        raise ValidationError({"files": _("“%(name)s” is larger than %(mb)s MB.")
                               % {"name": upload.name, "mb": limit // (1024 * 1024)}})
    head = upload.read(8)
    upload.seek(0)
    found = None
    try:
        from PIL import Image

        with Image.open(upload) as image:
            fmt, size = image.format, image.size
            image.verify()
        upload.seek(0)
        if fmt in IMAGE_FORMATS:
            found = IMAGE_FORMATS[fmt]
    except Exception:  # noqa: BLE001 - not an image Pillow can read
        upload.seek(0)
    if found:
        from wuye.core.uploads import check_image_size

        check_image_size(*size, upload.name)  # a decompression bomb: refused before anything decodes it
        return found, True
    if not images_only and head.startswith(b"%PDF-"):
        return "application/pdf", False
    if images_only:
        raise ValidationError({"files": _("“%(name)s” is not a photo (JPEG, PNG, GIF or WebP).")
                               % {"name": upload.name}})
    raise ValidationError({"files": _("“%(name)s” is neither a photo (JPEG, PNG, GIF, WebP) nor a PDF.")
                           % {"name": upload.name}})


def _check_uploads(files, *, images_only: bool = False) -> list:
    """Check every upload before any is stored, so a bad file leaves no stray file behind."""
    files = list(files or ())
    for upload in files:
        validate_upload(upload, images_only=images_only)
    return files


def _attach(ticket: Ticket, upload: UploadedFile, visibility: str) -> Attachment:
    content_type, is_image = validate_upload(upload)
    from wuye.core.uploads import safe_name

    original = safe_name(upload.name)  # shown and offered as the download name; stored under a random one
    ext = mimetypes.guess_extension(content_type) or ""
    upload.name = f"{uuid.uuid4().hex}{ext}"
    attachment = Attachment(ticket=ticket, file=upload, name=original, content_type=content_type,
                            size=upload.size, is_image=is_image, visibility=visibility)
    attachment.save()
    return attachment


@transaction.atomic
def attachment_add(*, actor, ticket: Ticket, files, visibility: str = NoteVisibility.PUBLIC) -> list[Attachment]:
    if not actor.has_perm("tickets.add_attachment"):
        raise PermissionDenied(_("You may not add files."))
    _check_scope(actor, ticket.estate_id)
    if ticket.is_final:
        raise ValidationError(_("A closed or cancelled ticket takes no more files."))
    files = _check_uploads(files)
    with acting_as(actor):
        added = [_attach(ticket, f, visibility) for f in files]
        audit("ticket.attach", actor=actor, obj=ticket, files=[a.name for a in added])
    return added


# --- escalation ---------------------------------------------------------------------------------------------


def _managers():
    User = get_user_model()
    return list(User.objects.filter(groups__name=Role.CS_MANAGER, is_active=True).distinct())


def _notify_managers(ticket: Ticket, *, key: str, title: str, body: str = "", level: str = "info") -> None:
    notify(_managers(), key=key, title=title, body=body, url=ticket.get_absolute_url(), level=level,
           email=TicketSettings.current().notify_by_email)


def _notify_estate_agents(ticket: Ticket, *, key: str, title: str) -> None:
    User = get_user_model()
    agents = User.objects.filter(groups__name=Role.AGENT, is_active=True,
                                 staff__estates=ticket.estate_id).distinct()
    notify(list(agents), key=key, title=title, url=ticket.get_absolute_url())


def tickets_escalate(*, now=None) -> int:
    """Mark open tickets past a time limit as overdue and notify the handler and the managers, once per limit.

    Idempotent: a limit already recorded in ``overdue_limits`` is skipped, and notifications are keyed.
    Returns the number of newly passed limits.
    """
    from django.db.models import Q

    now = now or timezone.now()
    candidates = (Ticket.objects.filter(status__in=OPEN_STATUSES)
                  .filter(Q(response_due__lt=now, responded_at__isnull=True)
                          | Q(onsite_due__lt=now, started_at__isnull=True)
                          | Q(resolution_due__lt=now, resolved_at__isnull=True))
                  .select_related("assignee__user", "estate"))
    managers = _managers()
    email = TicketSettings.current().notify_by_email
    passed = 0
    for ticket in candidates.iterator(chunk_size=500):
        new = [limit for limit, due, done in (("response", ticket.response_due, ticket.responded_at),
                                              ("onsite", ticket.onsite_due, ticket.started_at),
                                              ("resolution", ticket.resolution_due, ticket.resolved_at))
               if due is not None and due < now and done is None and limit not in ticket.overdue_limits]
        if not new:
            continue
        with transaction.atomic():
            # Recorded with a conditional update so a concurrent step or a second run adds nothing twice.
            if not Ticket.objects.filter(pk=ticket.pk, version=ticket.version).update(
                    is_overdue=True, overdue_limits=[*ticket.overdue_limits, *new], version=F("version") + 1):
                continue
            ticket.refresh_from_db(fields=["status", "version", "overdue_limits", "is_overdue"])
            labels = "、".join(str(Limit(limit).label) for limit in new)
            TicketEvent.objects.create(ticket=ticket, step=Step.ESCALATE, at=now, from_status=ticket.status,
                                       to_status=ticket.status, comment=labels, data={"limits": new})
            recipients = list(managers)
            if ticket.assignee_id and ticket.assignee.user_id:
                recipients.append(ticket.assignee.user)
            for limit in new:
                notify(recipients, key=f"ticket:{ticket.pk}:overdue:{limit}",
                       title=_("Overdue (%(limit)s): %(ticket)s") % {"limit": Limit(limit).label, "ticket": ticket},
                       url=ticket.get_absolute_url(),
                       level="danger" if ticket.priority == Priority.URGENT else "warning", email=email)
            passed += len(new)
    return passed


# --- quality ------------------------------------------------------------------------------------------------


@transaction.atomic
def ticket_raise_nonconformity(*, actor, ticket: Ticket, description: str = ""):
    """Hand a complaint to the quality app as a nonconformity (only when that app has registered a handler)."""
    if not ticket.is_complaint:
        raise ValidationError(_("Only complaints raise nonconformities."))
    if not hooks.nonconformity_available():
        raise ValidationError(_("The quality module is not installed."))
    if not actor.has_perm("tickets.handle_ticket"):
        raise PermissionDenied(_("You may not take this step."))
    _check_scope(actor, ticket.estate_id)
    result = hooks.raise_nonconformity(actor=actor, ticket=ticket, description=description)
    audit("ticket.nonconformity", actor=actor, obj=ticket)
    return result
