"""Nonconformities and their corrective actions (不合格 / 纠正措施).

Raised from an audit finding (minor or major, one action per finding), a complaint ticket (the tickets hook), an
incident (its number as the reference), a management review or by hand; then the steps

    draft → cause_analysis → action_plan → in_progress → verification → closed
                                                  ↑______ not effective ______|

or cancelled with a reason from any open state. There is no other way to "closed" than a verification of
effectiveness by someone who neither owns nor completed the action. Overdue actions (past due in action_plan or
in_progress) are reminded once per action and due date by ``corrective_actions_remind``.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wuye.core.audit import audit
from wuye.core.context import acting_as
from wuye.core.notifications import notify, permission_holders
from wuye.core.scope import user_scope
from wuye.org.choices import StaffStatus

from ..choices import (
    DUE_ACTION_STATES,
    NONCONFORMITY_GRADES,
    OPEN_ACTION_STATES,
    ActionSource,
    ActionState,
    Effectiveness,
)
from ..models import CorrectiveAction
from .common import next_number, require, staff_of

__all__ = [
    "ADD", "CHANGE", "VERIFY", "CANCEL", "REMINDERS", "EDITABLE_STATES",
    "corrective_action_raise", "corrective_action_update", "corrective_action_from_complaint",
    "corrective_action_from_survey",
    "corrective_action_submit", "corrective_action_record_cause", "corrective_action_plan",
    "corrective_action_complete", "corrective_action_verify", "corrective_action_cancel",
    "corrective_action_add_file", "corrective_actions_remind", "may_complete", "may_verify",
]

ADD = "quality.add_correctiveaction"
CHANGE = "quality.change_correctiveaction"
VERIFY = "quality.verify_correctiveaction"
CANCEL = "quality.cancel_correctiveaction"
REMINDERS = "quality.receive_quality_reminders"

# the nonconformity itself (title, description …) may still be corrected until its cause is recorded
EDITABLE_STATES = (ActionState.DRAFT, ActionState.CAUSE_ANALYSIS)
UPDATE_FIELDS = ("title", "description", "grade", "estate", "department", "source_reference",
                 "immediate_correction")


def _locked(action: CorrectiveAction) -> CorrectiveAction:
    return CorrectiveAction.objects.select_for_update().get(pk=action.pk)


def _state_error(action: CorrectiveAction) -> ValidationError:
    return ValidationError(_("A corrective action that is %(state)s cannot take this step.")
                           % {"state": action.get_state_display()})


def _expect(action: CorrectiveAction, *states) -> None:
    if action.state not in states:
        raise _state_error(action)


def _text(value) -> str:
    return (value or "").strip()


def _user_of(staff):
    return staff.user if staff is not None and staff.user_id and staff.user.is_active else None


# --- raising ----------------------------------------------------------------------------------------------------


@transaction.atomic
def corrective_action_raise(*, actor, source, title="", description="", grade="", finding=None, ticket=None,
                            review=None, source_reference="", estate=None, department=None,
                            immediate_correction="") -> CorrectiveAction:
    """A nonconformity in draft, numbered CA-<year>-NNN. From a finding: only a minor or major nonconformity, one
    action per finding, its estate, department and grade copied; from a complaint: its estate; from an incident:
    the incident's number as ``source_reference``; from a management review: the review."""
    require(actor, ADD)
    return _raise(actor=actor, source=source, title=title, description=description, grade=grade, finding=finding,
                  ticket=ticket, review=review, source_reference=source_reference, estate=estate,
                  department=department, immediate_correction=immediate_correction)


