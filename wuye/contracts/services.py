"""Every workflow write of the contracts app (seed 2.10–2.14). Each service is atomic, checks the actor's
permission and estate scope, refuses bad input with a message in the user's language (nothing changed) and
writes an audit event.

The contract's life: draft → under review → review passed → signed → in force → expiring → expired, or
terminated, or superseded (a preliminary contract, on the day a service contract of its estate takes effect).
A review returned with comments puts the contract back to draft. Dates move a signed contract on: ``refresh``
(run daily by ``manage.py contracts_refresh``, and at once for the contract being signed) sets the status its
dates call for, supersedes preliminary contracts, closes renewal tasks and sends the expiry alerts.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from wuye.core.audit import audit
from wuye.core.context import acting_as
from wuye.core.notifications import notify, permission_holders
from wuye.core.scope import user_scope
from wuye.estates.choices import CommitteeStatus, EstateKind, EstateStatus
from wuye.estates.models import Estate

from .choices import (
    EDITABLE_STATUSES,
    IN_FORCE_STATUSES,
    LIVE_STATUSES,
    MANAGEMENT_KINDS,
    UNSIGNED_STATUSES,
    ContractKind,
    ContractStatus,
    PartyKind,
    RenewalState,
    ReviewResult,
)
from .models import (
    Contract,
    ContractAlert,
    ContractFile,
    ContractReview,
    RenewalTask,
    ReviewCheck,
    ReviewChecklistItem,
    Takeover,
)

CHANGE = "contracts.change_contract"
REVIEW = "contracts.review_contract"
SIGN = "contracts.sign_contract"
TAKEOVER = "contracts.record_takeover"

# What may be set on a contract (by the create and edit services, the forms and the API).
CONTRACT_FIELDS = ("number", "title", "kind", "estate", "party_kind", "party_name", "party_committee",
                   "party_customer", "valid_from", "valid_to", "amount", "payment_terms", "owner", "renews", "notes")
# What may still change once the contract has left the draft.
LATE_FIELDS = ("owner", "notes", "payment_terms")


def alert_days() -> tuple[int, ...]:
    """The expiry alert thresholds, largest first (``WUYE_CONTRACT_ALERT_DAYS``, default 90, 60, 30)."""
    days = sorted({int(d) for d in getattr(settings, "WUYE_CONTRACT_ALERT_DAYS", (90, 60, 30)) if int(d) > 0},
                  reverse=True)
    return tuple(days) or (30,)


def _require(actor, permission: str) -> None:
    if actor is None or not actor.has_perm(permission):
        raise PermissionDenied(_("You may not do this."))


def _in_scope(actor, estate_id: int | None) -> None:
    if estate_id is not None and not user_scope(actor).covers_estate(estate_id):
        raise PermissionDenied(_("You may not do this."))


def _locked(contract: Contract) -> Contract:
    return Contract.objects.select_for_update().get(pk=contract.pk)


def _status_error(contract: Contract):
    return ValidationError(_("A contract that is %(status)s cannot take this step.")
                           % {"status": contract.get_status_display()})


def next_number(today: dt.date | None = None) -> str:
    """HT-2026-0001: the year and the next free number of that year."""
    year = (today or timezone.localdate()).year
    prefix = f"HT-{year}-"
    taken = Contract.objects.filter(number__startswith=prefix).values_list("number", flat=True)
    numbers = [int(n[len(prefix):]) for n in taken if n[len(prefix):].isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1:04d}"


def _check_fields(fields: dict) -> None:
    unknown = set(fields) - set(CONTRACT_FIELDS)
    if unknown:
        raise TypeError(f"unknown contract fields: {sorted(unknown)}")


def _check_renews(contract: Contract) -> None:
    renews = contract.renews
    if renews is None:
        return
    if renews.pk == contract.pk:
        raise ValidationError({"renews": _("A contract cannot renew itself.")})
    if renews.estate_id != contract.estate_id:
        raise ValidationError({"renews": _("A contract renews only a contract of the same estate.")})


def overlapping(contract: Contract):
    """Signed, not-ended contracts of the same estate and management kind whose period meets this one's."""
    if contract.kind not in MANAGEMENT_KINDS or not contract.estate_id:
        return Contract.objects.none()
    return (Contract.objects.filter(estate_id=contract.estate_id, kind=contract.kind, status__in=LIVE_STATUSES,
                                    valid_from__lte=contract.valid_to, valid_to__gte=contract.valid_from)
            .exclude(pk=contract.pk))


