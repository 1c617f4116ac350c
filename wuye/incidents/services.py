"""Every write of the incidents app: ``<entity>_<action>(*, actor, ...)``, atomic, checked, audited.

    reported → investigating → investigated → reviewed → closed
        └────────────┴───────────────┴──→ withdrawn (with a reason)

- report: any staff member holding ``incidents.add_incident`` for an estate they serve; not in the future; no phone
  numbers among the people involved.
- investigation (start, record cause and responsibility): ``incidents.investigate_incident``.
- review (comment and instructions): ``incidents.review_incident``; never by the person who reported the incident
  (the investigator may review: in a small department the manager often investigates herself).
- close: ``incidents.close_incident``, only after the review; withdraw: the same permission, before the review.
- corrective action: ``incidents.review_incident`` and the quality app's ``quality.add_correctiveaction``; one per
  incident, raised through ``quality.services.actions.corrective_action_raise`` with the incident's number.
"""

from __future__ import annotations

import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wuye.core.audit import audit
from wuye.core.context import acting_as
from wuye.core.notifications import notify, permission_holders
from wuye.core.numbering import next_number
from wuye.core.scope import user_scope

from .choices import EDITABLE_STATUSES, WITHDRAWABLE_STATUSES, IncidentStatus
from .models import Incident, IncidentFile, IncidentKind

ADD = "incidents.add_incident"
CHANGE = "incidents.change_incident"
INVESTIGATE = "incidents.investigate_incident"
REVIEW = "incidents.review_incident"
CLOSE = "incidents.close_incident"
ADD_FILE = "incidents.add_incidentfile"
RAISE_ACTION = "quality.add_correctiveaction"

# what the report form, the edit and the API may set
INCIDENT_FIELDS = ("title", "occurred_at", "place", "estate", "kind", "severity", "people_involved", "description",
                   "injured_count", "injuries", "losses", "loss_amount", "immediate_measures")
TEXT_FIELDS = ("title", "place", "people_involved", "description", "injuries", "losses", "immediate_measures")

# an 11-digit mainland mobile number, also written with spaces or dashes (138 1234 5678, 138-1234-5678)
_MOBILE = re.compile(r"(?<!\d)1[3-9]\d(?:[\s-]?\d){8}(?!\d)")


def _require(actor, permission: str) -> None:
    if actor is None or not actor.has_perm(permission):
        raise PermissionDenied(_("You may not do this."))


def _in_scope(actor, estate_id) -> None:
    if not user_scope(actor).covers_estate(estate_id):
        raise PermissionDenied(_("You may not do this."))


def _locked(incident: Incident) -> Incident:
    return Incident.objects.select_for_update().get(pk=incident.pk)


def _status_error(incident: Incident) -> ValidationError:
    return ValidationError(_("An incident that is %(status)s cannot take this step.")
                           % {"status": incident.get_status_display()})


def _text(value) -> str:
    return (value or "").strip()


def _check_fields(fields: dict) -> None:
    unknown = set(fields) - set(INCIDENT_FIELDS)
    if unknown:
        raise TypeError(f"unknown incident fields: {sorted(unknown)}")


def _check_report(actor, incident: Incident, changed=None) -> None:
    """The rules of a report, beyond the model's own: the estate is one the actor serves, the time is not in the
    future, the kind is in use, no phone numbers among the people involved."""
    errors = {}
    if incident.estate_id and not user_scope(actor).covers_estate(incident.estate_id):
        errors["estate"] = _("You do not serve this estate: report incidents of the estates you serve.")
    if incident.occurred_at and incident.occurred_at > timezone.now():
        errors["occurred_at"] = _("An incident cannot have occurred in the future.")
    if incident.kind_id and not incident.kind.is_active and (changed is None or "kind" in changed):
        errors["kind"] = _("This kind is no longer in use.")
    if _MOBILE.search(incident.people_involved or ""):
        errors["people_involved"] = _("Leave phone numbers out: name the people and their role only.")
    if errors:
        raise ValidationError(errors)


def _notify_managers(incident: Incident, actor, key: str, title: str) -> None:
    holders = [u for u in permission_holders(REVIEW) if u.pk != actor.pk
               and user_scope(u).covers_estate(incident.estate_id)]
    notify(holders, key=f"incident:{incident.pk}:{key}", title=title % {"number": incident.number},
           body=incident.title, url=incident.get_absolute_url())


# --- the report --------------------------------------------------------------------------------------------------


@transaction.atomic
def incident_report(*, actor, **fields) -> Incident:
    """A new incident report, numbered SG-<year>-NNN, reported by ``actor``."""
    _require(actor, ADD)
    _check_fields(fields)
    for name in TEXT_FIELDS:
        if name in fields:
            fields[name] = _text(fields[name])
    with acting_as(actor):
        incident = Incident(reported_by=actor, reported_at=timezone.now(), **fields)
        incident.number = next_number(Incident, "SG")
        incident.full_clean()
        _check_report(actor, incident)
        incident.save()
        audit("incident.report", actor=actor, obj=incident, estate_id=incident.estate_id, number=incident.number,
              severity=incident.severity)
    _notify_managers(incident, actor, "reported", _("Incident reported: %(number)s"))
    return incident