def _raise(*, actor, source, title, description, grade, finding, ticket, review, source_reference, estate,
           department, immediate_correction) -> CorrectiveAction:
    if source not in ActionSource.values:
        raise ValidationError({"source": _("Choose where the nonconformity comes from.")})
    if finding is not None and source != ActionSource.FINDING:
        raise ValidationError({"finding": _("An audit finding is the source only of an action raised from it.")})
    if ticket is not None and source != ActionSource.COMPLAINT:
        raise ValidationError({"ticket": _("A complaint is the source only of an action raised from it.")})
    if review is not None and source != ActionSource.REVIEW:
        raise ValidationError({"review": _("A management review is the source only of an action raised from it.")})
    title, description, source_reference = _text(title), _text(description), _text(source_reference)

    if source == ActionSource.FINDING:
        if finding is None:
            raise ValidationError({"finding": _("Choose the audit finding.")})
        if finding.grade not in NONCONFORMITY_GRADES:
            raise ValidationError({"finding": _("Only a minor or major nonconformity takes a corrective action; an "
                                                "observation does not.")})
        existing = CorrectiveAction.objects.filter(finding=finding).first()
        if existing is not None:
            raise ValidationError({"finding": _("This finding already has a corrective action: %(number)s.")
                                   % {"number": existing.number}})
        estate, department, grade = finding.estate, finding.department, finding.grade
        title = title or f"{finding.reference} {finding.statement}"
        description = description or finding.statement
        source_reference = source_reference or finding.reference
    elif source == ActionSource.COMPLAINT:
        if ticket is None:
            raise ValidationError({"ticket": _("Choose the complaint.")})
        if not ticket.is_complaint:
            raise ValidationError({"ticket": _("Only complaints raise nonconformities.")})
        if not user_scope(actor).covers_estate(ticket.estate_id):
            raise PermissionDenied(_("You may not do this."))
        existing = (CorrectiveAction.objects.filter(ticket=ticket).exclude(state=ActionState.CANCELLED)
                    .order_by("pk").first())
        if existing is not None:
            raise ValidationError({"ticket": _("This complaint already has a nonconformity: %(number)s.")
                                   % {"number": existing.number}})
        estate = ticket.estate
        title = title or ticket.title
        description = description or ticket.description or ticket.title
        source_reference = source_reference or ticket.number
    elif source == ActionSource.INCIDENT:
        if not source_reference:
            raise ValidationError({"source_reference": _("Give the incident report's number.")})
    elif source == ActionSource.REVIEW:
        if review is None:
            raise ValidationError({"review": _("Choose the management review.")})
        source_reference = source_reference or review.number
    if grade and grade not in NONCONFORMITY_GRADES and source != ActionSource.FINDING:
        raise ValidationError({"grade": _("A nonconformity is minor or major.")})
    today = timezone.localdate()
    with acting_as(actor):
        action = CorrectiveAction(
            number=next_number(CorrectiveAction, "CA", today), source=source, title=title[:200],
            description=description, grade=grade or "", finding=finding, ticket=ticket, review=review,
            source_reference=source_reference[:100], estate=estate, department=department, raised_on=today,
            immediate_correction=_text(immediate_correction))
        action.full_clean()
        action.save()
        audit("corrective_action.raise", actor=actor, obj=action, estate_id=action.estate_id, number=action.number,
              source=source, finding=getattr(finding, "pk", None), ticket=getattr(ticket, "pk", None))
    return action


def corrective_action_from_complaint(*, actor, ticket, description=""):
    """The tickets hook (``wuye.tickets.hooks``): a complaint raises a nonconformity in draft. The tickets service
    has checked that the actor handles tickets of the complaint's estate; front-line staff who handle complaints
    may hand one to the quality system, so ``tickets.handle_ticket`` is enough here."""
    with transaction.atomic():
        if actor is None or not (actor.has_perm(ADD) or actor.has_perm("tickets.handle_ticket")):
            raise PermissionDenied(_("You may not do this."))
        return _raise(actor=actor, source=ActionSource.COMPLAINT, title="", description=description, grade="",
                      finding=None, ticket=ticket, review=None, source_reference="", estate=None, department=None,
                      immediate_correction="")


def corrective_action_from_survey(*, actor, title, description, estate, source_reference):
    """The surveys hook (``wuye.surveys.hooks``): a dimension flagged by a low score in a campaign raises a
    nonconformity in draft for that estate, the campaign and dimension as its reference. Needs the permission to
    raise corrective actions."""
    return corrective_action_raise(actor=actor, source=ActionSource.SURVEY, title=title, description=description,
                                   estate=estate, source_reference=source_reference)


@transaction.atomic
def corrective_action_update(*, actor, action: CorrectiveAction, **fields) -> CorrectiveAction:
    """Correct the nonconformity (title, description, grade, estate, department, reference, immediate correction)
    while it is a draft or under cause analysis. An action raised from a finding keeps the finding's estate,
    department and grade."""
    require(actor, CHANGE)
    unknown = set(fields) - set(UPDATE_FIELDS)
    if unknown:
        raise TypeError(f"unknown corrective action fields: {sorted(unknown)}")
    action = _locked(action)
    _expect(action, *EDITABLE_STATES)
    if action.finding_id:
        for name in ("estate", "department", "grade"):
            fields.pop(name, None)
    changed = sorted(name for name, value in fields.items() if getattr(action, name) != value)
    for name in changed:
        setattr(action, name, fields[name])
    if action.grade and action.grade not in NONCONFORMITY_GRADES:
        raise ValidationError({"grade": _("A nonconformity is minor or major.")})
    with acting_as(actor):
        action.full_clean()
        action.save()
        if changed:
            audit("corrective_action.update", actor=actor, obj=action, estate_id=action.estate_id, fields=changed)
    return action


# --- the steps --------------------------------------------------------------------------------------------------


