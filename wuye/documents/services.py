"""Every workflow write of the documents app: numbering, revisions (draft → review → approved → issued →
superseded), withdrawal, loans, grants and custodian handovers. Each service is atomic, checks the actor's
permission, refuses bad input with a message in the user's language and writes an audit event.
"""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wuye.core.audit import audit
from wuye.core.context import acting_as
from wuye.core.notifications import notify, permission_holders
from wuye.core.querysets import restrict
from wuye.core.scope import user_scope

from .choices import DocumentStatus, HandoverState, LoanMedium, LoanState, RevisionState
from .models import (
    Document,
    DocumentCategory,
    DocumentGrant,
    Handover,
    HandoverItem,
    Loan,
    Regulation,
    Revision,
    RevisionFile,
)
from .selectors import custody_of, paper_conflicts

ISSUE = "documents.issue_document"
DECIDE = "documents.decide_loan"
HANDOVER = "documents.manage_handover"


def _require(actor, permission: str) -> None:
    if actor is None or not actor.has_perm(permission):
        raise PermissionDenied(_("You may not do this."))


def _visible(actor, document: Document, action: str = "view") -> None:
    """The actor must be allowed to see (or change) the document; otherwise it does not exist for them."""
    if not restrict(Document.objects.filter(pk=document.pk), actor, action).exists():
        raise PermissionDenied(_("You may not do this."))


def _locked(model, pk):
    return model.objects.select_for_update().get(pk=pk)


# --- the register ---------------------------------------------------------------------------------------------

DOCUMENT_FIELDS = ("title", "department", "custodian", "confidentiality", "retention_years", "review_by",
                   "location", "estate", "building", "unit", "customer", "description", "keywords")


@transaction.atomic
def document_create(*, actor, category: DocumentCategory, title: str, code: str = "", **fields) -> Document:
    """Register a document. Without ``code`` it is numbered by the category's rule (``WY-QP-7.5-001``)."""
    _require(actor, "documents.add_document")
    unknown = set(fields) - set(DOCUMENT_FIELDS)
    if unknown:
        raise TypeError(f"unknown document fields: {sorted(unknown)}")
    category = _locked(DocumentCategory, category.pk)
    if not category.is_active:
        raise ValidationError({"category": _("This category is no longer in use.")})
    estate = fields.get("estate")
    if estate is not None and not user_scope(actor).covers_estate(estate.pk):
        raise PermissionDenied(_("You may not do this."))
    code = (code or "").strip()
    if not code:
        while True:  # skip numbers taken by hand-entered codes
            code = category.format_code(category.next_number)
            category.next_number += 1
            if not Document.objects.filter(code=code).exists():
                break
        category.save(update_fields=["next_number", "updated_at"])
    fields.setdefault("confidentiality", category.default_confidentiality)
    if fields.get("retention_years") is None:
        fields["retention_years"] = category.retention_years
    with acting_as(actor):
        document = Document(code=code, title=title, category=category, **fields)
        document.full_clean()
        document.save()
        audit("document.create", actor=actor, obj=document, code=code)
        return document


@transaction.atomic
def document_update(*, actor, document: Document, **fields) -> Document:
    """Change the register entry (not the custodian of a document that has one: that is a handover)."""
    _require(actor, "documents.change_document")
    _visible(actor, document, "change")
    document = _locked(Document, document.pk)
    if document.is_obsolete:
        raise ValidationError(_("An obsolete document is kept as it was withdrawn."))
    unknown = set(fields) - set(DOCUMENT_FIELDS)
    if unknown:
        raise TypeError(f"unknown document fields: {sorted(unknown)}")
    new_custodian = fields.get("custodian", document.custodian)
    if "custodian" in fields and document.custodian_id and getattr(new_custodian, "pk", None) != \
            document.custodian_id:
        raise ValidationError({"custodian": _("The custodian changes through a handover.")})
    changed = {}
    for name, value in fields.items():
        if getattr(document, name) != value:
            changed[name] = str(value)
            setattr(document, name, value)
    with acting_as(actor):
        document.full_clean()
        document.save()
        if changed:
            audit("document.update", actor=actor, obj=document, fields=sorted(changed))
        return document


