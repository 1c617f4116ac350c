"""The corrective-actions API: raising, the steps, the filters, and what it refuses (no delete, no close, no
verification of one's own action)."""

from __future__ import annotations

from django.urls import reverse

from wuye.documents.tests.factories import text_file
from wuye.quality.choices import ActionState
from wuye.quality.models import CorrectiveAction
from wuye.quality.services.files import files_of

from .factories_actions import advance, day, in_state, make_finding, raised

LIST = "api:quality-correctiveaction-list"


def _detail(action, name="detail"):
    return reverse(f"api:quality-correctiveaction-{name}", args=[action.pk])


def test_raise_from_a_finding_and_walk_the_steps(world, client_for):
    finding = make_finding(world)
    auditor, manager, agent, executive = (client_for(r, api=True) for r in
                                          ("quality_auditor", "cs_manager", "agent", "executive"))
    response = auditor.post(reverse(LIST), {"source": "finding", "finding": finding.pk}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["state"] == "draft" and body["number"].startswith("CA-") and body["grade"] == "minor"
    action = CorrectiveAction.objects.get(pk=body["id"])
    assert auditor.post(_detail(action, "submit")).json()["state"] == "cause_analysis"
    response = auditor.post(_detail(action, "cause"), {"root_cause": ""}, format="json")
    assert response.status_code == 400 and set(response.json()) == {"immediate_correction", "root_cause"}
    assert auditor.post(_detail(action, "cause"), {"immediate_correction": "补填", "root_cause": "职责不清"},
                        format="json").json()["state"] == "action_plan"
    response = manager.post(_detail(action, "plan"), {"action_plan": "修订制度", "owner": world.staff["agent"].pk,
                                                      "due_on": day(-1).isoformat()}, format="json")
    assert response.status_code == 400 and "due_on" in response.json()
    body = manager.post(_detail(action, "plan"), {"action_plan": "修订制度", "owner": world.staff["agent"].pk,
                                                  "due_on": day(7).isoformat()}, format="json").json()
    assert (body["state"], body["owner"], body["due_on"]) == ("in_progress", world.staff["agent"].pk,
                                                              day(7).isoformat())
    response = agent.post(_detail(action, "complete"), {"completion_note": "已修订并培训",
                                                        "files": [text_file("培训记录", "培训.txt")]},
                          format="multipart")
    assert response.status_code == 200 and response.json()["state"] == "verification"
    assert [f["name"] for f in response.json()["files"]] == ["培训.txt"] and len(files_of(action)) == 1
    body = executive.post(_detail(action, "verify"), {"effective": True, "note": "抽查有效"}, format="json").json()
    assert (body["state"], body["effectiveness"], body["closed_on"]) == ("closed", "effective", day(0).isoformat())


def test_no_delete_and_no_close(world, client_for):
    action = in_state(world, "in_progress")
    client = client_for("admin", api=True)
    assert client.delete(_detail(action)).status_code == 405
    assert client.post(f"{_detail(action)}close/", {}, format="json").status_code == 404
    response = client.patch(_detail(action), {"state": "closed"}, format="json")
    assert response.status_code in (200, 400)
    assert CorrectiveAction.objects.get(pk=action.pk).state == ActionState.IN_PROGRESS
    response = client.post(_detail(action, "verify"), {"effective": True, "note": "直接关闭"}, format="json")
    assert response.status_code == 400
    assert CorrectiveAction.objects.get(pk=action.pk).state == ActionState.IN_PROGRESS


def test_verifying_ones_own_action_is_refused(world, client_for):
    action = advance(world, raised(world), "in_progress", owner=world.staff["quality_auditor"])
    client = client_for("quality_auditor", api=True)
    assert client.post(_detail(action, "complete"), {"completion_note": "完成"}, format="json").status_code == 200
    response = client.post(_detail(action, "verify"), {"effective": True, "note": "自查有效"}, format="json")
    assert response.status_code == 400 and "non_field_errors" in response.json()
    after = CorrectiveAction.objects.get(pk=action.pk)
    assert after.state == ActionState.VERIFICATION and after.verifier is None


def test_the_raised_fields_stay(world, client_for):
    action = raised(world)
    client = client_for("cs_manager", api=True)
    response = client.patch(_detail(action), {"source": "incident"}, format="json")
    assert response.status_code == 400 and "source" in response.json()
    assert client.patch(_detail(action), {"title": "交接班记录缺失（夜班）"}, format="json").status_code == 200
    assert CorrectiveAction.objects.get(pk=action.pk).title == "交接班记录缺失（夜班）"


def test_filters(world, client_for):
    late = in_state(world, "in_progress", due_on=day(1))
    CorrectiveAction.objects.filter(pk=late.pk).update(due_on=day(-1))
    draft = raised(world, source="incident", source_reference="SJ-2026-001")
    other = raised(world, estate=world.estate_b)
    client = client_for("executive", api=True)

    def ids(**params):
        return {row["id"] for row in client.get(reverse(LIST), params).json()["results"]}

    assert ids() == {late.pk, draft.pk, other.pk}
    assert ids(overdue="true") == {late.pk}
    assert ids(overdue="false") == {draft.pk, other.pk}
    assert ids(source="incident") == {draft.pk}
    assert ids(estate=world.estate_b.pk) == {other.pk}
    assert ids(state=["draft", "in_progress"]) == {late.pk, draft.pk, other.pk}
    assert ids(state="in_progress") == {late.pk}
    assert ids(owner=world.staff["agent"].pk) == {late.pk}
    assert client.get(_detail(late)).json()["is_overdue"] is True
