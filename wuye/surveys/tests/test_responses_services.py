"""``services.response_submit``: every channel, every refusal (nothing saved), the one-time link, anonymity."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from wuye.core.models import AuditEvent
from wuye.surveys import services
from wuye.surveys.choices import CampaignStatus, Channel
from wuye.surveys.models import Answer, Invitation, Response

from .factories import full_answers, invitation_for, make_version, open_campaign
from .factories_responses import state

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """The refusals are compared with their English messages (the catalogue translates them for users)."""
    with translation.override("en"):
        yield


@pytest.fixture
def campaign(world):
    return open_campaign(world)


def _refused(invitation, message=None, key=None, **kwargs):
    before = state(invitation)
    with pytest.raises(ValidationError) as info:
        services.response_submit(invitation=invitation, **kwargs)
    assert state(invitation) == before
    if key is not None:
        assert key in info.value.message_dict, info.value
        if message:
            assert message in " ".join(info.value.message_dict[key])
    elif message:
        assert message in " ".join(info.value.messages)
    return info.value


def test_link_answer_stores_response_and_answers(world, campaign):
    invitation = invitation_for(campaign, world.unit_a)
    answers = full_answers(campaign.version)
    response = services.response_submit(invitation=invitation, answers=answers, channel=Channel.LINK)
    q = campaign.version.q
    assert response.unit == world.unit_a and response.estate == world.estate_a
    assert response.channel == Channel.LINK and response.entered_by is None
    assert response.submitted_on == timezone.localdate() and response.submitted_at is not None
    rows = {(a.question_id, a.value, a.text) for a in Answer.objects.filter(response=response)}
    assert rows == {(q["service"].pk, 5, ""), (q["repair"].pk, 4, ""), (q["single"].pk, 0, ""),
                    (q["multiple"].pk, 0, ""), (q["multiple"].pk, 2, ""), (q["recommend"].pk, 9, ""),
                    (q["text"].pk, None, "希望增加停车位")}
    assert set(Answer.objects.values_list("campaign", "estate").distinct()) == {(campaign.pk, world.estate_a.pk)}
    invitation.refresh_from_db()
    assert invitation.answered and invitation.channel == Channel.LINK and invitation.answered_at is not None
    assert not AuditEvent.objects.filter(event_type="surveys.response_entered").exists()


def test_optional_questions_may_stay_empty(world, campaign):
    q = campaign.version.q
    answers = full_answers(campaign.version)
    answers[q["multiple"].pk] = []
    answers[q["text"].pk] = "  "
    response = services.response_submit(invitation=invitation_for(campaign, world.unit_a), answers=answers,
                                        channel=Channel.LINK)
    assert set(response.answers.values_list("question_id", flat=True)) == {
        q["service"].pk, q["repair"].pk, q["single"].pk, q["recommend"].pk}


def test_one_time_link_second_submit_refused(world, campaign):
    invitation = invitation_for(campaign, world.unit_a)
    services.response_submit(invitation=invitation, answers=full_answers(campaign.version), channel=Channel.LINK)
    # the same (stale) invitation object twice, as two taps or two tabs would
    _refused(invitation, "This survey has already been answered with this link.",
             answers=full_answers(campaign.version, service=1), channel=Channel.LINK)
    assert Response.objects.count() == 1
    assert not Answer.objects.filter(value=1).exists()


def test_staff_cannot_enter_an_answered_household(world, campaign):
    invitation = invitation_for(campaign, world.unit_a)
    services.response_submit(invitation=invitation, answers=full_answers(campaign.version), channel=Channel.LINK)
    _refused(invitation, "This household has already answered this survey.", answers=full_answers(campaign.version),
             channel=Channel.PHONE, actor=world.users["agent"])


def test_expired_link_refused_but_staff_may_enter_until_the_last_day(world, campaign):
    invitation = invitation_for(campaign, world.unit_a)
    Invitation.objects.filter(pk=invitation.pk).update(expires_on=timezone.localdate() - dt.timedelta(days=1))
    invitation.refresh_from_db()
    _refused(invitation, "This link expired on", answers=full_answers(campaign.version), channel=Channel.LINK)
    _refused(invitation, "This link expired on", answers=full_answers(campaign.version), channel=Channel.PORTAL,
             actor=world.users["resident"])
    response = services.response_submit(invitation=invitation, answers=full_answers(campaign.version),
                                        channel=Channel.PAPER, actor=world.users["agent"])
    assert response.channel == Channel.PAPER and response.entered_by == world.users["agent"]


@pytest.mark.parametrize("status", [CampaignStatus.CLOSED, CampaignStatus.CANCELLED])
def test_closed_campaign_refused(world, status):
    campaign = open_campaign(world, status=status)
    invitation = invitation_for(campaign, world.unit_a)
    _refused(invitation, "This survey is not open for answers.", answers=full_answers(campaign.version),
             channel=Channel.LINK)
    _refused(invitation, "This survey is not open for answers.", answers=full_answers(campaign.version),
             channel=Channel.PHONE, actor=world.users["cs_manager"])


def test_outside_the_period_refused(world, campaign):
    invitation = invitation_for(campaign, world.unit_a)
    for day in (campaign.starts_on - dt.timedelta(days=1), campaign.ends_on + dt.timedelta(days=1)):
        _refused(invitation, "This survey takes answers from", answers=full_answers(campaign.version),
                 channel=Channel.PHONE, actor=world.users["agent"], today=day)
    assert services.response_submit(invitation=invitation, answers=full_answers(campaign.version),
                                    channel=Channel.PHONE, actor=world.users["agent"], today=campaign.ends_on)


def test_channel_not_enabled_refused(world):
    campaign = open_campaign(world, channel_link=False, channel_staff=False)
    invitation = invitation_for(campaign, world.unit_a)
    _refused(invitation, "does not take answers through this channel", key="channel",
             answers=full_answers(campaign.version), channel=Channel.LINK)
    _refused(invitation, key="channel", answers=full_answers(campaign.version), channel=Channel.PHONE,
             actor=world.users["agent"])
    _refused(invitation, key="channel", answers=full_answers(campaign.version), channel="fax")


def test_required_answer_missing(world, campaign):
    q = campaign.version.q
    answers = full_answers(campaign.version)
    del answers[q["service"].pk]
    answers[q["recommend"].pk] = None
    error = _refused(invitation_for(campaign, world.unit_a), "Please answer this question.",
                     key=f"q{q['service'].pk}", answers=answers, channel=Channel.LINK)
    assert f"q{q['recommend'].pk}" in error.message_dict
    assert f"q{q['repair'].pk}" not in error.message_dict


@pytest.mark.parametrize(("name", "value"), [
    ("service", 0), ("service", 6), ("service", "很好"), ("service", True), ("service", 4.5),
    ("repair", [4]), ("recommend", 11), ("recommend", -1),
    ("single", 3), ("single", -1), ("multiple", [0, 5]), ("multiple", ["x"]), ("text", 5),
])
def test_value_out_of_range_or_unknown_option(world, campaign, name, value):
    q = campaign.version.q
    answers = full_answers(campaign.version)
    answers[q[name].pk] = value
    _refused(invitation_for(campaign, world.unit_a), key=f"q{q[name].pk}", answers=answers, channel=Channel.LINK)


def test_numbers_as_strings_are_accepted(world, campaign):
    q = campaign.version.q
    answers = {str(k): v for k, v in full_answers(campaign.version).items()}
    answers[str(q["service"].pk)] = "3"
    response = services.response_submit(invitation=invitation_for(campaign, world.unit_a), answers=answers,
                                        channel=Channel.LINK)
    assert response.answers.get(question=q["service"]).value == 3


def test_question_of_another_questionnaire_refused(world, campaign):
    other = make_version(code="other")
    answers = full_answers(campaign.version)
    answers[other.q["service"].pk] = 5
    _refused(invitation_for(campaign, world.unit_a), "is not part of this questionnaire", key="answers",
             answers=answers, channel=Channel.LINK)
    _refused(invitation_for(campaign, world.unit_a), key="answers", answers={"abc": 5, **full_answers(
        campaign.version)}, channel=Channel.LINK)


def test_staff_entry_is_marked_and_audited(world, campaign):
    agent = world.users["agent"]
    response = services.response_submit(invitation=invitation_for(campaign, world.unit_a),
                                        answers=full_answers(campaign.version), channel=Channel.PHONE, actor=agent)
    assert response.channel == Channel.PHONE and response.entered_by == agent
    event = AuditEvent.objects.get(event_type="surveys.response_entered")
    assert event.actor == agent and event.object_id == str(response.pk)


def test_staff_entry_needs_permission_and_scope(world, campaign):
    answers = full_answers(campaign.version)
    outside = invitation_for(campaign, world.unit_b)  # estate B: the agent serves only A
    for actor, invitation in [(None, invitation_for(campaign, world.unit_a)),
                              (world.users["document_controller"], invitation_for(campaign, world.unit_a)),
                              (world.users["executive"], invitation_for(campaign, world.unit_a)),
                              (world.users["resident"], invitation_for(campaign, world.unit_a)),
                              (world.users["agent"], outside)]:
        before = state(invitation)
        with pytest.raises(PermissionDenied):
            services.response_submit(invitation=invitation, answers=answers, channel=Channel.PHONE, actor=actor)
        assert state(invitation) == before
    # the manager sees all estates
    assert services.response_submit(invitation=outside, answers=answers, channel=Channel.PAPER,
                                    actor=world.users["cs_manager"]).estate == world.estate_b


def test_portal_needs_the_households_resident(world, campaign):
    answers = full_answers(campaign.version)
    for actor, unit in [(None, world.unit_a), (world.users["agent"], world.unit_a),
                        (world.users["resident"], world.unit_b)]:
        invitation = invitation_for(campaign, unit)
        before = state(invitation)
        with pytest.raises(PermissionDenied):
            services.response_submit(invitation=invitation, answers=answers, channel=Channel.PORTAL, actor=actor)
        assert state(invitation) == before
    response = services.response_submit(invitation=invitation_for(campaign, world.unit_a), answers=answers,
                                        channel=Channel.PORTAL, actor=world.users["resident"])
    assert response.channel == Channel.PORTAL and response.entered_by is None


@pytest.mark.parametrize("channel", [Channel.LINK, Channel.PORTAL, Channel.PHONE])
def test_anonymous_campaign_keeps_no_trace_of_the_household(world, channel):
    campaign = open_campaign(world, anonymous=True, starts_on=timezone.localdate() - dt.timedelta(days=3))
    invitation = invitation_for(campaign, world.unit_a)
    actor = {Channel.LINK: None, Channel.PORTAL: world.users["resident"], Channel.PHONE: world.users["agent"]}[channel]
    events = AuditEvent.objects.count()
    response = services.response_submit(invitation=invitation, answers=full_answers(campaign.version),
                                        channel=channel, actor=actor)
    response.refresh_from_db()
    assert response.unit is None and response.submitted_at is None and response.entered_by is None
    # not even the day: the campaign's first day stands for it
    assert response.estate == world.estate_a and response.submitted_on == campaign.starts_on != timezone.localdate()
    invitation.refresh_from_db()
    assert invitation.answered and invitation.answered_at is None and invitation.channel == ""
    assert AuditEvent.objects.count() == events  # nothing names the invitation, the unit or even the time
    # still one-time
    _refused(invitation, answers=full_answers(campaign.version), channel=channel, actor=actor)
