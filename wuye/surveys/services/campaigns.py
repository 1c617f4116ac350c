"""Survey campaigns: create and edit a draft, launch it (the sampling frame, the sample, one invitation with a
one-time personal key per household), remind the households that have not answered, close, cancel; renew a
household's lost link; the company's survey schedule.

Cancel or close? A campaign that has answers is closed, never cancelled: its answers stay in the results and the
trends. A draft, or an open campaign nobody has answered yet, may be cancelled with a reason. Nothing is deleted.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from wuye.core.audit import audit
from wuye.core.context import acting_as
from wuye.core.notifications import notify
from wuye.estates.models import Estate

from ..choices import CampaignStatus, Target, VersionStatus
from ..models import Campaign, CampaignEstate, Invitation, SurveySchedule
from ..sampling import stratified_sample
from ..selectors.campaigns import current_occupancies, households
from .common import next_number, require, require_estates

__all__ = ["CAMPAIGN_FIELDS", "SCHEDULE_FIELDS", "campaign_create", "campaign_update", "campaign_launch",
           "campaign_remind", "campaign_close", "campaign_cancel", "invitation_renew", "schedule_update",
           "portal_users"]

ADD = "surveys.add_campaign"
CHANGE = "surveys.change_campaign"
CHANGE_INVITATION = "surveys.change_invitation"
CHANGE_SCHEDULE = "surveys.change_surveyschedule"

CAMPAIGN_FIELDS = ("name", "version", "estates", "starts_on", "ends_on", "target", "confidence", "margin",
                   "anonymous", "channel_portal", "channel_link", "channel_staff", "links_expire_on",
                   "low_score_threshold", "notes")
SCHEDULE_FIELDS = ("campaigns_per_year", "low_score_threshold", "link_valid_days", "remind_after_days")


def _status_error(campaign: Campaign) -> ValidationError:
    return ValidationError(_("A campaign that is %(status)s cannot take this step.")
                           % {"status": campaign.get_status_display()})


def _locked(campaign: Campaign) -> Campaign:
    return Campaign.objects.select_for_update().get(pk=campaign.pk)


def _check(campaign: Campaign, estates: list) -> None:
    """What the model cannot say by itself, keyed by field; then the model's own validation."""
    errors = {}
    if campaign.version_id and campaign.version.status != VersionStatus.ACTIVE:
        errors["version"] = _("Choose a questionnaire version in use.")
    if not estates:
        errors["estates"] = _("Choose at least one estate.")
    if campaign.starts_on and campaign.ends_on and campaign.ends_on < campaign.starts_on:
        errors["ends_on"] = _("A campaign cannot end before it starts.")
    if not (campaign.channel_portal or campaign.channel_link or campaign.channel_staff):
        errors["channel_portal"] = _("Choose at least one channel.")
    if campaign.links_expire_on and campaign.starts_on and campaign.ends_on and not (
            campaign.starts_on <= campaign.links_expire_on <= campaign.ends_on):
        errors["links_expire_on"] = _("Links must stay valid within the campaign's period.")
    if errors:
        raise ValidationError(errors)
    campaign.full_clean()


def _check_fields(fields: dict) -> None:
    unknown = set(fields) - set(CAMPAIGN_FIELDS)
    if unknown:
        raise TypeError(f"unknown campaign fields: {sorted(unknown)}")


def _set_estates(campaign: Campaign, estates: list) -> None:
    wanted = {e.pk for e in estates}
    have = set(CampaignEstate.objects.filter(campaign=campaign).values_list("estate_id", flat=True))
    # a draft has no invitations yet: its estate rows may be replaced (they are the plan, not a record)
    CampaignEstate.objects.filter(campaign=campaign, estate_id__in=have - wanted).delete()
    CampaignEstate.objects.bulk_create([CampaignEstate(campaign=campaign, estate_id=pk)
                                        for pk in sorted(wanted - have)])


@transaction.atomic
def campaign_create(*, actor, name, version, estates, starts_on, ends_on, target=Target.ALL, confidence=None,
                    margin=None, anonymous=False, channel_portal=True, channel_link=True, channel_staff=True,
                    links_expire_on=None, low_score_threshold=None, notes="") -> Campaign:
    """A draft campaign numbered SV-<year>-NN (the year it starts), over estates the actor serves."""
    require(actor, ADD)
    estates = list(estates or [])
    require_estates(actor, estates)
    if low_score_threshold is None:
        low_score_threshold = SurveySchedule.current().low_score_threshold
    fields = {"name": (name or "").strip(), "version": version, "starts_on": starts_on, "ends_on": ends_on,
              "target": target or Target.ALL, "anonymous": bool(anonymous), "channel_portal": bool(channel_portal),
              "channel_link": bool(channel_link), "channel_staff": bool(channel_staff),
              "links_expire_on": links_expire_on, "low_score_threshold": low_score_threshold, "notes": notes or ""}
    if confidence is not None:
        fields["confidence"] = confidence
    if margin is not None:
        fields["margin"] = margin
    with acting_as(actor):
        campaign = Campaign(number=next_number(Campaign, "SV", today=starts_on, width=2), **fields)
        _check(campaign, estates)
        campaign.save()
        _set_estates(campaign, estates)
        audit("surveys.campaign_create", actor=actor, obj=campaign, number=campaign.number,
              estates=sorted(e.pk for e in estates))
    return campaign


