"""The work plan API: publish, acknowledge, republish (everyone again), the acknowledgements listing, no DELETE."""

from __future__ import annotations

import pytest
from django.urls import reverse

from wuye.quality.tests.factories_policy import plan

pytestmark = pytest.mark.django_db


def test_publish_acknowledge_republish(world, client_for):
    work_plan = plan(world, scope=[world.department])
    manager = client_for("cs_manager", api=True)
    data = manager.post(reverse("api:quality-workplan-publish", args=[work_plan.pk]), {"note": "v1"},
                        format="json").json()
    assert (data["status"], data["version"]) == ("published", 1)
    assert [m["title"] for m in data["milestones"]][:1] == ["里程碑1"]
    assert data["progress"]["total"] == 2
    agent = client_for("agent", api=True)
    assert agent.post(reverse("api:quality-workplan-acknowledge", args=[work_plan.pk])).status_code == 200
    again = agent.post(reverse("api:quality-workplan-acknowledge", args=[work_plan.pk]))
    assert again.status_code == 400
    acks = manager.get(reverse("api:quality-workplan-acknowledgements", args=[work_plan.pk])).json()
    assert (acks["acknowledged"], acks["total"]) == (1, 6)
    assert [row["staff"] for row in acks["done"]] == [world.staff["agent"].pk]
    assert world.staff["agent"].pk not in [row["staff"] for row in acks["pending"]]
    # agents do not see who has read it
    assert agent.get(reverse("api:quality-workplan-acknowledgements", args=[work_plan.pk])).status_code == 403
    # republished: acknowledgements of version 1 do not count
    manager.post(reverse("api:quality-workplan-publish", args=[work_plan.pk]), {"note": "v2"}, format="json")
    acks = manager.get(reverse("api:quality-workplan-acknowledgements", args=[work_plan.pk])).json()
    assert (acks["publication"]["version"], acks["acknowledged"], len(acks["pending"])) == (2, 0, 6)


def test_add_milestone_and_no_delete(world, client_for):
    work_plan = plan(world, milestones=0)
    manager = client_for("cs_manager", api=True)
    response = manager.post(reverse("api:quality-workplan-milestones", args=[work_plan.pk]),
                            {"title": "季度检查", "due_on": "2030-03-31", "start_on": "2030-04-01"}, format="json")
    assert response.status_code == 400 and "due_on" in response.json()
    response = manager.post(reverse("api:quality-workplan-milestones", args=[work_plan.pk]),
                            {"title": "季度检查", "due_on": "2030-03-31"}, format="json")
    assert response.status_code == 201
    assert client_for("admin", api=True).delete(
        reverse("api:quality-workplan-detail", args=[work_plan.pk])).status_code == 405
