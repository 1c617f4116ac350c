"""Services of the quality policy and objectives: versions, approval by top management only, publishing that
supersedes, objectives frozen outside drafts, hand measurements with evidence files."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from wuye.core.models import AuditEvent
from wuye.documents.tests.factories import text_file
from wuye.quality import services
from wuye.quality.choices import Metric, PolicyStatus
from wuye.quality.models import ObjectiveMeasurement, QualityPolicy
from wuye.quality.services.files import files_of
from wuye.quality.tests.factories_policy import approved_policy, draft_policy, manual_objective, published_policy

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """The refusals are matched by their English words here; the Chinese wording is checked on the pages."""
    from django.utils import translation

    with translation.override("en"):
        yield


def test_versions_count_up(world):
    first = draft_policy(world)
    second = draft_policy(world)
    assert (first.version, second.version) == (1, 2)
    assert first.status == PolicyStatus.DRAFT


def test_only_the_executive_approves_even_their_own_draft(world):
    policy = draft_policy(world)
    auditor = world.users["quality_auditor"]
    assert policy.created_by == auditor
    with pytest.raises(PermissionDenied, match="executive"):
        services.quality_policy_approve(actor=auditor, policy=policy)
    policy.refresh_from_db()
    assert policy.status == PolicyStatus.DRAFT and policy.approved_by is None and policy.approved_on is None
    assert not AuditEvent.objects.filter(event_type="quality_policy.approve").exists()

    executive = world.users["executive"]
    services.quality_policy_approve(actor=executive, policy=policy)
    policy.refresh_from_db()
    assert policy.status == PolicyStatus.APPROVED
    assert policy.approved_by == executive and policy.approved_on == timezone.localdate()
    assert AuditEvent.objects.filter(event_type="quality_policy.approve", object_id=str(policy.pk)).exists()


def test_approval_needs_objectives_and_a_draft(world):
    policy = draft_policy(world, objectives=())
    with pytest.raises(ValidationError, match="objectives"):
        services.quality_policy_approve(actor=world.users["executive"], policy=policy)
    policy = approved_policy(world)
    with pytest.raises(ValidationError):
        services.quality_policy_approve(actor=world.users["executive"], policy=policy)


def test_publish_needs_approval_and_supersedes_the_previous_version(world):
    auditor = world.users["quality_auditor"]
    draft = draft_policy(world)
    with pytest.raises(ValidationError, match="approved"):
        services.quality_policy_publish(actor=auditor, policy=draft)
    with pytest.raises(PermissionDenied):
        services.quality_policy_publish(actor=world.users["agent"], policy=draft)
    first = published_policy(world)
    assert first.status == PolicyStatus.PUBLISHED and first.published_on == timezone.localdate()
    second = approved_policy(world)
    services.quality_policy_publish(actor=auditor, policy=second)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (PolicyStatus.SUPERSEDED, PolicyStatus.PUBLISHED)
    assert QualityPolicy.objects.filter(status=PolicyStatus.PUBLISHED).count() == 1


def test_drafts_only_are_changed(world):
    auditor = world.users["quality_auditor"]
    policy = published_policy(world)
    with pytest.raises(ValidationError, match="draft"):
        services.quality_policy_update(actor=auditor, policy=policy, title="改")
    with pytest.raises(ValidationError, match="draft"):
        services.quality_objective_add(actor=auditor, policy=policy, title="新目标", metric=Metric.MANUAL,
                                       target=Decimal("1"))
    objective = policy.objectives.first()
    with pytest.raises(ValidationError, match="draft"):
        services.quality_objective_update(actor=auditor, objective=objective, target=Decimal("50"))
    objective.refresh_from_db()
    assert objective.target == Decimal("98")
    draft = draft_policy(world)
    services.quality_policy_update(actor=auditor, policy=draft, title="新方针")
    draft.refresh_from_db()
    assert draft.title == "新方针"


def test_a_new_draft_copies_the_published_objectives(world):
    published = published_policy(world, objectives=(("complaint_timely", "98"), ("manual", "100")))
    draft = services.quality_policy_create(actor=world.users["quality_auditor"], title="第二版",
                                           statement="……", copy_objectives=True)
    copied = list(draft.objectives.values_list("metric", "target"))
    assert copied == list(published.objectives.values_list("metric", "target"))
    assert published.objectives.count() == 2  # the originals stay with their version


def test_copy_without_a_published_version_is_refused(world):
    with pytest.raises(ValidationError) as exc:
        services.quality_policy_create(actor=world.users["quality_auditor"], title="x", statement="y",
                                       copy_objectives=True)
    assert "copy_objectives" in exc.value.error_dict
    assert not QualityPolicy.objects.exists()


def test_measurement_with_evidence(world):
    objective = manual_objective(world)
    year = timezone.localdate().year
    measurement = services.objective_measurement_record(
        actor=world.users["cs_manager"], objective=objective, period_start=dt.date(year, 1, 1),
        period_end=dt.date(year, 6, 30), value=Decimal("100"), note="抽查20次", files=[text_file()])
    assert [f.name for f in files_of(measurement)] == ["程序.txt"]


def test_measurement_refused_for_computed_objectives_and_bad_periods(world):
    policy = published_policy(world, objectives=(("complaint_timely", "98"), ("manual", "100")))
    computed = policy.objectives.get(metric=Metric.COMPLAINT_TIMELY)
    manager = world.users["cs_manager"]
    with pytest.raises(ValidationError, match="computed"):
        services.objective_measurement_record(actor=manager, objective=computed, period_start=dt.date(2025, 1, 1),
                                              period_end=dt.date(2025, 12, 31), value=Decimal("99"))
    manual = policy.objectives.get(metric=Metric.MANUAL)
    with pytest.raises(ValidationError):
        services.objective_measurement_record(actor=manager, objective=manual, period_start=dt.date(2025, 2, 1),
                                              period_end=dt.date(2025, 1, 1), value=Decimal("99"))
    with pytest.raises(PermissionDenied):
        services.objective_measurement_record(actor=world.users["agent"], objective=manual,
                                              period_start=dt.date(2025, 1, 1), period_end=dt.date(2025, 1, 31),
                                              value=Decimal("99"))
    assert not ObjectiveMeasurement.objects.exists()
