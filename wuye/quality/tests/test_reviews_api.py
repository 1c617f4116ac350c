"""The management review API: the whole life of a review through the endpoints (plan, compile, summary, hold,
outputs, complete, close), refusals answered 400 with the field at fault and nothing changed, filters, no DELETE."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from wuye.quality.models import ActionItem, ManagementReview
from wuye.quality.tests import factories_reviews as f

pytestmark = pytest.mark.django_db


def day(n: int) -> str:
    return (f.today() + dt.timedelta(days=n)).isoformat()


def act(client, review, name, body=None):
    return client.post(reverse(f"api:quality-managementreview-{name}", args=[review["id"]]), body or {},
                       format="json")


def test_the_life_of_a_review_through_the_api(world, client_for):
    auditor, executive = client_for("quality_auditor", api=True), client_for("executive", api=True)
    response = auditor.post(reverse("api:quality-managementreview-list"), {
        "title": "年度管理评审", "period_start": day(-365), "period_end": day(-1), "planned_on": day(0),
        "chair": world.staff["executive"].pk, "attendees": [world.staff["executive"].pk]}, format="json")
    assert response.status_code == 201, response.content
    review = response.json()
    assert review["number"] == f"MR-{f.today().year}-01" and review["status"] == "planned"
    assert review["inputs"] == []

    response = act(executive, review, "hold", {"minutes": "纪要", "conclusion": "有效"})
    assert response.status_code == 400

    review = act(auditor, review, "compile").json()
    assert [i["topic"] for i in review["inputs"]] == ["previous_actions", "objectives", "audits", "complaints",
                                                      "satisfaction", "corrective_actions"]
    complaints = next(i for i in review["inputs"] if i["topic"] == "complaints")
    assert complaints["figures"]["received"] == 0
    response = act(auditor, review, "update-input", {"input": complaints["id"], "text": "无投诉"})
    assert response.status_code == 200 and response.json()["text"] == "无投诉"

    response = act(executive, review, "hold", {"minutes": "纪要", "conclusion": "", "held_on": day(0)})
    assert response.status_code == 400 and "conclusion" in response.json()
    review = act(executive, review, "hold", {"minutes": "纪要", "conclusion": "体系有效"}).json()
    assert review["status"] == "held" and review["held_on"] == day(0)

    response = act(executive, review, "add-action", {"kind": "improvement", "text": "加强培训"})
    assert response.status_code == 400 and {"owner", "due_on"} <= set(response.json())
    response = act(executive, review, "add-action", {"kind": "improvement", "text": "加强培训",
                                                     "owner": world.staff["agent"].pk, "due_on": day(20)})
    assert response.status_code == 201
    item = response.json()

    response = act(executive, review, "close")
    assert response.status_code == 400 and ManagementReview.objects.get().status == "held"

    agent = client_for("agent", api=True)
    mine = agent.get(reverse("api:quality-actionitem-list"), {"mine": "true", "open": "true"}).json()
    assert [row["id"] for row in mine["results"]] == [item["id"]]
    response = agent.post(reverse("api:quality-actionitem-complete", args=[item["id"]]), {"result": "已培训"},
                          format="json")
    assert response.status_code == 200 and response.json()["status"] == "done"
    review = act(executive, review, "close").json()
    assert review["status"] == "closed"
    assert review["actions"][0]["result"] == "已培训"


def test_action_items_for_a_meeting_through_the_api(world, client_for):
    talk = f.meeting(world)
    manager = client_for("cs_manager", api=True)
    body = {"meeting": talk.pk, "kind": "improvement", "text": "整改门岗", "owner": world.staff["agent"].pk,
            "due_on": day(7)}
    response = manager.post(reverse("api:quality-actionitem-list"), body, format="json")
    assert response.status_code == 201 and response.json()["meeting"] == talk.pk
    response = manager.post(reverse("api:quality-actionitem-list"), {**body, "review": f.held(world).pk},
                            format="json")
    assert response.status_code == 400  # one parent only
    response = manager.post(reverse("api:quality-actionitem-cancel", args=[ActionItem.objects.get().pk]),
                            {"reason": ""}, format="json")
    assert response.status_code == 400 and "reason" in response.json()


def test_no_delete(world, client_for):
    review = f.held(world)
    item = f.item(world, review)
    admin = client_for("admin", api=True)
    assert admin.delete(reverse("api:quality-managementreview-detail", args=[review.pk])).status_code == 405
    assert admin.delete(reverse("api:quality-actionitem-detail", args=[item.pk])).status_code == 405
    assert ManagementReview.objects.count() == 1 and ActionItem.objects.count() == 1


def test_a_held_review_is_not_edited(world, client_for):
    review = f.held(world)
    response = client_for("executive", api=True).patch(reverse("api:quality-managementreview-detail",
                                                               args=[review.pk]), {"title": "改"}, format="json")
    assert response.status_code == 400
    review.refresh_from_db()
    assert review.title == "年度管理评审"


def test_filters(world, client_for):
    f.held(world)
    f.plan(world, title="第二次评审")
    client = client_for("document_controller", api=True)
    rows = client.get(reverse("api:quality-managementreview-list"), {"status": "planned"}).json()["results"]
    assert [r["title"] for r in rows] == ["第二次评审"]
