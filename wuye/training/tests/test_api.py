"""The training API: plans with nested items and the approve/close/items actions, sessions with record/cancel;
refusals answered 400 with nothing changed; attendance rows of others hidden from agents."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from wuye.training.choices import PlanStatus, SessionStatus
from wuye.training.models import Attendance, TrainingPlan

from .factories import plan, session, yesterday

pytestmark = pytest.mark.django_db


def test_plan_workflow_through_the_api(world, client_for):
    manager, executive = client_for("cs_manager", api=True), client_for("executive", api=True)
    response = manager.post(reverse("api:training-trainingplan-list"),
                            {"department": world.department.pk, "year": 2030, "title": "2030年培训计划"},
                            format="json")
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    response = manager.post(reverse("api:training-trainingplan-items", args=[pk]),
                            {"topic": "投诉处理", "hours": "2.5", "month": 4, "target_posts": [world.post.pk]},
                            format="json")
    assert response.status_code == 201
    assert [(i["topic"], i["hours"], i["month"]) for i in response.json()["items"]] == [("投诉处理", "2.5", 4)]
    with translation.override("en"):
        refused = manager.post(reverse("api:training-trainingplan-approve", args=[pk]), format="json")
    assert refused.status_code == 400
    assert TrainingPlan.objects.get(pk=pk).status == PlanStatus.DRAFT
    response = executive.post(reverse("api:training-trainingplan-approve", args=[pk]), format="json")
    assert response.status_code == 200 and response.json()["status"] == "approved"
    # read-only now
    response = manager.patch(reverse("api:training-trainingplan-detail", args=[pk]), {"title": "改"}, format="json")
    assert response.status_code == 400
    assert TrainingPlan.objects.get(pk=pk).title == "2030年培训计划"
    response = manager.post(reverse("api:training-trainingplan-close", args=[pk]), {"reason": "完成"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "closed"


def test_a_second_plan_for_the_year_is_400(world, client_for):
    first = plan(world)
    response = client_for("cs_manager", api=True).post(
        reverse("api:training-trainingplan-list"),
        {"department": world.department.pk, "year": first.year, "title": "重复"}, format="json")
    assert response.status_code == 400
    assert TrainingPlan.objects.count() == 1


def test_record_through_the_api_refuses_bad_scores_whole(world, client_for):
    made = session(world)
    url = reverse("api:training-trainingsession-record", args=[made.pk])
    client = client_for("cs_manager", api=True)
    bad = client.post(url, {"attendance": [{"staff": world.staff["cs_manager"].pk, "score": "70"},
                                           {"staff": world.staff["agent"].pk, "score": "101"}]}, format="json")
    assert bad.status_code == 400 and "score" in bad.json()
    assert Attendance.objects.count() == 0
    good = client.post(url, {"attendance": [{"staff": world.staff["cs_manager"].pk, "score": "70"},
                                            {"staff": world.staff["agent"].pk, "score": "100"}]}, format="json")
    assert good.status_code == 200 and good.json()["status"] == SessionStatus.HELD
    assert sorted(a["score"] for a in good.json()["attendances"]) == ["100.0", "70.0"]
    cancel = client.post(reverse("api:training-trainingsession-cancel", args=[made.pk]), {"reason": "x"},
                         format="json")
    assert cancel.status_code == 400


def test_agents_get_only_their_own_attendance_in_the_api(world, client_for):
    held = session(world, "held")
    data = client_for("agent", api=True).get(reverse("api:training-trainingsession-detail", args=[held.pk])).json()
    assert [a["staff"] for a in data["attendances"]] == [world.staff["agent"].pk]
    data = client_for("cs_manager", api=True).get(
        reverse("api:training-trainingsession-detail", args=[held.pk])).json()
    assert len(data["attendances"]) == 3


def test_a_session_of_an_item_is_scheduled_through_the_api(world, client_for):
    item = plan(world, "approved").items.order_by("month").first()
    response = client_for("cs_manager", api=True).post(
        reverse("api:training-trainingsession-list"), {"plan_item": item.pk, "date": yesterday().isoformat()},
        format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["topic"], body["hours"], body["department"]) == (item.topic, "2.0", world.department.pk)
    listed = client_for("agent", api=True).get(reverse("api:training-trainingsession-list")).json()
    assert [s["id"] for s in listed["results"]] == [body["id"]]