@transaction.atomic
def incident_update(*, actor, incident: Incident, **fields) -> Incident:
    """Correct the report while it is reported or under investigation."""
    _require(actor, CHANGE)
    _check_fields(fields)
    _in_scope(actor, incident.estate_id)
    incident = _locked(incident)
    if incident.status not in EDITABLE_STATUSES:
        raise ValidationError(_("The report can be corrected only until its investigation is recorded."))
    for name in TEXT_FIELDS:
        if name in fields:
            fields[name] = _text(fields[name])
    changed = sorted(name for name, value in fields.items() if getattr(incident, name) != value)
    for name in changed:
        setattr(incident, name, fields[name])
    with acting_as(actor):
        incident.full_clean()
        _check_report(actor, incident, changed)
        if changed:
            incident.save()
            audit("incident.update", actor=actor, obj=incident, estate_id=incident.estate_id, fields=changed)
    return incident


# --- investigation ------------------------------------------------------------------------------------------------


@transaction.atomic
def incident_start_investigation(*, actor, incident: Incident) -> Incident:
    """Reported → under investigation; ``actor`` is the investigator."""
    _require(actor, INVESTIGATE)
    _in_scope(actor, incident.estate_id)
    incident = _locked(incident)
    if incident.status != IncidentStatus.REPORTED:
        raise _status_error(incident)
    with acting_as(actor):
        incident.status = IncidentStatus.INVESTIGATING
        incident.investigator = actor
        incident.investigation_started_at = timezone.now()
        incident.save()
        audit("incident.investigate", actor=actor, obj=incident, estate_id=incident.estate_id)
    return incident


@transaction.atomic
def incident_record_investigation(*, actor, incident: Incident, cause: str, responsibility: str) -> Incident:
    """Under investigation (or reported: the investigation starts and ends at once) → investigated, with the cause
    and who is responsible."""
    _require(actor, INVESTIGATE)
    _in_scope(actor, incident.estate_id)
    incident = _locked(incident)
    if incident.status not in (IncidentStatus.REPORTED, IncidentStatus.INVESTIGATING):
        raise _status_error(incident)
    cause, responsibility = _text(cause), _text(responsibility)
    errors = {}
    if not cause:
        errors["cause"] = _("Say what caused the incident.")
    if not responsibility:
        errors["responsibility"] = _("Say who is responsible (or that no one is).")
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    with acting_as(actor):
        if incident.status == IncidentStatus.REPORTED or incident.investigator_id is None:
            incident.investigator = actor
            incident.investigation_started_at = incident.investigation_started_at or now
        incident.cause, incident.responsibility = cause, responsibility
        incident.status = IncidentStatus.INVESTIGATED
        incident.investigated_at = now
        incident.save()
        audit("incident.investigated", actor=actor, obj=incident, estate_id=incident.estate_id)
    _notify_managers(incident, actor, "investigated", _("Incident to review: %(number)s"))
    return incident


# --- review, close, withdraw ----------------------------------------------------------------------------------------


@transaction.atomic
def incident_review(*, actor, incident: Incident, comment: str, instructions: str = "") -> Incident:
    """The manager's review of an investigated incident: comment and instructions. Not by its reporter."""
    _require(actor, REVIEW)
    _in_scope(actor, incident.estate_id)
    incident = _locked(incident)
    if incident.status != IncidentStatus.INVESTIGATED:
        if incident.status in (IncidentStatus.REPORTED, IncidentStatus.INVESTIGATING):
            raise ValidationError(_("An incident is reviewed after its investigation is recorded."))
        raise _status_error(incident)
    if incident.reported_by_id == actor.pk:
        raise ValidationError(_("You reported this incident: someone else reviews it."))
    comment = _text(comment)
    if not comment:
        raise ValidationError({"comment": _("Write the review comment.")})
    with acting_as(actor):
        incident.status = IncidentStatus.REVIEWED
        incident.reviewer = actor
        incident.reviewed_at = timezone.now()
        incident.review_comment = comment
        incident.review_instructions = _text(instructions)
        incident.save()
        audit("incident.review", actor=actor, obj=incident, estate_id=incident.estate_id)
    return incident


@transaction.atomic
def incident_close(*, actor, incident: Incident) -> Incident:
    """Reviewed → closed."""
    _require(actor, CLOSE)
    _in_scope(actor, incident.estate_id)
    incident = _locked(incident)
    if incident.status in (IncidentStatus.REPORTED, IncidentStatus.INVESTIGATING, IncidentStatus.INVESTIGATED):
        raise ValidationError(_("An incident is closed only after the manager's review."))
    if incident.status != IncidentStatus.REVIEWED:
        raise _status_error(incident)
    with acting_as(actor):
        incident.status = IncidentStatus.CLOSED
        incident.closed_at = timezone.now()
        incident.closed_by = actor
        incident.save()
        audit("incident.close", actor=actor, obj=incident, estate_id=incident.estate_id)
    return incident


