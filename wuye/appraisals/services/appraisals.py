"""Appraisals and cycles: ``appraisal_<step>(*, actor, appraisal, …)`` and ``cycle_<step>(*, actor, cycle, …)``.

The states of an appraisal (``TRANSITIONS``): draft → self-assessment (when its cycle asks for one) → appraiser
scoring → appraisee acknowledgement → final; a final appraisal is corrected by a revision (a new appraisal in
scoring, revision + 1) and is then superseded; both are kept. A final or superseded appraisal is read-only: every
step that would change it is refused.

Who takes which step: the appraiser starts, scores and submits; the appraisee self-assesses and acknowledges (with
an optional disagreement); the appraiser's manager or a holder of ``appraisals.manage_appraisal_cycles`` finalises
and revises. Every step is atomic, locks the appraisal, is audited and refuses bad input with a ``ValidationError``
in the user's language, changing nothing.

The default appraiser of a staff member (``manager_of``): walking up their post's line (``Post.reports_to``, the
post above, then the one above that…), the first post held by an active staff member with an active login (the
lowest employee number when several hold it); failing that, an active holder of the customer-service-manager role
in their own department. Nobody found: no default (a cycle lists the staff member as skipped, with the reason).
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from wuye.core.audit import audit
from wuye.core.context import acting_as
from wuye.core.notifications import notify
from wuye.core.roles import Role
from wuye.org.choices import StaffStatus
from wuye.org.models import Staff

from .. import scoring
from ..choices import OPEN_STATES, AppraisalState, CycleStatus, FormStatus, PeriodKind
from ..models import Appraisal, AppraisalCycle, FormVersion, Score

__all__ = [
    "CycleRun", "appraisal_acknowledge",
    "appraisal_create", "appraisal_finalise", "appraisal_reassign", "appraisal_revise", "appraisal_score",
    "appraisal_self_assess", "appraisal_start", "appraisal_submit", "cycle_add_staff", "cycle_close", "cycle_open",
    "cycle_remind", "cycle_skip_reason", "cycle_staff", "manager_of", "may_finalise", "overlapping_appraisals",
    "period_end_for",
]

VIEW = "appraisals.view_appraisal"
CHANGE = "appraisals.change_appraisal"
ADD = "appraisals.add_appraisal"
MANAGE = "appraisals.manage_appraisal_cycles"
DEPARTMENT = "appraisals.view_department_appraisals"

S = AppraisalState
# the steps and the states they lead from and to
TRANSITIONS = {
    "start": ((S.DRAFT,), (S.SELF_ASSESSMENT, S.SCORING)),
    "self_assess": ((S.SELF_ASSESSMENT,), (S.SELF_ASSESSMENT, S.SCORING)),
    "score": ((S.SCORING,), (S.SCORING,)),
    "submit": ((S.SCORING,), (S.ACKNOWLEDGEMENT,)),
    "acknowledge": ((S.ACKNOWLEDGEMENT,), (S.ACKNOWLEDGEMENT,)),
    "finalise": ((S.ACKNOWLEDGEMENT,), (S.FINAL,)),
    "revise": ((S.FINAL,), (S.SUPERSEDED,)),
    "reassign": ((S.DRAFT, S.SELF_ASSESSMENT, S.SCORING), (S.DRAFT, S.SELF_ASSESSMENT, S.SCORING)),
}


# --- helpers ------------------------------------------------------------------------------------------------------


def _require(actor, permission: str) -> None:
    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.has_perm(permission):
        raise PermissionDenied(_("You may not do this."))


def _staff_of(actor) -> Staff | None:
    return getattr(actor, "staff", None) if actor is not None else None


def _is(actor, staff: Staff | None) -> bool:
    mine = _staff_of(actor)
    return mine is not None and staff is not None and mine.pk == staff.pk


def _locked(appraisal: Appraisal) -> Appraisal:
    # only the appraisal's row: PostgreSQL locks no nullable side of an outer join (its cycle)
    return (Appraisal.objects.select_for_update(of=("self",))
            .select_related("form_version", "appraisee", "appraiser", "cycle").get(pk=appraisal.pk))


def _check_state(appraisal: Appraisal, step: str) -> None:
    if appraisal.state == S.FINAL and step != "revise":
        raise ValidationError(_("A final appraisal is read-only: correct it with a revision."))
    if appraisal.state == S.SUPERSEDED:
        raise ValidationError(_("This appraisal has been superseded by a revision and is read-only."))
    if appraisal.state not in TRANSITIONS[step][0]:
        raise ValidationError(_("An appraisal at the step “%(state)s” cannot take this step.")
                              % {"state": appraisal.get_state_display()})


def _user(staff: Staff | None):
    user = getattr(staff, "user", None) if staff is not None else None
    return user if user is not None and user.is_active else None


def _notify(staff_list, appraisal: Appraisal, event: str, title: str, body: str = "") -> None:
    notify([_user(s) for s in staff_list], key=f"appraisal:{appraisal.pk}:{event}", title=title, body=body,
           url=appraisal.get_absolute_url())


def period_end_for(kind: str, start: dt.date) -> dt.date | None:
    """The last day of the period of ``kind`` beginning on ``start`` (None for a custom range)."""
    months = {PeriodKind.MONTH: 1, PeriodKind.QUARTER: 3, PeriodKind.HALF_YEAR: 6, PeriodKind.YEAR: 12}.get(kind)
    if not months:
        return None
    month = start.month - 1 + months
    year, month = start.year + month // 12, month % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return dt.date(year, month, day) - dt.timedelta(days=1)


def _check_period(kind, start, end) -> None:
    errors = {}
    if kind not in PeriodKind.values:
        errors["period_kind"] = _("Choose the kind of period.")
    if start is None:
        errors["period_start"] = _("Give the first day of the period.")
    if end is None:
        errors["period_end"] = _("Give the last day of the period.")
    elif start is not None and end < start:
        errors["period_end"] = _("A period cannot end before it starts.")
    if errors:
        raise ValidationError(errors)


def _usable_version(version: FormVersion) -> None:
    if version is None:
        raise ValidationError({"form_version": _("Choose the form.")})
    if version.status != FormStatus.ACTIVE:
        raise ValidationError({"form_version": _("Only a form version in use is used for new appraisals: "
                                                 "%(version)s is not in use.") % {"version": version}})
    if not any(items for _section, items in scoring.structure(version)):
        raise ValidationError({"form_version": _("This form has no items to score.")})


def overlapping_appraisals(*, appraisee, form_version, period_start, period_end, exclude=None):
    """Appraisals (not superseded) of the same person on the same form (any of its versions) whose period meets
    ``period_start``–``period_end``."""
    queryset = Appraisal.objects.filter(appraisee=appraisee, form_version__form_id=form_version.form_id,
                                        period_start__lte=period_end, period_end__gte=period_start
                                        ).exclude(state=S.SUPERSEDED)
    if exclude is not None:
        queryset = queryset.exclude(pk=exclude.pk)
    return queryset


def _overlap_error(appraisee, other: Appraisal) -> ValidationError:
    return ValidationError({"period_start": _(
        "%(person)s already has an appraisal on this form for part of this period (%(start)s to %(end)s).") % {
        "person": appraisee.name, "start": f"{other.period_start:%Y-%m-%d}", "end": f"{other.period_end:%Y-%m-%d}"}})


def _check_people(appraisee: Staff, appraiser: Staff) -> None:
    if appraisee is None:
        raise ValidationError({"appraisee": _("Choose the appraisee.")})
    if appraiser is None:
        raise ValidationError({"appraiser": _("Choose the appraiser.")})
    if appraisee.pk == appraiser.pk:
        raise ValidationError({"appraiser": _("Nobody appraises themselves: choose another appraiser.")})
    if appraisee.status != StaffStatus.ACTIVE:
        raise ValidationError({"appraisee": _("%(person)s has left.") % {"person": appraisee.name}})
    if appraiser.status != StaffStatus.ACTIVE:
        raise ValidationError({"appraiser": _("%(person)s has left.") % {"person": appraiser.name}})
    if _user(appraiser) is None:
        raise ValidationError({"appraiser": _("%(person)s has no login and cannot score.")
                               % {"person": appraiser.name}})


def manager_of(staff: Staff) -> Staff | None:
    """The staff member's default appraiser (see the module's docstring), or None."""
    post, seen = staff.post, set()
    while post is not None and post.reports_to_id and post.reports_to_id not in seen:
        seen.add(post.pk)
        post = post.reports_to
        holder = (Staff.objects.filter(post=post, status=StaffStatus.ACTIVE, user__isnull=False, user__is_active=True)
                  .exclude(pk=staff.pk).select_related("user").order_by("employee_no").first())
        if holder is not None:
            return holder
    return (Staff.objects.filter(department_id=staff.department_id, status=StaffStatus.ACTIVE, user__is_active=True,
                                 user__groups__name=Role.CS_MANAGER.value)
            .exclude(pk=staff.pk).select_related("user").order_by("employee_no").first())


def may_finalise(actor, appraisal: Appraisal) -> bool:
    """The appraiser's manager or a holder of ``manage_appraisal_cycles``; never the appraisee."""
    if actor is None or not actor.has_perm(CHANGE) or _is(actor, appraisal.appraisee):
        return False
    if actor.has_perm(MANAGE):
        return True
    return _is(actor, manager_of(appraisal.appraiser))


