"""The report centre API: list, retrieve with content, generate, texts, submit, review, regenerate, cancel, and
``GET /api/v1/reports/{kind}/?period=…&estate=…``."""

from __future__ import annotations

import pytest
from django.utils import timezone

from wuye.reports.choices import ReportStatus
from wuye.reports.models import Report

from .test_services import fake_kinds, generate, last_month, submitted  # noqa: F401 - fixture

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fake_kinds")]
BASE = "/api/v1/reports/"


def test_list_and_retrieve(world, client_for):
    mine = generate(world)
    other = generate(world, role="cs_manager", estate="b")
    api = client_for("agent", api=True)
    listed = api.get(BASE).json()
    assert [r["id"] for r in listed["results"]] == [mine.pk]
    row = listed["results"][0]
    assert row["kind"] == "service_work" and row["period"] == last_month() and row["status"] == "draft"
    assert "content" not in row
    detail = api.get(f"{BASE}{mine.pk}/").json()
    assert detail["content"]["sections"][0]["figures"][0]["value"] == 12
    assert detail["texts"] == {"conclusions": "", "next_steps": ""}
    assert [v["number"] for v in detail["versions"]] == [1] and detail["reviews"] == []
    assert api.get(f"{BASE}{other.pk}/").status_code == 404
    manager = client_for("cs_manager", api=True)
    assert {r["id"] for r in manager.get(BASE, {"estate": world.estate_b.pk}).json()["results"]} == {other.pk}
    assert {r["id"] for r in manager.get(BASE, {"kind": "incidents"}).json()["results"]} == set()
    year = last_month()[:4]
    assert {r["id"] for r in manager.get(BASE, {"period": year}).json()["results"]} == {mine.pk, other.pk}
    assert {r["id"] for r in manager.get(BASE, {"period": str(int(year) - 1)}).json()["results"]} == set()
    assert {r["id"] for r in manager.get(BASE, {"mine": "true"}).json()["results"]} == {other.pk}
    assert {r["id"] for r in manager.get(BASE, {"q": "丽景"}).json()["results"]} == {mine.pk}


def test_workflow_through_the_api(world, client_for):
    agent, manager = client_for("agent", api=True), client_for("cs_manager", api=True)
    created = agent.post(BASE, {"kind": "service_work", "period": last_month(), "estate": world.estate_a.pk},
                         format="json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert created.json()["current_version"] == 1
    refused = agent.post(f"{BASE}{pk}/submit/")
    assert refused.status_code == 400 and "conclusions" in refused.json()
    texts = agent.patch(f"{BASE}{pk}/texts/", {"texts": {"conclusions": "Stable."}}, format="json")
    assert texts.status_code == 200 and texts.json()["texts"]["conclusions"] == "Stable."
    assert agent.post(f"{BASE}{pk}/submit/").json()["status"] == "submitted"
    assert agent.post(f"{BASE}{pk}/review/", {"decision": "accepted", "comments": "x"},
                      format="json").status_code == 403
    returned = manager.post(f"{BASE}{pk}/review/", {"decision": "returned", "comments": "More detail",
                                                    "instructions": "Per estate"}, format="json")
    assert returned.status_code == 200 and returned.json()["status"] == "returned"
    assert returned.json()["reviews"][0]["instructions"] == "Per estate"
    regenerated = agent.post(f"{BASE}{pk}/regenerate/")
    assert regenerated.status_code == 200 and regenerated.json()["current_version"] == 2
    assert agent.post(f"{BASE}{pk}/submit/").status_code == 200
    accepted = manager.post(f"{BASE}{pk}/review/", {"decision": "accepted", "comments": "Good"}, format="json")
    assert accepted.json()["status"] == "accepted"
    cancel = manager.post(f"{BASE}{pk}/cancel/", {"reason": "late"}, format="json")
    assert cancel.status_code == 400 and Report.objects.get(pk=pk).status == ReportStatus.ACCEPTED
    # no PUT, PATCH of the report itself, nor DELETE
    assert agent.delete(f"{BASE}{pk}/").status_code == 405
    assert agent.put(f"{BASE}{pk}/", {}, format="json").status_code == 405
    assert agent.patch(f"{BASE}{pk}/", {"status": "draft"}, format="json").status_code == 405


def test_self_review_and_future_refused(world, client_for):
    report = submitted(world, "cs_manager")
    manager = client_for("cs_manager", api=True)
    response = manager.post(f"{BASE}{report.pk}/review/", {"decision": "accepted", "comments": "x"}, format="json")
    assert response.status_code == 400
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    future = manager.post(BASE, {"kind": "incidents", "period": str(timezone.localdate().year + 1)}, format="json")
    assert future.status_code == 400 and "period" in future.json()
    assert Report.objects.count() == 1


def test_cancel(world, client_for):
    report = generate(world)
    api = client_for("agent", api=True)
    assert api.post(f"{BASE}{report.pk}/cancel/", {"reason": ""}, format="json").status_code == 400
    response = api.post(f"{BASE}{report.pk}/cancel/", {"reason": "duplicate"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "cancelled"
    assert response.json()["cancel_reason"] == "duplicate"


def test_kind_route_generates_without_saving(world, client_for):
    api = client_for("agent", api=True)
    response = api.get(f"{BASE}service_work/", {"period": last_month(), "estate": world.estate_a.pk})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["kind"] == "service_work" and body["estate"] == world.estate_a.pk
    assert body["period"]["kind"] == "month" and body["period"]["start"].startswith(last_month())
    assert body["content"]["sections"][0]["figures"][0]["value"] == 12
    assert not Report.objects.exists()
    # exactly as the issue writes it
    manager = client_for("cs_manager", api=True)
    assert manager.get(f"{BASE}service_work/?period={last_month()}").status_code == 200
    future = manager.get(f"{BASE}service_work/", {"period": str(timezone.localdate().year + 1)})
    assert future.status_code == 400 and "period" in future.json()
    assert manager.get(f"{BASE}service_work/", {"period": "soon"}).status_code == 400
    assert manager.get(f"{BASE}work_summary/", {"period": last_month()}).status_code == 400
    assert api.get(f"{BASE}service_work/", {"period": last_month(), "estate": world.estate_b.pk}).status_code == 404
    assert api.get(f"{BASE}service_work/", {"period": last_month()}).status_code == 400  # all estates: not for agents
    assert api.get(f"{BASE}no_such_kind/", {"period": last_month()}).status_code == 404
    assert client_for("resident", api=True).get(f"{BASE}service_work/", {"period": last_month()}).status_code == 403
    # numeric detail routes keep working beside it
    report = generate(world)
    assert api.get(f"{BASE}{report.pk}/").status_code == 200