@transaction.atomic
def document_obsolete(*, actor, document: Document, reason: str) -> Document:
    """作废: withdraw a document. It stays in the register and the withdrawal register, marked obsolete."""
    _require(actor, ISSUE)
    _visible(actor, document)
    document = _locked(Document, document.pk)
    if document.is_obsolete:
        raise ValidationError(_("This document is already obsolete."))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the document is withdrawn.")})
    now = timezone.now()
    with acting_as(actor):
        for revision in document.revisions.filter(state=RevisionState.ISSUED):
            revision.state = RevisionState.OBSOLETE
            revision.superseded_at = now
            revision.save()
        for revision in document.revisions.filter(state__in=(RevisionState.DRAFT, RevisionState.IN_REVIEW,
                                                             RevisionState.APPROVED)):
            revision.state = RevisionState.OBSOLETE
            revision.save()
        document.status = DocumentStatus.OBSOLETE
        document.obsoleted_at = now
        document.obsolete_reason = reason.strip()[:200]
        document.save()
        audit("document.obsolete", actor=actor, obj=document, reason=document.obsolete_reason)
        return document


# --- revisions ------------------------------------------------------------------------------------------------

_MARK = re.compile(r"^([A-Z])/(\d+)$")


def next_mark(document: Document, *, major: bool = False) -> str:
    """A/0 first; then A/1, A/2 … (a change) or B/0 (a new edition)."""
    marks = [m for m in document.revisions.values_list("mark", flat=True) if _MARK.match(m)]
    if not marks:
        return "A/0"
    letter, number = max((_MARK.match(m).group(1), int(_MARK.match(m).group(2))) for m in marks)
    if major:
        if letter == "Z":
            raise ValidationError(_("No edition letter after Z: give the revision mark by hand."))
        return f"{chr(ord(letter) + 1)}/0"
    return f"{letter}/{number + 1}"


@transaction.atomic
def revision_create(*, actor, document: Document, change_description: str = "", major: bool = False,
                    mark: str = "", files=()) -> Revision:
    """A new draft revision with its files. One revision is worked on at a time."""
    _require(actor, "documents.add_revision")
    _visible(actor, document, "change")
    document = _locked(Document, document.pk)
    if document.is_obsolete:
        raise ValidationError(_("An obsolete document gets no new revisions."))
    if document.revisions.filter(state__in=(RevisionState.DRAFT, RevisionState.IN_REVIEW,
                                            RevisionState.APPROVED)).exists():
        raise ValidationError(_("This document already has a revision being worked on: issue or withdraw it "
                                "first."))
    mark = (mark or "").strip().upper() or next_mark(document, major=major)
    if not _MARK.match(mark):
        raise ValidationError({"mark": _("A revision mark looks like A/0, A/1 or B/0.")})
    if document.revisions.filter(mark=mark).exists():
        raise ValidationError({"mark": _("This document already has a revision with this mark.")})
    from .files import inspect_upload

    checked = [(upload, inspect_upload(upload)) for upload in files]  # every file checked before any is kept
    with acting_as(actor):
        revision = Revision(document=document, mark=mark, change_description=change_description, author=actor)
        revision.full_clean()
        revision.save()
        for upload, info in checked:
            _store_file(revision, upload, info)
        audit("revision.create", actor=actor, obj=revision, mark=mark, files=len(checked))
        return revision


def _store_file(revision: Revision, upload, info) -> RevisionFile:
    stored = RevisionFile(revision=revision)
    stored.store(upload, info)
    return stored


@transaction.atomic
def revision_add_file(*, actor, revision: Revision, upload) -> RevisionFile:
    _require(actor, "documents.add_revisionfile")
    _visible(actor, revision.document, "change")
    revision = _locked(Revision, revision.pk)
    if revision.state != RevisionState.DRAFT:
        raise ValidationError(_("Files are added to a draft revision only."))
    from .files import inspect_upload

    info = inspect_upload(upload)
    with acting_as(actor):
        stored = _store_file(revision, upload, info)
        audit("revision.file", actor=actor, obj=revision, name=stored.name, sha256=stored.sha256)
        return stored


