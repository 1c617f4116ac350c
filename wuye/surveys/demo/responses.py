"""Demo answers (``manage.py load_demo``, after the campaigns demo): for every open campaign, answers through
``services.response_submit`` — a campaign whose last day is past gets most households (every channel), then it is
closed here (``services.campaign_close``); a running one about a third. Varied and realistic: 停车管理 and 工程维修
around 3.2 of 5 so the results show a flag, the rest around 4.2, one estate a little lower than the others.

Idempotent: which households answer is decided by their invitation's key (the same on every run) and answered
invitations are skipped, so a second run adds nothing. At most ``MAX_PER_ESTATE`` answers per estate and campaign
keep ``load_demo`` quick.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random

from django.utils import timezone

from wuye.core.demo import demo_user

from .. import services
from ..choices import CampaignStatus, Channel, QuestionKind
from ..models import Invitation

MAX_PER_ESTATE = 150
SHARE_CLOSED = 80   # percent of households answering a campaign that is over
SHARE_OPEN = 33     # … and one that is running
LOW_DIMENSIONS = {"parking": 3.2, "repair": 3.2}
USUAL_MEAN = 4.2
COMMENTS = ["地下车库车位太少，晚上回来经常没地方停。", "报修后维修师傅来得比较慢，希望提高效率。",
            "小区绿化打理得很好，谢谢！", "电梯偶尔有异响，请定期检修。", "客服态度很好，处理问题及时。",
            "希望加强夜间巡逻，门禁管理要更严格。", "垃圾分类点气味较大，建议增加清运次数。"]


def _seed(invitation: Invitation) -> int:
    return int(hashlib.sha256(invitation.key.encode()).hexdigest()[:12], 16)


def _answers(version, rng: random.Random, estate_shift: float) -> dict:
    answers = {}
    for question in version.questions_in_order():
        if question.kind == QuestionKind.SATISFACTION:
            code = question.dimension.code if question.dimension_id else ""
            mean = LOW_DIMENSIONS.get(code, USUAL_MEAN) + estate_shift
            answers[question.pk] = max(1, min(5, round(rng.gauss(mean, 0.9))))
        elif question.kind == QuestionKind.RECOMMEND:
            answers[question.pk] = max(0, min(10, round(rng.gauss(7.4 + estate_shift, 2.0))))
        elif question.kind == QuestionKind.SINGLE:
            answers[question.pk] = rng.randrange(len(question.options))
        elif question.kind == QuestionKind.MULTIPLE:
            if question.required or rng.random() < 0.7:
                answers[question.pk] = sorted(rng.sample(range(len(question.options)),
                                                         k=min(len(question.options), rng.choice((1, 1, 2, 3)))))
        elif question.required or rng.random() < 0.3:
            answers[question.pk] = rng.choice(COMMENTS)
    return answers


def _channel(campaign, rng: random.Random, portal_ok: bool) -> str:
    if portal_ok and campaign.channel_portal:  # the demo resident answers on the portal (shows that channel)
        return Channel.PORTAL
    channels = [c for c in campaign.channels() if c != Channel.PORTAL or portal_ok]
    weights = {Channel.LINK: 5, Channel.PORTAL: 3, Channel.PHONE: 2, Channel.PAPER: 1}
    return rng.choices(channels, weights=[weights[c] for c in channels])[0]


def _answer_campaign(campaign, *, staff, resident, today: dt.date) -> int:
    over = campaign.ends_on < today
    share = SHARE_CLOSED if over else SHARE_OPEN
    last_day = min(campaign.ends_on, today)
    if last_day < campaign.starts_on:
        return 0
    portal_ids = set(Invitation.objects.filter(Invitation.resident_scope(resident), campaign=campaign)
                     .values_list("pk", flat=True)) if resident is not None else set()
    estate_ids = sorted(campaign.campaign_estates.values_list("estate_id", flat=True))
    added = 0
    for index, estate_id in enumerate(estate_ids):
        shift = -0.35 if index == 1 else 0.0  # the second estate a little lower
        invitations = Invitation.objects.filter(campaign=campaign, estate_id=estate_id).order_by("id")
        chosen = [i for i in invitations if i.pk in portal_ids or _seed(i) % 100 < share][:MAX_PER_ESTATE]
        for invitation in chosen:
            if invitation.answered:
                continue
            rng = random.Random(_seed(invitation))
            channel = _channel(campaign, rng, invitation.pk in portal_ids)
            span = (min(last_day, invitation.expires_on) - campaign.starts_on).days
            day = campaign.starts_on + dt.timedelta(days=rng.randint(0, max(span, 0)))
            if channel in (Channel.PHONE, Channel.PAPER):
                actor, day = staff, min(day, last_day)
            elif channel == Channel.PORTAL:
                actor = resident
            else:
                actor = None
            if day > invitation.expires_on and channel not in (Channel.PHONE, Channel.PAPER):
                continue
            services.response_submit(invitation=invitation, answers=_answers(campaign.version, rng, shift),
                                     channel=channel, actor=actor, today=day)
            added += 1
    return added


def load(*, stdout, style) -> list:
    today = timezone.localdate()
    staff = demo_user("cs_manager")
    try:
        resident = demo_user("resident")
    except Exception:  # noqa: BLE001 - no resident login in this demo: the portal channel is left out
        resident = None
    from ..models import Campaign

    added = closed = 0
    for campaign in Campaign.objects.filter(status=CampaignStatus.OPEN).select_related("version").order_by(
            "starts_on", "id"):
        added += _answer_campaign(campaign, staff=staff, resident=resident, today=today)
        if campaign.ends_on < today:
            services.campaign_close(actor=staff, campaign=campaign)
            closed += 1
    stdout.write(f"surveys: {added} demo survey responses added, {closed} finished campaigns closed")
    return []