def _check_overlap(contract: Contract) -> None:
    other = overlapping(contract).order_by("valid_from").first()
    if other is not None:
        raise ValidationError({"valid_from": _(
            "%(estate)s already has a %(kind)s in force for part of this period: %(number)s (%(start)s to "
            "%(end)s). Terminate it or change the dates.") % {
            "estate": contract.estate, "kind": contract.get_kind_display(), "number": other.number,
            "start": f"{other.valid_from:%Y-%m-%d}", "end": f"{other.valid_to:%Y-%m-%d}"}})


# --- the contract ----------------------------------------------------------------------------------------------


@transaction.atomic
def contract_create(*, actor, **fields) -> Contract:
    """A draft contract. Without ``number`` it is numbered HT-<year>-<next>."""
    _require(actor, "contracts.add_contract")
    _check_fields(fields)
    estate = fields.get("estate")
    _in_scope(actor, estate.pk if estate else None)
    number = (fields.pop("number", "") or "").strip() or next_number()
    with acting_as(actor):
        contract = Contract(number=number, **fields)
        contract.full_clean()
        _check_renews(contract)
        contract.save()
        audit("contract.create", actor=actor, obj=contract, estate_id=contract.estate_id, number=number,
              kind=contract.kind)
        return contract


@transaction.atomic
def contract_update(*, actor, contract: Contract, **fields) -> Contract:
    """Edit a draft; once it has gone to review only its owner, payment terms and notes change."""
    _require(actor, CHANGE)
    _check_fields(fields)
    _in_scope(actor, contract.estate_id)
    contract = _locked(contract)
    changed = {name for name, value in fields.items() if getattr(contract, name) != value}
    if contract.status not in EDITABLE_STATUSES and changed - set(LATE_FIELDS):
        raise ValidationError(_("Only a draft contract can be changed; a contract under review is returned to "
                                "draft by its reviewer."))
    if "estate" in changed:
        _in_scope(actor, fields["estate"].pk if fields["estate"] else None)
    for name in changed:
        setattr(contract, name, fields[name])
    with acting_as(actor):
        contract.full_clean()
        _check_renews(contract)
        contract.save()
        if changed:
            audit("contract.update", actor=actor, obj=contract, estate_id=contract.estate_id, fields=sorted(changed))
        return contract


@transaction.atomic
def contract_submit_review(*, actor, contract: Contract) -> ContractReview:
    """Draft → under review: a review round with the company's checklist as it stands today."""
    _require(actor, CHANGE)
    _in_scope(actor, contract.estate_id)
    contract = _locked(contract)
    if contract.status != ContractStatus.DRAFT:
        raise _status_error(contract)
    contract.full_clean()
    _check_overlap(contract)
    items = list(ReviewChecklistItem.objects.filter(is_active=True))
    if not items:
        raise ValidationError(_("The review checklist is empty: add the points to check first."))
    with acting_as(actor):
        review = ContractReview.objects.create(contract=contract, submitted_by=actor)
        ReviewCheck.objects.bulk_create([ReviewCheck(review=review, item=item, text=item.text,
                                                     sort_order=item.sort_order) for item in items])
        contract.status = ContractStatus.IN_REVIEW
        contract.save()
        audit("contract.submit_review", actor=actor, obj=contract, estate_id=contract.estate_id, review=review.pk)
    reviewers = [u for u in permission_holders(REVIEW) if u.pk != actor.pk]
    notify(reviewers, key=f"contract:{contract.pk}:review:{review.pk}",
           title=_("Contract to review: %(number)s") % {"number": contract.number},
           body=str(contract.title), url=contract.get_absolute_url())
    return review


def current_review(contract: Contract) -> ContractReview | None:
    return contract.reviews.order_by("-submitted_at", "-id").first()