def _step(actor, revision: Revision, sources, permission: str) -> Revision:
    _require(actor, permission)
    _visible(actor, revision.document)
    revision = _locked(Revision, revision.pk)
    if revision.state not in sources:
        raise ValidationError(_("A revision that is %(state)s cannot take this step.")
                              % {"state": revision.get_state_display()})
    return revision


@transaction.atomic
def revision_submit(*, actor, revision: Revision) -> Revision:
    """Draft → in review (it must have at least one file)."""
    revision = _step(actor, revision, (RevisionState.DRAFT,), "documents.change_revision")
    if not revision.files.exists():
        raise ValidationError(_("Attach the revision's file before submitting it for review."))
    with acting_as(actor):
        revision.state = RevisionState.IN_REVIEW
        revision.submitted_at = timezone.now()
        revision.save()
        audit("revision.submit", actor=actor, obj=revision)
        return revision


@transaction.atomic
def revision_approve(*, actor, revision: Revision) -> Revision:
    """In review → approved, by someone other than its author."""
    revision = _step(actor, revision, (RevisionState.IN_REVIEW,), ISSUE)
    if revision.author_id == actor.pk:
        raise ValidationError(_("A revision is approved by someone other than its author."))
    with acting_as(actor):
        revision.state = RevisionState.APPROVED
        revision.approver = actor
        revision.reviewer = revision.reviewer or actor
        revision.approved_at = timezone.now()
        revision.save()
        audit("revision.approve", actor=actor, obj=revision)
        return revision


@transaction.atomic
def revision_reject(*, actor, revision: Revision, reason: str) -> Revision:
    """In review → back to draft, with the reason."""
    revision = _step(actor, revision, (RevisionState.IN_REVIEW,), ISSUE)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say what must change.")})
    with acting_as(actor):
        revision.state = RevisionState.DRAFT
        revision.reviewer = actor
        revision.save()
        audit("revision.reject", actor=actor, obj=revision, reason=reason.strip())
        return revision


@transaction.atomic
def revision_issue(*, actor, revision: Revision, effective_on: dt.date | None = None) -> Revision:
    """Approved → issued: it becomes the document's current revision; the one before is superseded."""
    _require(actor, ISSUE)
    _visible(actor, revision.document)
    revision = _locked(Revision, revision.pk)
    if revision.state in (RevisionState.DRAFT, RevisionState.IN_REVIEW):
        raise ValidationError(_("Only an approved revision can be issued."))
    if revision.state != RevisionState.APPROVED:
        raise ValidationError(_("A revision that is %(state)s cannot take this step.")
                              % {"state": revision.get_state_display()})
    document = _locked(Document, revision.document_id)
    if document.is_obsolete:
        raise ValidationError(_("An obsolete document gets no new revisions."))
    now = timezone.now()
    with acting_as(actor):
        for old in document.revisions.filter(state=RevisionState.ISSUED):
            old.state = RevisionState.SUPERSEDED
            old.superseded_at = now
            old.save()
        revision.state = RevisionState.ISSUED
        revision.issued_at = now
        revision.effective_on = effective_on or timezone.localdate()
        revision.save()
        document.current_revision = revision
        document.status = DocumentStatus.CURRENT
        document.save()
        audit("revision.issue", actor=actor, obj=revision, document=document.code)
        return revision


# --- access: grants and loans ---------------------------------------------------------------------------------


@transaction.atomic
def grant_create(*, actor, document: Document, user, until=None, reason: str = "") -> DocumentGrant:
    _require(actor, "documents.add_documentgrant")
    _visible(actor, document)
    if until is not None and until <= timezone.now():
        raise ValidationError({"until": _("This time has already passed.")})
    with acting_as(actor):
        grant = DocumentGrant(document=document, user=user, until=until, reason=reason)
        grant.full_clean()
        grant.save()
        audit("document.grant", actor=actor, obj=document, user=user.pk, until=str(until or ""))
        return grant