def _make(*, actor, appraisee, appraiser, form_version, period_kind, period_start, period_end, cycle=None,
          state=S.DRAFT) -> Appraisal:
    """One appraisal and its score rows (the caller has checked people, period and overlap)."""
    appraisal = Appraisal(form_version=form_version, cycle=cycle, appraisee=appraisee, appraiser=appraiser,
                          period_kind=period_kind, period_start=period_start, period_end=period_end)
    appraisal.full_clean()
    appraisal.state = state
    appraisal.save()
    items = [item for _section, items in scoring.structure(form_version) for item in items]
    Score.objects.bulk_create([Score(appraisal=appraisal, item=item, created_by=actor, updated_by=actor)
                               for item in items])
    return appraisal


def _first_state(cycle: AppraisalCycle | None):
    return S.SELF_ASSESSMENT if cycle is not None and cycle.self_assessment else S.SCORING


# --- the appraisal --------------------------------------------------------------------------------------------------


@transaction.atomic
def appraisal_create(*, actor, appraisee: Staff, appraiser: Staff, form_version: FormVersion, period_kind: str,
                     period_start: dt.date, period_end: dt.date, cycle: AppraisalCycle | None = None) -> Appraisal:
    """A draft appraisal with one empty score per item of the form version. Refused: an appraiser appraising
    themselves, a period that meets another (not superseded) appraisal of the same person on the same form."""
    _require(actor, ADD)
    _check_people(appraisee, appraiser)
    _check_period(period_kind, period_start, period_end)
    _usable_version(form_version)
    if cycle is not None and cycle.status != CycleStatus.OPEN:
        raise ValidationError({"cycle": _("This cycle is closed.")})
    Staff.objects.select_for_update().filter(pk=appraisee.pk).first()  # one creation per person at a time
    other = overlapping_appraisals(appraisee=appraisee, form_version=form_version, period_start=period_start,
                                   period_end=period_end).order_by("period_start").first()
    if other is not None:
        raise _overlap_error(appraisee, other)
    with acting_as(actor):
        appraisal = _make(actor=actor, appraisee=appraisee, appraiser=appraiser, form_version=form_version,
                          period_kind=period_kind, period_start=period_start, period_end=period_end, cycle=cycle)
        audit("appraisal.create", actor=actor, obj=appraisal, appraisee=appraisee.pk, appraiser=appraiser.pk,
              form_version=form_version.pk, cycle=cycle.pk if cycle else None)
    return appraisal