def _decide(actor, contract: Contract, checks: dict) -> tuple[Contract, ContractReview, list[ReviewCheck]]:
    """The contract under review, its pending round and its points with the reviewer's answers applied
    (``checks``: {check id: True/False or {"passed": bool, "note": str}})."""
    _require(actor, REVIEW)
    _in_scope(actor, contract.estate_id)
    contract = _locked(contract)
    if contract.status != ContractStatus.IN_REVIEW:
        raise _status_error(contract)
    review = ContractReview.objects.select_for_update().filter(contract=contract,
                                                              result=ReviewResult.PENDING).order_by("-id").first()
    if review is None:  # pragma: no cover - a contract under review always has its pending round
        raise _status_error(contract)
    if actor.pk in (review.submitted_by_id, contract.created_by_id):
        raise ValidationError(_("A contract is reviewed by someone other than the one who drafted or submitted "
                                "it."))
    rows = list(review.checks.all())
    by_pk = {row.pk: row for row in rows}
    try:
        answers = {int(pk): answer for pk, answer in checks.items()}
    except (TypeError, ValueError):
        raise ValidationError({"checks": _("Name each point by its number.")}) from None
    unknown = set(answers) - set(by_pk)
    if unknown:
        raise ValidationError({"checks": _("These points are not part of this review: %(ids)s")
                               % {"ids": ", ".join(map(str, sorted(unknown)))}})
    for pk, answer in answers.items():
        passed, note = (answer, "") if not isinstance(answer, dict) else (answer.get("passed"), answer.get("note"))
        by_pk[pk].passed = None if passed is None else bool(passed)
        by_pk[pk].note = str(note or "")[:300]
    return contract, review, rows


def _finish_review(actor, contract, review, rows, result, comments):
    with acting_as(actor):
        ReviewCheck.objects.bulk_update(rows, ["passed", "note"])
        review.result = result
        review.reviewer = actor
        review.decided_at = timezone.now()
        review.comments = comments
        review.save()
        contract.status = ContractStatus.REVIEWED if result == ReviewResult.PASSED else ContractStatus.DRAFT
        contract.save()
        audit(f"contract.review_{result}", actor=actor, obj=contract, estate_id=contract.estate_id,
              review=review.pk)
    owner = contract.owner.user if contract.owner_id and contract.owner.user_id else None
    notify([u for u in (owner, review.submitted_by) if u is not None and u.pk != actor.pk],
           key=f"contract:{contract.pk}:review:{review.pk}:{result}",
           title=(_("Contract review passed: %(number)s") if result == ReviewResult.PASSED
                  else _("Contract returned by its reviewer: %(number)s")) % {"number": contract.number},
           body=comments, url=contract.get_absolute_url())
    return review


@transaction.atomic
def contract_pass_review(*, actor, contract: Contract, checks: dict | None = None,
                         comments: str = "") -> ContractReview:
    """The reviewer confirms that every checklist point holds (content, term and signatories valid, the
    company's interest served, the law complied with) → review passed."""
    contract, review, rows = _decide(actor, contract, checks or {})
    missing = [row.text for row in rows if row.passed is not True]
    if missing:
        raise ValidationError({"checks": _("A review passes only when every point holds. Not confirmed: "
                                           "%(points)s. Return the contract with comments instead.")
                               % {"points": "；".join(missing)}})
    return _finish_review(actor, contract, review, rows, ReviewResult.PASSED, (comments or "").strip())


@transaction.atomic
def contract_return_review(*, actor, contract: Contract, comments: str, checks: dict | None = None
                           ) -> ContractReview:
    """The reviewer sends the contract back to draft with what must change."""
    if not (comments or "").strip():
        raise ValidationError({"comments": _("Say what must change.")})
    contract, review, rows = _decide(actor, contract, checks or {})
    return _finish_review(actor, contract, review, rows, ReviewResult.FAILED, comments.strip())


@transaction.atomic
def contract_sign(*, actor, contract: Contract, signed_on: dt.date | None = None) -> Contract:
    """Review passed → signed (seed 2.12): only after a passed review, never overlapping another signed contract
    of the same kind for the estate. It comes into force at once when its period has begun."""
    _require(actor, SIGN)
    _in_scope(actor, contract.estate_id)
    contract = _locked(contract)
    today = timezone.localdate()
    signed_on = signed_on or today
    if contract.status in (ContractStatus.DRAFT, ContractStatus.IN_REVIEW):
        raise ValidationError(_("A contract is signed only after its review has passed."))
    if contract.status != ContractStatus.REVIEWED:
        raise _status_error(contract)
    review = current_review(contract)
    if review is None or review.result != ReviewResult.PASSED:  # pragma: no cover - REVIEWED implies it
        raise ValidationError(_("A contract is signed only after its review has passed."))
    if signed_on > today:
        raise ValidationError({"signed_on": _("The signing date cannot be in the future.")})
    if signed_on > contract.valid_to:
        raise ValidationError({"signed_on": _("A contract cannot be signed after its period has ended.")})
    _check_overlap(contract)
    with acting_as(actor):
        contract.status = ContractStatus.SIGNED
        contract.signed_on = signed_on
        contract.save()
        audit("contract.sign", actor=actor, obj=contract, estate_id=contract.estate_id, signed_on=str(signed_on))
        _apply_dates(contract, today)
    return contract


