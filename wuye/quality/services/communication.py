"""Communication (seed 1.10): meetings (planned, minutes recorded, cancelled; action items through the reviews
subject's ``action_item_*`` services) and submissions (reports and appeals: filed, assigned, answered, closed).

Appeals are always confidential: only the submitter, the assignee and holders of
``quality.view_confidential_submission`` see them (``Submission.restrict_queryset``), and only those holders are told
of a new one."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wuye.core.audit import audit
from wuye.core.context import acting_as
from wuye.core.notifications import notify, permission_holders
from wuye.core.querysets import restrict

from ..choices import MeetingStatus, SubmissionKind, SubmissionState, SubmitterKind
from ..models import Meeting, Submission
from ..models.communication import CONFIDENTIAL_PERMISSION, HANDLE_PERMISSION
from .common import next_number, require, staff_of

__all__ = [
    "MEETING_ADD", "MEETING_CHANGE", "MEETING_FIELDS", "SUBMISSION_ADD", "SUBMISSION_HANDLE",
    "meeting_plan", "meeting_update", "meeting_record_minutes", "meeting_cancel", "meeting_add_file",
    "meeting_action_add",
    "submission_file", "submission_assign", "submission_reply", "submission_close", "submission_add_file",
    "submission_handlers", "may_handle_submission", "entered_for_customer",
]

MEETING_ADD = "quality.add_meeting"
MEETING_CHANGE = "quality.change_meeting"
SUBMISSION_ADD = "quality.add_submission"
SUBMISSION_HANDLE = HANDLE_PERMISSION

# What the plan and edit services take (attendees: staff records).
MEETING_FIELDS = ("kind", "title", "starts_at", "location", "chair", "attendees", "agenda", "department")


# --- meetings -----------------------------------------------------------------------------------------------------


def _meeting_locked(actor, meeting: Meeting) -> Meeting:
    """The meeting, locked, if the actor may change it (else PermissionDenied)."""
    require(actor, MEETING_CHANGE)
    if not restrict(Meeting.objects.filter(pk=meeting.pk), actor, "change").exists():
        raise PermissionDenied(_("You may not do this."))
    return Meeting.objects.select_for_update().get(pk=meeting.pk)


def _meeting_status_error(meeting: Meeting) -> ValidationError:
    return ValidationError(_("A meeting that is %(status)s cannot take this step.")
                           % {"status": meeting.get_status_display()})


def _notify_attendees(actor, meeting: Meeting, staff, *, key: str, title: str) -> None:
    users = [s.user for s in staff if s.user_id and s.user_id != getattr(actor, "pk", None)]
    notify(users, key=key, title=title,
           body=f"{timezone.localtime(meeting.starts_at):%Y-%m-%d %H:%M} {meeting.location}".strip(),
           url=meeting.get_absolute_url())


def _planned_title(meeting: Meeting) -> str:
    return _("Meeting: %(title)s") % {"title": meeting.title}


@transaction.atomic
def meeting_plan(*, actor, kind, title, starts_at, location="", chair=None, attendees=(), agenda="",
                 department=None) -> Meeting:
    """A planned meeting, numbered HY-<year>-NNN; its attendees are told in the app."""
    require(actor, MEETING_ADD)
    attendees = list(attendees or [])
    with acting_as(actor):
        meeting = Meeting(number=next_number(Meeting, "HY"), kind=kind, title=(title or "").strip(),
                          starts_at=starts_at, location=(location or "").strip(), chair=chair,
                          agenda=agenda or "", department=department)
        meeting.full_clean()
        meeting.save()
        meeting.attendees.set(attendees)
        audit("meeting.plan", actor=actor, obj=meeting, number=meeting.number, kind=meeting.kind,
              attendees=len(attendees))
    _notify_attendees(actor, meeting, attendees, key=f"quality:meeting:{meeting.pk}:planned",
                      title=_planned_title(meeting))
    return meeting


@transaction.atomic
def meeting_update(*, actor, meeting: Meeting, **fields) -> Meeting:
    """Change a planned meeting; attendees added are told as the first ones were."""
    unknown = set(fields) - set(MEETING_FIELDS)
    if unknown:
        raise TypeError(f"unknown meeting fields: {sorted(unknown)}")
    meeting = _meeting_locked(actor, meeting)
    if meeting.status != MeetingStatus.PLANNED:
        raise ValidationError(_("Only a planned meeting can be changed."))
    attendees = fields.pop("attendees", None)
    changed = sorted(name for name, value in fields.items() if getattr(meeting, name) != value)
    for name in changed:
        setattr(meeting, name, fields[name])
    with acting_as(actor):
        meeting.full_clean()
        meeting.save()
        if attendees is not None:
            before = set(meeting.attendees.values_list("pk", flat=True))
            meeting.attendees.set(list(attendees))
            if before != {a.pk for a in attendees}:
                changed.append("attendees")
        if changed:
            audit("meeting.update", actor=actor, obj=meeting, fields=changed)
    if attendees is not None:
        _notify_attendees(actor, meeting, attendees, key=f"quality:meeting:{meeting.pk}:planned",
                          title=_planned_title(meeting))
    return meeting


@transaction.atomic
def meeting_record_minutes(*, actor, meeting: Meeting, minutes, decisions="", attendees=None) -> Meeting:
    """Record (or correct) the minutes of a meeting that has begun: minutes, decisions and who came (None: the
    planned attendees). The meeting is then held."""
    meeting = _meeting_locked(actor, meeting)
    if meeting.status == MeetingStatus.CANCELLED:
        raise _meeting_status_error(meeting)
    minutes = (minutes or "").strip()
    if not minutes:
        raise ValidationError({"minutes": _("Write the minutes of the meeting.")})
    if meeting.starts_at > timezone.now():
        raise ValidationError(_("The minutes are recorded once the meeting has begun (it starts %(when)s).")
                              % {"when": f"{timezone.localtime(meeting.starts_at):%Y-%m-%d %H:%M}"})
    amended = meeting.status == MeetingStatus.HELD
    meeting.minutes = minutes
    meeting.decisions = (decisions or "").strip()
    meeting.status = MeetingStatus.HELD
    with acting_as(actor):
        meeting.full_clean()
        meeting.save()
        if attendees is not None:
            meeting.attendees.set(list(attendees))
        audit("meeting.minutes", actor=actor, obj=meeting, amended=amended)
    return meeting


@transaction.atomic
def meeting_cancel(*, actor, meeting: Meeting, reason) -> Meeting:
    """Cancel a planned meeting with the reason; its attendees are told."""
    meeting = _meeting_locked(actor, meeting)
    if meeting.status != MeetingStatus.PLANNED:
        raise _meeting_status_error(meeting)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the meeting is cancelled.")})
    meeting.status = MeetingStatus.CANCELLED
    meeting.cancel_reason = reason[:200]
    with acting_as(actor):
        meeting.save()
        audit("meeting.cancel", actor=actor, obj=meeting, reason=meeting.cancel_reason)
    _notify_attendees(actor, meeting, meeting.attendees.select_related("user"),
                      key=f"quality:meeting:{meeting.pk}:cancelled",
                      title=_("Meeting cancelled: %(title)s") % {"title": meeting.title})
    return meeting


@transaction.atomic
def meeting_add_file(*, actor, meeting: Meeting, upload, note=""):
    """Attach a file (the signed attendance sheet, slides, a photo of the whiteboard) to a meeting."""
    from .files import quality_file_add

    meeting = _meeting_locked(actor, meeting)
    return quality_file_add(actor=actor, owner=meeting, upload=upload, note=(note or "").strip())


@transaction.atomic
def meeting_action_add(*, actor, meeting: Meeting, text, owner=None, due_on=None):
    """An action item of a meeting (who does what by when), through the reviews subject's ``action_item_add``. Not
    on a cancelled meeting."""
    from .reviews import action_item_add

    meeting = _meeting_locked(actor, meeting)
    if meeting.status == MeetingStatus.CANCELLED:
        raise _meeting_status_error(meeting)
    return action_item_add(actor=actor, parent=meeting, text=text, owner=owner, due_on=due_on)


# --- submissions ------------------------------------------------------------------------------------------------


def may_handle_submission(user) -> bool:
    return bool(user is not None and getattr(user, "is_active", False) and user.has_perm(SUBMISSION_HANDLE))


def entered_for_customer(submission: Submission) -> bool:
    """Entered by staff for a customer (by phone, at the desk), not filed by the customer's own account."""
    return bool(submission.customer_id and submission.submitted_by_id
                and submission.submitted_by_id != submission.customer.user_id)