@transaction.atomic
def appraisal_start(*, actor, appraisal: Appraisal) -> Appraisal:
    """Draft → self-assessment (when its cycle asks for one) or appraiser scoring: the appraiser or a holder of
    ``manage_appraisal_cycles``."""
    _require(actor, CHANGE)
    appraisal = _locked(appraisal)
    _check_state(appraisal, "start")
    if not (_is(actor, appraisal.appraiser) or actor.has_perm(MANAGE)):
        raise PermissionDenied(_("Only the appraiser starts the appraisal."))
    with acting_as(actor):
        appraisal.state = _first_state(appraisal.cycle)
        appraisal.save()
        audit("appraisal.start", actor=actor, obj=appraisal, state=appraisal.state)
    if appraisal.state == S.SELF_ASSESSMENT:
        _notify([appraisal.appraisee], appraisal, "self_assessment", _("Your self-assessment is due"),
                str(appraisal))
    else:
        _notify([appraisal.appraiser], appraisal, "scoring", _("An appraisal to score"), str(appraisal))
    return appraisal


def _parse_scores(appraisal: Appraisal, scores: dict) -> dict[int, tuple[int | None, str | None]]:
    """{item id: (score or None, comment or None)} checked against the form version: the items are its own, the
    scores values of its scale. A plain value stands for (score, None): the comment is left as it is."""
    rows = {row.item_id: row for row in appraisal.scores.select_related("item")}
    allowed = set(appraisal.form_version.scale_values)
    parsed, errors = {}, []
    for key, value in (scores or {}).items():
        try:
            item_id = int(key)
        except (TypeError, ValueError):
            raise ValidationError({"scores": _("Name each item by its number.")}) from None
        if item_id not in rows:
            raise ValidationError({"scores": _("This item is not on the appraisal's form: %(item)s")
                                   % {"item": key}})
        raw, comment = (list(value) + [None, None])[:2] if isinstance(value, list | tuple) else (value, None)
        if raw in ("", None):
            score = None
        else:
            try:
                score = None if isinstance(raw, bool) else int(str(raw).strip())
            except ValueError:
                score = None
            if score not in allowed:
                errors.append(_("%(item)s: %(score)s is not on the scale (%(scale)s)") % {
                    "item": rows[item_id].item, "score": raw,
                    "scale": "/".join(map(str, sorted(allowed, reverse=True)))})
                continue
        if comment is not None:
            comment = str(comment).strip()
            if len(comment) > 300:
                errors.append(_("%(item)s: the comment is longer than 300 characters") % {"item": rows[item_id].item})
                continue
        parsed[item_id] = (score, comment)
    if errors:
        raise ValidationError({"scores": errors})
    return parsed


