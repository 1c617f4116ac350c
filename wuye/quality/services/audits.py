"""Audits (seed 3.1–3.3): the yearly audit programme and its approval; internal and external audits (number
AU-<year>-NN, scope, estates, departments, clauses, lead auditor and team) and their steps planned → in progress →
reported → closed (or cancelled with a reason); checklists copied from reusable templates and answered during the
audit; graded findings with clause and evidence; the company's yearly limit of external findings per estate.

Rules (each a clear ``ValidationError``, nothing changed):

- an auditor (lead or team) never audits their own department, on create, on edit and when the departments change;
- an external audit names its certification body; an internal audit has a lead auditor;
- a finding has a grade and a clause, its estate is one of the audit's estates (the only one by default), and it is
  recorded while the audit is in progress — for an external audit also once reported, because the certification
  body's written report arrives after the closing meeting;
- an audit is reported with a summary, and only when every checklist point answered "does not conform" has its
  nonconformity recorded as a minor or major finding;
- an audit is closed only when every minor and major finding has its corrective action.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from wuye.core.audit import audit as audit_event
from wuye.core.context import acting_as

from ..choices import NONCONFORMITY_GRADES, AuditKind, AuditStatus, CheckResult, ProgrammeStatus
from ..models import (
    Audit,
    AuditChecklistItem,
    AuditProgramme,
    ChecklistTemplate,
    Finding,
    FindingLimit,
    TemplateQuestion,
)
from .common import next_number, require

__all__ = [
    "AUDIT_FIELDS", "CONDUCT", "EDITABLE_AUDIT_STATUSES", "audit_programme_create", "audit_programme_update",
    "audit_programme_approve", "may_approve_programme", "audit_create", "audit_update", "audit_start",
    "audit_report", "audit_close", "audit_cancel", "audit_checklist_from_template", "audit_checklist_item_add",
    "audit_checklist_answer", "finding_record", "finding_update", "finding_add_file", "may_record_findings",
    "checklist_template_create", "checklist_template_update", "template_question_add", "template_question_update",
    "finding_limit_create", "finding_limit_update", "findings_without_action", "unrecorded_nonconformities",
]

CONDUCT = "quality.conduct_audit"

# what the create and edit services, the forms and the API may set on an audit
AUDIT_FIELDS = ("programme", "kind", "certification_body", "title", "scope", "estates", "departments", "clauses",
                "lead_auditor", "auditors", "external_auditors", "planned_start", "planned_end")
_M2M = ("estates", "departments", "clauses", "auditors")
EDITABLE_AUDIT_STATUSES = (AuditStatus.PLANNED, AuditStatus.IN_PROGRESS)
FINDING_FIELDS = ("grade", "clause", "statement", "evidence", "found_on", "estate", "department", "checklist_item")


def _status_error(audit: Audit) -> ValidationError:
    return ValidationError(_("An audit that is %(status)s cannot take this step.")
                           % {"status": audit.get_status_display()})


def _locked(audit: Audit) -> Audit:
    return Audit.objects.select_for_update().get(pk=audit.pk)


# --- the programme ------------------------------------------------------------------------------------------------


@transaction.atomic
def audit_programme_create(*, actor, year: int, title: str, objectives: str = "") -> AuditProgramme:
    """The year's audit programme (年度审核方案), as a draft."""
    require(actor, "quality.add_auditprogramme")
    with acting_as(actor):
        programme = AuditProgramme(year=year, title=(title or "").strip(), objectives=objectives or "")
        programme.full_clean()
        programme.save()
        audit_event("audit_programme.create", actor=actor, obj=programme, year=year)
    return programme


@transaction.atomic
def audit_programme_update(*, actor, programme: AuditProgramme, **fields) -> AuditProgramme:
    """Edit the programme. A change to an approved programme returns it to draft: it is approved again."""
    require(actor, "quality.change_auditprogramme")
    unknown = set(fields) - {"year", "title", "objectives"}
    if unknown:
        raise TypeError(f"unknown programme fields: {sorted(unknown)}")
    programme = AuditProgramme.objects.select_for_update().get(pk=programme.pk)
    changed = sorted(name for name, value in fields.items() if getattr(programme, name) != value)
    if not changed:
        return programme
    if "year" in changed and programme.audits.exists():
        raise ValidationError({"year": _("The programme already has audits: its year cannot change.")})
    for name in changed:
        setattr(programme, name, fields[name])
    with acting_as(actor):
        programme.full_clean()
        if programme.status == ProgrammeStatus.APPROVED:
            programme.status, programme.approved_by, programme.approved_on = ProgrammeStatus.DRAFT, None, None
        programme.save()
        audit_event("audit_programme.update", actor=actor, obj=programme, fields=changed)
    return programme