def submission_handlers(confidential: bool) -> list:
    """Who handles submissions; for a confidential one only those who may also see confidential ones."""
    handlers = permission_holders(SUBMISSION_HANDLE)
    if confidential:
        allowed = {u.pk for u in permission_holders(CONFIDENTIAL_PERMISSION)}
        handlers = [u for u in handlers if u.pk in allowed]
    return handlers


def _own_customer(user):
    from wuye.estates.models import Customer

    if user is None or not getattr(user, "pk", None):
        return None
    return Customer.objects.filter(user=user).select_related("estate").first()


@transaction.atomic
def submission_file(*, actor, kind, subject, body, estate=None, confidential=False, customer=None,
                    submitter_name="") -> Submission:
    """A report or an appeal, numbered SS-<year>-NNNN.

    - a staff member files their own (no ``customer``);
    - a resident files their own (no ``customer``, or their own customer record);
    - a handler (``quality.handle_submission``) enters one for a customer (``customer`` given): it is the customer's,
      entered by the handler's account.
    Appeals are always confidential. The handlers are told (for a confidential one, only those who may see it)."""
    require(actor, SUBMISSION_ADD)
    if kind not in SubmissionKind.values:
        raise ValidationError({"kind": _("Choose a report or an appeal.")})
    own = _own_customer(actor)
    staff = staff_of(actor)
    on_behalf = customer is not None and (own is None or customer.pk != own.pk)
    if on_behalf:
        if not may_handle_submission(actor):
            raise PermissionDenied(_("Only those who handle submissions may enter one for a customer."))
        if not restrict(type(customer).objects.filter(pk=customer.pk), actor, "view").exists():
            raise ValidationError({"customer": _("This customer is not one you may see.")})
        submitter_kind, name = SubmitterKind.CUSTOMER, (submitter_name or "").strip() or customer.name
        estate = estate or customer.estate
    elif customer is not None or (staff is None and own is not None):
        customer = own  # a resident files their own, about their own estate
        submitter_kind, name, estate = SubmitterKind.CUSTOMER, own.name, own.estate
    elif staff is not None:
        submitter_kind, name = SubmitterKind.STAFF, (submitter_name or "").strip() or staff.name
        if estate is not None and not restrict(type(estate).objects.filter(pk=estate.pk), actor, "view").exists():
            raise ValidationError({"estate": _("This estate is not one you may see.")})
    else:
        raise ValidationError(_("Your account belongs to neither a staff member nor a customer: a submission "
                                "needs one of them."))
    confidential = bool(confidential) or kind == SubmissionKind.APPEAL
    with acting_as(actor):
        # ``staff`` is the staff member who submits; one entered for a customer is marked by ``submitted_by``
        # (the handler's account, not the customer's)
        submission = Submission(
            number=next_number(Submission, "SS", width=4), kind=kind, subject=(subject or "").strip(),
            body=(body or "").strip(), submitter_kind=submitter_kind, submitted_by=actor,
            staff=staff if submitter_kind == SubmitterKind.STAFF else None, customer=customer,
            submitter_name=name[:100], estate=estate, confidential=confidential)
        submission.full_clean()
        submission.save()
        audit("submission.file", actor=actor, obj=submission, number=submission.number, kind=kind,
              confidential=confidential, submitter_kind=submitter_kind, on_behalf=on_behalf)
    handlers = [u for u in submission_handlers(confidential) if u.pk != actor.pk]
    title = (_("New appeal: %(number)s") if kind == SubmissionKind.APPEAL else _("New report: %(number)s")) % {
        "number": submission.number}
    # a confidential one's subject stays out of the notification (it is listed in the bell and maybe mailed)
    notify(handlers, key=f"quality:submission:{submission.pk}:filed", title=title,
           body="" if confidential else submission.subject, url=submission.get_absolute_url())
    return submission


