"""Services of the audits subject: programme approval, the audit's steps, the auditors' independence, checklists
from templates, findings (grade and clause required) and closing only with corrective actions."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from wuye.core.models import AuditEvent
from wuye.quality import services
from wuye.quality.choices import AuditKind, AuditStatus, CheckResult, ProgrammeStatus
from wuye.quality.models import Audit, AuditChecklistItem, AuditProgramme, Finding, TemplateQuestion
from wuye.quality.tests.factories_audits import (
    audit_fields,
    clause,
    corrective_action_for,
    default_template,
    external_audit,
    make_audit,
    outside_auditor,
    record,
    started,
    today,
)

pytestmark = pytest.mark.django_db


def auditor(w):
    return w.users["quality_auditor"]


# --- programme ----------------------------------------------------------------------------------------------------


def test_programme_approved_by_top_management_records_who_and_when(world):
    programme = services.audit_programme_create(actor=auditor(world), year=today().year, title="年度审核方案")
    assert programme.status == ProgrammeStatus.DRAFT
    with pytest.raises(PermissionDenied):
        services.audit_programme_approve(actor=world.users["cs_manager"], programme=programme)
    services.audit_programme_approve(actor=world.users["executive"], programme=programme)
    programme.refresh_from_db()
    assert (programme.status, programme.approved_by, programme.approved_on) == (
        ProgrammeStatus.APPROVED, world.users["executive"], today())
    with pytest.raises(ValidationError):
        services.audit_programme_approve(actor=auditor(world), programme=programme)


def test_quality_auditor_may_approve_and_a_change_asks_for_approval_again(world):
    programme = services.audit_programme_create(actor=auditor(world), year=today().year, title="方案")
    services.audit_programme_approve(actor=auditor(world), programme=programme)
    services.audit_programme_update(actor=auditor(world), programme=programme, title="方案（修订）")
    programme.refresh_from_db()
    assert programme.status == ProgrammeStatus.DRAFT and programme.approved_by is None


def test_programme_year_is_unique(world):
    services.audit_programme_create(actor=auditor(world), year=2026, title="A")
    with pytest.raises(ValidationError) as exc:
        services.audit_programme_create(actor=auditor(world), year=2026, title="B")
    assert "year" in exc.value.message_dict
    assert AuditProgramme.objects.count() == 1


# --- the audit ----------------------------------------------------------------------------------------------------


def test_audits_are_numbered_per_year_of_their_planned_start(world):
    first = make_audit(world, planned_start=dt.date(2025, 3, 1))
    second = make_audit(world, planned_start=dt.date(2025, 6, 1))
    third = make_audit(world, planned_start=dt.date(2026, 1, 5))
    assert [first.number, second.number, third.number] == ["AU-2025-01", "AU-2025-02", "AU-2026-01"]
    assert set(first.estates.all()) == {world.estate_a} and first.clauses.count() == 2


def test_an_auditor_may_not_audit_their_own_department(world):
    lead = world.staff["quality_auditor"]  # of 客户服务部, the audited department
    with pytest.raises(ValidationError) as exc:
        make_audit(world, lead_auditor=lead)
    message = " ".join(exc.value.message_dict["lead_auditor"])
    assert lead.name in message and "客户服务部" in message
    assert not Audit.objects.exists()


def test_a_team_auditor_may_not_audit_their_own_department(world):
    with pytest.raises(ValidationError) as exc:
        make_audit(world, auditors=[world.staff["agent"]])
    assert world.staff["agent"].name in " ".join(exc.value.message_dict["auditors"])
    assert not Audit.objects.exists()


def test_changing_the_departments_checks_the_auditors_again(world):
    lead = outside_auditor(world)
    audit = make_audit(world, lead_auditor=lead, departments=[])
    with pytest.raises(ValidationError) as exc:
        services.audit_update(actor=auditor(world), audit=audit, departments=[lead.department])
    assert "工程部" in " ".join(exc.value.message_dict["lead_auditor"])
    assert audit.departments.count() == 0
    services.audit_update(actor=auditor(world), audit=audit, departments=[world.department])
    assert list(audit.departments.all()) == [world.department]


def test_an_external_audit_names_its_certification_body(world):
    with pytest.raises(ValidationError) as exc:
        make_audit(world, kind=AuditKind.EXTERNAL, lead_auditor=None, certification_body="")
    assert "certification_body" in exc.value.message_dict
    assert not Audit.objects.exists()


def test_an_internal_audit_has_a_lead_auditor(world):
    with pytest.raises(ValidationError) as exc:
        services.audit_create(actor=auditor(world), **{**audit_fields(world), "lead_auditor": None})
    assert "lead_auditor" in exc.value.message_dict


def test_an_audit_of_a_programme_is_planned_in_its_year(world):
    programme = services.audit_programme_create(actor=auditor(world), year=2025, title="2025")
    with pytest.raises(ValidationError) as exc:
        make_audit(world, programme=programme, planned_start=dt.date(2026, 2, 1))
    assert "planned_start" in exc.value.message_dict


def test_only_auditors_create_audits(world):
    with pytest.raises(PermissionDenied):
        make_audit(world, actor=world.users["cs_manager"])


def test_steps_start_report_close(world):
    audit = make_audit(world)
    with pytest.raises(PermissionDenied):
        services.audit_start(actor=world.users["cs_manager"], audit=audit)
    started(world, audit)
    audit.refresh_from_db()
    assert audit.status == AuditStatus.IN_PROGRESS and audit.started_on == today()
    finding = record(world, audit, grade="minor")
    record(world, audit, grade="observation")
    with pytest.raises(ValidationError) as exc:
        services.audit_report(actor=auditor(world), audit=audit, summary="  ")
    assert "summary" in exc.value.message_dict
    services.audit_report(actor=auditor(world), audit=audit, summary="体系运行基本有效。")
    audit.refresh_from_db()
    assert audit.status == AuditStatus.REPORTED and audit.reported_on == today()
    with pytest.raises(ValidationError) as exc:
        services.audit_close(actor=auditor(world), audit=audit)
    assert finding.reference in exc.value.messages[0]
    audit.refresh_from_db()
    assert audit.status == AuditStatus.REPORTED
    corrective_action_for(finding)
    services.audit_close(actor=auditor(world), audit=audit)
    audit.refresh_from_db()
    assert audit.status == AuditStatus.CLOSED and audit.closed_on == today()
    assert AuditEvent.objects.filter(event_type="audit.close", object_id=str(audit.pk)).exists()


def test_report_needs_every_checklist_nonconformity_recorded(world):
    audit = make_audit(world)
    started(world, audit)
    item = services.audit_checklist_item_add(actor=auditor(world), audit=audit, question="回访是否及时？")
    services.audit_checklist_answer(actor=auditor(world), audit=audit,
                                    answers={item.pk: {"result": CheckResult.NONCONFORMS, "evidence": "3 份未回访"}})
    with pytest.raises(ValidationError) as exc:
        services.audit_report(actor=auditor(world), audit=audit, summary="结论")
    assert "回访是否及时？" in exc.value.messages[0]
    record(world, audit, grade="observation", checklist_item=item)  # an observation is not its nonconformity
    with pytest.raises(ValidationError):
        services.audit_report(actor=auditor(world), audit=audit, summary="结论")
    record(world, audit, grade="minor", checklist_item=item)
    services.audit_report(actor=auditor(world), audit=audit, summary="结论")
    assert Audit.objects.get(pk=audit.pk).status == AuditStatus.REPORTED


def test_cancel_needs_a_reason_and_an_audit_not_yet_reported(world):
    audit = make_audit(world)
    with pytest.raises(ValidationError) as exc:
        services.audit_cancel(actor=auditor(world), audit=audit, reason=" ")
    assert "reason" in exc.value.message_dict
    services.audit_cancel(actor=auditor(world), audit=audit, reason="改为下季度进行")
    audit.refresh_from_db()
    assert (audit.status, audit.cancel_reason) == (AuditStatus.CANCELLED, "改为下季度进行")
    with pytest.raises(ValidationError):
        services.audit_start(actor=auditor(world), audit=audit)
    with pytest.raises(ValidationError):
        services.audit_update(actor=auditor(world), audit=audit, title="x")


# --- checklist ----------------------------------------------------------------------------------------------------


def test_checklist_from_template_appends_once(world):
    audit = make_audit(world)
    template = default_template()
    count = template.questions.count()
    assert count > 5
    own = services.audit_checklist_item_add(actor=auditor(world), audit=audit, question="自拟问题")
    items = services.audit_checklist_from_template(actor=auditor(world), audit=audit, template=template)
    assert len(items) == count and audit.checklist.count() == count + 1
    assert min(i.sort_order for i in items) > own.sort_order  # appended
    with pytest.raises(ValidationError) as exc:
        services.audit_checklist_from_template(actor=auditor(world), audit=audit, template=template)
    assert "template" in exc.value.message_dict
    assert audit.checklist.count() == count + 1
    TemplateQuestion.objects.create(template=template, question="新增问题", sort_order=999)
    added = services.audit_checklist_from_template(actor=auditor(world), audit=audit, template=template)
    assert [i.question for i in added] == ["新增问题"]


def test_checklist_answered_only_in_progress_with_evidence(world):
    audit = make_audit(world)
    item = services.audit_checklist_item_add(actor=auditor(world), audit=audit, question="Q", clause=clause("7.4"))
    with pytest.raises(ValidationError):
        services.audit_checklist_answer(actor=auditor(world), audit=audit, answers={item.pk: {"result": "conforms",
                                                                                               "evidence": "例会纪要"}})
    started(world, audit)
    with pytest.raises(ValidationError) as exc:
        services.audit_checklist_answer(actor=auditor(world), audit=audit, answers={item.pk: {"result": "conforms"}})
    assert "answers" in exc.value.message_dict
    services.audit_checklist_answer(actor=auditor(world), audit=audit,
                                    answers={item.pk: {"result": "conforms", "evidence": "例会纪要"}})
    item.refresh_from_db()
    assert (item.result, item.evidence) == ("conforms", "例会纪要")
    other = make_audit(world)
    stranger = services.audit_checklist_item_add(actor=auditor(world), audit=other, question="X")
    with pytest.raises(ValidationError):
        services.audit_checklist_answer(actor=auditor(world), audit=audit, answers={stranger.pk: {"result": ""}})


# --- findings -----------------------------------------------------------------------------------------------------


def test_a_finding_without_grade_or_clause_is_refused(world):
    audit = make_audit(world)
    started(world, audit)
    with pytest.raises(ValidationError) as exc:
        services.finding_record(actor=auditor(world), audit=audit, grade="", clause=None, statement="s",
                                evidence="e")
    assert {"grade", "clause"} <= set(exc.value.message_dict)
    assert not Finding.objects.exists()


def test_findings_are_numbered_per_audit_and_take_the_only_estate(world):
    audit = make_audit(world)
    started(world, audit)
    one, two = record(world, audit), record(world, audit, grade="observation")
    assert (one.number, two.number) == (1, 2) and one.reference == f"{audit.number}-01"
    assert one.estate == world.estate_a and one.department == world.department


def test_a_finding_estate_is_one_of_the_audit(world):
    audit = external_audit(world, estates=[world.estate_a, world.estate_b])
    started(world, audit)
    finding = record(world, audit, estate=world.estate_b)
    assert finding.estate == world.estate_b
    assert record(world, audit).estate is None  # two estates: no default
    lone = make_audit(world)
    started(world, lone)
    with pytest.raises(ValidationError) as exc:
        record(world, lone, estate=world.estate_b)
    assert "estate" in exc.value.message_dict


def test_findings_only_while_in_progress_or_for_an_external_report(world):
    audit = make_audit(world)
    with pytest.raises(ValidationError):
        record(world, audit)
    started(world, audit)
    services.audit_report(actor=auditor(world), audit=audit, summary="结论")
    with pytest.raises(ValidationError):
        record(world, audit)
    external = external_audit(world)
    started(world, external)
    services.audit_report(actor=auditor(world), audit=external, summary="认证机构现场审核结束")
    assert record(world, external, grade="observation", estate=world.estate_a).number == 1


def test_findings_need_the_permission(world):
    audit = make_audit(world)
    started(world, audit)
    with pytest.raises(PermissionDenied):
        services.finding_record(actor=world.users["cs_manager"], audit=audit, grade="minor", clause=clause(),
                                statement="s", evidence="e")


def test_a_finding_with_a_corrective_action_stays_a_nonconformity(world):
    audit = make_audit(world)
    started(world, audit)
    finding = record(world, audit, grade="minor")
    corrective_action_for(finding)
    with pytest.raises(ValidationError):
        services.finding_update(actor=auditor(world), finding=finding, grade="observation")
    services.finding_update(actor=auditor(world), finding=finding, grade="major")
    assert Finding.objects.get(pk=finding.pk).grade == "major"


def test_template_questions_in_order_and_deactivation(world):
    template = services.checklist_template_create(actor=auditor(world), name="工程部检查表")
    first = services.template_question_add(actor=auditor(world), template=template, question="一")
    second = services.template_question_add(actor=auditor(world), template=template, question="二")
    assert second.sort_order > first.sort_order
    services.checklist_template_update(actor=auditor(world), template=template, is_active=False)
    audit = make_audit(world)
    with pytest.raises(ValidationError):
        services.audit_checklist_from_template(actor=auditor(world), audit=audit, template=template)
    assert not AuditChecklistItem.objects.filter(audit=audit).exists()