def may_approve_programme(user) -> bool:
    """Top management (who approves the quality policy) or a quality auditor who may change the programme."""
    return bool(user is not None and (user.has_perm("quality.change_auditprogramme")
                                      or user.has_perm("quality.approve_qualitypolicy")))


@transaction.atomic
def audit_programme_approve(*, actor, programme: AuditProgramme, approved_on: dt.date | None = None
                            ) -> AuditProgramme:
    if not may_approve_programme(actor):
        raise PermissionDenied(_("You may not do this."))
    programme = AuditProgramme.objects.select_for_update().get(pk=programme.pk)
    if programme.status != ProgrammeStatus.DRAFT:
        raise ValidationError(_("This programme is already approved."))
    approved_on = approved_on or timezone.localdate()
    if approved_on > timezone.localdate():
        raise ValidationError({"approved_on": _("The date cannot be in the future.")})
    with acting_as(actor):
        programme.status, programme.approved_by, programme.approved_on = ProgrammeStatus.APPROVED, actor, approved_on
        programme.save()
        audit_event("audit_programme.approve", actor=actor, obj=programme, approved_on=str(approved_on))
    return programme


# --- the audit ----------------------------------------------------------------------------------------------------


def _check_fields(fields: dict) -> None:
    unknown = set(fields) - set(AUDIT_FIELDS)
    if unknown:
        raise TypeError(f"unknown audit fields: {sorted(unknown)}")


def _check_audit(audit: Audit, m2m: dict) -> None:
    """The rules across fields: certification body, lead auditor, programme year, auditors' independence."""
    errors: dict[str, list] = {}
    if audit.kind == AuditKind.EXTERNAL and not audit.certification_body.strip():
        errors.setdefault("certification_body", []).append(_("An external audit names its certification body."))
    if audit.kind == AuditKind.INTERNAL and audit.lead_auditor_id is None:
        errors.setdefault("lead_auditor", []).append(_("An internal audit has a lead auditor."))
    if audit.programme_id and audit.planned_start and audit.planned_start.year != audit.programme.year:
        errors.setdefault("planned_start", []).append(
            _("The audit belongs to the %(year)s programme: plan it in %(year)s.") % {"year": audit.programme.year})
    departments = list(m2m["departments"])
    by_pk = {d.pk: d for d in departments}
    auditors = [("lead_auditor", audit.lead_auditor)] + [("auditors", s) for s in m2m["auditors"]]
    for field, staff in auditors:
        if staff is not None and staff.department_id in by_pk:
            errors.setdefault(field, []).append(
                _("%(auditor)s may not audit their own department (%(department)s).")
                % {"auditor": staff.name, "department": by_pk[staff.department_id]})
    if errors:
        raise ValidationError(errors)


def _m2m_values(audit: Audit | None, fields: dict) -> dict:
    values = {}
    for name in _M2M:
        if name in fields:
            values[name] = list(fields[name] or [])
        else:
            values[name] = list(getattr(audit, name).all()) if audit is not None and audit.pk else []
    return values


@transaction.atomic
def audit_create(*, actor, **fields) -> Audit:
    """A planned audit, numbered AU-<year of its planned start>-NN."""
    require(actor, "quality.add_audit")
    _check_fields(fields)
    m2m = _m2m_values(None, fields)
    plain = {k: v for k, v in fields.items() if k not in _M2M}
    plain.setdefault("kind", AuditKind.INTERNAL)
    with acting_as(actor):
        audit = Audit(**plain)
        start = audit.planned_start if isinstance(audit.planned_start, dt.date) else None
        audit.number = next_number(Audit, "AU", today=start, width=2)
        audit.full_clean()
        _check_audit(audit, m2m)
        audit.save()
        for name, values in m2m.items():
            getattr(audit, name).set(values)
        audit_event("audit.create", actor=actor, obj=audit, number=audit.number, kind=audit.kind)
    return audit