def _apply(appraisal: Appraisal, parsed: dict, score_field: str, comment_field: str) -> list[int]:
    changed = []
    for row in appraisal.scores.select_for_update().filter(item_id__in=list(parsed)):
        score, comment = parsed[row.item_id]
        fields = []
        if getattr(row, score_field) != score:
            setattr(row, score_field, score)
            fields.append(score_field)
        if comment is not None and getattr(row, comment_field) != comment:
            setattr(row, comment_field, comment)
            fields.append(comment_field)
        if fields:
            row.save()
            changed.append(row.item_id)
    return changed


def _unscored_error(lines, what: str) -> ValidationError:
    listed = "；".join(f"{line.number}. {line.text}" for line in lines[:40])
    more = len(lines) - 40
    if more > 0:
        listed += " …" + _("and %(n)s more") % {"n": more}
    if what == "self":
        message = _("Score every item of your self-assessment first. Not scored: %(items)s")
    else:
        message = _("An appraisal is submitted only when every item is scored. Not scored: %(items)s")
    return ValidationError({"scores": message % {"items": listed}})


@transaction.atomic
def appraisal_self_assess(*, actor, appraisal: Appraisal, scores: dict, submit: bool = False) -> Appraisal:
    """The appraisee's own scores and comments ({item id: (score, comment)}); ``submit`` hands the appraisal to
    the appraiser (every item scored)."""
    _require(actor, CHANGE)
    appraisal = _locked(appraisal)
    _check_state(appraisal, "self_assess")
    if not _is(actor, appraisal.appraisee):
        raise PermissionDenied(_("Only the appraisee fills in the self-assessment."))
    parsed = _parse_scores(appraisal, scores)
    with acting_as(actor):
        changed = _apply(appraisal, parsed, "self_score", "self_comment")
        if submit:
            result = scoring.of_appraisal(appraisal, self_assessment=True)
            if result.unscored:
                raise _unscored_error(result.unscored, "self")
            appraisal.state = S.SCORING
            appraisal.save()
        if changed or submit:
            audit("appraisal.self_assess", actor=actor, obj=appraisal, items=changed, submitted=submit)
    if submit:
        _notify([appraisal.appraiser], appraisal, "scoring", _("An appraisal to score"), str(appraisal))
    return appraisal


