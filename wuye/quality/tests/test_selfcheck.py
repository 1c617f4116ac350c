"""The self-check against the standard: every clause of sections 1–3 is listed, each traffic light follows the
records (missing → present, fresh → stale), links are shown only to those who may open them, the page and its Excel
are refused without the permission."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from wuye.quality.choices import (
    AuditKind,
    AuditStatus,
    FindingGrade,
    PolicyStatus,
    ReviewStatus,
)
from wuye.quality.models import Audit, Finding, FindingLimit, IsoClause, ManagementReview, QualityPolicy
from wuye.quality.selectors import selfcheck

pytestmark = pytest.mark.django_db

STANDARD = Path(__file__).resolve().parents[3] / "docs" / "standard" / "standard.zh-Hans.txt"

SEED_CLAUSES = ["1.1", "1.2", "1.3", "1.4", "1.5", "1.6", "1.7", "1.8", "1.9", "1.10",
                "2.1", "2.2", "2.3", "2.4", "2.5", "2.6", "2.7", "2.8", "2.9", "2.10", "2.11", "2.12", "2.13", "2.14",
                "3.1", "3.2", "3.3"]


def _status(clause: str, today=None, user=None) -> str:
    for _number, _title, rows in selfcheck.self_check(user, today=today):
        for row in rows:
            if row.number == clause:
                return row.check.status
    raise AssertionError(clause)


def _external_audit(world, estate, today, n_findings: int, grade=FindingGrade.MINOR) -> Audit:
    audit = Audit.objects.create(number=f"AU-{today.year}-{Audit.objects.count() + 1:02d}", kind=AuditKind.EXTERNAL,
                                 certification_body="CQC", title="外审", scope="客服", planned_start=today,
                                 planned_end=today, status=AuditStatus.REPORTED, reported_on=today)
    audit.estates.add(estate)
    clause = IsoClause.objects.get(number="8.2.1")
    for i in range(n_findings):
        Finding.objects.create(audit=audit, number=i + 1, grade=grade, clause=clause, estate=estate,
                               statement="回访记录不全", evidence="抽查 10 单", found_on=today)
    return audit


def test_every_clause_of_the_standard_is_listed(world):
    sections = selfcheck.self_check()
    assert [number for number, _title, _rows in sections] == ["1", "2", "3"]
    listed = [row.number for _n, _t, rows in sections for row in rows]
    assert listed == SEED_CLAUSES
    # the requirement texts are the standard's own words (the copy kept in docs/standard/)
    text = STANDARD.read_text(encoding="utf-8")
    for _n, _t, rows in sections:
        for row in rows:
            assert f"{row.number}{row.text}" in text, row.number


def test_policy_clause_goes_green_when_a_policy_is_approved_and_published(world):
    assert _status("1.8") == "missing"
    QualityPolicy.objects.create(version=1, title="质量方针", statement="顾客满意", status=PolicyStatus.PUBLISHED,
                                 approved_by=world.users["executive"], approved_on=timezone.localdate(),
                                 published_on=timezone.localdate())
    assert _status("1.8") == "present"


def test_management_review_clause_turns_amber_after_twelve_months(world):
    held = dt.date(2025, 6, 30)
    ManagementReview.objects.create(number="MR-2025-01", title="2025 年度管理评审", period_start=dt.date(2024, 7, 1),
                                    period_end=dt.date(2025, 6, 30), planned_on=held, held_on=held,
                                    status=ReviewStatus.HELD)
    assert _status("1.9", today=dt.date(2026, 6, 30)) == "present"
    assert _status("1.9", today=dt.date(2026, 7, 1)) == "stale"


def test_external_findings_clause_follows_the_company_limit(world):
    today = timezone.localdate()
    _external_audit(world, world.estate_a, today, 2)
    assert _status("3.3") == "stale"          # no limit set: shown, not judged
    FindingLimit.objects.create(year=today.year, limit=3)
    assert _status("3.3") == "present"        # 2 < 3
    _external_audit(world, world.estate_a, today, 1, grade=FindingGrade.OBSERVATION)
    assert _status("3.3") == "stale"          # 3 = 3: reached
    _external_audit(world, world.estate_a, today, 1, grade=FindingGrade.MAJOR)
    assert _status("3.3") == "stale"          # a major nonconformity is not counted
    _external_audit(world, world.estate_b, today, 1)
    _external_audit(world, world.estate_a, today, 1)
    assert _status("3.3") == "missing"        # 4 > 3: over the limit


def test_internal_audit_clause_needs_a_report_within_a_year(world):
    today = timezone.localdate()
    assert _status("3.1") == "missing"
    Audit.objects.create(number="AU-X-01", kind=AuditKind.INTERNAL, title="内审", scope="客服",
                         planned_start=today - dt.timedelta(days=400), planned_end=today - dt.timedelta(days=399),
                         status=AuditStatus.CLOSED, reported_on=today - dt.timedelta(days=399))
    assert _status("3.1") == "stale"
    Audit.objects.create(number="AU-X-02", kind=AuditKind.INTERNAL, title="内审", scope="客服",
                         planned_start=today - dt.timedelta(days=10), planned_end=today - dt.timedelta(days=9),
                         status=AuditStatus.REPORTED, reported_on=today - dt.timedelta(days=9))
    assert _status("3.1") == "present"


def test_page_lists_the_clauses_and_hides_links_the_user_may_not_open(world, client_for):
    response = client_for("quality_auditor").get(reverse("quality:selfcheck"))
    assert response.status_code == 200
    body = response.content.decode()
    for clause in SEED_CLAUSES:
        assert f'data-clause="{clause}"' in body
    assert reverse("core:backuprun_list") not in body       # backups are the administrator's
    admin = client_for("admin").get(reverse("quality:selfcheck")).content.decode()
    assert reverse("core:backuprun_list") in admin


@pytest.mark.parametrize("role", ["agent", "resident"])
def test_page_is_refused_without_the_permission(world, client_for, role):
    assert client_for(role).get(reverse("quality:selfcheck")).status_code == 403


def test_excel_has_one_row_per_clause_and_is_audited(world, client_for):
    from wuye.core.models import AuditEvent

    response = client_for("executive").get(reverse("quality:selfcheck") + "?export=xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in rows] == SEED_CLAUSES
    assert AuditEvent.objects.filter(event_type="report.export", data__report="quality_self_check").exists()
