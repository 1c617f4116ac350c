"""The meetings and submissions API: confidential appeals hidden (list and detail) from a handler without the
confidential permission unless assigned; filing, assign → reply → close; meetings planned, minutes, cancel, action
items read nested; refusals answered 400 with nothing changed; no DELETE."""

from __future__ import annotations

import pytest
from django.urls import reverse

from wuye.quality.choices import MeetingStatus, SubmissionState, SubmitterKind
from wuye.quality.models import Meeting, Submission
from wuye.quality.services import communication as services

from .factories_communication import appeal, at, day, held, planned, report

pytestmark = pytest.mark.django_db

SUBMISSIONS = "api:quality-submission-list"
MEETINGS = "api:quality-meeting-list"


def numbers(response) -> set[str]:
    assert response.status_code == 200, response.content
    body = response.json()
    rows = body["results"] if isinstance(body, dict) else body
    return {row["number"] for row in rows}


def test_confidential_appeal_hidden_from_a_handler_without_the_permission_until_assigned(world, client_for):
    plain, secret = report(world), appeal(world)
    manager = client_for("cs_manager", api=True)
    detail = reverse("api:quality-submission-detail", args=[secret.pk])
    assert numbers(manager.get(reverse(SUBMISSIONS))) == {plain.number}
    assert manager.get(detail).status_code == 404
    assert manager.post(reverse("api:quality-submission-reply", args=[secret.pk]), {"reply": "x"},
                        format="json").status_code == 404
    executive = client_for("executive", api=True)
    assert numbers(executive.get(reverse(SUBMISSIONS))) == {plain.number, secret.number}
    response = executive.post(reverse("api:quality-submission-assign", args=[secret.pk]),
                              {"assignee": world.users["cs_manager"].pk}, format="json")
    assert response.status_code == 200 and response.json()["state"] == SubmissionState.ASSIGNED
    assert manager.get(detail).status_code == 200
    assert numbers(manager.get(reverse(SUBMISSIONS))) == {plain.number, secret.number}
    # the submitter (the resident) sees theirs
    assert numbers(client_for("resident", api=True).get(reverse(SUBMISSIONS))) == {secret.number}


def test_file_assign_reply_close(world, client_for):
    agent = client_for("agent", api=True)
    response = agent.post(reverse(SUBMISSIONS), {"kind": "appeal", "subject": "排班申诉", "body": "连续夜班三周。"},
                          format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["confidential"] is True and body["submitter_kind"] == SubmitterKind.STAFF
    assert body["number"].startswith("SS-")
    pk = body["id"]
    executive = client_for("executive", api=True)
    response = executive.post(reverse("api:quality-submission-assign", args=[pk]),
                              {"assignee": world.users["agent"].pk}, format="json")
    assert response.status_code == 400 and "assignee" in response.json()
    response = executive.post(reverse("api:quality-submission-close", args=[pk]), {}, format="json")
    assert response.status_code == 400
    response = executive.post(reverse("api:quality-submission-reply", args=[pk]), {"reply": "下月起调整排班。"},
                              format="json")
    assert response.status_code == 200 and response.json()["state"] == SubmissionState.REPLIED
    response = executive.post(reverse("api:quality-submission-close", args=[pk]), {"note": "已调整"}, format="json")
    assert response.status_code == 200 and response.json()["state"] == SubmissionState.CLOSED
    assert agent.get(reverse("api:quality-submission-detail", args=[pk])).json()["reply"] == "下月起调整排班。"


def test_entering_for_a_customer_needs_the_handle_permission(world, client_for):
    data = {"kind": "report", "subject": "电话反映", "body": "门禁坏了", "customer": world.customer_a.pk}
    assert client_for("agent", api=True).post(reverse(SUBMISSIONS), data, format="json").status_code == 403
    response = client_for("cs_manager", api=True).post(reverse(SUBMISSIONS), data, format="json")
    assert response.status_code == 201
    assert Submission.objects.get(pk=response.json()["id"]).customer == world.customer_a
    assert Submission.objects.count() == 1


def test_no_delete_and_no_change_of_submissions(world, client_for):
    submission = report(world)
    admin = client_for("admin", api=True)
    detail = reverse("api:quality-submission-detail", args=[submission.pk])
    assert admin.delete(detail).status_code == 405
    assert admin.patch(detail, {"subject": "改"}, format="json").status_code in (403, 405)
    meeting = planned(world)
    assert admin.delete(reverse("api:quality-meeting-detail", args=[meeting.pk])).status_code == 405
    assert Submission.objects.filter(pk=submission.pk, subject="电梯故障频发").exists()
    assert Meeting.objects.filter(pk=meeting.pk).exists()


def test_meeting_plan_minutes_cancel_and_nested_action_items(world, client_for):
    manager = client_for("cs_manager", api=True)
    response = manager.post(reverse(MEETINGS), {
        "kind": "regular", "title": "客服部例会", "starts_at": at(-1).isoformat(), "location": "会议室",
        "chair": world.staff["cs_manager"].pk, "attendees": [world.staff["agent"].pk], "agenda": "周例会"},
        format="json")
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    assert response.json()["number"].startswith("HY-") and response.json()["status"] == MeetingStatus.PLANNED
    response = manager.post(reverse("api:quality-meeting-minutes", args=[pk]), {"minutes": ""}, format="json")
    assert response.status_code == 400 and "minutes" in response.json()
    response = manager.post(reverse("api:quality-meeting-minutes", args=[pk]),
                            {"minutes": "纪要", "decisions": "决定"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == MeetingStatus.HELD
    meeting = Meeting.objects.get(pk=pk)
    services.meeting_action_add(actor=world.users["cs_manager"], meeting=meeting, text="过期事项",
                                owner=world.staff["agent"], due_on=day(-1))
    actions = client_for("agent", api=True).get(reverse("api:quality-meeting-detail", args=[pk])).json()["actions"]
    assert [(a["text"], a["owner"], a["overdue"]) for a in actions] == [("过期事项", world.staff["agent"].pk, True)]
    response = manager.patch(reverse("api:quality-meeting-detail", args=[pk]), {"title": "改"}, format="json")
    assert response.status_code == 400  # held: no longer changed
    response = manager.post(reverse("api:quality-meeting-cancel", args=[pk]), {"reason": "x"}, format="json")
    assert response.status_code == 400
    other = planned(world)
    response = manager.post(reverse("api:quality-meeting-cancel", args=[other.pk]), {"reason": "改期"},
                            format="json")
    assert response.status_code == 200 and response.json()["cancel_reason"] == "改期"


def test_meeting_filters(world, client_for):
    regular = planned(world)
    old = held(world, days=-30, kind="special", title="专题会")
    agent = client_for("agent", api=True)
    assert numbers(agent.get(reverse(MEETINGS), {"status": "held"})) == {old.number}
    assert numbers(agent.get(reverse(MEETINGS), {"kind": "regular"})) == {regular.number}
    assert numbers(agent.get(reverse(MEETINGS), {"starts_after": day(0).isoformat()})) == {regular.number}
