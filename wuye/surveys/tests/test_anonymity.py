"""Anonymity across the pages that list households: in an anonymous campaign nobody can tell from wuye which household
has answered (so nobody can match a household with an answer by watching the lists): the households page shows no
answered or reminder column and ignores an ``answered`` filter, the links sheet holds every household, an answered
household's link is renewed like any other, staff entry offers every household. A named campaign keeps all of it."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from wuye.estates.models import Unit
from wuye.surveys import services
from wuye.surveys.choices import Channel
from wuye.surveys.forms.responses import StaffEntryForm
from wuye.surveys.models import Invitation

from .factories import full_answers, invitation_for, open_campaign
from .factories_campaigns import add_households

pytestmark = pytest.mark.django_db


def _answer(campaign, unit):
    return services.response_submit(invitation=invitation_for(campaign, unit), answers=full_answers(campaign.version),
                                    channel=Channel.LINK)


def _households_page(client, campaign, query=""):
    return client.get(reverse("surveys:invitation_list", args=[campaign.pk]) + query).content.decode()


@pytest.mark.parametrize("anonymous", [True, False])
def test_households_page_tells_who_answered_only_in_a_named_campaign(world, client_for, anonymous):
    add_households(world.estate_a, 2)
    campaign = open_campaign(world, anonymous=anonymous)
    _answer(campaign, world.unit_a)
    others = [i.unit.code for i in Invitation.objects.filter(campaign=campaign, estate=world.estate_a,
                                                             answered=False).select_related("unit")]
    client = client_for("cs_manager")
    page = _households_page(client, campaign)
    filtered = _households_page(client, campaign, "?answered=true")
    if anonymous:
        assert "reminders" not in page and "已作答" not in page and "answered" not in page.split("<table")[1]
        # the filter is ignored: every household is still listed
        assert world.unit_a.code in filtered and all(code in filtered for code in others)
    else:
        assert world.unit_a.code in filtered and not any(code in filtered for code in others)


@pytest.mark.parametrize("anonymous", [True, False])
def test_links_sheet_and_renewal(world, client_for, anonymous):
    campaign = open_campaign(world, anonymous=anonymous, estates=[world.estate_a])
    _answer(campaign, world.unit_a)
    client = client_for("cs_manager")
    answered = invitation_for(campaign, world.unit_a)
    pdf = client.get(reverse("surveys:campaign_links", args=[campaign.pk]))
    if anonymous:
        text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
        assert pdf.status_code == 200 and world.unit_a.code in text
    else:
        assert pdf.status_code == 404  # the only household has answered
    response = client.post(reverse("surveys:invitation_renew", args=[answered.pk]))
    renewed = Invitation.objects.get(pk=answered.pk)
    assert response.status_code == 302
    assert (renewed.key != answered.key) is anonymous  # named: refused (already answered); anonymous: renewed
    assert renewed.answered  # a renewed link of an answered household is still used


@pytest.mark.parametrize("anonymous", [True, False])
def test_staff_entry_offers_every_household_only_when_anonymous(world, anonymous):
    campaign = open_campaign(world, anonymous=anonymous)
    _answer(campaign, world.unit_a)
    form = StaffEntryForm(campaign=campaign, user=world.users["cs_manager"])
    units = set(Unit.objects.filter(survey_invitations__in=form.fields["invitation"].queryset)
                .values_list("pk", flat=True))
    assert (world.unit_a.pk in units) is anonymous
    assert world.unit_b.pk in units