@transaction.atomic
def appraisal_score(*, actor, appraisal: Appraisal, scores: dict, comment: str | None = None,
                    appraised_on: dt.date | None = None) -> Appraisal:
    """The appraiser's scores and comments ({item id: (score, comment)}), the overall comment and the appraisal
    date. A score must be a value of the form's scale; any wrong one and nothing is saved."""
    _require(actor, CHANGE)
    appraisal = _locked(appraisal)
    _check_state(appraisal, "score")
    if not _is(actor, appraisal.appraiser):
        raise PermissionDenied(_("Only the appraiser scores the appraisal."))
    parsed = _parse_scores(appraisal, scores)
    if appraised_on is not None and appraised_on > timezone.localdate():
        raise ValidationError({"appraised_on": _("The appraisal date cannot be in the future.")})
    with acting_as(actor):
        changed = _apply(appraisal, parsed, "score", "comment")
        fields = []
        if comment is not None and appraisal.appraiser_comment != comment.strip():
            appraisal.appraiser_comment = comment.strip()
            fields.append("appraiser_comment")
        if appraised_on is not None and appraisal.appraised_on != appraised_on:
            appraisal.appraised_on = appraised_on
            fields.append("appraised_on")
        result = scoring.of_appraisal(appraisal)
        if appraisal.total != result.total or appraisal.grade != result.grade:  # the running figures
            appraisal.total, appraisal.grade = result.total, result.grade
            fields.append("total")
        if fields:
            appraisal.full_clean()
            appraisal.save()
        if changed or fields:
            audit("appraisal.score", actor=actor, obj=appraisal, items=changed, total=str(appraisal.total))
    return appraisal


@transaction.atomic
def appraisal_submit(*, actor, appraisal: Appraisal) -> Appraisal:
    """Appraiser scoring → appraisee acknowledgement: every item scored; the total and grade are computed and
    kept; the appraisee is told."""
    _require(actor, CHANGE)
    appraisal = _locked(appraisal)
    _check_state(appraisal, "submit")
    if not _is(actor, appraisal.appraiser):
        raise PermissionDenied(_("Only the appraiser submits the appraisal."))
    result = scoring.of_appraisal(appraisal)
    if result.unscored:
        raise _unscored_error(result.unscored, "appraiser")
    with acting_as(actor):
        appraisal.total, appraisal.grade = result.total, result.grade
        appraisal.appraised_on = appraisal.appraised_on or timezone.localdate()
        appraisal.state = S.ACKNOWLEDGEMENT
        appraisal.save()
        audit("appraisal.submit", actor=actor, obj=appraisal, total=str(result.total), grade=result.grade)
    _notify([appraisal.appraisee], appraisal, "acknowledge", _("Your appraisal is ready: please acknowledge it"),
            _("Total %(total)s, %(grade)s") % {"total": result.total, "grade": result.grade})
    return appraisal


@transaction.atomic
def appraisal_acknowledge(*, actor, appraisal: Appraisal, disagreement: str = "") -> Appraisal:
    """The appraisee confirms having seen the appraisal, with their disagreement if they have one; the appraiser
    and those who finalise are told."""
    _require(actor, CHANGE)
    appraisal = _locked(appraisal)
    _check_state(appraisal, "acknowledge")
    if not _is(actor, appraisal.appraisee):
        raise PermissionDenied(_("Only the appraisee acknowledges the appraisal."))
    if appraisal.acknowledged_at is not None:
        raise ValidationError(_("You have already acknowledged this appraisal."))
    with acting_as(actor):
        appraisal.acknowledged_at = timezone.now()
        appraisal.disagreement = (disagreement or "").strip()
        appraisal.save()
        audit("appraisal.acknowledge", actor=actor, obj=appraisal, disagrees=bool(appraisal.disagreement))
    manager = manager_of(appraisal.appraiser)
    _notify([appraisal.appraiser, manager], appraisal, "acknowledged",
            _("Appraisal acknowledged (with a disagreement)") if appraisal.disagreement
            else _("Appraisal acknowledged"), appraisal.disagreement or str(appraisal))
    return appraisal


