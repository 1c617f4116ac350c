"""Work plans: publishing asks everyone in scope to acknowledge (notifications), acknowledgements are per
publication (a republished plan is acknowledged again), out-of-scope staff are refused, milestone progress."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from wuye.core.models import Notification
from wuye.org.models import Acknowledgement
from wuye.org.tests.factories import DepartmentFactory, PostFactory, StaffFactory, UserFactory
from wuye.quality import services
from wuye.quality.choices import MilestoneKind, MilestoneStatus, PlanStatus
from wuye.quality.models import PlanPublication
from wuye.quality.selectors.plans import (
    acknowledgement_summary,
    milestone_progress,
    milestones_of,
    pending_plans_for,
    plan_acknowledgements,
)
from wuye.quality.tests.factories_policy import plan, published_plan

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """The refusals are matched by their English words here; the Chinese wording is checked on the pages."""
    from django.utils import translation

    with translation.override("en"):
        yield

STAFF_ROLES = ("agent", "cs_manager", "document_controller", "quality_auditor", "executive", "admin")


def _other_department_staff(world):
    department = DepartmentFactory(company=world.company, name="工程部", code="eng")
    post = PostFactory(department=department)
    return StaffFactory(user=UserFactory(username="engineer", roles=["agent"]), post=post, department=department)


def test_publish_notifies_everyone_in_scope(world):
    engineer = _other_department_staff(world)
    work_plan = plan(world, scope=[world.department])
    publication = services.work_plan_publish(actor=world.users["cs_manager"], plan=work_plan, note="首次发布")
    work_plan.refresh_from_db()
    assert (work_plan.status, work_plan.version, publication.version) == (PlanStatus.PUBLISHED, 1, 1)
    notified = set(Notification.objects.filter(key__startswith=f"quality:workplan:{work_plan.pk}:")
                   .values_list("recipient__username", flat=True))
    assert notified == {world.users[r].username for r in STAFF_ROLES}
    assert engineer.user.username not in notified


def test_empty_scope_means_every_staff_member(world):
    engineer = _other_department_staff(world)
    work_plan = published_plan(world)
    assert engineer in plan_acknowledgements(work_plan)
    assert Notification.objects.filter(recipient=engineer.user).exists()


def test_publish_needs_permission_and_milestones(world):
    work_plan = plan(world, milestones=0)
    with pytest.raises(ValidationError, match="milestones"):
        services.work_plan_publish(actor=world.users["cs_manager"], plan=work_plan)
    work_plan = plan(world)
    with pytest.raises(PermissionDenied):
        services.work_plan_publish(actor=world.users["agent"], plan=work_plan)
    assert not PlanPublication.objects.exists()


def test_acknowledgements_are_per_publication(world):
    manager, agent = world.users["cs_manager"], world.users["agent"]
    work_plan = published_plan(world, scope=[world.department])
    services.work_plan_acknowledge(actor=agent, plan=work_plan)
    services.work_plan_acknowledge(actor=manager, plan=work_plan)
    summary = acknowledgement_summary(work_plan)
    assert (summary["acknowledged"], summary["total"]) == (2, len(STAFF_ROLES))
    assert world.staff["agent"] not in summary["pending"]
    assert world.staff["executive"] in summary["pending"]

    services.work_plan_update(actor=manager, plan=work_plan, targets="投诉处理及时率≥98%")
    publication = services.work_plan_publish(actor=manager, plan=work_plan, note="调整目标")
    assert publication.version == 2
    summary = acknowledgement_summary(work_plan)
    assert summary["publication"] == publication
    assert (summary["acknowledged"], summary["total"]) == (0, len(STAFF_ROLES))  # acks on v1 do not count for v2
    assert Acknowledgement.objects.count() == 2  # they are kept
    # the new publication is notified again
    assert Notification.objects.filter(recipient=agent, key__endswith=":publication:2").exists()
    assert list(pending_plans_for(agent)) == [work_plan]
    services.work_plan_acknowledge(actor=agent, plan=work_plan)
    assert acknowledgement_summary(work_plan)["acknowledged"] == 1
    assert list(pending_plans_for(agent)) == []
    rows = {s.pk: s.acknowledged_at for s in plan_acknowledgements(work_plan)}
    assert rows[world.staff["agent"].pk] is not None and rows[world.staff["cs_manager"].pk] is None


def test_acknowledge_refusals(world):
    engineer = _other_department_staff(world)
    agent = world.users["agent"]
    draft = plan(world, scope=[world.department])
    with pytest.raises(ValidationError, match="published"):
        services.work_plan_acknowledge(actor=agent, plan=draft)
    services.work_plan_publish(actor=world.users["cs_manager"], plan=draft)
    with pytest.raises(ValidationError, match="department"):
        services.work_plan_acknowledge(actor=engineer.user, plan=draft)
    with pytest.raises(ValidationError, match="staff"):
        services.work_plan_acknowledge(actor=world.users["resident"], plan=draft)
    services.work_plan_acknowledge(actor=agent, plan=draft)
    with pytest.raises(ValidationError, match="already"):
        services.work_plan_acknowledge(actor=agent, plan=draft)
    assert Acknowledgement.objects.count() == 1
    assert list(pending_plans_for(engineer.user)) == []
    services.work_plan_close(actor=world.users["cs_manager"], plan=draft)
    with pytest.raises(ValidationError, match="published"):
        services.work_plan_acknowledge(actor=world.users["executive"], plan=draft)
    assert list(pending_plans_for(world.users["executive"])) == []


def test_closed_plan_takes_no_changes(world):
    work_plan = published_plan(world)
    manager = world.users["cs_manager"]
    services.work_plan_close(actor=manager, plan=work_plan, note="年度结束")
    with pytest.raises(ValidationError, match="closed"):
        services.work_plan_update(actor=manager, plan=work_plan, title="x")
    with pytest.raises(ValidationError, match="closed"):
        services.milestone_add(actor=manager, plan=work_plan, title="x", due_on=dt.date(2030, 1, 1))
    with pytest.raises(ValidationError, match="closed"):
        services.work_plan_publish(actor=manager, plan=work_plan)
    with pytest.raises(ValidationError, match="closed"):
        services.work_plan_close(actor=manager, plan=work_plan)


def test_milestone_progress_and_overdue(world):
    manager = world.users["cs_manager"]
    today = timezone.localdate()
    work_plan = plan(world, milestones=0)
    phase = services.milestone_add(actor=manager, plan=work_plan, kind=MilestoneKind.PHASE, title="阶段一",
                                   due_on=today + dt.timedelta(days=30))
    late = services.milestone_add(actor=manager, plan=work_plan, phase=phase, title="逾期",
                                  due_on=today - dt.timedelta(days=1))
    done = services.milestone_add(actor=manager, plan=work_plan, phase=phase, title="完成",
                                  due_on=today - dt.timedelta(days=2))
    services.milestone_add(actor=manager, plan=work_plan, title="进行中", due_on=today + dt.timedelta(days=3),
                           status=MilestoneStatus.IN_PROGRESS)
    services.milestone_add(actor=manager, plan=work_plan, title="取消", due_on=today - dt.timedelta(days=9),
                           status=MilestoneStatus.CANCELLED)
    done = services.milestone_update(actor=manager, milestone=done, status=MilestoneStatus.DONE, note="已完成")
    assert done.done_on == today
    progress = milestone_progress(work_plan)
    assert (progress["total"], progress["done"], progress["in_progress"], progress["not_started"],
            progress["cancelled"], progress["overdue"], progress["percent"]) == (3, 1, 1, 1, 1, 1, 33)
    overdue = {m.title for m in milestones_of(work_plan) if m.is_overdue}
    assert overdue == {late.title}
    # back to in progress: the done date goes
    again = services.milestone_update(actor=manager, milestone=done, status=MilestoneStatus.IN_PROGRESS)
    assert again.done_on is None


def test_milestone_rules(world):
    manager = world.users["cs_manager"]
    work_plan = plan(world, milestones=1)
    other = plan(world, milestones=1, title="另一个计划")
    foreign_phase = other.milestones.get(kind=MilestoneKind.PHASE)
    with pytest.raises(ValidationError) as exc:
        services.milestone_add(actor=manager, plan=work_plan, phase=foreign_phase, title="x",
                               due_on=dt.date(2030, 1, 1))
    assert "phase" in exc.value.error_dict
    milestone = work_plan.milestones.get(kind=MilestoneKind.MILESTONE)
    with pytest.raises(ValidationError) as exc:
        services.milestone_add(actor=manager, plan=work_plan, phase=milestone, title="x", due_on=dt.date(2030, 1, 1))
    assert "phase" in exc.value.error_dict
    with pytest.raises(ValidationError) as exc:
        services.milestone_add(actor=manager, plan=work_plan, title="x", start_on=dt.date(2030, 2, 1),
                               due_on=dt.date(2030, 1, 1))
    assert "due_on" in exc.value.error_dict
    with pytest.raises(PermissionDenied):
        services.milestone_update(actor=world.users["agent"], milestone=milestone, status=MilestoneStatus.DONE)
    phase = work_plan.milestones.get(kind=MilestoneKind.PHASE)
    with pytest.raises(ValidationError) as exc:
        services.milestone_update(actor=manager, milestone=phase, kind=MilestoneKind.MILESTONE)
    assert "kind" in exc.value.error_dict
