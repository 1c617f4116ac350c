"""The appraisals and cycles API: a cycle opened by POST makes its appraisals (the answer lists them and the staff
skipped); scores → submit → acknowledge → finalise → revise; refusals answered 400 with nothing changed; sections,
subtotals, total and grade in the answer; no DELETE, no PUT."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from wuye.appraisals.choices import AppraisalState, CycleStatus, PeriodKind
from wuye.appraisals.models import Appraisal, Score

from .factories_appraisals import Q1, items, make_appraisal, make_version

pytestmark = pytest.mark.django_db
S = AppraisalState


def step(name, pk):
    return reverse(f"api:appraisals-appraisal-{name}", args=[pk])


def test_open_a_cycle_and_run_it_through(world, client_for):
    manager = client_for("cs_manager", api=True)
    version = make_version()
    response = manager.post(reverse("api:appraisals-appraisalcycle-list"), {
        "name": "2026年第一季度", "form_version": version.pk, "period_kind": PeriodKind.QUARTER,
        "period_start": Q1[0].isoformat(), "posts": [world.post.pk]}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["period_end"] == Q1[1].isoformat() and len(body["created"]) == 5
    assert [row["staff"] for row in body["skipped"]] == [world.staff["cs_manager"].pk]
    assert body["progress"][S.SCORING] == 5
    cycle_pk = body["id"]
    again = manager.post(reverse("api:appraisals-appraisalcycle-add-staff", args=[cycle_pk]), {}, format="json")
    assert again.status_code == 200 and again.json()["created"] == []

    appraisal = Appraisal.objects.get(cycle_id=cycle_pk, appraisee=world.staff["agent"])
    rows = items(appraisal)
    # a score outside the scale: 400 naming the item, nothing saved
    response = manager.post(step("scores", appraisal.pk), {"scores": [
        {"item": rows[0].pk, "score": 5}, {"item": rows[1].pk, "score": 6, "comment": "x"}]}, format="json")
    assert response.status_code == 400 and rows[1].text in str(response.json())
    assert not Score.objects.filter(appraisal=appraisal).exclude(score=None).exists()
    response = manager.post(step("scores", appraisal.pk), {
        "scores": [{"item": item.pk, "score": 4, "comment": "良好"} for item in rows[:-1]],
        "comment": "总体良好"}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert body["appraiser_comment"] == "总体良好" and [s["title"] for s in body["sections"]] == [
        "受命准备", "业务活动", "成果"]
    assert body["sections"][2]["scored"] == 1 and body["sections"][2]["count"] == 2
    response = manager.post(step("submit", appraisal.pk), {}, format="json")
    assert response.status_code == 400 and rows[-1].text in str(response.json())
    manager.post(step("scores", appraisal.pk), {"scores": [{"item": rows[-1].pk, "score": 2}]}, format="json")
    response = manager.post(step("submit", appraisal.pk), {}, format="json")
    assert response.status_code == 200 and response.json()["state"] == S.ACKNOWLEDGEMENT
    # (4 + 4 + (4 + 2) / 2) / 3 = 3.67
    assert Decimal(response.json()["total"]) == Decimal("3.67") and response.json()["grade"] == "良好"

    agent = client_for("agent", api=True)
    assert agent.post(step("finalise", appraisal.pk), {}, format="json").status_code == 403
    response = agent.post(step("acknowledge", appraisal.pk), {"disagreement": "成果项偏低"}, format="json")
    assert response.status_code == 200 and response.json()["disagreement"] == "成果项偏低"
    response = manager.post(step("finalise", appraisal.pk), {}, format="json")
    assert response.status_code == 200 and response.json()["state"] == S.FINAL
    response = manager.post(step("scores", appraisal.pk), {"scores": [{"item": rows[0].pk, "score": 1}]},
                            format="json")
    assert response.status_code == 400
    response = manager.post(step("revise", appraisal.pk), {"reason": ""}, format="json")
    assert response.status_code == 400 and "reason" in response.json()
    response = manager.post(step("revise", appraisal.pk), {"reason": "更正成果项"}, format="json")
    assert response.status_code == 200
    revision = response.json()
    assert revision["revision"] == 1 and revision["revises"] == appraisal.pk and revision["state"] == S.SCORING

    response = manager.post(reverse("api:appraisals-appraisalcycle-remind", args=[cycle_pk]), {}, format="json")
    assert response.status_code == 200 and response.json()["sent"] == 1
    assert manager.post(reverse("api:appraisals-appraisalcycle-remind", args=[cycle_pk]), {},
                        format="json").json()["sent"] == 0
    response = manager.post(reverse("api:appraisals-appraisalcycle-close", args=[cycle_pk]), {}, format="json")
    assert response.status_code == 200 and response.json()["status"] == CycleStatus.CLOSED


def test_create_start_and_refusals(world, client_for):
    executive = client_for("executive", api=True)
    version = make_version()
    data = {"appraisee": world.staff["cs_manager"].pk, "appraiser": world.staff["cs_manager"].pk,
            "form_version": version.pk, "period_kind": PeriodKind.YEAR, "period_start": "2026-01-01"}
    response = executive.post(reverse("api:appraisals-appraisal-list"), data, format="json")
    assert response.status_code == 400 and "appraiser" in response.json()
    response = executive.post(reverse("api:appraisals-appraisal-list"),
                              {**data, "appraiser": world.staff["executive"].pk}, format="json")
    assert response.status_code == 201 and response.json()["period_end"] == "2026-12-31"
    pk = response.json()["id"]
    again = executive.post(reverse("api:appraisals-appraisal-list"),
                           {**data, "appraiser": world.staff["executive"].pk, "period_kind": PeriodKind.QUARTER},
                           format="json")
    assert again.status_code == 400 and "period_start" in again.json()
    response = executive.post(step("start", pk), {}, format="json")
    assert response.status_code == 200 and response.json()["state"] == S.SCORING


def test_no_delete_no_put(world, client_for):
    appraisal = make_appraisal(world, state=S.SCORING)
    manager = client_for("cs_manager", api=True)
    url = reverse("api:appraisals-appraisal-detail", args=[appraisal.pk])
    assert manager.delete(url).status_code == 405
    assert manager.patch(url, {"total": "5.00"}, format="json").status_code == 405
    assert Appraisal.objects.filter(pk=appraisal.pk).exists()


def test_list_queries_stay_constant(world, client_for, django_assert_max_num_queries):
    version = make_version()
    for role in ("agent", "document_controller", "quality_auditor", "executive"):
        make_appraisal(world, appraisee=role, version=version, state=S.SCORING)
    manager = client_for("cs_manager", api=True)
    with django_assert_max_num_queries(16):
        response = manager.get(reverse("api:appraisals-appraisal-list"))
    assert response.status_code == 200 and len(response.json()["results"]) == 4