@transaction.atomic
def corrective_action_submit(*, actor, action: CorrectiveAction) -> CorrectiveAction:
    """Draft → cause analysis."""
    require(actor, CHANGE)
    action = _locked(action)
    _expect(action, ActionState.DRAFT)
    with acting_as(actor):
        action.state = ActionState.CAUSE_ANALYSIS
        action.save()
        audit("corrective_action.submit", actor=actor, obj=action, estate_id=action.estate_id)
    return action


@transaction.atomic
def corrective_action_record_cause(*, actor, action: CorrectiveAction, root_cause: str,
                                   immediate_correction: str | None = None) -> CorrectiveAction:
    """Cause analysis → action plan: the immediate correction (纠正) and the root cause are both required."""
    require(actor, CHANGE)
    action = _locked(action)
    _expect(action, ActionState.CAUSE_ANALYSIS)
    correction = _text(action.immediate_correction if immediate_correction is None else immediate_correction)
    errors = {}
    if not correction:
        errors["immediate_correction"] = _("Say what was done at once to correct the nonconformity.")
    if not _text(root_cause):
        errors["root_cause"] = _("Give the root cause.")
    if errors:
        raise ValidationError(errors)
    with acting_as(actor):
        action.immediate_correction = correction
        action.root_cause = _text(root_cause)
        action.state = ActionState.ACTION_PLAN
        action.save()
        audit("corrective_action.cause", actor=actor, obj=action, estate_id=action.estate_id)
    return action


@transaction.atomic
def corrective_action_plan(*, actor, action: CorrectiveAction, action_plan: str, owner,
                           due_on: dt.date | None) -> CorrectiveAction:
    """Action plan → in progress: what will be done, by whom (an active staff member) and by when (not in the
    past). The owner is told."""
    require(actor, CHANGE)
    action = _locked(action)
    _expect(action, ActionState.ACTION_PLAN)
    today = timezone.localdate()
    errors = {}
    if not _text(action_plan):
        errors["action_plan"] = _("Say what will be done to remove the cause.")
    if owner is None:
        errors["owner"] = _("Choose who owns the action.")
    elif owner.status != StaffStatus.ACTIVE:
        errors["owner"] = _("The owner must be an active staff member.")
    if due_on is None:
        errors["due_on"] = _("Give the due date.")
    elif due_on < today:
        errors["due_on"] = _("The due date cannot be in the past.")
    if errors:
        raise ValidationError(errors)
    with acting_as(actor):
        action.action_plan = _text(action_plan)
        action.owner = owner
        action.due_on = due_on
        action.started_on = today
        action.state = ActionState.IN_PROGRESS
        action.full_clean()
        action.save()
        audit("corrective_action.plan", actor=actor, obj=action, estate_id=action.estate_id, owner=owner.pk,
              due_on=str(due_on))
    user = _user_of(owner)
    if user is not None and user.pk != actor.pk:
        notify([user], key=f"corrective_action:{action.pk}:owner:{owner.pk}:{due_on}",
               title=_("Corrective action for you: %(number)s") % {"number": action.number},
               body=_("%(title)s — due %(due)s") % {"title": action.title, "due": f"{due_on:%Y-%m-%d}"},
               url=action.get_absolute_url())
    return action


def may_complete(user, action: CorrectiveAction) -> bool:
    """The owner, or a holder of ``change_correctiveaction``."""
    staff = staff_of(user)
    return bool(user is not None and (user.has_perm(CHANGE) or (
        staff is not None and action.owner_id is not None and staff.pk == action.owner_id)))


def may_verify(user, action: CorrectiveAction) -> bool:
    """A holder of ``verify_correctiveaction`` who neither owns nor completed the action."""
    if user is None or not user.has_perm(VERIFY):
        return False
    staff = staff_of(user)
    own = staff is not None and action.owner_id is not None and staff.pk == action.owner_id
    return not own and action.completed_by_id != user.pk


@transaction.atomic
def corrective_action_complete(*, actor, action: CorrectiveAction, completion_note: str,
                               files=()) -> CorrectiveAction:
    """In progress → verification: what was done (and evidence files). By the owner or a holder of
    ``change_correctiveaction``; the verifiers are told."""
    action = _locked(action)
    if not may_complete(actor, action):
        raise PermissionDenied(_("Only the action's owner or a quality manager completes it."))
    _expect(action, ActionState.IN_PROGRESS)
    if not _text(completion_note):
        raise ValidationError({"completion_note": _("Say what was done.")})
    from .files import quality_file_add

    with acting_as(actor):
        for upload in files or ():
            quality_file_add(actor=actor, owner=action, upload=upload, note=_("completion evidence"))
        action.completion_note = _text(completion_note)
        action.completed_on = timezone.localdate()
        action.completed_by = actor
        action.state = ActionState.VERIFICATION
        action.save()
        audit("corrective_action.complete", actor=actor, obj=action, estate_id=action.estate_id,
              files=len(files or ()))
    owner_user = _user_of(action.owner)
    verifiers = [u for u in permission_holders(VERIFY)
                 if u.pk != actor.pk and (owner_user is None or u.pk != owner_user.pk)]
    notify(verifiers, key=f"corrective_action:{action.pk}:verify:{action.history.count()}",
           title=_("Corrective action to verify: %(number)s") % {"number": action.number},
           body=action.title, url=action.get_absolute_url())
    return action