@transaction.atomic
def audit_update(*, actor, audit: Audit, **fields) -> Audit:
    """Edit a planned or running audit (the auditors' independence is checked again)."""
    require(actor, "quality.change_audit")
    _check_fields(fields)
    audit = _locked(audit)
    if audit.status not in EDITABLE_AUDIT_STATUSES:
        raise ValidationError(_("Only a planned audit or one in progress can be changed."))
    m2m = _m2m_values(audit, fields)
    changed = sorted(name for name, value in fields.items() if name not in _M2M and getattr(audit, name) != value)
    changed += sorted(name for name in _M2M if name in fields
                      and {o.pk for o in m2m[name]} != set(getattr(audit, name).values_list("pk", flat=True)))
    for name in changed:
        if name not in _M2M:
            setattr(audit, name, fields[name])
    with acting_as(actor):
        audit.full_clean()
        _check_audit(audit, m2m)
        if not changed:
            return audit
        audit.save()
        for name in _M2M:
            if name in changed:
                getattr(audit, name).set(m2m[name])
        audit_event("audit.update", actor=actor, obj=audit, fields=sorted(changed))
    return audit


@transaction.atomic
def audit_start(*, actor, audit: Audit, started_on: dt.date | None = None) -> Audit:
    """Planned → in progress."""
    require(actor, CONDUCT)
    audit = _locked(audit)
    if audit.status != AuditStatus.PLANNED:
        raise _status_error(audit)
    started_on = started_on or timezone.localdate()
    if started_on > timezone.localdate():
        raise ValidationError({"started_on": _("The date cannot be in the future.")})
    _check_audit(audit, _m2m_values(audit, {}))
    with acting_as(actor):
        audit.status, audit.started_on = AuditStatus.IN_PROGRESS, started_on
        audit.save()
        audit_event("audit.start", actor=actor, obj=audit, started_on=str(started_on))
    return audit


def unrecorded_nonconformities(audit: Audit):
    """Checklist points answered "does not conform" without a minor or major finding recorded from them."""
    recorded = Finding.objects.filter(audit=audit, grade__in=NONCONFORMITY_GRADES, checklist_item__isnull=False)
    return (audit.checklist.filter(result=CheckResult.NONCONFORMS)
            .exclude(pk__in=recorded.values("checklist_item_id")).order_by("sort_order", "id"))


@transaction.atomic
def audit_report(*, actor, audit: Audit, summary: str, reported_on: dt.date | None = None) -> Audit:
    """In progress → reported, with the summary and conclusion."""
    require(actor, CONDUCT)
    audit = _locked(audit)
    if audit.status != AuditStatus.IN_PROGRESS:
        raise _status_error(audit)
    summary = (summary or "").strip()
    if not summary:
        raise ValidationError({"summary": _("Write the audit's summary and conclusion.")})
    reported_on = reported_on or timezone.localdate()
    if reported_on > timezone.localdate():
        raise ValidationError({"reported_on": _("The date cannot be in the future.")})
    if audit.started_on and reported_on < audit.started_on:
        raise ValidationError({"reported_on": _("An audit is reported after it started.")})
    missing = list(unrecorded_nonconformities(audit))
    if missing:
        raise ValidationError(_("Record these nonconformities of the checklist as minor or major findings first: "
                                "%(items)s") % {"items": "；".join(item.question for item in missing)})
    with acting_as(actor):
        audit.status, audit.summary, audit.reported_on = AuditStatus.REPORTED, summary, reported_on
        audit.save()
        audit_event("audit.report", actor=actor, obj=audit, reported_on=str(reported_on),
                    findings=audit.findings.count())
    return audit


def findings_without_action(audit: Audit):
    """The audit's minor and major findings that have no corrective action yet."""
    return audit.findings.filter(grade__in=NONCONFORMITY_GRADES, corrective_action__isnull=True).order_by("number")


@transaction.atomic
def audit_close(*, actor, audit: Audit, closed_on: dt.date | None = None) -> Audit:
    """Reported → closed, once every minor and major finding has its corrective action."""
    require(actor, CONDUCT)
    audit = _locked(audit)
    if audit.status != AuditStatus.REPORTED:
        raise _status_error(audit)
    missing = list(findings_without_action(audit))
    if missing:
        raise ValidationError(_("An audit closes only when every nonconformity has a corrective action. Without "
                                "one: %(findings)s") % {"findings": ", ".join(f.reference for f in missing)})
    closed_on = closed_on or timezone.localdate()
    if closed_on > timezone.localdate():
        raise ValidationError({"closed_on": _("The date cannot be in the future.")})
    with acting_as(actor):
        audit.status, audit.closed_on = AuditStatus.CLOSED, closed_on
        audit.save()
        audit_event("audit.close", actor=actor, obj=audit, closed_on=str(closed_on))
    return audit