def _submission_locked(actor, submission: Submission) -> Submission:
    """The submission, locked, if the actor may see it (else PermissionDenied)."""
    if not restrict(Submission.objects.filter(pk=submission.pk), actor, "view").exists():
        raise PermissionDenied(_("You may not do this."))
    return Submission.objects.select_for_update().get(pk=submission.pk)


def _state_error(submission: Submission) -> ValidationError:
    return ValidationError(_("A submission that is %(state)s cannot take this step.")
                           % {"state": submission.get_state_display()})


def _may_answer(actor, submission: Submission) -> bool:
    """The assignee or another handler (an assignee always holds the permission: ``submission_assign``)."""
    return may_handle_submission(actor)


@transaction.atomic
def submission_assign(*, actor, submission: Submission, assignee) -> Submission:
    """Give a submission to a handler (again, while it is not answered). The assignee must hold
    ``quality.handle_submission``; the assignee is told."""
    require(actor, SUBMISSION_HANDLE)
    submission = _submission_locked(actor, submission)
    if submission.state not in (SubmissionState.SUBMITTED, SubmissionState.ASSIGNED):
        raise _state_error(submission)
    if assignee is None:
        raise ValidationError({"assignee": _("Choose who handles it.")})
    if not may_handle_submission(assignee):
        raise ValidationError({"assignee": _("%(user)s does not handle submissions.")
                               % {"user": assignee.get_full_name() or assignee.username}})
    previous = submission.assignee_id
    submission.assignee = assignee
    submission.assigned_at = timezone.now()
    submission.state = SubmissionState.ASSIGNED
    with acting_as(actor):
        submission.save()
        audit("submission.assign", actor=actor, obj=submission, assignee=assignee.pk, previous=previous)
    if assignee.pk != actor.pk:
        notify([assignee], key=f"quality:submission:{submission.pk}:assigned:{assignee.pk}",
               title=_("Submission to handle: %(number)s") % {"number": submission.number},
               body="" if submission.confidential else submission.subject, url=submission.get_absolute_url())
    return submission