@transaction.atomic
def contract_terminate(*, actor, contract: Contract, ended_on: dt.date | None = None, reason: str) -> Contract:
    """A signed contract ends early (terminated), with the date and the reason. It stays in the register."""
    _require(actor, SIGN)
    _in_scope(actor, contract.estate_id)
    contract = _locked(contract)
    ended_on = ended_on or timezone.localdate()
    if contract.status not in LIVE_STATUSES:
        raise _status_error(contract)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the contract ends.")})
    if ended_on < (contract.signed_on or contract.valid_from):
        raise ValidationError({"ended_on": _("A contract cannot end before it was signed.")})
    with acting_as(actor):
        contract.status = ContractStatus.TERMINATED
        contract.ended_on = ended_on
        contract.end_reason = reason.strip()[:200]
        contract.save()
        audit("contract.terminate", actor=actor, obj=contract, estate_id=contract.estate_id,
              ended_on=str(ended_on), reason=contract.end_reason)
    return contract


def renewal_defaults(contract: Contract) -> dict:
    """What a renewal of ``contract`` starts from: the next period; for a preliminary contract of an estate whose
    owners' committee is in office, a service contract with that committee."""
    length = contract.valid_to - contract.valid_from
    start = contract.valid_to + dt.timedelta(days=1)
    defaults = {"title": contract.title, "kind": contract.kind, "estate": contract.estate,
                "party_kind": contract.party_kind, "party_name": contract.party_name,
                "party_committee": contract.party_committee, "party_customer": contract.party_customer,
                "valid_from": start, "valid_to": start + length, "amount": contract.amount,
                "payment_terms": contract.payment_terms, "owner": contract.owner, "renews": contract}
    if contract.kind == ContractKind.PRELIMINARY and contract.estate_id:
        committee = contract.estate.committees.filter(status=CommitteeStatus.ACTIVE).first()
        if committee is not None:
            defaults.update(kind=ContractKind.SERVICE, party_kind=PartyKind.COMMITTEE, party_committee=committee,
                            party_customer=None, party_name=str(committee)[:200],
                            valid_from=max(timezone.localdate(), contract.valid_from))
            defaults["valid_to"] = defaults["valid_from"] + length
            defaults["title"] = _("Property-management service contract of %(estate)s") % {
                "estate": contract.estate}
    return defaults


@transaction.atomic
def contract_renew(*, actor, contract: Contract, **fields) -> Contract:
    """续签: a new draft that renews (or replaces) ``contract``, for the same estate."""
    _require(actor, "contracts.add_contract")
    _in_scope(actor, contract.estate_id)
    if contract.status in (ContractStatus.DRAFT, ContractStatus.IN_REVIEW, ContractStatus.REVIEWED):
        raise ValidationError(_("Only a signed contract is renewed; this one can still be edited."))
    if "estate" in fields and getattr(fields["estate"], "pk", None) != contract.estate_id:
        raise ValidationError({"estate": _("A contract renews only a contract of the same estate.")})
    if fields.get("renews") not in (None, contract):
        raise ValidationError({"renews": _("A contract renews only a contract of the same estate.")})
    values = renewal_defaults(contract)
    values.update(fields)
    values["estate"], values["renews"] = contract.estate, contract
    renewal = contract_create(actor=actor, **values)
    audit("contract.renew", actor=actor, obj=contract, estate_id=contract.estate_id, renewal=renewal.pk)
    return renewal


@transaction.atomic
def contract_add_file(*, actor, contract: Contract, upload) -> ContractFile:
    """A scanned or electronic copy of the contract: checked like a document's file (type by content, size),
    kept with its checksum and extracted text; files are never removed."""
    from wuye.documents.files import inspect_upload

    _require(actor, "contracts.add_contractfile")
    _in_scope(actor, contract.estate_id)
    contract = _locked(contract)
    info = inspect_upload(upload)
    with acting_as(actor):
        stored = ContractFile(contract=contract)
        stored.store(upload, info)
        audit("contract.file", actor=actor, obj=contract, estate_id=contract.estate_id, name=stored.name,
              sha256=stored.sha256)
    from wuye.core.search import index_object

    index_object(contract)
    return stored


