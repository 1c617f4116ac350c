"""Campaign pages: the campaign page and its live rates, creating through the page (scope refusal), the households
list and its links, the links sheet, the schedule."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from wuye.core.exports import table_rows
from wuye.surveys.models import Campaign, Invitation, SurveySchedule
from wuye.surveys.tables.campaigns import InvitationTable

from .factories import open_campaign
from .factories_campaigns import _version, add_households, draft, grant

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def test_campaign_page_rates_per_estate_in_scope_and_live_refresh(world, client_for):
    campaign = open_campaign(world, version=_version())
    page = client_for("cs_manager").get(reverse("surveys:campaign", args=[campaign.pk])).content.decode()
    assert "step-remind" in page and "step-close" in page and 'hx-trigger="every 30s"' in page
    assert world.estate_b.name in page
    agent_page = client_for("agent").get(reverse("surveys:campaign", args=[campaign.pk])).content.decode()
    assert "step-remind" not in agent_page
    assert f'data-estate="{world.estate_b.pk}"' not in agent_page and f'data-estate="{world.estate_a.pk}"' in agent_page
    rates_url = reverse("surveys:campaign_rates", args=[campaign.pk])
    before = client_for("agent").get(rates_url).content.decode()
    assert '<td class="text-end rate-answered">0</td>' in before
    Invitation.objects.filter(campaign=campaign, unit=world.unit_a).update(answered=True)
    after = client_for("agent").get(rates_url).content.decode()
    assert '<td class="text-end rate-answered">1</td>' in after and "100.0%" in after


def test_create_through_the_page_and_scope_refusal(world, client_for):
    today = TODAY
    data = {"name": "页面调查", "version": _version().pk, "estates": [world.estate_a.pk, world.estate_b.pk],
            "starts_on": today, "ends_on": today + dt.timedelta(days=20), "target": "sample", "confidence": "0.99",
            "margin": "0.05", "channel_link": "on", "low_score_threshold": "3.5"}
    grant(world.users["agent"], "add_campaign", "change_campaign")
    refused = client_for("agent").post(reverse("surveys:campaign_add"), data)
    # the page offers only the estates the agent serves: estate B is refused (the service names it, see the API test)
    assert refused.status_code == 400 and refused.context["form"].errors.get("estates")
    assert not Campaign.objects.exists()
    done = client_for("cs_manager").post(reverse("surveys:campaign_add"), data)
    campaign = Campaign.objects.get()
    assert done.status_code == 302 and done["Location"] == campaign.get_absolute_url()
    assert str(campaign.confidence) == "0.99" and campaign.target == "sample" and not campaign.channel_portal


def test_launch_through_the_step_page(world, client_for):
    campaign = draft(world)
    response = client_for("cs_manager").post(reverse("surveys:campaign_step", args=[campaign.pk, "launch"]))
    assert response.status_code == 302
    assert Campaign.objects.get(pk=campaign.pk).status == "open" and campaign.invitations.count() == 2
    again = client_for("cs_manager").post(reverse("surveys:campaign_step", args=[campaign.pk, "launch"]))
    assert again.status_code == 400 and campaign.invitations.count() == 2
    edit = client_for("cs_manager").get(reverse("surveys:campaign_edit", args=[campaign.pk]))
    assert edit.status_code == 403


def test_households_list_links_only_for_those_who_hand_them_out(world, client_for):
    campaign = open_campaign(world, version=_version())
    invitation = Invitation.objects.get(campaign=campaign, unit=world.unit_a)
    url = reverse("surveys:invitation_list", args=[campaign.pk])
    manager = client_for("cs_manager").get(url).content.decode()
    assert invitation.key in manager and world.unit_b.code in manager
    agent = client_for("agent").get(url).content.decode()
    assert invitation.key not in agent and world.unit_a.code in agent and world.unit_b.code not in agent
    headers, rows = table_rows(InvitationTable, Invitation.objects.filter(campaign=campaign))
    assert not any(invitation.key in str(cell) for row in rows for cell in row)
    assert len(headers) == 6


def test_renew_and_the_links_sheet(world, client_for):
    add_households(world.estate_a, 2)
    campaign = open_campaign(world, version=_version())
    invitation = Invitation.objects.get(campaign=campaign, unit=world.unit_a)
    client = client_for("cs_manager")
    assert client.post(reverse("surveys:invitation_renew", args=[invitation.pk])).status_code == 302
    assert Invitation.objects.get(pk=invitation.pk).key != invitation.key
    Invitation.objects.filter(pk=invitation.pk).update(answered=True)
    pdf = client.get(reverse("surveys:campaign_links", args=[campaign.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content[:4] == b"%PDF"


def test_schedule_page_and_edit(world, client_for):
    page = client_for("agent").get(reverse("surveys:schedule")).content.decode()
    assert "action-edit" not in page
    bad = client_for("cs_manager").post(reverse("surveys:schedule_edit"), {
        "campaigns_per_year": "0", "low_score_threshold": "3.5", "link_valid_days": "30", "remind_after_days": "7"})
    assert bad.status_code == 400 and not SurveySchedule.objects.exists()
    ok = client_for("cs_manager").post(reverse("surveys:schedule_edit"), {
        "campaigns_per_year": "4", "low_score_threshold": "3.8", "link_valid_days": "10", "remind_after_days": "3"})
    assert ok.status_code == 302 and SurveySchedule.current().campaigns_per_year == 4
