"""Test helpers shared by every subject of the surveys app. They write through the models directly (not the services)
so each subject's tests stand on their own: a published questionnaire version with one question of each kind, and an
open campaign with one invitation per unit of its estates."""

from __future__ import annotations

import datetime as dt
import secrets

from django.utils import timezone

from wuye.estates.models import Unit
from wuye.surveys.choices import CampaignStatus, QuestionKind, VersionStatus
from wuye.surveys.models import (
    Campaign,
    CampaignEstate,
    Dimension,
    Invitation,
    Question,
    Questionnaire,
    QuestionnaireVersion,
    QuestionSection,
)


def dimension(code: str, name: str) -> Dimension:
    found = Dimension.objects.filter(code=code).first()
    return found or Dimension.objects.create(code=code, name=name)


def make_version(code: str = "test-survey", name: str = "测试问卷", status: str = VersionStatus.ACTIVE,
                 with_text: bool = True) -> QuestionnaireVersion:
    """A questionnaire version: section 1 两道满意度题 (客服, 工程维修), section 2 单选, 多选, 推荐度, (optional) 意见.
    Questions are reachable as ``version.q`` = {"service", "repair", "single", "multiple", "recommend", "text"}."""
    questionnaire = Questionnaire.objects.create(code=code, name=name)
    version = QuestionnaireVersion.objects.create(
        questionnaire=questionnaire, number=1, status=status, title=name,
        published_at=timezone.now() if status == VersionStatus.ACTIVE else None)
    first = QuestionSection.objects.create(version=version, title="服务满意度", sort_order=1)
    second = QuestionSection.objects.create(version=version, title="其他", sort_order=2)
    service = dimension("t-service", "测试客服")
    repair = dimension("t-repair", "测试维修")
    q = {
        "service": Question.objects.create(section=first, sort_order=1, text="您对客服接待是否满意?",
                                           kind=QuestionKind.SATISFACTION, dimension=service),
        "repair": Question.objects.create(section=first, sort_order=2, text="您对维修服务是否满意?",
                                          kind=QuestionKind.SATISFACTION, dimension=repair),
        "single": Question.objects.create(section=second, sort_order=1, text="您多久联系一次物业?",
                                          kind=QuestionKind.SINGLE, options=["每周", "每月", "很少"]),
        "multiple": Question.objects.create(section=second, sort_order=2, text="您希望改进哪些方面?",
                                            kind=QuestionKind.MULTIPLE, options=["绿化", "停车", "安全"],
                                            required=False),
        "recommend": Question.objects.create(section=second, sort_order=3, text="您向亲友推荐本物业的可能性?",
                                             kind=QuestionKind.RECOMMEND),
    }
    if with_text:
        q["text"] = Question.objects.create(section=second, sort_order=4, text="您的其他意见", kind=QuestionKind.TEXT,
                                            required=False)
    version.q = q
    return version


def open_campaign(world, version: QuestionnaireVersion | None = None, estates=None, anonymous: bool = False,
                  number: str = "SV-2026-01", starts_on: dt.date | None = None, days: int = 30,
                  status: str = CampaignStatus.OPEN, **fields) -> Campaign:
    """An open campaign over ``estates`` (default: estate A and B) with one invitation per unit, links valid until
    its last day. ``campaign.invitation_for(unit)`` finds a household's invitation."""
    version = version or make_version(code=f"q-{number.lower()}")
    estates = list(estates) if estates is not None else [world.estate_a, world.estate_b]
    starts_on = starts_on or timezone.localdate()
    campaign = Campaign.objects.create(
        number=number, name=f"测试调查 {number}", version=version, starts_on=starts_on,
        ends_on=starts_on + dt.timedelta(days=days), anonymous=anonymous, status=status,
        opened_at=timezone.now() if status != CampaignStatus.DRAFT else None, **fields)
    for estate in estates:
        units = list(Unit.objects.filter(estate=estate))
        CampaignEstate.objects.create(campaign=campaign, estate=estate, households=len(units),
                                      invited=len(units) if status != CampaignStatus.DRAFT else None)
        if status == CampaignStatus.DRAFT:
            continue
        for unit in units:
            Invitation.objects.create(campaign=campaign, estate=estate, unit=unit, key=secrets.token_urlsafe(32),
                                      expires_on=campaign.ends_on)
    return campaign


def invitation_for(campaign: Campaign, unit) -> Invitation:
    return Invitation.objects.get(campaign=campaign, unit=unit)


def full_answers(version: QuestionnaireVersion, service: int = 5, repair: int = 4, single: int = 0,
                 multiple=(0, 2), recommend: int = 9, text: str = "希望增加停车位") -> dict:
    """A complete answer set in the format of ``services.response_submit``: {question id: value}."""
    q = version.q
    answers = {q["service"].pk: service, q["repair"].pk: repair, q["single"].pk: single,
               q["multiple"].pk: list(multiple), q["recommend"].pk: recommend}
    if "text" in q:
        answers[q["text"].pk] = text
    return answers


def answered_levels(campaign: Campaign, estate, service=(), repair=(), when: dt.date | None = None) -> list:
    """Responses made directly (not through the service): one per level given, answering the version's 客服 question
    (``service``) or 维修 question (``repair``) only, in ``estate``; named campaigns get no unit either (tests of
    figures only). Returns the responses."""
    from wuye.surveys.choices import Channel
    from wuye.surveys.models import Answer, Response

    q = {question.dimension.code: question for question in campaign.version.questions_in_order()
         if question.dimension_id}
    when = when or campaign.starts_on
    responses = []
    for code, levels in (("t-service", service), ("t-repair", repair)):
        for level in levels:
            response = Response.objects.create(campaign=campaign, estate=estate, channel=Channel.LINK,
                                               submitted_on=when)
            Answer.objects.create(response=response, campaign=campaign, estate=estate, question=q[code], value=level)
            responses.append(response)
    return responses
