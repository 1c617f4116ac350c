"""The incidents API: report, the whole workflow through the actions, refusals as 400 with nothing changed, files,
filters, scope."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from wuye.documents.tests.factories import text_file
from wuye.incidents.choices import IncidentStatus
from wuye.incidents.models import Incident
from wuye.quality.models import CorrectiveAction

from .factories import incident, kind, reported

pytestmark = pytest.mark.django_db


def _body(w, **changes):
    body = {"title": "快递柜被撬", "occurred_at": (timezone.now() - dt.timedelta(hours=2)).isoformat(),
            "place": "2号门", "estate": w.estate_a.pk, "kind": kind("security").pk, "severity": "minor",
            "description": "夜间柜门被撬。", "injured_count": 0, "loss_amount": "300.00"}
    body.update(changes)
    return body


def _action(client, item, name, body=None):
    return client.post(reverse(f"api:incidents-incident-{name}", args=[item.pk]), body or {}, format="json")


def test_report_and_the_whole_workflow(world, client_for):
    agent = client_for("agent", api=True)
    response = agent.post(reverse("api:incidents-incident-list"), _body(world), format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["number"].startswith(f"SG-{timezone.localdate().year}-")
    assert data["status"] == "reported" and data["reported_by"] == world.users["agent"].pk
    item = Incident.objects.get(pk=data["id"])

    manager = client_for("cs_manager", api=True)
    assert _action(manager, item, "start-investigation").json()["status"] == "investigating"
    response = _action(manager, item, "investigate", {"cause": "柜门锁老化", "responsibility": "运营方"})
    assert response.status_code == 200 and response.json()["cause"] == "柜门锁老化"
    # closing before the review: 400, nothing changed
    assert _action(manager, item, "close").status_code == 400
    assert Incident.objects.get(pk=item.pk).status == IncidentStatus.INVESTIGATED
    response = _action(manager, item, "review", {"comment": "同意", "instructions": "更换锁具"})
    assert response.status_code == 200 and response.json()["review_instructions"] == "更换锁具"
    response = _action(manager, item, "raise-action", {})
    assert response.status_code == 201
    action = CorrectiveAction.objects.get(pk=response.json()["id"])
    assert action.source_reference == item.number
    assert _action(manager, item, "raise-action", {}).status_code == 400
    assert CorrectiveAction.objects.count() == 1
    response = _action(manager, item, "close")
    assert response.status_code == 200 and response.json()["status"] == "closed"
    assert response.json()["corrective_action_number"] == action.number


def test_bad_reports_are_refused(world, client_for):
    agent = client_for("agent", api=True)
    url = reverse("api:incidents-incident-list")
    future = (timezone.now() + dt.timedelta(days=1)).isoformat()
    response = agent.post(url, _body(world, occurred_at=future), format="json")
    assert response.status_code == 400 and "occurred_at" in response.json()
    response = agent.post(url, _body(world, people_involved="李先生 13900001111"), format="json")
    assert response.status_code == 400 and "people_involved" in response.json()
    response = agent.post(url, _body(world, estate=world.estate_b.pk), format="json")
    assert response.status_code == 400 and "estate" in response.json()
    assert Incident.objects.count() == 0


def test_the_reporter_may_not_review_through_the_api(world, client_for):
    item = reported(world, reporter="cs_manager")
    manager = client_for("cs_manager", api=True)
    _action(manager, item, "investigate", {"cause": "原因", "responsibility": "责任"})
    response = _action(manager, item, "review", {"comment": "同意"})
    assert response.status_code == 400
    assert Incident.objects.get(pk=item.pk).status == IncidentStatus.INVESTIGATED
    assert _action(client_for("admin", api=True), item, "review", {"comment": "同意"}).status_code == 200


def test_withdraw_and_files(world, client_for):
    item = reported(world)
    response = client_for("agent", api=True).post(reverse("api:incidents-incident-files", args=[item.pk]),
                                                   {"file": text_file("现场说明", "说明.txt")}, format="multipart")
    assert response.status_code == 201 and response.json()["name"] == "说明.txt"
    manager = client_for("cs_manager", api=True)
    assert _action(manager, item, "withdraw", {"reason": ""}).status_code == 400
    response = _action(manager, item, "withdraw", {"reason": "重复报告"})
    assert response.status_code == 200 and response.json()["status"] == "withdrawn"
    detail = manager.get(reverse("api:incidents-incident-detail", args=[item.pk])).json()
    assert detail["withdrawn_reason"] == "重复报告" and len(detail["files"]) == 1


def test_filters_and_scope(world, client_for):
    a = incident(world, "reported")
    closed = incident(world, "closed")
    b = incident(world, "reported", estate="b")
    url = reverse("api:incidents-incident-list")

    def numbers(client, **query):
        response = client.get(url, query)
        assert response.status_code == 200
        data = response.json()
        rows = data["results"] if isinstance(data, dict) else data
        return {row["number"] for row in rows}

    executive = client_for("executive", api=True)
    assert numbers(executive) == {a.number, closed.number, b.number}
    assert numbers(executive, status="closed") == {closed.number}
    assert numbers(executive, open="true") == {a.number, b.number}
    assert numbers(executive, estate=world.estate_b.pk) == {b.number}
    assert numbers(client_for("agent", api=True)) == {a.number, closed.number}
    agent = client_for("agent", api=True)
    assert agent.get(reverse("api:incidents-incident-detail", args=[b.pk])).status_code == 404


def test_no_delete(world, client_for):
    item = reported(world)
    response = client_for("admin", api=True).delete(reverse("api:incidents-incident-detail", args=[item.pk]))
    assert response.status_code == 405
    assert Incident.objects.filter(pk=item.pk).exists()