@transaction.atomic
def grant_end(*, actor, grant: DocumentGrant) -> DocumentGrant:
    """A grant is ended, not deleted: the record of who could open the document stays."""
    _require(actor, "documents.change_documentgrant")
    grant = _locked(DocumentGrant, grant.pk)
    now = timezone.now()
    if grant.until is not None and grant.until <= now:
        raise ValidationError(_("This access has already ended."))
    with acting_as(actor):
        grant.until = now
        grant.save()
        audit("document.grant_end", actor=actor, obj=grant.document, user=grant.user_id)
        return grant


def may_decide(actor, document: Document) -> bool:
    """The document controller (``decide_loan``) or the document's custodian."""
    return actor.has_perm(DECIDE) or (document.custodian_id is not None and document.custodian.user_id == actor.pk)


@transaction.atomic
def loan_request(*, actor, document: Document, purpose: str, medium: str, starts_at, ends_at) -> Loan:
    """Ask to borrow a document (found by its code: a confidential one is not listed to the asker)."""
    _require(actor, "documents.add_loan")
    now = timezone.now()
    errors = {}
    if not (purpose or "").strip():
        errors["purpose"] = _("Say what the document is needed for.")
    if medium not in LoanMedium.values:
        errors["medium"] = _("Choose electronic or paper.")
    if ends_at <= now:
        errors["ends_at"] = _("This period has already ended.")
    elif ends_at <= starts_at:
        errors["ends_at"] = _("A loan must end after it starts.")
    if document.is_obsolete:
        errors["document"] = _("An obsolete document is not lent.")
    if errors:
        raise ValidationError(errors)
    if document.estate_id is not None and not user_scope(actor).covers_estate(document.estate_id):
        raise PermissionDenied(_("You may not do this."))
    with acting_as(actor):
        loan = Loan(document=document, borrower=actor, purpose=purpose.strip(), medium=medium,
                    starts_at=max(starts_at, now - dt.timedelta(minutes=5)), ends_at=ends_at)
        loan.full_clean()
        loan.save()
        audit("loan.request", actor=actor, obj=document, loan=loan.pk, medium=medium)
        _tell_deciders(loan)
        return loan


def _tell_deciders(loan: Loan) -> None:
    deciders = permission_holders(DECIDE)
    if loan.document.custodian_id and loan.document.custodian.user_id:
        deciders.append(loan.document.custodian.user)
    notify([u for u in deciders if u.pk != loan.borrower_id], key=f"loan:{loan.pk}:request",
           title=_("Loan request: %(code)s") % {"code": loan.document.code},
           body=_("%(user)s asks to borrow it: %(purpose)s") % {"user": loan.borrower, "purpose": loan.purpose},
           url=loan.get_absolute_url())


def _loan_step(actor, loan: Loan, sources) -> Loan:
    loan = Loan.objects.select_for_update(of=("self",)).select_related("document__custodian").get(pk=loan.pk)
    if loan.state not in sources:
        raise ValidationError(_("A loan that is %(state)s cannot take this step.") % {"state": loan.display_state()})
    return loan


@transaction.atomic
def loan_approve(*, actor, loan: Loan) -> Loan:
    """Approve a request (not one's own). An electronic loan is lent at once; a paper one waits to be handed
    out. Two paper loans of the same document may not overlap."""
    loan = _loan_step(actor, loan, (LoanState.REQUESTED,))
    if not may_decide(actor, loan.document):
        raise PermissionDenied(_("You may not do this."))
    if loan.borrower_id == actor.pk:
        raise ValidationError(_("You cannot approve your own request."))
    now = timezone.now()
    if loan.ends_at <= now:
        raise ValidationError(_("This period has already ended."))
    if loan.medium == LoanMedium.PAPER:
        _locked(Document, loan.document_id)  # one decision at a time per paper copy
        if paper_conflicts(document=loan.document, starts_at=loan.starts_at, ends_at=loan.ends_at,
                           exclude_pk=loan.pk).exists():
            raise ValidationError(_("The paper copy is already promised or lent for part of this period."))
    with acting_as(actor):
        loan.decided_by, loan.decided_at = actor, now
        if loan.medium == LoanMedium.ELECTRONIC:
            loan.state, loan.lent_at = LoanState.LENT, now
        else:
            loan.state = LoanState.APPROVED
        loan.save()
        audit("loan.approve", actor=actor, obj=loan.document, loan=loan.pk, medium=loan.medium)
        notify([loan.borrower], key=f"loan:{loan.pk}:approved",
               title=_("Loan approved: %(code)s") % {"code": loan.document.code}, url=loan.get_absolute_url())
        return loan