# --- takeovers (seed 2.10, 2.11) -------------------------------------------------------------------------------


def takeover_rule(estate: Estate) -> tuple[str, tuple[str, ...], str]:
    """Seed 2.10 / 2.11: the contract kind and counterparties a takeover of ``estate`` needs, and the rule said in
    the user's language."""
    if estate.kind == EstateKind.NEW_BUILD:
        return (ContractKind.PRELIMINARY, (PartyKind.DEVELOPER, PartyKind.PROPERTY_OWNER), _(
            "A new-build estate is taken over only with a signed preliminary property-management contract in force "
            "with its developer or property owner (seed 2.10)."))
    return (ContractKind.SERVICE, (PartyKind.COMMITTEE, PartyKind.PROPERTY_OWNER), _(
        "An existing estate is taken over only with a signed property-management service contract in force with "
        "its owners' committee or property owner (seed 2.11)."))


def takeover_contracts(estate: Estate, *, on: dt.date | None = None):
    """The contracts that allow taking ``estate`` over on the day ``on`` (default today), newest first: of the
    kind and counterparty the rule requires, signed by then, and in force that day (its period covers the day and
    it had not been terminated or superseded before it)."""
    kind, parties, _rule = takeover_rule(estate)
    on = on or timezone.localdate()
    return (Contract.objects.filter(estate=estate, kind=kind, party_kind__in=parties, signed_on__lte=on,
                                    valid_from__lte=on, valid_to__gte=on)
            .exclude(status__in=UNSIGNED_STATUSES).filter(Q(ended_on__isnull=True) | Q(ended_on__gt=on))
            .order_by("-valid_from", "-pk"))


def takeover_basis(estate: Estate, *, on: dt.date | None = None) -> tuple[Contract | None, str]:
    """The contract that allows taking ``estate`` over on ``on`` (today), or None and the rule it fails."""
    contract = takeover_contracts(estate, on=on).first()
    return contract, ("" if contract else str(takeover_rule(estate)[2]))


@transaction.atomic
def takeover_record(*, actor, estate: Estate, taken_over_on: dt.date | None = None, contract: Contract | None = None,
                    notes: str = "") -> Takeover:
    """接管: record that the company took ``estate`` over on ``taken_over_on`` (today); it becomes managed from
    that day. Refused without the contract the rules require, signed and in force on that day (``takeover_rule``);
    ``contract`` names which one when several qualify. An estate managed since before the system has no takeover
    on record: its takeover may be recorded afterwards, on the same rule. An estate is taken over once (again only
    after it has exited)."""
    _require(actor, TAKEOVER)
    _in_scope(actor, estate.pk)
    estate = Estate.objects.select_for_update().get(pk=estate.pk)
    taken_over_on = taken_over_on or timezone.localdate()
    if taken_over_on > timezone.localdate():
        raise ValidationError({"taken_over_on": _("A takeover is recorded once it has happened.")})
    last = estate.takeovers.order_by("-taken_over_on", "-pk").first()
    if estate.status == EstateStatus.MANAGED and last is not None:
        raise ValidationError(_("%(estate)s is already managed: its takeover is on record.") % {"estate": estate})
    if last is not None and taken_over_on <= last.taken_over_on:
        raise ValidationError({"taken_over_on": _("The estate's last takeover was on %(date)s: a new one comes "
                                                  "after it.") % {"date": f"{last.taken_over_on:%Y-%m-%d}"}})
    allowed = takeover_contracts(estate, on=taken_over_on)
    basis = allowed.filter(pk=contract.pk).first() if contract is not None else allowed.first()
    if basis is None:
        rule = str(takeover_rule(estate)[2])
        if taken_over_on != timezone.localdate() and takeover_contracts(estate).exists():
            raise ValidationError({"taken_over_on": _("On %(date)s no such contract was signed and in force yet. "
                                                      "%(rule)s") % {"date": f"{taken_over_on:%Y-%m-%d}",
                                                                     "rule": rule}})
        if contract is not None and allowed.exists():
            raise ValidationError({"contract": _("This contract does not allow the takeover. %(rule)s")
                                   % {"rule": rule}})
        raise ValidationError(rule)
    with acting_as(actor):
        takeover = Takeover(estate=estate, contract=basis, taken_over_on=taken_over_on, notes=notes)
        takeover.full_clean()
        takeover.save()
        estate.status = EstateStatus.MANAGED
        estate.managed_since = taken_over_on
        estate.save()
        audit("estate.takeover", actor=actor, obj=estate, estate_id=estate.pk, contract=basis.number,
              taken_over_on=str(taken_over_on))
        return takeover


