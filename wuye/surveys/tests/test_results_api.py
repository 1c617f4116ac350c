"""``/api/v1/survey-campaigns/{id}/results/``: the figures as JSON for the caller's estates, and nothing that
traces an anonymous answer to a household."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from .factories import make_version, open_campaign
from .factories_results import respond, satisfaction_set

pytestmark = pytest.mark.django_db


def test_results_json(world, client_for):
    version = make_version()
    campaign = open_campaign(world, version)
    satisfaction_set(campaign, world.estate_a, version, [5, 4, 3, 2], recommend=[10, 9, 7, 3])
    satisfaction_set(campaign, world.estate_b, version, [1])
    url = reverse("api:surveys-campaign-results", args=[campaign.pk])
    data = client_for("cs_manager", api=True).get(url).json()
    estate_a = next(e for e in data["estates"] if e["estate"]["id"] == world.estate_a.pk)
    service = next(r for r in estate_a["dimensions"] if r["dimension"]["code"] == "t-service")
    assert service["average"] == 3.5 and service["rate"] == 50.0 and service["flagged"] is False
    assert estate_a["recommendation"]["nps"] == 25.0
    assert data["overall"]["answered"] == 5
    agent = client_for("agent", api=True).get(url).json()
    assert [e["estate"]["id"] for e in agent["estates"]] == [world.estate_a.pk]
    assert agent["overall"]["answered"] == 4
    only_b = client_for("cs_manager", api=True).get(url, {"estate": world.estate_b.pk}).json()
    assert only_b["overall"]["satisfaction"]["average"] == 1.0


def test_anonymous_results_json(world, client_for):
    version = make_version()
    campaign = open_campaign(world, version, estates=[world.estate_a], anonymous=True)
    at = timezone.make_aware(dt.datetime.combine(timezone.localdate(), dt.time(3, 17)))
    respond(campaign, world.estate_a, {version.q["service"]: 2, version.q["text"]: "意见"}, unit=world.unit_a, at=at)
    response = client_for("cs_manager", api=True).get(reverse("api:surveys-campaign-results", args=[campaign.pk]))
    assert response.status_code == 200
    text = json.dumps(response.json(), ensure_ascii=False)
    assert world.unit_a.code not in text and world.customer_a.name not in text
    assert "03:17" not in text and "T03" not in text
    assert '"unit"' not in text and '"invitation"' not in text and '"submitted_at"' not in text
