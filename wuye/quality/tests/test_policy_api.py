"""The policy and objective API: actual and met for a period, approval refused without the executive role, no
DELETE."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from wuye.quality import services
from wuye.quality.choices import PolicyStatus
from wuye.quality.tests.factories_policy import draft_policy, manual_objective

pytestmark = pytest.mark.django_db


def test_objectives_carry_actual_and_met_for_the_period(world, client_for):
    objective = manual_objective(world)
    year = timezone.localdate().year
    services.objective_measurement_record(actor=world.users["quality_auditor"], objective=objective,
                                          period_start=dt.date(year, 1, 1), period_end=dt.date(year, 3, 31),
                                          value="100")
    client = client_for("executive", api=True)
    url = reverse("api:quality-qualityobjective-detail", args=[objective.pk])
    data = client.get(url).json()
    assert (data["actual"], data["met"]) == ("100.00", True)
    assert data["period"] == {"start": f"{year}-01-01", "end": f"{year}-12-31"}
    data = client.get(url, {"start": f"{year - 1}-01-01", "end": f"{year - 1}-12-31"}).json()
    assert (data["actual"], data["met"]) == (None, None) and data["actual_note"]
    listed = client.get(reverse("api:quality-qualityobjective-list")).json()
    assert listed["results"][0]["actual"] == "100.00" if "results" in listed else listed[0]["actual"] == "100.00"


def test_approval_without_the_executive_role_is_refused(world, client_for):
    policy = draft_policy(world)
    url = reverse("api:quality-qualitypolicy-approve", args=[policy.pk])
    response = client_for("quality_auditor", api=True).post(url)
    assert response.status_code == 403
    policy.refresh_from_db()
    assert policy.status == PolicyStatus.DRAFT and policy.approved_by is None
    data = client_for("executive", api=True).post(url).json()
    assert data["status"] == "approved" and data["approved_by"] == world.users["executive"].pk
    assert data["approved_on"] == timezone.localdate().isoformat()
    # publishing an approved policy; approving it again is a clear 400
    again = client_for("executive", api=True).post(url)
    assert again.status_code == 400
    published = client_for("quality_auditor", api=True).post(
        reverse("api:quality-qualitypolicy-publish", args=[policy.pk])).json()
    assert published["status"] == "published"


def test_objectives_of_a_published_policy_are_not_changed(world, client_for):
    policy = draft_policy(world)
    services.quality_policy_approve(actor=world.users["executive"], policy=policy)
    objective = policy.objectives.get()
    client = client_for("quality_auditor", api=True)
    response = client.patch(reverse("api:quality-qualityobjective-detail", args=[objective.pk]), {"target": "50"},
                            format="json")
    assert response.status_code == 400
    response = client.post(reverse("api:quality-qualityobjective-list"),
                           {"policy": policy.pk, "title": "x", "metric": "manual", "target": "1"}, format="json")
    assert response.status_code == 400


def test_no_delete(world, client_for):
    policy = draft_policy(world)
    client = client_for("admin", api=True)
    assert client.delete(reverse("api:quality-qualitypolicy-detail", args=[policy.pk])).status_code == 405
    objective = policy.objectives.get()
    assert client.delete(reverse("api:quality-qualityobjective-detail", args=[objective.pk])).status_code == 405