@transaction.atomic
def audit_cancel(*, actor, audit: Audit, reason: str) -> Audit:
    """A planned audit or one in progress is cancelled, with the reason; it stays on record."""
    require(actor, CONDUCT)
    audit = _locked(audit)
    if audit.status not in EDITABLE_AUDIT_STATUSES:
        raise _status_error(audit)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the audit is cancelled.")})
    if audit.findings.exists():
        raise ValidationError(_("This audit has findings: report it instead of cancelling it."))
    with acting_as(actor):
        audit.status, audit.cancel_reason = AuditStatus.CANCELLED, reason[:200]
        audit.save()
        audit_event("audit.cancel", actor=actor, obj=audit, reason=audit.cancel_reason)
    return audit


# --- the checklist ------------------------------------------------------------------------------------------------


def _next_order(audit: Audit) -> int:
    return (audit.checklist.aggregate(m=Max("sort_order"))["m"] or 0) + 10


def _checklist_open(audit: Audit) -> None:
    if audit.status not in EDITABLE_AUDIT_STATUSES:
        raise ValidationError(_("Checklist points are added to a planned audit or one in progress."))


@transaction.atomic
def audit_checklist_from_template(*, actor, audit: Audit, template: ChecklistTemplate) -> list[AuditChecklistItem]:
    """Append the template's questions to the audit's checklist. A question already on it (same clause and text)
    is not added again, so copying a template twice adds nothing; when everything is there already, it says so."""
    require(actor, CONDUCT)
    audit = _locked(audit)
    _checklist_open(audit)
    template = ChecklistTemplate.objects.get(pk=template.pk)
    if not template.is_active:
        raise ValidationError({"template": _("This checklist template is no longer in use.")})
    have = set(audit.checklist.values_list("clause_id", "question"))
    questions = [q for q in template.questions.order_by("sort_order", "id") if (q.clause_id, q.question) not in have]
    if not questions:
        raise ValidationError({"template": _("The checklist already holds every question of “%(template)s”.")
                               % {"template": template.name}})
    order = _next_order(audit)
    with acting_as(actor):
        items = [AuditChecklistItem(audit=audit, clause_id=q.clause_id, question=q.question, guidance=q.guidance,
                                    sort_order=order + i * 10) for i, q in enumerate(questions)]
        for item in items:
            item.save()
        audit_event("audit.checklist_from_template", actor=actor, obj=audit, template=template.pk,
                    added=len(items))
    return items


@transaction.atomic
def audit_checklist_item_add(*, actor, audit: Audit, question: str, clause=None, guidance: str = ""
                             ) -> AuditChecklistItem:
    require(actor, CONDUCT)
    audit = _locked(audit)
    _checklist_open(audit)
    with acting_as(actor):
        item = AuditChecklistItem(audit=audit, clause=clause, question=(question or "").strip(),
                                  guidance=(guidance or "").strip(), sort_order=_next_order(audit))
        item.full_clean()
        item.save()
        audit_event("audit.checklist_add", actor=actor, obj=audit, item=item.pk)
    return item


@transaction.atomic
def audit_checklist_answer(*, actor, audit: Audit, answers: dict) -> list[AuditChecklistItem]:
    """Answer checklist points while the audit is in progress: ``answers`` = {item id: {"result": …,
    "evidence": …}}. A point answered "conforms" or worse says what was seen."""
    require(actor, CONDUCT)
    audit = _locked(audit)
    if audit.status != AuditStatus.IN_PROGRESS:
        raise ValidationError(_("The checklist is answered while the audit is in progress."))
    try:
        answers = {int(pk): value for pk, value in (answers or {}).items()}
    except (TypeError, ValueError):
        raise ValidationError({"answers": _("Name each point by its number.")}) from None
    items = {item.pk: item for item in audit.checklist.filter(pk__in=answers)}
    unknown = set(answers) - set(items)
    if unknown:
        raise ValidationError({"answers": _("These points are not part of this audit's checklist: %(ids)s")
                               % {"ids": ", ".join(map(str, sorted(unknown)))}})
    valid = {value for value, _label in CheckResult.choices}
    changed = []
    errors = []
    for pk, answer in answers.items():
        item = items[pk]
        answer = answer if isinstance(answer, dict) else {"result": answer}
        result = answer.get("result", item.result) or ""
        evidence = str(answer.get("evidence", item.evidence) or "").strip()
        if result not in valid:
            errors.append(_("%(question)s: unknown result “%(result)s”.") % {"question": item.question,
                                                                            "result": result})
            continue
        if result and not evidence:
            errors.append(_("%(question)s: say what evidence was seen.") % {"question": item.question})
            continue
        if (item.result, item.evidence) != (result, evidence):
            item.result, item.evidence = result, evidence
            changed.append(item)
    if errors:
        raise ValidationError({"answers": errors})
    with acting_as(actor):
        for item in changed:
            item.save()
        if changed:
            audit_event("audit.checklist_answer", actor=actor, obj=audit, items=[i.pk for i in changed])
    return changed


