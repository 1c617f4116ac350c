"""The campaign services: create (scope, version, dates), update, launch (frame, sample, invitations, portal
notice), remind, close, cancel, renew a link, the schedule."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from wuye.core.models import AuditEvent, Notification
from wuye.estates.choices import OccupancyRole
from wuye.estates.tests.factories import EstateFactory, OccupancyFactory, UnitFactory
from wuye.surveys import services
from wuye.surveys.choices import CampaignStatus, Target, VersionStatus
from wuye.surveys.models import Campaign, CampaignEstate, Invitation, SurveySchedule
from wuye.surveys.sampling import sample_size

from .factories import make_version
from .factories_campaigns import add_households, draft, grant

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def test_create_draft_numbered_with_its_estates(world):
    campaign = draft(world)
    assert campaign.status == CampaignStatus.DRAFT
    assert campaign.number == f"SV-{TODAY.year}-01"
    assert set(campaign.estates.all()) == {world.estate_a, world.estate_b}
    assert campaign.low_score_threshold == Decimal("3.5")
    assert draft(world, name="第二次").number == f"SV-{TODAY.year}-02"
    assert AuditEvent.objects.filter(event_type="surveys.campaign_create").count() == 2


def test_threshold_defaults_to_the_schedule(world):
    services.schedule_update(actor=world.users["cs_manager"], low_score_threshold=Decimal("4.00"))
    assert draft(world).low_score_threshold == Decimal("4.00")


def test_estate_outside_the_managers_scope_is_refused_and_nothing_saved(world):
    agent = grant(world.users["agent"], "add_campaign", "change_campaign")  # serves estate A only
    with pytest.raises(ValidationError) as exc:
        draft(world, actor=agent, estates=[world.estate_a, world.estate_b])
    assert "estates" in exc.value.message_dict
    assert world.estate_b.name in exc.value.message_dict["estates"][0]
    assert not Campaign.objects.exists() and not CampaignEstate.objects.exists()
    assert draft(world, actor=agent, estates=[world.estate_a]).estates.get() == world.estate_a


def test_without_permission_refused(world):
    with pytest.raises(PermissionDenied):
        draft(world, actor=world.users["agent"])


@pytest.mark.parametrize(("fields", "key"), [
    ({"ends_on": TODAY - dt.timedelta(days=1)}, "ends_on"),
    ({"estates": []}, "estates"),
    ({"channel_portal": False, "channel_link": False, "channel_staff": False}, "channel_portal"),
    ({"links_expire_on": TODAY + dt.timedelta(days=90)}, "links_expire_on"),
    ({"margin": Decimal("0.5")}, "margin"),
    ({"name": ""}, "name"),
])
def test_bad_input_refused_field_keyed(world, fields, key):
    with pytest.raises(ValidationError) as exc:
        draft(world, **fields)
    assert key in exc.value.message_dict
    assert not Campaign.objects.exists()


def test_version_not_in_use_refused(world):
    with pytest.raises(ValidationError) as exc:
        draft(world, version=make_version(code="draft-q", status=VersionStatus.DRAFT))
    assert "version" in exc.value.message_dict


def test_update_draft_and_its_estates_only(world):
    campaign = draft(world)
    services.campaign_update(actor=world.users["cs_manager"], campaign=campaign, name="改名", estates=[world.estate_b])
    campaign.refresh_from_db()
    assert campaign.name == "改名"
    assert list(campaign.estates.all()) == [world.estate_b]
    services.campaign_launch(actor=world.users["cs_manager"], campaign=campaign)
    with pytest.raises(ValidationError):
        services.campaign_update(actor=world.users["cs_manager"], campaign=campaign, name="再改")


def test_launch_invites_every_household_once(world):
    add_households(world.estate_a, 3)
    UnitFactory(building=world.building_a, number="9901")                               # nobody lives there
    OccupancyFactory(unit=UnitFactory(building=world.building_a, number="9902"), start_date=dt.date(2020, 1, 1),
                     end_date=TODAY - dt.timedelta(days=1))                               # moved out
    OccupancyFactory(unit=world.unit_a, role=OccupancyRole.TENANT)                      # owner and tenant: one
    OccupancyFactory(unit=UnitFactory(building=world.building_a, number="9903"), role=OccupancyRole.FAMILY)
    campaign = draft(world, ends_on=TODAY + dt.timedelta(days=60))
    services.campaign_launch(actor=world.users["cs_manager"], campaign=campaign)
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.OPEN and campaign.opened_at is not None
    invitations = Invitation.objects.filter(campaign=campaign)
    assert invitations.filter(estate=world.estate_a).count() == 4                     # unit_a + 3
    assert invitations.filter(estate=world.estate_b).count() == 1
    assert invitations.values("unit").distinct().count() == invitations.count()
    keys = set(invitations.values_list("key", flat=True))
    assert len(keys) == 5 and all(len(k) == 43 for k in keys)
    assert set(invitations.values_list("expires_on", flat=True)) == {TODAY + dt.timedelta(days=30)}
    rows = {r.estate_id: (r.households, r.invited) for r in CampaignEstate.objects.filter(campaign=campaign)}
    assert rows == {world.estate_a.pk: (4, 4), world.estate_b.pk: (1, 1)}
    # the resident of unit_a hears of it on the portal
    notice = Notification.objects.get(recipient=world.users["resident"], key=f"survey:{campaign.pk}:invite")
    assert campaign.name in notice.title
    assert AuditEvent.objects.filter(event_type="surveys.campaign_launch", object_id=str(campaign.pk)).exists()


def test_links_expire_at_the_campaigns_end_at_the_latest(world):
    campaign = draft(world, ends_on=TODAY + dt.timedelta(days=10))
    services.campaign_launch(actor=world.users["cs_manager"], campaign=campaign)
    assert set(campaign.invitations.values_list("expires_on", flat=True)) == {TODAY + dt.timedelta(days=10)}
    other = draft(world, name="另一次", links_expire_on=TODAY + dt.timedelta(days=5))
    services.campaign_launch(actor=world.users["cs_manager"], campaign=other)
    assert set(other.invitations.values_list("expires_on", flat=True)) == {TODAY + dt.timedelta(days=5)}


def test_launch_a_stratified_sample(world):
    add_households(world.estate_a, 79)          # 80 households in A
    add_households(world.estate_b, 29)          # 30 in B
    campaign = draft(world, target=Target.SAMPLE, confidence=Decimal("0.95"), margin=Decimal("0.10"))
    services.campaign_launch(actor=world.users["cs_manager"], campaign=campaign)
    campaign.refresh_from_db()
    assert campaign.sample_seed
    # hand check: 95 %, ±10 %: n0 = 96.04; A: 96.04 / (1 + 95.04 / 80) = 43.9 → 44;
    # B: 96.04 / (1 + 95.04 / 30) = 23.04 → 24
    assert sample_size(80, Decimal("0.95"), Decimal("0.10")) == 44
    assert sample_size(30, Decimal("0.95"), Decimal("0.10")) == 24
    counts = {r.estate_id: (r.households, r.invited) for r in campaign.campaign_estates.all()}
    assert counts == {world.estate_a.pk: (80, 44), world.estate_b.pk: (30, 24)}
    assert Invitation.objects.filter(campaign=campaign, estate=world.estate_a).count() == 44
    a_units = set(Invitation.objects.filter(campaign=campaign, estate=world.estate_a).values_list("unit__estate",
                                                                                                   flat=True))
    assert a_units == {world.estate_a.pk}


def test_launching_twice_refused(world):
    campaign = draft(world)
    services.campaign_launch(actor=world.users["cs_manager"], campaign=campaign)
    with pytest.raises(ValidationError):
        services.campaign_launch(actor=world.users["cs_manager"], campaign=campaign)
    assert Invitation.objects.filter(campaign=campaign).count() == 2


def test_launch_without_households_refused_nothing_saved(world):
    empty = EstateFactory(company=world.company, name="空置小区", code="kz")
    campaign = draft(world, estates=[empty])
    with pytest.raises(ValidationError):
        services.campaign_launch(actor=world.users["cs_manager"], campaign=campaign)
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.DRAFT and not campaign.invitations.exists()


def test_launch_after_the_period_refused(world):
    campaign = draft(world, starts_on=TODAY - dt.timedelta(days=40), ends_on=TODAY - dt.timedelta(days=10))
    with pytest.raises(ValidationError) as exc:
        services.campaign_launch(actor=world.users["cs_manager"], campaign=campaign)
    assert "ends_on" in exc.value.message_dict
    services.campaign_launch(actor=world.users["cs_manager"], campaign=campaign, today=TODAY - dt.timedelta(days=30))
    assert campaign.invitations.count() == 2


def _launched(world, **fields):
    campaign = draft(world, **fields)
    return services.campaign_launch(actor=world.users["cs_manager"], campaign=campaign)


def test_remind_households_not_answered_once_a_day(world):
    add_households(world.estate_a, 2)
    campaign = _launched(world)
    answered = Invitation.objects.filter(campaign=campaign).exclude(unit=world.unit_a).first()
    Invitation.objects.filter(pk=answered.pk).update(answered=True)
    manager = world.users["cs_manager"]
    assert services.campaign_remind(actor=manager, campaign=campaign) == 3
    assert services.campaign_remind(actor=manager, campaign=campaign) == 0            # idempotent the same day
    assert Invitation.objects.get(pk=answered.pk).reminders == 0
    assert Invitation.objects.get(campaign=campaign, unit=world.unit_a).reminders == 1
    assert Notification.objects.filter(recipient=world.users["resident"],
                                       key=f"survey:{campaign.pk}:remind:{TODAY:%Y%m%d}").count() == 1
    # the next day (the job passes its date): reminded again
    Invitation.objects.filter(campaign=campaign).update(last_reminded_at=timezone.now() - dt.timedelta(days=1))
    assert services.campaign_remind(actor=None, campaign=campaign) == 3
    assert Invitation.objects.get(campaign=campaign, unit=world.unit_a).reminders == 2


def test_remind_refused_unless_open(world):
    with pytest.raises(ValidationError):
        services.campaign_remind(actor=world.users["cs_manager"], campaign=draft(world))


def test_close_and_then_nothing_more(world):
    campaign = _launched(world)
    services.campaign_close(actor=world.users["cs_manager"], campaign=campaign)
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.CLOSED and campaign.closed_at
    with pytest.raises(ValidationError):
        services.campaign_close(actor=world.users["cs_manager"], campaign=campaign)
    with pytest.raises(ValidationError):
        services.campaign_cancel(actor=world.users["cs_manager"], campaign=campaign, reason="错了")
    assert campaign.invitations.count() == 2   # nothing deleted


def test_cancel_needs_a_reason_and_no_answers(world):
    manager = world.users["cs_manager"]
    campaign = _launched(world)
    with pytest.raises(ValidationError) as exc:
        services.campaign_cancel(actor=manager, campaign=campaign, reason="  ")
    assert "reason" in exc.value.message_dict
    Invitation.objects.filter(campaign=campaign, unit=world.unit_a).update(answered=True)
    with pytest.raises(ValidationError):
        services.campaign_cancel(actor=manager, campaign=campaign, reason="问卷有误")
    assert Campaign.objects.get(pk=campaign.pk).status == CampaignStatus.OPEN
    other = draft(world, name="草稿")
    services.campaign_cancel(actor=manager, campaign=other, reason="重复创建")
    other.refresh_from_db()
    assert other.status == CampaignStatus.CANCELLED and other.cancel_reason == "重复创建"


def test_renew_a_lost_link(world):
    campaign = _launched(world, ends_on=TODAY + dt.timedelta(days=90))
    invitation = Invitation.objects.get(campaign=campaign, unit=world.unit_a)
    Invitation.objects.filter(pk=invitation.pk).update(expires_on=TODAY - dt.timedelta(days=1))
    renewed = services.invitation_renew(actor=world.users["cs_manager"], invitation=invitation)
    assert renewed.key != invitation.key and renewed.expires_on == TODAY + dt.timedelta(days=30)
    Invitation.objects.filter(pk=invitation.pk).update(answered=True)
    with pytest.raises(ValidationError):
        services.invitation_renew(actor=world.users["cs_manager"], invitation=invitation)
    assert Invitation.objects.get(pk=invitation.pk).key == renewed.key


def test_anonymous_renewal_names_no_household_in_the_audit(world):
    campaign = _launched(world, anonymous=True)
    invitation = Invitation.objects.get(campaign=campaign, unit=world.unit_a)
    services.invitation_renew(actor=world.users["cs_manager"], invitation=invitation)
    event = AuditEvent.objects.get(event_type="surveys.invitation_renew")
    assert "unit" not in event.data and str(world.unit_a) not in event.object_repr


def test_schedule_created_on_first_save_and_validated(world):
    manager = world.users["cs_manager"]
    assert not SurveySchedule.objects.exists()
    schedule = services.schedule_update(actor=manager, campaigns_per_year=4, link_valid_days=14)
    assert SurveySchedule.objects.get().campaigns_per_year == 4 and schedule.interval_days == 91
    with pytest.raises(ValidationError) as exc:
        services.schedule_update(actor=manager, campaigns_per_year=0)
    assert "campaigns_per_year" in exc.value.message_dict
    assert SurveySchedule.objects.get().campaigns_per_year == 4
    assert SurveySchedule.objects.count() == 1
    with pytest.raises(PermissionDenied):
        services.schedule_update(actor=world.users["agent"], campaigns_per_year=3)