@transaction.atomic
def loan_reject(*, actor, loan: Loan, reason: str) -> Loan:
    loan = _loan_step(actor, loan, (LoanState.REQUESTED, LoanState.APPROVED))
    if not may_decide(actor, loan.document):
        raise PermissionDenied(_("You may not do this."))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the request is rejected.")})
    with acting_as(actor):
        loan.state, loan.decided_by, loan.decided_at = LoanState.REJECTED, actor, timezone.now()
        loan.decision_reason = reason.strip()[:200]
        loan.save()
        audit("loan.reject", actor=actor, obj=loan.document, loan=loan.pk, reason=loan.decision_reason)
        notify([loan.borrower], key=f"loan:{loan.pk}:rejected",
               title=_("Loan rejected: %(code)s") % {"code": loan.document.code}, body=loan.decision_reason,
               url=loan.get_absolute_url())
        return loan


@transaction.atomic
def loan_lend(*, actor, loan: Loan) -> Loan:
    """The paper copy is handed to the borrower."""
    loan = _loan_step(actor, loan, (LoanState.APPROVED,))
    if not may_decide(actor, loan.document):
        raise PermissionDenied(_("You may not do this."))
    now = timezone.now()
    if loan.ends_at <= now:
        raise ValidationError(_("This period has already ended."))
    with acting_as(actor):
        loan.state, loan.lent_at = LoanState.LENT, now
        loan.save()
        audit("loan.lend", actor=actor, obj=loan.document, loan=loan.pk)
        return loan


@transaction.atomic
def loan_return(*, actor, loan: Loan) -> Loan:
    """The paper copy is back (recorded by the controller or the custodian); an electronic loan may be ended
    early by its borrower too."""
    loan = _loan_step(actor, loan, (LoanState.LENT,))
    own_electronic = loan.medium == LoanMedium.ELECTRONIC and loan.borrower_id == actor.pk
    if not (own_electronic or may_decide(actor, loan.document)):
        raise PermissionDenied(_("You may not do this."))
    with acting_as(actor):
        loan.state, loan.returned_at, loan.returned_to = LoanState.RETURNED, timezone.now(), actor
        loan.save()
        audit("loan.return", actor=actor, obj=loan.document, loan=loan.pk)
        return loan


@transaction.atomic
def loan_cancel(*, actor, loan: Loan) -> Loan:
    """The borrower withdraws a request (or an approved paper loan not yet handed out)."""
    loan = _loan_step(actor, loan, (LoanState.REQUESTED, LoanState.APPROVED))
    if loan.borrower_id != actor.pk:
        raise PermissionDenied(_("You may not do this."))
    with acting_as(actor):
        loan.state = LoanState.CANCELLED
        loan.save()
        audit("loan.cancel", actor=actor, obj=loan.document, loan=loan.pk)
        return loan


def loans_remind(*, now=None) -> int:
    """Overdue paper loans: remind the borrower and the deciders (the document controller and the custodian),
    once per loan (idempotent: the notification key is the loan's)."""
    from .selectors import loans_needing_attention

    overdue, _waiting = loans_needing_attention(now=now)
    sent = 0
    deciders = None
    for loan in overdue.select_related("document__custodian__user", "borrower"):
        end = timezone.localtime(loan.ends_at).strftime("%Y-%m-%d %H:%M")
        sent += len(notify([loan.borrower], key=f"loan:{loan.pk}:overdue",
                           title=_("Please return %(code)s") % {"code": loan.document.code},
                           body=_("The loan ended on %(end)s.") % {"end": end},
                           url=loan.get_absolute_url(), level="warning"))
        if deciders is None:
            deciders = permission_holders(DECIDE)
        custodian = loan.document.custodian.user if loan.document.custodian_id else None
        sent += len(notify([u for u in [*deciders, custodian] if u is not None and u.pk != loan.borrower_id],
                           key=f"loan:{loan.pk}:overdue",
                           title=_("Overdue paper loan: %(code)s") % {"code": loan.document.code},
                           body=_("%(user)s has not returned it; the loan ended on %(end)s.")
                           % {"user": loan.borrower, "end": end},
                           url=loan.get_absolute_url(), level="warning"))
    return sent