@transaction.atomic
def campaign_update(*, actor, campaign: Campaign, **fields) -> Campaign:
    """Change a draft (its estates too); a launched campaign is not changed."""
    require(actor, CHANGE)
    _check_fields(fields)
    campaign = _locked(campaign)
    current = list(Estate.objects.filter(pk__in=CampaignEstate.objects.filter(campaign=campaign)
                                         .values("estate_id")))
    require_estates(actor, current)
    if campaign.status != CampaignStatus.DRAFT:
        raise ValidationError(_("Only a draft campaign can be changed."))
    estates = list(fields.pop("estates")) if "estates" in fields else current
    require_estates(actor, estates)
    for name, value in fields.items():
        setattr(campaign, name, value)
    with acting_as(actor):
        _check(campaign, estates)
        campaign.save()
        _set_estates(campaign, estates)
    return campaign


def _link_expiry(campaign: Campaign, today: dt.date) -> dt.date:
    if campaign.links_expire_on:
        return min(campaign.links_expire_on, campaign.ends_on)
    return min(today + dt.timedelta(days=SurveySchedule.current().link_valid_days), campaign.ends_on)


def portal_users(unit_ids, today: dt.date | None = None) -> list:
    """The portal accounts of the current occupants of the units (who the portal reminders reach)."""
    from django.contrib.auth import get_user_model

    customers = current_occupancies(today).filter(unit_id__in=unit_ids, customer__user__isnull=False)
    return list(get_user_model().objects.filter(is_active=True, pk__in=customers.values("customer__user_id")))


def _portal_url() -> str:
    return reverse("portal:home")


@transaction.atomic
def campaign_launch(*, actor, campaign: Campaign, today: dt.date | None = None) -> Campaign:
    """Draft → open: the households of the estates now (the frame), every one or a stratified random sample of
    them, one invitation each with a one-time key; the invited households hear of it on the owner portal."""
    require(actor, CHANGE)
    campaign = _locked(campaign)
    today = today or timezone.localdate()
    rows = list(CampaignEstate.objects.select_for_update().filter(campaign=campaign).select_related("estate"))
    require_estates(actor, [r.estate for r in rows])
    if campaign.status != CampaignStatus.DRAFT:
        raise _status_error(campaign)
    if campaign.version.status != VersionStatus.ACTIVE:
        raise ValidationError({"version": _("The questionnaire version is no longer in use: choose the current "
                                            "one.")})
    if campaign.ends_on < today:
        raise ValidationError({"ends_on": _("The campaign's period is over: change its dates first.")})
    expires_on = _link_expiry(campaign, today)
    if expires_on < today:
        raise ValidationError({"links_expire_on": _("The links would already have expired: change the date.")})
    frame = households([r.estate_id for r in rows], today)
    if not any(frame.values()):
        raise ValidationError(_("No household lives in these estates: there is nobody to ask."))
    if campaign.target == Target.SAMPLE:
        campaign.sample_seed = secrets.randbelow(2**31 - 1) + 1
        chosen = stratified_sample(frame, campaign.confidence, campaign.margin, campaign.sample_seed)
    else:
        chosen = frame
    invitations = [Invitation(campaign=campaign, estate_id=estate_id, unit_id=unit_id,
                              key=secrets.token_urlsafe(32), expires_on=expires_on)
                   for estate_id, units in sorted(chosen.items()) for unit_id in units]
    Invitation.objects.bulk_create(invitations, batch_size=1000)
    for row in rows:
        row.households = len(frame.get(row.estate_id, []))
        row.invited = len(chosen.get(row.estate_id, []))
    CampaignEstate.objects.bulk_update(rows, ["households", "invited"])
    with acting_as(actor):
        campaign.status = CampaignStatus.OPEN
        campaign.opened_at = timezone.now()
        campaign.save()
        audit("surveys.campaign_launch", actor=actor, obj=campaign, invited=len(invitations),
              households=sum(len(u) for u in frame.values()), target=campaign.target,
              seed=campaign.sample_seed)
    if campaign.channel_portal:
        notify(portal_users([i.unit_id for i in invitations], today),
               key=f"survey:{campaign.pk}:invite", title=_("Please answer our survey: %(name)s")
               % {"name": campaign.name},
               body=_("Open the owner portal to answer by %(date)s.") % {"date": f"{expires_on:%Y-%m-%d}"},
               url=_portal_url())
    return campaign


