"""Demo training data: this year's plan with 6 trainings, approved by someone other than its drafter, 4 sessions
held with scores, 1 past its date without a record, 1 to come; a second load changes nothing."""

from io import StringIO

import pytest
from django.core.management.color import no_style
from django.utils import timezone

from wuye.core import demo as core_demo
from wuye.org import demo as org_demo
from wuye.training import demo, selectors
from wuye.training.choices import PlanStatus, SessionStatus
from wuye.training.models import Attendance, PlanItem, TrainingPlan, TrainingSession

pytestmark = pytest.mark.django_db


def _rows():
    return (list(TrainingPlan.objects.values_list("pk", "status", "updated_at")),
            list(PlanItem.objects.values_list("pk", "updated_at")),
            list(TrainingSession.objects.values_list("pk", "status", "updated_at")),
            list(Attendance.objects.values_list("pk", "attended", "score", "updated_at")))


def test_demo_training_and_a_second_load_changes_nothing():
    out = StringIO()
    core_demo.load(stdout=out, style=no_style())
    org_demo.load(stdout=out, style=no_style())
    assert demo.load(stdout=out, style=no_style()) == []
    plan = TrainingPlan.objects.get()
    assert plan.status == PlanStatus.APPROVED
    assert plan.created_by.username == "cs_manager" and plan.approved_by.username == "executive"
    assert plan.items.count() == 6
    today = timezone.localdate()
    if (today.month, today.day) >= (3, 1):  # enough days of the year behind us for four held sessions
        held = TrainingSession.objects.filter(status=SessionStatus.HELD)
        assert held.count() == 4
        assert Attendance.objects.filter(session__in=held, score__isnull=False).count() >= 8
        assert selectors.sessions_without_record(today).count() == 1
    before = _rows()
    again = StringIO()
    demo.load(stdout=again, style=no_style())
    assert "(0 changes)" in again.getvalue()
    assert _rows() == before