def reviews_remind(*, today=None) -> int:
    """Tell the document controllers of regulations whose yearly review is due (and not repealed) and of
    documents past their review-by date (the custodian too); once per review date (idempotent)."""
    from .choices import RegulationStatus

    today = today or timezone.localdate()
    controllers = permission_holders("documents.review_regulation")
    sent = 0
    for regulation in Regulation.objects.exclude(status=RegulationStatus.REPEALED).only(
            "pk", "title", "number", "last_reviewed_on", "effective_on", "issued_on"):
        due = regulation.review_due_on
        if due is None or due > today:
            continue
        sent += len(notify(controllers, key=f"regulation:{regulation.pk}:review:{due:%Y-%m-%d}",
                           title=_("Regulation review due: %(title)s") % {"title": regulation},
                           body=_("The yearly validity review was due on %(date)s.") % {"date": f"{due:%Y-%m-%d}"},
                           url=regulation.get_absolute_url(), level="warning"))
    documents = (Document.objects.filter(review_by__lte=today).exclude(status=DocumentStatus.OBSOLETE)
                 .select_related("custodian__user"))
    for document in documents:
        custodian = document.custodian.user if document.custodian_id else None
        sent += len(notify([u for u in [*controllers, custodian] if u is not None],
                           key=f"document:{document.pk}:review:{document.review_by:%Y-%m-%d}",
                           title=_("Document review due: %(code)s") % {"code": document.code},
                           body=_("%(title)s was to be reviewed by %(date)s.")
                           % {"title": document.title, "date": f"{document.review_by:%Y-%m-%d}"},
                           url=document.get_absolute_url(), level="warning"))
    return sent


# --- handovers ------------------------------------------------------------------------------------------------


@transaction.atomic
def handover_create(*, actor, from_staff, to_staff, reason: str = "") -> Handover:
    """交接: list every document in ``from_staff``'s custody for ``to_staff`` (the list can be edited)."""
    _require(actor, HANDOVER)
    from wuye.org.choices import StaffStatus

    errors = {}
    if from_staff.pk == to_staff.pk:
        errors["to_staff"] = _("A handover goes to another staff member.")
    elif to_staff.status != StaffStatus.ACTIVE:
        errors["to_staff"] = _("The successor must be an active staff member.")
    if Handover.objects.filter(from_staff=from_staff, state__in=(HandoverState.DRAFT, HandoverState.SENT)).exists():
        errors["from_staff"] = _("This custodian already has a handover in progress.")
    if errors:
        raise ValidationError(errors)
    with acting_as(actor):
        handover = Handover.objects.create(from_staff=from_staff, to_staff=to_staff, reason=reason)
        HandoverItem.objects.bulk_create([HandoverItem(handover=handover, document=d, created_by=actor)
                                          for d in custody_of(from_staff)])
        audit("handover.create", actor=actor, obj=handover, items=handover.items.count())
        return handover


def _handover(actor, handover: Handover, sources) -> Handover:
    handover = Handover.objects.select_for_update().get(pk=handover.pk)
    if handover.state not in sources:
        raise ValidationError(_("A handover that is %(state)s cannot be changed so.")
                              % {"state": handover.get_state_display()})
    return handover


@transaction.atomic
def handover_add(*, actor, handover: Handover, document: Document, note: str = "") -> HandoverItem:
    _require(actor, HANDOVER)
    handover = _handover(actor, handover, (HandoverState.DRAFT,))
    if document.custodian_id != handover.from_staff_id:
        raise ValidationError(_("This document is not in the custody of %(name)s.")
                              % {"name": handover.from_staff.name})
    if handover.items.filter(document=document).exists():
        raise ValidationError(_("This document is already in the handover."))
    with acting_as(actor):
        item = HandoverItem.objects.create(handover=handover, document=document, note=note)
        audit("handover.add", actor=actor, obj=handover, document=document.code)
        return item


