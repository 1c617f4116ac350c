"""The quality system's demo (made through the services by the demo users, idempotent): a published policy approved
by top management, this year's plan with acknowledgements missing, external findings counted per estate against a
limit, corrective actions in several states, a management review compiled from all of it, meetings and a
confidential appeal; every demo user's quality pages open."""

from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from wuye.quality.choices import (
    ActionState,
    AuditKind,
    PlanStatus,
    PolicyStatus,
    ReviewStatus,
    ReviewTopic,
    SubmissionKind,
)
from wuye.quality.models import (
    CorrectiveAction,
    Finding,
    FindingLimit,
    ManagementReview,
    Meeting,
    QualityPolicy,
    Submission,
    WorkPlan,
)
from wuye.quality.selectors import audits as audit_selectors
from wuye.quality.selectors import plans as plan_selectors
from wuye.quality.selectors import selfcheck

pytestmark = pytest.mark.django_db


def _quality_counts() -> dict[str, int]:
    return {m._meta.label: m._default_manager.count() for m in apps.get_app_config("quality").get_models()}


def _load() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def test_demo_quality_system_tells_the_story_and_a_second_load_changes_nothing():
    _load()
    today = timezone.localdate()
    before = _quality_counts()

    policy = QualityPolicy.objects.get(status=PolicyStatus.PUBLISHED)
    assert policy.approved_by.username == "executive" and policy.objectives.count() >= 3

    plan = WorkPlan.objects.get(year=today.year, status=PlanStatus.PUBLISHED)
    summary = plan_selectors.acknowledgement_summary(plan)
    assert 0 < summary["acknowledged"] < summary["total"]   # 全员熟知 not reached yet: the plan shows who has not

    external = Finding.objects.filter(audit__kind=AuditKind.EXTERNAL, found_on__year=today.year)
    assert external.exists() and FindingLimit.objects.filter(year=today.year).exists()
    counts = audit_selectors.external_finding_counts(today.year)
    counted = (external.exclude(grade="major").exclude(audit__status="cancelled")
               .filter(estate__status="managed"))
    assert counted.exists() and sum(row.total for row in counts) == counted.count()

    states = set(CorrectiveAction.objects.values_list("state", flat=True))
    assert {ActionState.CLOSED, ActionState.IN_PROGRESS} <= states
    assert any(a.is_overdue(today) for a in CorrectiveAction.objects.all())

    review = ManagementReview.objects.get(status=ReviewStatus.PLANNED)
    assert set(review.inputs.values_list("topic", flat=True)) >= {ReviewTopic.AUDITS, ReviewTopic.CORRECTIVE_ACTIONS}
    assert ManagementReview.objects.filter(status=ReviewStatus.CLOSED).exists()

    assert Meeting.objects.filter(status="held").exists()
    appeal = Submission.objects.get(kind=SubmissionKind.APPEAL)
    assert appeal.confidential

    # the self-check has something green in every section
    for _number, _title, rows in selfcheck.self_check():
        assert any(row.check.status == "present" for row in rows)

    _load()
    assert _quality_counts() == before


def test_demo_users_open_the_quality_pages():
    _load()
    pages = [("quality.view_workplan", "quality:workplan_list"), ("quality.view_audit", "quality:audit_list"),
             ("quality.view_correctiveaction", "quality:correctiveaction_list"),
             ("quality.view_managementreview", "quality:managementreview_list"),
             ("quality.view_meeting", "quality:meeting_list"), ("quality.view_submission", "quality:submission_list"),
             ("quality.view_selfcheck", "quality:selfcheck"), ("quality.view_finding", "quality:finding_counts")]
    for username in ("executive", "quality_auditor", "cs_manager", "agent", "document_controller"):
        user = User.objects.get(username=username)
        client = Client()
        client.force_login(user)
        opened = 0
        for permission, name in pages:
            if user.has_perm(permission):
                assert client.get(reverse(name)).status_code == 200, (username, name)
                opened += 1
        assert opened, username
        assert client.get(reverse("home")).status_code == 200, username