@transaction.atomic
def campaign_remind(*, actor=None, campaign: Campaign, today: dt.date | None = None) -> int:
    """Remind the households that have not answered and whose link is still valid (once a day at most): the
    portal users hear again when the portal channel is on; each invitation counts the reminder. Returns how many
    households were reminded. ``actor`` None is the daily job."""
    if actor is not None:
        require(actor, CHANGE)
    campaign = _locked(campaign)
    if actor is not None:
        require_estates(actor, list(campaign.estates.all()))
    if campaign.status != CampaignStatus.OPEN:
        raise _status_error(campaign)
    today = today or timezone.localdate()
    pending = Invitation.objects.filter(campaign=campaign, answered=False, expires_on__gte=today).filter(
        Q(last_reminded_at__isnull=True) | Q(last_reminded_at__date__lt=today))
    unit_ids = list(pending.values_list("unit_id", flat=True))
    if not unit_ids:
        return 0
    count = pending.update(reminders=F("reminders") + 1, last_reminded_at=timezone.now())
    if campaign.channel_portal:
        notify(portal_users(unit_ids, today), key=f"survey:{campaign.pk}:remind:{today:%Y%m%d}",
               title=_("Reminder: please answer our survey: %(name)s") % {"name": campaign.name},
               body=_("We have not received your answers yet."), url=_portal_url())
    audit("surveys.campaign_remind", actor=actor, obj=campaign, households=count, day=f"{today:%Y-%m-%d}")
    return count


@transaction.atomic
def campaign_close(*, actor, campaign: Campaign) -> Campaign:
    """Open → closed: links stop working; the results stay. ``actor`` None is the daily job (past its last day)."""
    if actor is not None:
        require(actor, CHANGE)
    campaign = _locked(campaign)
    if actor is not None:
        require_estates(actor, list(campaign.estates.all()))
    if campaign.status != CampaignStatus.OPEN:
        raise _status_error(campaign)
    with acting_as(actor):
        campaign.status = CampaignStatus.CLOSED
        campaign.closed_at = timezone.now()
        campaign.save()
        audit("surveys.campaign_close", actor=actor, obj=campaign)
    return campaign


@transaction.atomic
def campaign_cancel(*, actor, campaign: Campaign, reason: str) -> Campaign:
    """A draft, or an open campaign nobody has answered, ends cancelled with a reason. A campaign with answers is
    closed instead (its answers stay in the results)."""
    require(actor, CHANGE)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the campaign is cancelled.")})
    campaign = _locked(campaign)
    require_estates(actor, list(campaign.estates.all()))
    if campaign.status not in (CampaignStatus.DRAFT, CampaignStatus.OPEN):
        raise _status_error(campaign)
    if campaign.responses.exists() or campaign.invitations.filter(answered=True).exists():
        raise ValidationError(_("This campaign has answers: close it instead, so they stay in the results."))
    with acting_as(actor):
        campaign.status = CampaignStatus.CANCELLED
        campaign.cancel_reason = reason[:300]
        campaign.closed_at = timezone.now()
        campaign.save()
        audit("surveys.campaign_cancel", actor=actor, obj=campaign, reason=reason[:300])
    return campaign


@transaction.atomic
def invitation_renew(*, actor, invitation: Invitation, today: dt.date | None = None) -> Invitation:
    """A new personal key and validity for a household that lost its link (the old link stops working). Not for a
    household that has answered (in a named campaign), nor once the campaign is no longer open. In an anonymous
    campaign whether a household has answered is told to nobody, so its link is renewed either way (a used link stays
    used: the new one says so)."""
    require(actor, CHANGE_INVITATION)
    invitation = Invitation.objects.select_for_update(of=("self",)).select_related("campaign").get(pk=invitation.pk)
    require_estates(actor, [invitation.estate], field="unit")
    campaign = invitation.campaign
    if campaign.status != CampaignStatus.OPEN:
        raise _status_error(campaign)
    if invitation.answered and not campaign.anonymous:
        raise ValidationError(_("This household has already answered: its link is not renewed."))
    today = today or timezone.localdate()
    if campaign.ends_on < today:
        raise ValidationError(_("The campaign's period is over."))
    invitation.key = secrets.token_urlsafe(32)
    invitation.expires_on = min(today + dt.timedelta(days=SurveySchedule.current().link_valid_days),
                                campaign.ends_on)
    invitation.save(update_fields=["key", "expires_on"])
    # anonymous campaigns: no audit row names a household (it could later be matched with an answer)
    audit("surveys.invitation_renew", actor=actor, obj=campaign,
          **({} if campaign.anonymous else {"unit": invitation.unit_id}))
    return invitation


@transaction.atomic
def schedule_update(*, actor, **fields) -> SurveySchedule:
    """The company's survey schedule (one row, made on the first save)."""
    require(actor, CHANGE_SCHEDULE)
    unknown = set(fields) - set(SCHEDULE_FIELDS)
    if unknown:
        raise TypeError(f"unknown schedule fields: {sorted(unknown)}")
    schedule = SurveySchedule.objects.select_for_update().order_by("pk").first() or SurveySchedule()
    changed = sorted(name for name, value in fields.items() if getattr(schedule, name) != value)
    for name in changed:
        setattr(schedule, name, fields[name])
    with acting_as(actor):
        schedule.full_clean()
        if changed or schedule.pk is None:
            schedule.save()
            audit("surveys.schedule_update", actor=actor, obj=schedule, fields=changed)
    return schedule
