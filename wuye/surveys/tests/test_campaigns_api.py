"""The campaigns API: create, launch, rates in the detail, scope refusal, steps' errors, no DELETE."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from wuye.surveys.models import Campaign, Invitation

from .factories_campaigns import _version, grant

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _body(w, estates):
    return {"name": "接口调查", "version": _version().pk, "estates": [e.pk for e in estates],
            "starts_on": f"{TODAY:%Y-%m-%d}", "ends_on": f"{TODAY + dt.timedelta(days=30):%Y-%m-%d}",
            "target": "all", "anonymous": True}


def test_create_launch_and_rates(world, client_for):
    api = client_for("cs_manager", api=True)
    created = api.post(reverse("api:surveys-campaign-list"), _body(world, [world.estate_a, world.estate_b]),
                       format="json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert created.json()["status"] == "draft" and created.json()["number"].startswith("SV-")
    launched = api.post(reverse("api:surveys-campaign-launch", args=[pk]), {}, format="json")
    assert launched.status_code == 200 and launched.json()["status"] == "open"
    Invitation.objects.filter(campaign_id=pk, unit=world.unit_a).update(answered=True)
    detail = client_for("agent", api=True).get(reverse("api:surveys-campaign-detail", args=[pk])).json()
    assert [r["estate"] for r in detail["response_rates"]["rows"]] == [world.estate_a.pk]
    assert detail["response_rates"]["rows"][0]["answered"] == 1
    reminded = api.post(reverse("api:surveys-campaign-remind", args=[pk]), {}, format="json")
    assert reminded.status_code == 200 and reminded.json() == {"reminded": 1}
    # the invitations' keys never appear in the campaign's API
    key = Invitation.objects.filter(campaign_id=pk).first().key
    assert key not in api.get(reverse("api:surveys-campaign-detail", args=[pk])).content.decode()


def test_scope_refusal_and_step_errors(world, client_for):
    grant(world.users["agent"], "add_campaign", "change_campaign")
    agent = client_for("agent", api=True)
    refused = agent.post(reverse("api:surveys-campaign-list"), _body(world, [world.estate_b]), format="json")
    assert refused.status_code == 400 and "estates" in refused.json()
    assert not Campaign.objects.exists()
    api = client_for("cs_manager", api=True)
    pk = api.post(reverse("api:surveys-campaign-list"), _body(world, [world.estate_a]), format="json").json()["id"]
    no_reason = api.post(reverse("api:surveys-campaign-cancel", args=[pk]), {}, format="json")
    assert no_reason.status_code == 400 and "reason" in no_reason.json()
    assert api.post(reverse("api:surveys-campaign-close", args=[pk]), {}, format="json").status_code == 400
    assert api.delete(reverse("api:surveys-campaign-detail", args=[pk])).status_code == 405
    assert Campaign.objects.get(pk=pk).status == "draft"
