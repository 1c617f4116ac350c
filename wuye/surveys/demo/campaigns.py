"""Demo campaigns over the demo estates, made through the services as the customer-service manager: a named survey
of every household in the previous half-year (launched with a day inside its period; the responses demo answers it
and then closes it, since its last day is past) and an anonymous stratified sample in the current half-year, open.
Found by name: a second run changes nothing."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from wuye.core.demo import demo_user
from wuye.estates.models import Estate

from .. import services
from ..choices import CampaignStatus, Target
from ..models import Campaign, Questionnaire

ESTATE_CODES = ("yqya", "jghy", "qtmzy")


def _half_year(day: dt.date) -> tuple[dt.date, dt.date]:
    if day.month <= 6:
        return dt.date(day.year, 1, 1), dt.date(day.year, 6, 30)
    return dt.date(day.year, 7, 1), dt.date(day.year, 12, 31)


def _ensure(manager, *, name, version, estates, starts_on, ends_on, launch_on, **fields) -> bool:
    campaign = Campaign.objects.filter(name=name).first()
    changed = False
    if campaign is None:
        campaign = services.campaign_create(actor=manager, name=name, version=version, estates=estates,
                                            starts_on=starts_on, ends_on=ends_on, **fields)
        changed = True
    if campaign.status == CampaignStatus.DRAFT:
        services.campaign_launch(actor=manager, campaign=campaign, today=launch_on)
        changed = True
    return changed


def load(*, stdout, style) -> list:
    manager = demo_user("cs_manager")
    questionnaire = Questionnaire.objects.filter(is_builtin=True).first()
    version = questionnaire.current_version if questionnaire else None
    estates = list(Estate.objects.filter(code__in=ESTATE_CODES).order_by("code"))
    if version is None or not estates:
        stdout.write(style.WARNING("surveys: no built-in questionnaire or demo estates; no campaigns"))
        return []
    today = timezone.localdate()
    this_start, this_end = _half_year(today)
    last_start, last_end = _half_year(this_start - dt.timedelta(days=1))
    label = "上半年" if last_start.month == 1 else "下半年"
    made = _ensure(manager, name=f"{last_start.year}年{label}物业服务满意度调查", version=version, estates=estates,
                   starts_on=last_start + dt.timedelta(days=59), ends_on=last_start + dt.timedelta(days=89),
                   launch_on=last_start + dt.timedelta(days=59), target=Target.ALL, anonymous=False,
                   links_expire_on=last_start + dt.timedelta(days=89))
    label = "上半年" if this_start.month == 1 else "下半年"
    ends_on = max(this_end, today + dt.timedelta(days=30))
    made |= _ensure(manager, name=f"{this_start.year}年{label}满意度抽样调查（匿名）", version=version,
                    estates=estates, starts_on=max(this_start, today - dt.timedelta(days=10)), ends_on=ends_on,
                    launch_on=today, target=Target.SAMPLE, anonymous=True)
    if made:
        stdout.write(style.SUCCESS("surveys: demo campaigns launched"))
    return []
