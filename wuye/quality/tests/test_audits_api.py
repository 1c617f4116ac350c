"""The audits API: writes through the services (their refusals are 400 with the field), steps as actions, no
DELETE, the external finding counts per estate."""

from __future__ import annotations

import pytest
from django.urls import reverse

from wuye.quality.models import Audit, Finding, FindingLimit
from wuye.quality.tests.factories_audits import (
    corrective_action_for,
    default_template,
    external_audit,
    make_audit,
    outside_auditor,
    record,
    started,
    today,
)

pytestmark = pytest.mark.django_db


def audit_body(w, lead):
    return {"kind": "internal", "title": "内审", "scope": "客服", "estates": [w.estate_a.pk],
            "departments": [w.department.pk], "clauses": ["8.2.1", "9.1.2"], "lead_auditor": lead.pk,
            "planned_start": today().isoformat(), "planned_end": today().isoformat()}


def test_create_refuses_own_department_then_runs_the_steps(world, client_for):
    api = client_for("quality_auditor", api=True)
    url = reverse("api:quality-audit-list")
    own = world.staff["quality_auditor"]
    response = api.post(url, audit_body(world, own), format="json")
    assert response.status_code == 400 and own.name in str(response.json()["lead_auditor"])
    assert not Audit.objects.exists()
    response = api.post(url, audit_body(world, outside_auditor(world)), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["number"].startswith(f"AU-{today().year}-") and body["clauses"] == ["8.2.1", "9.1.2"]
    pk = body["id"]
    step = lambda name: reverse(f"api:quality-audit-{name}", kwargs={"pk": pk})  # noqa: E731
    response = api.post(step("checklist-from-template"), {"template": default_template().pk}, format="json")
    assert response.status_code == 200 and len(response.json()["checklist"]) == default_template().questions.count()
    assert api.post(step("checklist-from-template"), {"template": default_template().pk},
                    format="json").status_code == 400
    assert api.post(step("start"), {}, format="json").json()["status"] == "in_progress"
    response = api.post(reverse("api:quality-finding-list"), {"audit": pk, "statement": "s", "evidence": "e"},
                        format="json")
    assert response.status_code == 400 and {"grade", "clause"} <= set(response.json())
    response = api.post(reverse("api:quality-finding-list"), {"audit": pk, "grade": "minor", "clause": "8.2.1",
                                                              "statement": "回访缺失", "evidence": "工单"},
                        format="json")
    assert response.status_code == 201 and response.json()["estate"] == world.estate_a.pk
    assert api.post(step("report"), {"summary": ""}, format="json").status_code == 400
    assert api.post(step("report"), {"summary": "有效"}, format="json").json()["status"] == "reported"
    response = api.post(step("close"), {}, format="json")
    assert response.status_code == 400
    corrective_action_for(Finding.objects.get())
    assert api.post(step("close"), {}, format="json").json()["status"] == "closed"


def test_no_delete(world, client_for):
    api = client_for("admin", api=True)
    audit = make_audit(world)
    assert api.delete(reverse("api:quality-audit-detail", kwargs={"pk": audit.pk})).status_code == 405
    limit = FindingLimit.objects.create(year=2026, limit=3)
    assert api.delete(reverse("api:quality-findinglimit-detail", kwargs={"pk": limit.pk})).status_code == 405


def test_cancel_with_reason(world, client_for):
    api = client_for("quality_auditor", api=True)
    audit = make_audit(world)
    url = reverse("api:quality-audit-cancel", kwargs={"pk": audit.pk})
    assert api.post(url, {"reason": ""}, format="json").status_code == 400
    body = api.post(url, {"reason": "合并到下季度"}, format="json").json()
    assert (body["status"], body["cancel_reason"]) == ("cancelled", "合并到下季度")


def test_external_finding_counts(world, client_for):
    year = today().year
    FindingLimit.objects.create(year=year - 1, limit=1)
    audit = external_audit(world)
    started(world, audit)
    record(world, audit, grade="observation", estate=world.estate_b)
    api = client_for("executive", api=True)
    rows = {r["estate"]: r for r in api.get(reverse("api:quality-external-finding-counts-list"),
                                            {"year": year}).json()}
    assert rows[world.estate_b.pk] == {"estate": world.estate_b.pk, "estate_name": world.estate_b.name,
                                       "year": year, "observations": 1, "minors": 0, "total": 1, "limit": 1,
                                       "reached": True}
    assert rows[world.estate_a.pk]["reached"] is False
    assert api.get(reverse("api:quality-external-finding-counts-list"), {"year": "x"}).status_code == 400