@transaction.atomic
def appraisal_finalise(*, actor, appraisal: Appraisal) -> Appraisal:
    """Acknowledged → final (read-only from now on): the appraiser's manager or a holder of
    ``manage_appraisal_cycles``, never the appraisee."""
    _require(actor, CHANGE)
    appraisal = _locked(appraisal)
    _check_state(appraisal, "finalise")
    if not may_finalise(actor, appraisal):
        raise PermissionDenied(_("Only the appraiser's manager or a cycle manager finalises an appraisal."))
    if appraisal.acknowledged_at is None:
        raise ValidationError(_("The appraisee has not acknowledged the appraisal yet."))
    result = scoring.of_appraisal(appraisal)
    with acting_as(actor):
        appraisal.total, appraisal.grade = result.total, result.grade
        appraisal.state = S.FINAL
        appraisal.finalised_at = timezone.now()
        appraisal.save()
        audit("appraisal.finalise", actor=actor, obj=appraisal, total=str(result.total), grade=result.grade)
    _notify([appraisal.appraisee, appraisal.appraiser], appraisal, "final", _("Appraisal final"),
            _("Total %(total)s, %(grade)s") % {"total": result.total, "grade": result.grade})
    return appraisal


@transaction.atomic
def appraisal_revise(*, actor, appraisal: Appraisal, reason: str) -> Appraisal:
    """Correct a final appraisal: a new appraisal (revision + 1, same people, period and form version, the scores
    copied) back with the appraiser for scoring; the final one is superseded. Both are kept."""
    _require(actor, CHANGE)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the appraisal is corrected.")})
    appraisal = _locked(appraisal)
    _check_state(appraisal, "revise")
    if not may_finalise(actor, appraisal):
        raise PermissionDenied(_("Only the appraiser's manager or a cycle manager corrects a final appraisal."))
    with acting_as(actor):
        appraisal.state = S.SUPERSEDED
        appraisal.save()
        revision = Appraisal(form_version=appraisal.form_version, cycle=appraisal.cycle,
                             appraisee=appraisal.appraisee, appraiser=appraisal.appraiser,
                             appraised_on=appraisal.appraised_on, period_kind=appraisal.period_kind,
                             period_start=appraisal.period_start, period_end=appraisal.period_end,
                             appraiser_comment=appraisal.appraiser_comment)
        revision.full_clean()
        revision.state = S.SCORING
        revision.revision = appraisal.revision + 1
        revision.revises = appraisal
        revision.revision_reason = reason[:300]
        revision.total, revision.grade = appraisal.total, appraisal.grade
        revision.save()
        Score.objects.bulk_create([
            Score(appraisal=revision, item_id=row.item_id, score=row.score, comment=row.comment,
                  self_score=row.self_score, self_comment=row.self_comment, created_by=actor, updated_by=actor)
            for row in appraisal.scores.all()])
        audit("appraisal.revise", actor=actor, obj=appraisal, revision=revision.pk, reason=revision.revision_reason)
        audit("appraisal.create", actor=actor, obj=revision, revises=appraisal.pk, reason=revision.revision_reason)
    _notify([revision.appraiser], revision, "scoring", _("A corrected appraisal to score"), reason)
    return revision


@transaction.atomic
def appraisal_reassign(*, actor, appraisal: Appraisal, appraiser: Staff) -> Appraisal:
    """Give an appraisal not yet submitted to another appraiser (a holder of ``manage_appraisal_cycles``)."""
    _require(actor, MANAGE)
    appraisal = _locked(appraisal)
    _check_state(appraisal, "reassign")
    _check_people(appraisal.appraisee, appraiser)
    if appraisal.appraiser_id == appraiser.pk:
        return appraisal
    with acting_as(actor):
        before = appraisal.appraiser_id
        appraisal.appraiser = appraiser
        appraisal.save()
        audit("appraisal.reassign", actor=actor, obj=appraisal, before=before, after=appraiser.pk)
    if appraisal.state == S.SCORING:
        _notify([appraiser], appraisal, f"scoring:{appraiser.pk}", _("An appraisal to score"), str(appraisal))
    return appraisal


# --- cycles -------------------------------------------------------------------------------------------------------


@dataclass
class CycleRun:
    """What opening a cycle (or adding its staff again) did: the appraisals made and the staff skipped, with the
    reason."""

    cycle: AppraisalCycle
    created: list[Appraisal] = field(default_factory=list)
    skipped: list[tuple[Staff, str]] = field(default_factory=list)


