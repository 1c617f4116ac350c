"""Every write of the report centre: generate, regenerate, edit the texts, submit, review (审查), cancel.

``<entity>_<action>(*, actor, ...)``, atomic, audited; a refusal is a ``ValidationError`` in the user's language and
changes nothing. The figures come from the kind's builder (``kinds.KINDS``); a version is frozen once submitted, so
an edit or a regeneration after a return makes a new version.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wuye.core.audit import audit
from wuye.core.context import acting_as
from wuye.core.notifications import notify, permission_holders
from wuye.core.scope import user_scope

from .choices import CANCELLABLE_STATUSES, EDITABLE_STATUSES, Decision, ReportStatus
from .kinds import KINDS, KindSpec
from .models import Report, ReportReview, ReportVersion
from .periods import check_not_future, parse_period, period_text

VIEW = "reports.view_report"
ADD = "reports.add_report"
CHANGE = "reports.change_report"
REVIEW = "reports.review_report"
GENERATE_PERMISSIONS = sorted({spec.permission for spec in KINDS.values()})


def _require(actor, permission: str) -> None:
    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.has_perm(permission):
        raise PermissionDenied(_("You may not do this."))


def may_generate(user, spec: KindSpec) -> bool:
    return bool(user and user.is_authenticated and user.has_perm(VIEW) and user.has_perm(spec.permission))


def generatable_kinds(user) -> list[KindSpec]:
    """The kinds ``user`` may generate, in menu order."""
    return [spec for spec in KINDS.values() if may_generate(user, spec)]


def _locked(report: Report) -> Report:
    return Report.objects.select_for_update().get(pk=report.pk)


def _sees(actor, report: Report) -> bool:
    scope = user_scope(actor)
    return scope.all_estates if report.estate_id is None else scope.covers_estate(report.estate_id)


def _check_sees(actor, report: Report) -> None:
    if not _sees(actor, report):
        raise PermissionDenied(_("You may not do this."))


def _status_error(report: Report) -> ValidationError:
    return ValidationError(_("A report that is %(status)s cannot take this step.")
                           % {"status": report.get_status_display()})


def _check_author(actor, report: Report) -> None:
    if report.author_id != actor.pk:
        raise ValidationError(_("Only the author of the report (%(author)s) may do this.")
                              % {"author": report.author.get_full_name() or report.author.get_username()})


def _department_of(user):
    staff = getattr(user, "staff", None) if user is not None else None
    return getattr(staff, "department", None)


# --- what a report covers ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    spec: KindSpec
    period: object
    estate: object
    department: object

    @property
    def estate_ids(self) -> list[int] | None:
        return [self.estate.pk] if self.estate is not None else None

    def build(self) -> dict:
        return self.spec.build(period=self.period, estate_ids=self.estate_ids, department=self.department)


def resolve(*, actor, kind: str, period, estate=None, department=None, permission: str | None = None) -> Scope:
    """Check a report's kind, period and scope for ``actor``: what ``report_generate`` and the API's preview share.
    ``period`` is a ``Period`` or its text (``2026-10``, ``2026-Q3``, ``2026``)."""
    spec = KINDS.get(str(kind or ""))
    if spec is None:
        raise ValidationError({"kind": _("There is no report of the kind “%(kind)s”.") % {"kind": kind}})
    _require(actor, VIEW)
    _require(actor, permission or spec.permission)
    if isinstance(period, str):
        try:
            period = parse_period(period)
        except ValidationError as exc:
            raise ValidationError({"period": exc.messages}) from None
    else:
        try:
            check_not_future(period)
        except ValidationError as exc:
            raise ValidationError({"period": exc.messages}) from None
    if period.kind not in spec.periods:
        raise ValidationError({"period": _("The %(kind)s covers a %(allowed)s, not %(period)s.") % {
            "kind": spec.label, "period": period_text(period),
            "allowed": " / ".join(str(_period_labels().get(p, p)) for p in spec.periods)}})
    scope = user_scope(actor)
    if not spec.estate_scoped:
        estate = None
        if not scope.all_estates:
            raise ValidationError(_("The %(kind)s covers the whole department: only staff who see every estate "
                                    "generate it.") % {"kind": spec.label})
    elif estate is None:
        if not scope.all_estates:
            raise ValidationError({"estate": _("Choose one of your estates.")})
    elif not scope.covers_estate(estate.pk):
        raise ValidationError({"estate": _("You do not serve %(estate)s: choose one of your estates.")
                               % {"estate": estate}})
    if department is None:
        department = _department_of(actor)
    return Scope(spec, period, estate, department)


def _period_labels():
    from .choices import PeriodKind

    return dict(PeriodKind.choices)


def preview(*, actor, kind: str, period, estate=None, department=None) -> dict:
    """The content of a report of ``kind`` for ``period`` and ``estate``, generated now and not saved (the API's
    ``GET /api/v1/reports/{kind}/``): needs only to see reports."""
    scope = resolve(actor=actor, kind=kind, period=period, estate=estate, department=department, permission=VIEW)
    return scope.build()


# --- the report's steps ------------------------------------------------------------------------------------------


def _new_version(report: Report, *, actor, content: dict, texts: dict) -> ReportVersion:
    number = (report.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    version = ReportVersion(report=report, number=number, content=content, texts=texts,
                            generated_at=timezone.now(), generated_by=actor)
    version.full_clean()
    version.save()
    report.current_version = number
    return version


def _clean_texts(spec: KindSpec, texts: dict) -> dict:
    unknown = set(texts) - set(spec.text_keys)
    if unknown:
        raise ValidationError(_("Unknown text fields: %(fields)s.") % {"fields": ", ".join(sorted(unknown))})
    cleaned = {}
    for key, value in texts.items():
        if value is not None and not isinstance(value, str):
            raise ValidationError({key: _("Write text here.")})
        cleaned[key] = (value or "").strip()
    return cleaned


@transaction.atomic
def report_generate(*, actor, kind: str, period, estate=None, department=None) -> Report:
    """A new report (draft, version 1) of ``kind`` for ``period`` (a ``Period`` or its text) and ``estate`` (None:
    all estates, for those who see all). Refused: an unknown kind, a period the kind is not made for or in the
    future, an estate the actor does not serve, a report that already exists for the same scope."""
    scope = resolve(actor=actor, kind=kind, period=period, estate=estate, department=department)
    report = Report(kind=scope.spec.kind, period_kind=scope.period.kind, period_start=scope.period.start,
                    period_end=scope.period.end, estate=scope.estate, department=scope.department, author=actor,
                    status=ReportStatus.DRAFT)
    existing = (Report.objects.filter(scope_key=report.make_scope_key()).exclude(status=ReportStatus.CANCELLED)
                .select_related("author").first())
    if existing is not None:
        raise ValidationError(_("This report already exists (%(report)s, %(status)s, by %(author)s): open it "
                                "instead of generating a new one.") % {
            "report": existing, "status": existing.get_status_display(),
            "author": existing.author.get_full_name() or existing.author.get_username()}, code="exists")
    content = scope.build()
    with acting_as(actor):
        report.full_clean(exclude=["scope_key"])
        try:
            with transaction.atomic():
                report.save()
        except IntegrityError:  # someone generated the same report a moment ago
            raise ValidationError(_("This report already exists: open it instead of generating a new one."),
                                  code="exists") from None
        _new_version(report, actor=actor, content=content, texts=dict.fromkeys(scope.spec.text_keys, ""))
        report.save()
        audit("report.generate", actor=actor, obj=report, estate_id=report.estate_id, kind=report.kind,
              period=report.period_label)
    return report


def _editable(actor, report: Report) -> Report:
    _require(actor, CHANGE)
    _check_sees(actor, report)
    report = _locked(report)
    if report.status not in EDITABLE_STATUSES:
        raise _status_error(report)
    _check_author(actor, report)
    return report


@transaction.atomic
def report_regenerate(*, actor, report: Report) -> ReportVersion:
    """A new version with the figures as they are now; the texts are carried over. Draft (or returned) only."""
    report = _editable(actor, report)
    spec = report.spec
    if spec is None:
        raise ValidationError(_("There is no report of the kind “%(kind)s”.") % {"kind": report.kind})
    check_not_future(report.period)
    current = report.version()
    content = Scope(spec, report.period, report.estate, report.department).build()
    with acting_as(actor):
        version = _new_version(report, actor=actor, content=content, texts=dict(current.texts if current else {}))
        report.status = ReportStatus.DRAFT
        report.save()
        audit("report.regenerate", actor=actor, obj=report, estate_id=report.estate_id, version=version.number)
    return version


@transaction.atomic
def report_update_texts(*, actor, report: Report, texts: dict) -> ReportVersion:
    """The author's texts (conclusions, plan for the next period …). A frozen version (submitted, then returned)
    is not changed: the texts go into a new version with the same figures."""
    report = _editable(actor, report)
    cleaned = _clean_texts(report.spec, dict(texts or {}))
    current = report.version()
    merged = {**(current.texts if current else {}), **cleaned}
    with acting_as(actor):
        if current is None or current.is_frozen:
            version = _new_version(report, actor=actor, content=current.content if current else {}, texts=merged)
        else:
            version = current
            version.texts = merged
            version.save()
        report.status = ReportStatus.DRAFT
        report.save()
        audit("report.update_texts", actor=actor, obj=report, estate_id=report.estate_id, version=version.number,
              fields=sorted(cleaned))
    return version


def reviewers_for(report: Report) -> list:
    """Who is told of a submission: holders of ``reports.review_report`` who see the report, not its author; those
    of the report's department first (the department's manager), else all of them."""
    holders = [u for u in permission_holders(REVIEW) if u.pk != report.author_id and _sees(u, report)]
    if report.department_id:
        own = [u for u in holders if getattr(_department_of(u), "pk", None) == report.department_id]
        if own:
            return own
    return holders


@transaction.atomic
def report_submit(*, actor, report: Report) -> Report:
    """The author hands the report in for review; the current version is frozen. The conclusions are required."""
    report = _editable(actor, report)
    version = report.version()
    texts = version.texts if version else {}
    keys = report.spec.text_keys if report.spec else []
    required = "conclusions" if "conclusions" in keys else (keys[0] if keys else None)
    if required and not (texts.get(required) or "").strip():
        raise ValidationError({required: _("Write the conclusions before submitting the report.")})
    if version.is_frozen:  # returned and submitted again unchanged: a new version records the new submission
        version = _new_version(report, actor=actor, content=version.content, texts=dict(texts))
    now = timezone.now()
    with acting_as(actor):
        version.submitted_at = now
        version.save()
        report.status = ReportStatus.SUBMITTED
        report.submitted_at = now
        report.save()
        audit("report.submit", actor=actor, obj=report, estate_id=report.estate_id, version=version.number)
        notify(reviewers_for(report), key=f"reports.submitted.{report.pk}.{version.number}",
               title=_("Report to review: %(report)s") % {"report": report},
               body=_("%(author)s submitted version %(version)s.") % {
                   "author": actor.get_full_name() or actor.get_username(), "version": version.number},
               url=report.get_absolute_url())
    return report


@transaction.atomic
def report_review(*, actor, report: Report, decision: str, comments: str, instructions: str = "") -> ReportReview:
    """The reviewer's decision on the submitted version: accepted (final) or returned to the author for revision
    (the next edit makes a new version). Nobody reviews their own report."""
    _require(actor, REVIEW)
    _check_sees(actor, report)
    report = _locked(report)
    if report.author_id == actor.pk:
        raise ValidationError(_("You cannot review your own report."), code="own_report")
    if report.status != ReportStatus.SUBMITTED:
        raise _status_error(report)
    if decision not in Decision.values:
        raise ValidationError({"decision": _("Accept the report or return it for revision.")})
    comments = (comments or "").strip()
    if not comments:
        raise ValidationError({"comments": _("Write your comments on the report.")})
    version = report.version()
    now = timezone.now()
    with acting_as(actor):
        review = ReportReview(report=report, version=version, reviewer=actor, decision=decision, comments=comments,
                              instructions=(instructions or "").strip(), reviewed_at=now)
        review.full_clean()
        review.save()
        report.status = ReportStatus.ACCEPTED if decision == Decision.ACCEPTED else ReportStatus.RETURNED
        report.reviewed_at = now
        report.save()
        audit("report.review", actor=actor, obj=report, estate_id=report.estate_id, version=version.number,
              decision=decision)
        if decision == Decision.ACCEPTED:
            title = _("Report accepted: %(report)s") % {"report": report}
        else:
            title = _("Report returned for revision: %(report)s") % {"report": report}
        notify([report.author], key=f"reports.reviewed.{review.pk}", title=title,
               body="\n".join(p for p in (comments, review.instructions) if p), url=report.get_absolute_url(),
               level="info" if decision == Decision.ACCEPTED else "warning")
    return review


@transaction.atomic
def report_cancel(*, actor, report: Report, reason: str) -> Report:
    """Cancel a report that is not yet accepted (its author or a reviewer), with the reason; it is kept, and the
    same report may be generated again."""
    _require(actor, CHANGE)
    _check_sees(actor, report)
    report = _locked(report)
    if report.status not in CANCELLABLE_STATUSES:
        raise _status_error(report)
    if report.author_id != actor.pk and not actor.has_perm(REVIEW):
        raise ValidationError(_("Only the author or a reviewer may cancel a report."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for cancelling.")})
    with acting_as(actor):
        report.status = ReportStatus.CANCELLED
        report.cancel_reason = reason[:300]
        report.cancelled_at = timezone.now()
        report.save()
        audit("report.cancel", actor=actor, obj=report, estate_id=report.estate_id, reason=reason)
    return report