# --- renewal tasks (seed 2.10: the committee is formed, the contract is renewed with it) -------------------------


def _preliminary_in_force(estate_id: int):
    return Contract.objects.filter(estate_id=estate_id, kind=ContractKind.PRELIMINARY,
                                   status__in=LIVE_STATUSES).order_by("-valid_from").first()


def renewal_open(*, committee, actor=None) -> RenewalTask | None:
    """Open the renewal task for ``committee``'s estate when it runs on a preliminary contract and has no service
    contract in force with the committee; at most one open task per estate. Returns the task opened, if any."""
    if committee.status != CommitteeStatus.ACTIVE:
        return None
    preliminary = _preliminary_in_force(committee.estate_id)
    if preliminary is None:
        return None
    served = Contract.objects.filter(estate_id=committee.estate_id, kind=ContractKind.SERVICE,
                                     party_committee=committee, status__in=IN_FORCE_STATUSES).exists()
    if served or RenewalTask.objects.filter(estate_id=committee.estate_id, state=RenewalState.OPEN).exists():
        return None
    with acting_as(actor):
        task = RenewalTask(estate_id=committee.estate_id, contract=preliminary, committee=committee)
        task.full_clean()
        task.save()
        audit("contract.renewal_open", actor=actor, obj=preliminary, estate_id=committee.estate_id,
              committee=committee.pk, task=task.pk)
    recipients = permission_holders("contracts.change_contract")
    if preliminary.owner_id and preliminary.owner.user_id:
        recipients.append(preliminary.owner.user)
    notify(recipients, key=f"contract:renewal:{task.pk}", level="warning",
           title=_("Renew with the owners' committee: %(estate)s") % {"estate": preliminary.estate},
           body=_("%(committee)s has been formed; %(number)s is a preliminary contract. Sign a service contract "
                  "with the committee.") % {"committee": committee, "number": preliminary.number},
           url=preliminary.get_absolute_url())
    return task


@transaction.atomic
def renewal_cancel(*, actor, task: RenewalTask, reason: str) -> RenewalTask:
    """An open renewal task that no longer applies (the committee was dissolved, the estate exited)."""
    _require(actor, "contracts.change_renewaltask")
    _in_scope(actor, task.estate_id)
    task = RenewalTask.objects.select_for_update().get(pk=task.pk)
    if task.state != RenewalState.OPEN:
        raise ValidationError(_("This renewal task is already closed."))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the task is cancelled.")})
    with acting_as(actor):
        task.state = RenewalState.CANCELLED
        task.closed_on = timezone.localdate()
        task.note = reason.strip()[:200]
        task.save()
        audit("contract.renewal_cancel", actor=actor, obj=task.contract, estate_id=task.estate_id, task=task.pk)
    return task


# --- dates: status, supersession, alerts ---------------------------------------------------------------------


def status_on(contract: Contract, today: dt.date) -> str:
    """The status the dates call for, for a signed contract that has not been terminated or superseded."""
    if today > contract.valid_to:
        return ContractStatus.EXPIRED
    if today < contract.valid_from:
        return ContractStatus.SIGNED
    if (contract.valid_to - today).days <= alert_days()[0]:
        return ContractStatus.EXPIRING
    return ContractStatus.IN_FORCE


def _apply_dates(contract: Contract, today: dt.date) -> bool:
    """Move one live contract to the status its dates call for; a service contract taking effect supersedes the
    estate's preliminary contracts and closes its renewal task. Returns whether anything changed."""
    new = status_on(contract, today)
    if new == contract.status:
        return False
    took_effect = contract.status == ContractStatus.SIGNED and new != ContractStatus.SIGNED
    old = contract.status
    contract.status = new
    contract.save()
    audit("contract.status", obj=contract, estate_id=contract.estate_id, old=old, new=new, on=str(today))
    if took_effect and contract.kind == ContractKind.SERVICE and contract.estate_id:
        _supersede_preliminary(contract, today)
    return True


