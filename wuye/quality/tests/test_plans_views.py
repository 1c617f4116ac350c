"""Work plan pages: milestones with the overdue ones marked, the acknowledgement panel (N of M and who has not)
for editors only, the “I have read this plan” button and the home-page panel for a staff member."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from wuye.quality import services
from wuye.quality.choices import MilestoneStatus
from wuye.quality.models import Milestone, WorkPlan
from wuye.quality.tests.factories_policy import plan, published_plan

pytestmark = pytest.mark.django_db


def _counts(page: str) -> list[str]:
    """The numbers of "N of M acknowledged" (in whatever language)."""
    return re.findall(r"\d+", re.search(r'plan-ack-count"><strong>([^<]*)</strong>', page).group(1))


def test_plan_page_acknowledgements_and_button(world, client_for):
    work_plan = published_plan(world, scope=[world.department])
    manager_page = client_for("cs_manager").get(work_plan.get_absolute_url()).content.decode()
    assert "plan-acknowledgements" in manager_page
    assert _counts(manager_page) == ["0", "6"]
    assert manager_page.count("plan-ack-missing") == 6
    agent = client_for("agent")
    agent_page = agent.get(work_plan.get_absolute_url()).content.decode()
    assert "plan-acknowledgements" not in agent_page  # agents do not see who has read it
    assert "step-acknowledge" in agent_page and "plan-ack-pending" in agent_page
    home = agent.get(reverse("home")).content.decode()
    assert "quality-plans-panel" in home
    response = agent.post(reverse("quality:workplan_step", args=[work_plan.pk, "acknowledge"]))
    assert response.status_code == 302
    assert "step-acknowledge" not in agent.get(work_plan.get_absolute_url()).content.decode()
    assert "quality-plans-panel" not in agent.get(reverse("home")).content.decode()
    manager_page = client_for("cs_manager").get(work_plan.get_absolute_url()).content.decode()
    assert manager_page.count("plan-ack-missing") == 5 and _counts(manager_page) == ["1", "6"]
    # a second acknowledgement is refused with the reason on the page
    again = agent.post(reverse("quality:workplan_step", args=[work_plan.pk, "acknowledge"]))
    assert again.status_code == 400


def test_overdue_milestones_are_marked(world, client_for):
    work_plan = plan(world, milestones=0)
    today = timezone.localdate()
    services.milestone_add(actor=world.users["cs_manager"], plan=work_plan, title="逾期事项",
                           due_on=today - dt.timedelta(days=3))
    services.milestone_add(actor=world.users["cs_manager"], plan=work_plan, title="已完成事项",
                           due_on=today - dt.timedelta(days=3), status=MilestoneStatus.DONE)
    page = client_for("agent").get(work_plan.get_absolute_url()).content.decode()
    assert page.count("milestone-overdue") == 1


def test_create_publish_and_update_through_the_pages(world, client_for):
    client = client_for("cs_manager")
    response = client.post(reverse("quality:workplan_add"), {"year": 2031, "title": "年度计划",
                                                             "department": world.department.pk,
                                                             "scope_departments": [world.department.pk]})
    assert response.status_code == 302
    work_plan = WorkPlan.objects.get()
    step = reverse("quality:workplan_step", args=[work_plan.pk, "publish"])
    assert client.post(step, {"note": ""}).status_code == 400  # no milestones yet
    response = client.post(reverse("quality:workplan_step", args=[work_plan.pk, "milestone"]),
                           {"kind": "milestone", "title": "一季度检查", "due_on": "2031-03-31",
                            "status": "not_started", "sort_order": 0})
    assert response.status_code == 302
    assert client.post(step, {"note": "发布"}).status_code == 302
    work_plan.refresh_from_db()
    assert work_plan.version == 1
    milestone = Milestone.objects.get()
    response = client.post(reverse("quality:milestone_step", args=[milestone.pk, "update"]),
                           {"kind": "milestone", "title": "一季度检查", "due_on": "2031-03-31", "status": "done",
                            "note": "已完成", "sort_order": 0})
    assert response.status_code == 302
    milestone.refresh_from_db()
    assert milestone.status == "done" and milestone.done_on == timezone.localdate()


def test_excel_export(world, client_for):
    published_plan(world)
    response = client_for("cs_manager").get(reverse("quality:workplan_list") + "?export=xlsx")
    assert response.status_code == 200
