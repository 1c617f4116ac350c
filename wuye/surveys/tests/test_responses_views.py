"""Pages of responses: the public personal link (no login, one time, expiry), staff entry, the list and its Excel,
one response; the household hidden for anonymous campaigns and for users without the permission."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from wuye.surveys import services
from wuye.surveys.choices import Channel
from wuye.surveys.models import Answer, Invitation, Response

from .factories import full_answers, invitation_for, open_campaign
from .factories_responses import household, state

pytestmark = pytest.mark.django_db

UNIT_CODE = "3-7-0707"  # the household made by ``household()``
RESIDENT_NAME = "赵敏"


def post_data(version, **overrides) -> dict:
    data = {}
    for pk, value in full_answers(version, **overrides).items():
        data[f"q{pk}"] = [str(v) for v in value] if isinstance(value, list) else str(value)
    return data


@pytest.fixture
def home(world):
    return household(world)


@pytest.fixture
def campaign(world, home):
    return open_campaign(world)


# --- the public link -------------------------------------------------------------------------------------------


def test_link_page_needs_no_login_and_shows_the_questions(world, home, campaign):
    invitation = invitation_for(campaign, home)
    response = Client().get(invitation.get_link_path())
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="viewport"' in html and "mainnav" not in html  # standalone phone page, no staff menu
    for question in campaign.version.q.values():
        assert question.text in html
    assert "基本满意" in html and UNIT_CODE in html  # named survey: the household sees its unit


def test_link_submit_then_thanks_then_gone(world, home, campaign):
    invitation = invitation_for(campaign, home)
    client = Client(enforce_csrf_checks=False)
    response = client.post(invitation.get_link_path(), post_data(campaign.version))
    assert response.status_code == 302
    assert response["Location"] == reverse("surveys:answer_done", args=[invitation.key])
    assert client.get(response["Location"]).status_code == 200
    stored = Response.objects.get()
    assert stored.channel == Channel.LINK and stored.unit == home
    assert stored.answers.get(question=campaign.version.q["service"]).value == 5
    again = client.post(invitation.get_link_path(), post_data(campaign.version, service=1))
    assert again.status_code == 410
    assert "已" in again.content.decode() or "already" in again.content.decode()
    assert Response.objects.count() == 1
    assert client.get(invitation.get_link_path()).status_code == 410


def test_link_missing_answer_shows_errors_and_saves_nothing(world, home, campaign):
    invitation = invitation_for(campaign, home)
    data = post_data(campaign.version)
    del data[f"q{campaign.version.q['service'].pk}"]
    data[f"q{campaign.version.q['recommend'].pk}"] = "12"
    before = state(invitation)
    response = Client().post(invitation.get_link_path(), data)
    assert response.status_code == 400
    assert response.content.decode().count("survey-error") == 2
    assert state(invitation) == before


def test_unknown_key_404_and_done_page_before_answering_redirects(world, home, campaign):
    assert Client().get(reverse("surveys:answer", args=["no-such-key"])).status_code == 404
    assert Client().get(reverse("surveys:answer_done", args=["no-such-key"])).status_code == 404
    invitation = invitation_for(campaign, home)
    response = Client().get(reverse("surveys:answer_done", args=[invitation.key]))
    assert response.status_code == 302 and response["Location"] == invitation.get_link_path()


def test_expired_and_closed_links_say_why(world, home, campaign):
    invitation = invitation_for(campaign, home)
    Invitation.objects.filter(pk=invitation.pk).update(expires_on=timezone.localdate() - dt.timedelta(days=2))
    response = Client().get(invitation.get_link_path())
    assert response.status_code == 410
    assert (timezone.localdate() - dt.timedelta(days=2)).strftime("%Y-%m-%d") in response.content.decode()
    before = state(invitation)
    assert Client().post(invitation.get_link_path(), post_data(campaign.version)).status_code == 410
    assert state(invitation) == before
    other = invitation_for(campaign, world.unit_b)
    campaign.status = "closed"
    campaign.save()
    assert Client().get(other.get_link_path()).status_code == 410


def test_anonymous_link_page_hides_the_household(world, home):
    campaign = open_campaign(world, anonymous=True)
    invitation = invitation_for(campaign, home)
    html = Client().get(invitation.get_link_path()).content.decode()
    assert UNIT_CODE not in html and RESIDENT_NAME not in html
    assert "survey-anonymous" in html


# --- staff entry -----------------------------------------------------------------------------------------------------


def test_staff_entry_offers_only_unanswered_households_of_the_agents_estates(world, home, campaign, client_for):
    services.response_submit(invitation=invitation_for(campaign, world.unit_b), answers=full_answers(
        campaign.version), channel=Channel.LINK)
    agent = client_for("agent")
    html = agent.get(reverse("surveys:response_add", args=[campaign.pk])).content.decode()
    assert UNIT_CODE in html and "5-1-0801" not in html  # estate B is not the agent's
    assert f'<option value="{invitation_for(campaign, home).pk}"' in html
    data = {"invitation": invitation_for(campaign, home).pk, "channel": Channel.PAPER,
            **post_data(campaign.version)}
    response = agent.post(reverse("surveys:response_add", args=[campaign.pk]), data)
    assert response.status_code == 302
    stored = Response.objects.get(unit=home)
    assert stored.channel == Channel.PAPER and stored.entered_by == world.users["agent"]
    # the household is no longer offered; entering it again is refused
    html = agent.get(reverse("surveys:response_add", args=[campaign.pk])).content.decode()
    assert f'<option value="{invitation_for(campaign, home).pk}"' not in html
    again = agent.post(reverse("surveys:response_add", args=[campaign.pk]), data)
    assert again.status_code == 400 and Response.objects.count() == 2


def test_staff_entry_of_another_estate_refused(world, campaign, client_for):
    data = {"invitation": invitation_for(campaign, world.unit_b).pk, "channel": Channel.PHONE,
            **post_data(campaign.version)}
    response = client_for("agent").post(reverse("surveys:response_add", args=[campaign.pk]), data)
    assert response.status_code == 400 and not Response.objects.exists()


def test_staff_entry_closed_campaign_shows_notice(world, home, client_for):
    campaign = open_campaign(world, status="closed")
    response = client_for("cs_manager").get(reverse("surveys:response_add", args=[campaign.pk]))
    assert response.status_code == 200 and "response-notice" in response.content.decode()


# --- list, detail, Excel: who sees the household -----------------------------------------------------------------


def _xlsx_text(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        raw = "".join(z.read(name).decode("utf-8", "replace") for name in z.namelist())
    workbook = load_workbook(io.BytesIO(content), read_only=True)
    cells = " ".join(str(c) for ws in workbook.worksheets for row in ws.iter_rows(values_only=True) for c in row
                     if c is not None)
    return raw + cells


def test_named_response_household_shown_only_with_the_permission(world, home, campaign, client_for):
    response = services.response_submit(invitation=invitation_for(campaign, home),
                                        answers=full_answers(campaign.version), channel=Channel.LINK)
    manager, agent = client_for("cs_manager"), client_for("agent")
    detail = reverse("surveys:response", args=[response.pk])
    assert UNIT_CODE in manager.get(detail).content.decode()
    assert UNIT_CODE in manager.get(reverse("surveys:response_list")).content.decode()
    assert UNIT_CODE in _xlsx_text(manager.get(reverse("surveys:response_list") + "?export=xlsx").getvalue())
    agent_detail = agent.get(detail).content.decode()
    assert UNIT_CODE not in agent_detail and "希望增加停车位" in agent_detail
    assert UNIT_CODE not in agent.get(reverse("surveys:response_list")).content.decode()
    assert UNIT_CODE not in _xlsx_text(agent.get(reverse("surveys:response_list") + "?export=xlsx").getvalue())


def test_anonymous_response_hidden_from_everyone_in_pages_and_excel(world, home, client_for):
    campaign = open_campaign(world, anonymous=True)
    response = services.response_submit(invitation=invitation_for(campaign, home),
                                        answers=full_answers(campaign.version), channel=Channel.PHONE,
                                        actor=world.users["cs_manager"])
    for role in ("cs_manager", "admin", "agent", "executive"):
        client = client_for(role)
        detail = client.get(reverse("surveys:response", args=[response.pk]))
        assert detail.status_code == 200
        html = detail.content.decode()
        assert "希望增加停车位" in html
        assert UNIT_CODE not in html and RESIDENT_NAME not in html and "0707" not in html
        assert world.users["cs_manager"].username not in html  # no "entered by"
        listing = client.get(reverse("surveys:response_list")).content.decode()
        assert UNIT_CODE not in listing
        text = _xlsx_text(client.get(reverse("surveys:response_list") + "?export=xlsx").getvalue())
        assert UNIT_CODE not in text and RESIDENT_NAME not in text and campaign.number in text


def test_list_filters_by_campaign_and_channel(world, home, client_for):
    first, second = open_campaign(world), open_campaign(world, number="SV-2026-02")
    one = services.response_submit(invitation=invitation_for(first, home), answers=full_answers(first.version),
                                   channel=Channel.LINK)
    two = services.response_submit(invitation=invitation_for(second, home), answers=full_answers(second.version),
                                   channel=Channel.PHONE, actor=world.users["agent"])
    client = client_for("cs_manager")
    one_url, two_url = (f'href="{reverse("surveys:response", args=[r.pk])}"' for r in (one, two))
    html = client.get(reverse("surveys:response_list"), {"campaign": first.pk}).content.decode()
    assert one_url in html and two_url not in html
    html = client.get(reverse("surveys:response_list"), {"channel": "phone"}).content.decode()
    assert two_url in html and one_url not in html
    assert Answer.objects.count() == 14