def cycle_staff(cycle: AppraisalCycle):
    """The active staff a cycle covers: holders of its posts and members of its departments."""
    posts = list(cycle.posts.values_list("pk", flat=True))
    departments = list(cycle.departments.values_list("pk", flat=True))
    if not posts and not departments:
        return Staff.objects.none()
    return (Staff.objects.filter(status=StaffStatus.ACTIVE)
            .filter(Q(post_id__in=posts) | Q(department_id__in=departments))
            .select_related("post", "department", "user").order_by("department__name", "employee_no"))


def cycle_skip_reason(cycle: AppraisalCycle, staff: Staff, *, form_posts: set | None = None
                      ) -> tuple[str | None, Staff | None]:
    """Why ``staff`` gets no appraisal in ``cycle`` (None: they get one), and their default appraiser."""
    if form_posts is None:
        form_posts = set(cycle.form_version.form.posts.values_list("pk", flat=True))
    if staff.status != StaffStatus.ACTIVE:
        return _("has left"), None
    if form_posts and staff.post_id not in form_posts:
        return _("the form does not apply to their post"), None
    appraiser = manager_of(staff)
    if appraiser is None:
        return _("no manager found (post line or department manager with a login)"), None
    if overlapping_appraisals(appraisee=staff, form_version=cycle.form_version, period_start=cycle.period_start,
                              period_end=cycle.period_end).exists():
        return _("already appraised on this form for part of the period"), appraiser
    return None, appraiser


def _populate(actor, cycle: AppraisalCycle, staff_list) -> CycleRun:
    run = CycleRun(cycle)
    version = cycle.form_version
    form_posts = set(version.form.posts.values_list("pk", flat=True))
    already = set(cycle.appraisals.exclude(state=S.SUPERSEDED).values_list("appraisee_id", flat=True))
    for staff in staff_list:
        if staff.pk in already:
            continue  # run again: never a second appraisal in the same cycle
        Staff.objects.select_for_update().filter(pk=staff.pk).first()  # one creation per person at a time
        reason, appraiser = cycle_skip_reason(cycle, staff, form_posts=form_posts)
        if reason is not None:
            run.skipped.append((staff, reason))
            continue
        appraisal = _make(actor=actor, appraisee=staff, appraiser=appraiser, form_version=version,
                          period_kind=cycle.period_kind, period_start=cycle.period_start, period_end=cycle.period_end,
                          cycle=cycle, state=_first_state(cycle))
        already.add(staff.pk)
        run.created.append(appraisal)
    return run


def _tell_started(run: CycleRun) -> None:
    for appraisal in run.created:
        if appraisal.state == S.SELF_ASSESSMENT:
            _notify([appraisal.appraisee], appraisal, "self_assessment", _("Your self-assessment is due"),
                    str(run.cycle))
        else:
            _notify([appraisal.appraiser], appraisal, "scoring", _("An appraisal to score"), str(appraisal))


@transaction.atomic
def cycle_open(*, actor, name: str, form_version: FormVersion, period_kind: str, period_start: dt.date,
               period_end: dt.date | None = None, posts=(), departments=(), self_assessment: bool = False,
               due_on: dt.date | None = None) -> CycleRun:
    """Open a cycle and, in the same action, one appraisal per active staff member of the selected posts and
    departments, with their manager as the appraiser (``manager_of``), each at its first step (self-assessment
    when the cycle asks for one, else the appraiser's scoring). Staff without a manager, whose post the form does
    not apply to, or already appraised on the form for the period are skipped (listed in the answer)."""
    _require(actor, "appraisals.add_appraisalcycle")
    _require(actor, MANAGE)
    name = (name or "").strip()
    if period_end is None and period_start is not None:
        period_end = period_end_for(period_kind, period_start)
    errors = {}
    if not name:
        errors["name"] = _("Name the cycle.")
    if not posts and not departments:
        errors["posts"] = _("Choose the posts or departments whose staff are appraised.")
    if errors:
        raise ValidationError(errors)
    _check_period(period_kind, period_start, period_end)
    _usable_version(form_version)
    if due_on is not None and due_on < period_start:
        raise ValidationError({"due_on": _("The due date cannot be before the period starts.")})
    with acting_as(actor):
        cycle = AppraisalCycle(name=name[:100], form_version=form_version, period_kind=period_kind,
                               period_start=period_start, period_end=period_end, self_assessment=bool(self_assessment),
                               due_on=due_on)
        cycle.full_clean()
        cycle.save()
        cycle.posts.set(posts)
        cycle.departments.set(departments)
        run = _populate(actor, cycle, cycle_staff(cycle))
        audit("appraisal_cycle.open", actor=actor, obj=cycle, created=len(run.created),
              skipped=[s.pk for s, _reason in run.skipped])
    _tell_started(run)
    return run


