"""The quality loop through the real pages, in Chinese: the quality auditor records an internal audit of the
customer-service department with a minor nonconformity and raises its corrective action; the department head (the
customer-service manager) plans it; its owner (an agent) completes it; the owner may not verify it, top management
does; the management review of the year, compiled from wuye, shows the audit and the closed action in its inputs."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from wuye.org.tests.factories import DepartmentFactory, PostFactory
from wuye.quality.choices import ActionState, AuditStatus, Effectiveness, FindingGrade
from wuye.quality.models import Audit, CorrectiveAction, Finding, IsoClause, ManagementReview

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _submit(page):
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()


def _as(page, login, user):
    page.context.clear_cookies()
    login(page, user)


def test_audit_finding_corrective_action_and_management_review(page, live_url, login, world):
    today = timezone.localdate()
    # the auditor belongs to the quality department: an auditor may not audit their own department
    quality = DepartmentFactory(company=world.company, name="品质管理部", code="qa")
    auditor_staff = world.staff["quality_auditor"]
    auditor_staff.department, auditor_staff.post = quality, PostFactory(department=quality, name="内审员", code="qa")
    auditor_staff.save()
    owner = world.staff["agent"]

    # 1. the auditor plans the internal audit of the customer-service department and starts it
    _as(page, login, world.users["quality_auditor"])
    page.goto(live_url("quality:audit_add"))
    page.fill("#id_title", "客服部年度内审")
    page.fill("#id_scope", "客户服务部：报修、投诉受理与回访")
    page.select_option("#id_departments", str(world.department.pk))
    page.select_option("#id_estates", str(world.estate_a.pk))
    page.select_option("#id_clauses", [str(IsoClause.objects.get(number=n).pk) for n in ("8.2.1", "9.1.2")])
    page.select_option("#id_lead_auditor", str(auditor_staff.pk))
    page.fill("#id_planned_start", today.isoformat())
    page.fill("#id_planned_end", today.isoformat())
    _submit(page)
    audit = Audit.objects.get(title="客服部年度内审")
    assert audit.status == AuditStatus.PLANNED and audit.number.startswith(f"AU-{today.year}-")
    page.locator("a.step-start").click()
    _submit(page)
    audit.refresh_from_db()
    assert audit.status == AuditStatus.IN_PROGRESS

    # 2. … records a minor nonconformity against clause 8.2.1, with its evidence
    page.goto(live_url("quality:audit", audit.pk))
    page.locator("a.action-add-finding").click()
    page.select_option("#id_grade", FindingGrade.MINOR.value)
    page.select_option("#id_clause", str(IsoClause.objects.get(number="8.2.1").pk))
    page.fill("#id_statement", "部分投诉办结后未在 24 小时内回访")
    page.fill("#id_evidence", "抽查 2026 年 10 月投诉 20 单，3 单无回访记录")
    _submit(page)
    finding = Finding.objects.get(audit=audit)
    assert finding.grade == FindingGrade.MINOR and finding.clause.number == "8.2.1"

    # 3. … raises the corrective action from the finding and sends it to cause analysis with the cause
    page.goto(live_url("quality:finding", finding.pk))
    page.locator("a.raise-action").click()
    _submit(page)
    action = CorrectiveAction.objects.get(finding=finding)
    assert action.state == ActionState.DRAFT and action.grade == FindingGrade.MINOR
    page.locator("a.step-submit").click()
    _submit(page)
    page.locator("a.step-cause").click()
    page.fill("#id_immediate_correction", "三单已补做回访")
    page.fill("#id_root_cause", "回访任务未纳入每日交班清单")
    _submit(page)
    action.refresh_from_db()
    assert action.state == ActionState.ACTION_PLAN

    # 4. the department head plans the action: what, who, by when
    _as(page, login, world.users["cs_manager"])
    page.goto(live_url("quality:correctiveaction", action.pk))
    page.locator("a.step-plan").click()
    page.fill("#id_action_plan", "回访任务列入每日交班清单，经理每周抽查")
    page.select_option("#id_owner", str(owner.pk))
    page.fill("#id_due_on", (today + dt.timedelta(days=14)).isoformat())
    _submit(page)
    action.refresh_from_db()
    assert action.state == ActionState.IN_PROGRESS and action.owner == owner

    # 5. the owner completes it and is not offered the verification (someone else verifies)
    _as(page, login, world.users["agent"])
    page.goto(live_url("quality:correctiveaction", action.pk))
    page.locator("a.step-complete").click()
    page.fill("#id_completion_note", "交班清单已增加回访栏，11 月抽查 30 单全部按时回访")
    _submit(page)
    action.refresh_from_db()
    assert action.state == ActionState.VERIFICATION
    expect(page.locator("a.step-verify")).to_have_count(0)

    # 6. top management verifies it as effective: closed
    _as(page, login, world.users["executive"])
    page.goto(live_url("quality:correctiveaction", action.pk))
    page.locator("a.step-verify").click()
    page.locator("#id_effectiveness").select_option(Effectiveness.EFFECTIVE.value)
    page.fill("#id_note", "抽查 12 月投诉 15 单，均在 24 小时内回访")
    _submit(page)
    action.refresh_from_db()
    assert action.state == ActionState.CLOSED and action.verifier == world.users["executive"]

    # 7. the management review of the year, compiled from wuye, shows the audit and the closed action
    page.goto(live_url("quality:managementreview_add"))
    page.fill("#id_title", f"{today.year} 年度管理评审")
    page.fill("#id_period_start", dt.date(today.year, 1, 1).isoformat())
    page.fill("#id_period_end", dt.date(today.year, 12, 31).isoformat())
    page.fill("#id_planned_on", today.isoformat())
    _submit(page)
    review = ManagementReview.objects.get(title=f"{today.year} 年度管理评审")
    page.locator("a.step-compile").click()
    _submit(page)
    assert review.inputs.count() >= 6
    main = page.locator("main")
    expect(main).to_contain_text(audit.number)
    expect(page.locator("table.review-actions")).to_contain_text(action.number)
    expect(page.locator("table.review-actions")).to_contain_text("有效")
