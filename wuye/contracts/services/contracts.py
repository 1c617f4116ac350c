"""The contract's own steps: draft, edit, review (submit, pass, return), sign, terminate, renew, attach a file."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wuye.core.audit import audit
from wuye.core.context import acting_as
from wuye.core.notifications import notify, permission_holders
from wuye.estates.choices import CommitteeStatus

from ..choices import (
    EDITABLE_STATUSES,
    LIVE_STATUSES,
    MANAGEMENT_KINDS,
    UNSIGNED_STATUSES,
    ContractKind,
    ContractStatus,
    PartyKind,
    ReviewResult,
)
from ..models import Contract, ContractFile, ContractReview, ReviewCheck, ReviewChecklistItem
from .common import (
    CHANGE,
    CONTRACT_FIELDS,
    LATE_FIELDS,
    REVIEW,
    SIGN,
    _in_scope,
    _locked,
    _require,
    _status_error,
)
from .dates import _apply_dates


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
    if contract.status in UNSIGNED_STATUSES:
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