@transaction.atomic
def corrective_action_verify(*, actor, action: CorrectiveAction, effective: bool, note: str,
                             due_on: dt.date | None = None) -> CorrectiveAction:
    """Verification of effectiveness, by a holder of ``verify_correctiveaction`` who neither owns nor completed the
    action: effective → closed; not effective → back to in progress (optionally with a new due date), and the
    owner is told. This is the only way an action closes."""
    require(actor, VERIFY)
    action = _locked(action)
    _expect(action, ActionState.VERIFICATION)
    if not may_verify(actor, action):
        raise ValidationError(_("A corrective action is verified by someone other than its owner and the person "
                                "who completed it."))
    errors = {}
    if not _text(note):
        errors["note"] = _("Say what you checked and what you found.")
    today = timezone.localdate()
    if due_on is not None and (effective or due_on < today):
        errors["due_on"] = (_("The due date cannot be in the past.") if not effective
                            else _("A new due date is given only when the action was not effective."))
    if errors:
        raise ValidationError(errors)
    with acting_as(actor):
        action.verifier = actor
        action.verified_on = today
        action.verification_note = _text(note)
        action.effectiveness = Effectiveness.EFFECTIVE if effective else Effectiveness.NOT_EFFECTIVE
        if effective:
            action.state = ActionState.CLOSED
            action.closed_on = today
        else:
            action.state = ActionState.IN_PROGRESS
            if due_on is not None:
                action.due_on = due_on
        action.save()
        audit("corrective_action.verify", actor=actor, obj=action, estate_id=action.estate_id,
              effectiveness=action.effectiveness)
    if not effective:
        notify([u for u in (_user_of(action.owner),) if u is not None and u.pk != actor.pk],
               key=f"corrective_action:{action.pk}:not_effective:{action.history.count()}",
               title=_("Corrective action not effective: %(number)s") % {"number": action.number},
               body=action.verification_note, url=action.get_absolute_url(), level="warning")
    return action


@transaction.atomic
def corrective_action_cancel(*, actor, action: CorrectiveAction, reason: str) -> CorrectiveAction:
    """Any open state → cancelled, with the reason (e.g. raised twice, not a nonconformity after all)."""
    require(actor, CANCEL)
    action = _locked(action)
    _expect(action, *OPEN_ACTION_STATES)
    if not _text(reason):
        raise ValidationError({"reason": _("Say why the corrective action is cancelled.")})
    with acting_as(actor):
        action.cancel_reason = _text(reason)[:200]
        action.state = ActionState.CANCELLED
        action.save()
        audit("corrective_action.cancel", actor=actor, obj=action, estate_id=action.estate_id,
              reason=action.cancel_reason)
    return action


@transaction.atomic
def corrective_action_add_file(*, actor, action: CorrectiveAction, upload, note: str = ""):
    """An evidence file, by whoever may work on the action (its owner or a holder of ``change``), while it is
    open."""
    from .files import quality_file_add

    action = _locked(action)
    if not may_complete(actor, action):
        raise PermissionDenied(_("You may not do this."))
    _expect(action, *OPEN_ACTION_STATES)
    return quality_file_add(actor=actor, owner=action, upload=upload, note=_text(note)[:200])


# --- reminders --------------------------------------------------------------------------------------------------


def corrective_actions_remind(*, today: dt.date | None = None) -> int:
    """Tell the owner and the holders of ``receive_quality_reminders`` about every action past its due date (in
    action plan or in progress), once per action and due date. Returns the number of notifications sent."""
    today = today or timezone.localdate()
    overdue = (CorrectiveAction.objects.filter(state__in=DUE_ACTION_STATES, due_on__lt=today)
               .select_related("owner__user").order_by("due_on", "pk"))
    managers = permission_holders(REMINDERS)
    sent = 0
    for action in overdue:
        recipients = [*managers, _user_of(action.owner)]
        sent += len(notify(recipients, key=f"corrective_action:{action.pk}:overdue:{action.due_on}",
                           title=_("Corrective action overdue: %(number)s") % {"number": action.number},
                           body=_("%(title)s — was due %(due)s") % {"title": action.title,
                                                                   "due": f"{action.due_on:%Y-%m-%d}"},
                           url=action.get_absolute_url(), level="warning"))
    return sent