@transaction.atomic
def handover_remove(*, actor, handover: Handover, document: Document) -> Handover:
    """Take a document off a handover being prepared (e.g. it stays with its custodian's department)."""
    _require(actor, HANDOVER)
    handover = _handover(actor, handover, (HandoverState.DRAFT,))
    item = handover.items.filter(document=document).first()
    if item is None:
        raise ValidationError(_("This document is not in the handover."))
    with acting_as(actor):
        item.delete()  # a draft's list is being edited: nothing was handed over yet
        audit("handover.remove", actor=actor, obj=handover, document=document.code)
        return handover


@transaction.atomic
def handover_send(*, actor, handover: Handover) -> Handover:
    """The list is final: the successor confirms receipt item by item."""
    _require(actor, HANDOVER)
    handover = _handover(actor, handover, (HandoverState.DRAFT,))
    if not handover.items.exists():
        raise ValidationError(_("A handover lists at least one document."))
    with acting_as(actor):
        handover.state, handover.sent_at = HandoverState.SENT, timezone.now()
        handover.save()
        audit("handover.send", actor=actor, obj=handover)
        if handover.to_staff.user_id:
            notify([handover.to_staff.user], key=f"handover:{handover.pk}:sent",
                   title=_("Documents handed over to you: please confirm receipt"),
                   body=str(handover), url=handover.get_absolute_url())
        return handover


@transaction.atomic
def handover_confirm(*, actor, handover: Handover, document: Document) -> Handover:
    """The successor confirms receiving one document; with the last one the custody of all moves at once."""
    handover = _handover(actor, handover, (HandoverState.SENT,))
    if handover.to_staff.user_id != actor.pk:
        raise PermissionDenied(_("Only the successor confirms receipt."))
    item = handover.items.select_for_update().filter(document=document).first()
    if item is None:
        raise ValidationError(_("This document is not in the handover."))
    if item.confirmed_at is not None:
        raise ValidationError(_("This document has already been confirmed."))
    now = timezone.now()
    with acting_as(actor):
        item.confirmed_at = now
        item.save()
        audit("handover.confirm", actor=actor, obj=handover, document=document.code)
        if not handover.items.filter(confirmed_at__isnull=True).exists():
            moved = 0
            for doc in Document.objects.select_for_update().filter(handover_items__handover=handover):
                if doc.custodian_id == handover.from_staff_id:
                    doc.custodian = handover.to_staff
                    doc.save()
                    moved += 1
            handover.state, handover.completed_at = HandoverState.COMPLETED, now
            handover.save()
            audit("handover.complete", actor=actor, obj=handover, moved=moved)
        return handover


@transaction.atomic
def handover_cancel(*, actor, handover: Handover, reason: str) -> Handover:
    _require(actor, HANDOVER)
    handover = _handover(actor, handover, (HandoverState.DRAFT, HandoverState.SENT))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the handover is cancelled.")})
    with acting_as(actor):
        handover.state = HandoverState.CANCELLED
        handover.save()
        audit("handover.cancel", actor=actor, obj=handover, reason=reason.strip())
        return handover


# --- regulations ----------------------------------------------------------------------------------------------


@transaction.atomic
def regulation_review(*, actor, regulation: Regulation, reviewed_on: dt.date, status: str | None = None,
                      notes: str = "") -> Regulation:
    """The yearly validity review: still in force, amended or repealed."""
    _require(actor, "documents.review_regulation")
    regulation = _locked(Regulation, regulation.pk)
    if reviewed_on > timezone.localdate():
        raise ValidationError({"reviewed_on": _("A review cannot be dated in the future.")})
    with acting_as(actor):
        regulation.last_reviewed_on = reviewed_on
        if status:
            regulation.status = status
        if notes:
            regulation.notes = f"{regulation.notes}\n{reviewed_on:%Y-%m-%d}: {notes}".strip()
        regulation.full_clean()
        regulation.save()
        audit("regulation.review", actor=actor, obj=regulation, status=regulation.status)
        return regulation