def _submitters(submission: Submission) -> list:
    users = [submission.submitted_by]
    if submission.customer_id and submission.customer.user_id:
        users.append(submission.customer.user)
    return [u for u in users if u is not None]


@transaction.atomic
def submission_reply(*, actor, submission: Submission, reply) -> Submission:
    """Answer a submission (its assignee or a handler). Not yet assigned: the one who answers becomes its assignee.
    The submitter is told in the app."""
    submission = _submission_locked(actor, submission)
    if not _may_answer(actor, submission):
        raise PermissionDenied(_("You may not do this."))
    if submission.state not in (SubmissionState.SUBMITTED, SubmissionState.ASSIGNED):
        raise _state_error(submission)
    reply = (reply or "").strip()
    if not reply:
        raise ValidationError({"reply": _("Write the reply.")})
    now = timezone.now()
    if submission.assignee_id is None:
        submission.assignee, submission.assigned_at = actor, now
    submission.reply = reply
    submission.replied_at = now
    submission.state = SubmissionState.REPLIED
    with acting_as(actor):
        submission.save()
        audit("submission.reply", actor=actor, obj=submission)
    notify([u for u in _submitters(submission) if u.pk != actor.pk],
           key=f"quality:submission:{submission.pk}:replied",
           title=_("Your submission %(number)s has been answered") % {"number": submission.number},
           url=submission.get_absolute_url())
    return submission


@transaction.atomic
def submission_close(*, actor, submission: Submission, note="") -> Submission:
    """Close an answered submission (its assignee or a handler)."""
    submission = _submission_locked(actor, submission)
    if not _may_answer(actor, submission):
        raise PermissionDenied(_("You may not do this."))
    if submission.state != SubmissionState.REPLIED:
        if submission.state == SubmissionState.CLOSED:
            raise _state_error(submission)
        raise ValidationError(_("A submission is closed only after it has been answered."))
    submission.state = SubmissionState.CLOSED
    submission.closed_at = timezone.now()
    submission.closing_note = (note or "").strip()[:300]
    with acting_as(actor):
        submission.save()
        audit("submission.close", actor=actor, obj=submission)
    return submission


@transaction.atomic
def submission_add_file(*, actor, submission: Submission, upload, note=""):
    """Attach a file to an open submission: its submitter, its assignee or a handler."""
    from .files import quality_file_add

    submission = _submission_locked(actor, submission)
    if actor.pk not in (submission.submitted_by_id, submission.assignee_id) and not may_handle_submission(actor):
        raise PermissionDenied(_("You may not do this."))
    if submission.state == SubmissionState.CLOSED:
        raise _state_error(submission)
    return quality_file_add(actor=actor, owner=submission, upload=upload, note=(note or "").strip())