@transaction.atomic
def incident_withdraw(*, actor, incident: Incident, reason: str) -> Incident:
    """A report made by mistake (or a duplicate) is withdrawn with the reason, before the review. It stays on
    record."""
    _require(actor, CLOSE)
    _in_scope(actor, incident.estate_id)
    incident = _locked(incident)
    if incident.status not in WITHDRAWABLE_STATUSES:
        raise _status_error(incident)
    reason = _text(reason)
    if not reason:
        raise ValidationError({"reason": _("Say why the report is withdrawn.")})
    with acting_as(actor):
        incident.status = IncidentStatus.WITHDRAWN
        incident.withdrawn_reason = reason[:300]
        incident.closed_at = timezone.now()
        incident.closed_by = actor
        incident.save()
        audit("incident.withdraw", actor=actor, obj=incident, estate_id=incident.estate_id, reason=reason[:300])
    return incident


# --- corrective action and files ------------------------------------------------------------------------------------


@transaction.atomic
def incident_raise_action(*, actor, incident: Incident, title: str = "", description: str = ""):
    """A corrective action in the quality app for this incident (one per incident), its number kept on the
    incident. Not for a withdrawn incident."""
    from wuye.quality.choices import ActionSource
    from wuye.quality.services.actions import corrective_action_raise

    _require(actor, REVIEW)
    _require(actor, RAISE_ACTION)
    _in_scope(actor, incident.estate_id)
    incident = _locked(incident)
    if incident.corrective_action_id is not None:
        raise ValidationError(_("This incident already has a corrective action: %(number)s.")
                              % {"number": incident.corrective_action.number})
    if incident.status == IncidentStatus.WITHDRAWN:
        raise _status_error(incident)
    title = _text(title) or _("Incident %(number)s: %(title)s") % {"number": incident.number,
                                                                    "title": incident.title}
    if not _text(description):
        parts = [incident.description]
        if incident.cause:
            parts.append(_("Cause: %(cause)s") % {"cause": incident.cause})
        description = "\n".join(parts)
    action = corrective_action_raise(actor=actor, source=ActionSource.INCIDENT, title=title[:200],
                                     description=_text(description), estate=incident.estate,
                                     source_reference=incident.number,
                                     immediate_correction=incident.immediate_measures)
    with acting_as(actor):
        incident.corrective_action = action
        incident.save()
        audit("incident.raise_action", actor=actor, obj=incident, estate_id=incident.estate_id,
              action=action.number)
    return action


@transaction.atomic
def incident_add_file(*, actor, incident: Incident, upload) -> IncidentFile:
    """A photo or document of the incident: checked like a document's file (type by content, size), kept with its
    checksum; files are never removed."""
    from wuye.documents.files import inspect_upload

    _require(actor, ADD_FILE)
    _in_scope(actor, incident.estate_id)
    incident = _locked(incident)
    info = inspect_upload(upload)
    with acting_as(actor):
        stored = IncidentFile(incident=incident)
        stored.store(upload, info)
        audit("incident.file", actor=actor, obj=incident, estate_id=incident.estate_id, name=stored.name,
              sha256=stored.sha256)
    return stored


# --- kinds -------------------------------------------------------------------------------------------------------


def ensure_default_kinds() -> None:
    """The starting kinds (idempotent: an existing code is left as the company changed it)."""
    from .choices import DEFAULT_KINDS

    for order, (code, name) in enumerate(DEFAULT_KINDS, start=1):
        IncidentKind.objects.get_or_create(code=code, defaults={"name": name, "sort_order": order * 10})


# --- the daily reminder ------------------------------------------------------------------------------------------


def incidents_remind(*, today=None, days: int = 30) -> int:
    """Remind the managers (holders of ``incidents.review_incident`` serving the estate) of every incident still
    open ``days`` days after it was reported. Once per incident (the notification key), so the daily job is
    idempotent. Returns the number of notifications sent."""
    import datetime as dt

    from .choices import OPEN_STATUSES

    today = today or timezone.localdate()
    limit = dt.datetime.combine(today - dt.timedelta(days=days), dt.time.min,
                                tzinfo=timezone.get_current_timezone())
    holders = list(permission_holders(REVIEW))
    sent = 0
    for incident in (Incident.objects.filter(status__in=OPEN_STATUSES, reported_at__lt=limit)
                     .select_related("estate").order_by("reported_at", "pk")):
        users = [u for u in holders if user_scope(u).covers_estate(incident.estate_id)]
        sent += len(notify(users, key=f"incident:{incident.pk}:open{days}",
                           title=_("Incident open for more than %(days)d days: %(number)s")
                           % {"days": days, "number": incident.number},
                           body=incident.title, url=incident.get_absolute_url(), level="warning"))
    return sent