# --- findings -----------------------------------------------------------------------------------------------------


def may_record_findings(audit: Audit) -> bool:
    return audit.status == AuditStatus.IN_PROGRESS or (
        audit.kind == AuditKind.EXTERNAL and audit.status == AuditStatus.REPORTED)


def _finding_rules(audit: Audit, finding: Finding) -> None:
    errors: dict[str, list] = {}
    if not finding.grade:
        errors["grade"] = [_("Grade the finding: observation, minor or major nonconformity.")]
    if not finding.clause_id:
        errors["clause"] = [_("Name the ISO 9001 clause the finding is about.")]
    estates = list(audit.estates.all())
    if finding.estate_id is None and len(estates) == 1:
        finding.estate = estates[0]
    elif finding.estate_id is not None and finding.estate_id not in {e.pk for e in estates}:
        errors["estate"] = [_("The estate is not one of the audit's estates.")]
    departments = list(audit.departments.all())
    if finding.department_id is None and len(departments) == 1:
        finding.department = departments[0]
    elif finding.department_id is not None and departments and finding.department_id not in {
            d.pk for d in departments}:
        errors["department"] = [_("The department is not one of the audited departments.")]
    if finding.checklist_item_id is not None and finding.checklist_item.audit_id != audit.pk:
        errors["checklist_item"] = [_("The checklist point belongs to another audit.")]
    if isinstance(finding.found_on, dt.date):
        if finding.found_on > timezone.localdate():
            errors["found_on"] = [_("The date cannot be in the future.")]
        elif audit.started_on and finding.found_on < audit.started_on:
            errors["found_on"] = [_("A finding is found once the audit has started (%(date)s).")
                                  % {"date": f"{audit.started_on:%Y-%m-%d}"}]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def finding_record(*, actor, audit: Audit, grade: str, clause, statement: str, evidence: str,
                   found_on: dt.date | None = None, estate=None, department=None, checklist_item=None,
                   files=()) -> Finding:
    """A finding of an audit in progress (of an external audit also once reported), numbered 1, 2 … per audit."""
    require(actor, "quality.add_finding")
    audit = _locked(audit)
    if not may_record_findings(audit):
        raise ValidationError(_("Findings are recorded while the audit is in progress (for an external audit, "
                                "also once reported). This audit is %(status)s.")
                              % {"status": audit.get_status_display()})
    finding = Finding(audit=audit, grade=grade or "", clause=clause, statement=(statement or "").strip(),
                      evidence=(evidence or "").strip(), found_on=found_on or timezone.localdate(), estate=estate,
                      department=department, checklist_item=checklist_item)
    _finding_rules(audit, finding)
    finding.number = (audit.findings.aggregate(m=Max("number"))["m"] or 0) + 1
    with acting_as(actor):
        finding.full_clean()
        finding.save()
        audit_event("finding.record", actor=actor, obj=finding, audit=audit.pk, grade=finding.grade,
                    estate_id=finding.estate_id)
    for upload in files or ():
        finding_add_file(actor=actor, finding=finding, upload=upload)
    return finding


@transaction.atomic
def finding_update(*, actor, finding: Finding, **fields) -> Finding:
    """Correct a finding while findings may still be recorded on its audit."""
    require(actor, "quality.change_finding")
    unknown = set(fields) - set(FINDING_FIELDS)
    if unknown:
        raise TypeError(f"unknown finding fields: {sorted(unknown)}")
    finding = Finding.objects.select_for_update().get(pk=finding.pk)
    audit = _locked(finding.audit)
    if not may_record_findings(audit):
        raise ValidationError(_("The audit is %(status)s: its findings no longer change.")
                              % {"status": audit.get_status_display()})
    changed = sorted(name for name, value in fields.items() if getattr(finding, name) != value)
    for name in changed:
        setattr(finding, name, fields[name])
    if "grade" in changed and finding.grade not in NONCONFORMITY_GRADES and hasattr(finding, "corrective_action"):
        raise ValidationError({"grade": _("This finding has a corrective action: it stays a nonconformity.")})
    _finding_rules(audit, finding)
    if not changed:
        return finding
    with acting_as(actor):
        finding.full_clean()
        finding.save()
        audit_event("finding.update", actor=actor, obj=finding, fields=changed)
    return finding