def _supersede_preliminary(service: Contract, today: dt.date) -> None:
    for preliminary in Contract.objects.select_for_update().filter(
            estate_id=service.estate_id, kind=ContractKind.PRELIMINARY, status__in=LIVE_STATUSES):
        preliminary.status = ContractStatus.SUPERSEDED
        preliminary.ended_on = max(service.valid_from, preliminary.valid_from)
        preliminary.end_reason = (_("Superseded by %(number)s") % {"number": service.number})[:200]
        preliminary.save()
        audit("contract.supersede", obj=preliminary, estate_id=service.estate_id, by=service.number)
    tasks = RenewalTask.objects.select_for_update().filter(estate_id=service.estate_id, state=RenewalState.OPEN)
    if service.party_kind == PartyKind.COMMITTEE:
        tasks = tasks.filter(Q(committee_id=service.party_committee_id) | Q(committee__status=CommitteeStatus.ENDED))
    for task in tasks:
        task.state = RenewalState.DONE
        task.closed_on = today
        task.new_contract = service
        task.save()
        audit("contract.renewal_done", obj=task.contract, estate_id=task.estate_id, task=task.pk,
              by=service.number)


def _alert(contract: Contract, today: dt.date, managers: list, *, email: bool = True) -> int:
    """Record every threshold the contract has reached; tell its owner and the managers of the nearest one
    newly reached (a contract signed 45 days before its end gets the 60-day alert once, not 90 and 60)."""
    days_left = (contract.valid_to - today).days
    reached = [d for d in alert_days() if days_left <= d]
    if not reached or days_left < 0:
        return 0
    done = set(contract.alerts.values_list("days_before", flat=True))
    new = [d for d in reached if d not in done]
    if not new:
        return 0
    nearest = min(new)
    owner = contract.owner.user if contract.owner_id and contract.owner.user_id else None
    recipients = [u for u in (*managers, owner) if u is not None]
    sent = notify(recipients, key=f"contract:{contract.pk}:expiry:{nearest}", level="warning", email=email,
                  title=_("Contract ends in %(days)s days: %(number)s") % {"days": days_left,
                                                                         "number": contract.number},
                  body=_("%(title)s (%(party)s) is valid until %(end)s.") % {
                      "title": contract.title, "party": contract.party_name, "end": f"{contract.valid_to:%Y-%m-%d}"},
                  url=contract.get_absolute_url())
    ContractAlert.objects.bulk_create([ContractAlert(contract=contract, days_before=d,
                                                     recipients=len(sent) if d == nearest else 0) for d in new],
                                      ignore_conflicts=True)
    return len(sent)


def refresh(*, today: dt.date | None = None, email: bool = True) -> dict:
    """The daily job (idempotent): statuses by date, supersession of preliminary contracts, renewal tasks for
    committees formed before a preliminary contract was signed, and expiry alerts to each contract's owner and
    the managers (in-app, and by email unless ``email`` is false: the demo data's). Returns what it did."""
    today = today or timezone.localdate()
    counts = {"status": 0, "alerts": 0, "renewals": 0}
    live = Contract.objects.filter(status__in=LIVE_STATUSES).order_by("valid_from", "pk")
    with transaction.atomic():
        # signed service contracts first, so a preliminary they supersede does not expire the same day
        for contract in live.select_for_update().filter(kind=ContractKind.SERVICE):
            counts["status"] += _apply_dates(contract, today)
        for contract in live.select_for_update().exclude(kind=ContractKind.SERVICE):
            counts["status"] += _apply_dates(contract, today)
    from wuye.estates.models import OwnersCommittee

    for committee in OwnersCommittee.objects.filter(
            status=CommitteeStatus.ACTIVE, estate__contracts__kind=ContractKind.PRELIMINARY,
            estate__contracts__status__in=LIVE_STATUSES).distinct():
        with transaction.atomic():
            counts["renewals"] += renewal_open(committee=committee) is not None
    managers = permission_holders("contracts.receive_contract_alerts")
    for contract in Contract.objects.filter(status__in=LIVE_STATUSES, valid_to__lte=today + dt.timedelta(
            days=alert_days()[0])).select_related("owner__user"):
        with transaction.atomic():
            counts["alerts"] += _alert(contract, today, managers, email=email)
    return counts