@transaction.atomic
def cycle_add_staff(*, actor, cycle: AppraisalCycle, staff=()) -> CycleRun:
    """Run the creation again (new staff in the selected posts and departments), or for the staff named in
    ``staff``: those who already have an appraisal in the cycle, or on the form for the period, are not added
    twice."""
    _require(actor, MANAGE)
    cycle = AppraisalCycle.objects.select_for_update().select_related("form_version__form").get(pk=cycle.pk)
    if cycle.status != CycleStatus.OPEN:
        raise ValidationError(_("This cycle is closed."))
    with acting_as(actor):
        run = _populate(actor, cycle, list(staff) if staff else cycle_staff(cycle))
        if run.created:
            audit("appraisal_cycle.add_staff", actor=actor, obj=cycle, created=[a.pk for a in run.created])
    _tell_started(run)
    return run


@transaction.atomic
def cycle_remind(*, actor, cycle: AppraisalCycle) -> int:
    """Remind the appraisers of the cycle's appraisals waiting for them (draft, scoring) and the appraisees of
    those waiting for theirs (self-assessment, acknowledgement not yet given). One reminder per person and day:
    a second run the same day sends nothing. Returns how many were sent."""
    _require(actor, MANAGE)
    cycle = AppraisalCycle.objects.select_for_update().get(pk=cycle.pk)
    if cycle.status != CycleStatus.OPEN:
        raise ValidationError(_("This cycle is closed."))
    waiting: dict[int, tuple] = {}
    rows = (cycle.appraisals.filter(state__in=OPEN_STATES)
            .select_related("appraiser__user", "appraisee__user"))
    for appraisal in rows:
        if appraisal.state in (S.DRAFT, S.SCORING):
            person = appraisal.appraiser
        elif appraisal.state == S.SELF_ASSESSMENT or appraisal.acknowledged_at is None:
            person = appraisal.appraisee
        else:
            continue  # acknowledged: waiting for the finalisation, not for this person
        user = _user(person)
        if user is not None:
            waiting.setdefault(user.pk, (user, []))[1].append(appraisal)
    today = timezone.localdate()
    sent = 0
    for user, appraisals in waiting.values():
        due = _(" (due %(date)s)") % {"date": f"{cycle.due_on:%Y-%m-%d}"} if cycle.due_on else ""
        sent += len(notify([user], key=f"appraisalcycle:{cycle.pk}:remind:{today:%Y%m%d}",
                           title=_("Appraisals waiting for you in %(cycle)s%(due)s") % {"cycle": cycle.name,
                                                                                       "due": due},
                           body="；".join(str(a) for a in appraisals[:20]),
                           url=appraisals[0].get_absolute_url() if len(appraisals) == 1 else cycle.get_absolute_url()))
    if sent:
        audit("appraisal_cycle.remind", actor=actor, obj=cycle, sent=sent)
    return sent


@transaction.atomic
def cycle_close(*, actor, cycle: AppraisalCycle) -> AppraisalCycle:
    """Close a cycle: no more staff added, no more reminders. Its appraisals still open can still be completed."""
    _require(actor, MANAGE)
    cycle = AppraisalCycle.objects.select_for_update().get(pk=cycle.pk)
    if cycle.status != CycleStatus.OPEN:
        raise ValidationError(_("This cycle is already closed."))
    with acting_as(actor):
        cycle.status = CycleStatus.CLOSED
        cycle.save()
        audit("appraisal_cycle.close", actor=actor, obj=cycle,
              still_open=cycle.appraisals.filter(state__in=OPEN_STATES).count())
    return cycle