def finding_add_file(*, actor, finding: Finding, upload, note: str = ""):
    """Evidence (a photo, a scanned record) attached to a finding."""
    from .files import quality_file_add

    require(actor, "quality.change_finding")
    return quality_file_add(actor=actor, owner=finding, upload=upload, note=note)


# --- checklist templates ------------------------------------------------------------------------------------------


@transaction.atomic
def checklist_template_create(*, actor, name: str, description: str = "") -> ChecklistTemplate:
    require(actor, "quality.add_checklisttemplate")
    with acting_as(actor):
        template = ChecklistTemplate(name=(name or "").strip(), description=description or "")
        template.full_clean()
        template.save()
        audit_event("checklist_template.create", actor=actor, obj=template)
    return template


@transaction.atomic
def checklist_template_update(*, actor, template: ChecklistTemplate, **fields) -> ChecklistTemplate:
    """Rename, describe, or take out of use (``is_active=False``; it stays on record)."""
    require(actor, "quality.change_checklisttemplate")
    unknown = set(fields) - {"name", "description", "is_active"}
    if unknown:
        raise TypeError(f"unknown template fields: {sorted(unknown)}")
    template = ChecklistTemplate.objects.select_for_update().get(pk=template.pk)
    changed = sorted(name for name, value in fields.items() if getattr(template, name) != value)
    for name in changed:
        setattr(template, name, fields[name])
    with acting_as(actor):
        template.full_clean()
        if changed:
            template.save()
            audit_event("checklist_template.update", actor=actor, obj=template, fields=changed)
    return template


@transaction.atomic
def template_question_add(*, actor, template: ChecklistTemplate, question: str, clause=None, guidance: str = "",
                          sort_order: int | None = None) -> TemplateQuestion:
    require(actor, "quality.add_templatequestion")
    if sort_order is None:
        sort_order = (template.questions.aggregate(m=Max("sort_order"))["m"] or 0) + 10
    with acting_as(actor):
        item = TemplateQuestion(template=template, question=(question or "").strip(), clause=clause,
                                guidance=(guidance or "").strip(), sort_order=sort_order)
        item.full_clean()
        item.save()
        audit_event("checklist_template.question_add", actor=actor, obj=template, question=item.pk)
    return item


@transaction.atomic
def template_question_update(*, actor, question: TemplateQuestion, **fields) -> TemplateQuestion:
    require(actor, "quality.change_templatequestion")
    unknown = set(fields) - {"question", "clause", "guidance", "sort_order"}
    if unknown:
        raise TypeError(f"unknown question fields: {sorted(unknown)}")
    question = TemplateQuestion.objects.select_for_update().get(pk=question.pk)
    changed = sorted(name for name, value in fields.items() if getattr(question, name) != value)
    for name in changed:
        setattr(question, name, fields[name])
    with acting_as(actor):
        question.full_clean()
        if changed:
            question.save()
            audit_event("checklist_template.question_update", actor=actor, obj=question.template,
                        question=question.pk, fields=changed)
    return question


# --- the yearly limit of external findings (seed 3.3) -------------------------------------------------------------


@transaction.atomic
def finding_limit_create(*, actor, year: int, limit: int, note: str = "") -> FindingLimit:
    require(actor, "quality.add_findinglimit")
    with acting_as(actor):
        item = FindingLimit(year=year, limit=limit, note=(note or "").strip())
        item.full_clean()
        item.save()
        audit_event("finding_limit.create", actor=actor, obj=item, year=year, limit=limit)
    return item


@transaction.atomic
def finding_limit_update(*, actor, finding_limit: FindingLimit, **fields) -> FindingLimit:
    require(actor, "quality.change_findinglimit")
    unknown = set(fields) - {"year", "limit", "note"}
    if unknown:
        raise TypeError(f"unknown limit fields: {sorted(unknown)}")
    item = FindingLimit.objects.select_for_update().get(pk=finding_limit.pk)
    changed = sorted(name for name, value in fields.items() if getattr(item, name) != value)
    for name in changed:
        setattr(item, name, fields[name])
    with acting_as(actor):
        item.full_clean()
        if changed:
            item.save()
            audit_event("finding_limit.update", actor=actor, obj=item, fields=changed, limit=item.limit)
    return item
