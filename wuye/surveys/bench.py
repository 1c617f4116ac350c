"""Benchmark set-up and operations of survey results (see ``wuye.core.bench``): the results page and the results
API of one campaign with 50,000 responses, as the customer-service manager. ``manage.py bench surveys`` runs just
these.

When either operation runs, the set-up makes one campaign over the estates that have units (at most 20), with the
built-in property-satisfaction questionnaire (or a small one of its own when that is missing), and inserts
``RESPONSES`` responses spread over those estates in proportion to their households, each with about 12 answers
(every satisfaction question, one single choice, one or two options of the multiple choice, a recommendation score
and now and then a comment), in bulk (``core.management.bulk.insert_rows``). It also times ``campaign_results``
alone (``ctx.info``). Everything is rolled back with the bench's transaction.
"""

from __future__ import annotations

import datetime as dt
import random
import time

from django.db import connection
from django.db.models import Count
from django.utils import timezone

from wuye.core.bench import BenchContext, Operation
from wuye.core.roles import Role

RESPONSES = 50_000
MAX_ESTATES = 20
OPERATIONS_USED = ("survey_results", "survey_results_api")
COMMENTS = ["希望加强小区绿化养护", "电梯维修响应慢", "保安服务很好", "停车位不够", "希望物业费更透明"]


def _version():
    from .choices import QuestionKind, VersionStatus
    from .models import Dimension, Question, Questionnaire, QuestionnaireVersion, QuestionSection

    builtin = Questionnaire.objects.filter(is_builtin=True).first()
    version = builtin.current_version if builtin else None
    if version is not None:
        return version
    questionnaire = Questionnaire.objects.create(code="bench-survey", name="bench 满意度调查")
    version = QuestionnaireVersion.objects.create(questionnaire=questionnaire, number=1, status=VersionStatus.ACTIVE,
                                                  title="bench 满意度调查", published_at=timezone.now())
    section = QuestionSection.objects.create(version=version, title="满意度", sort_order=1)
    for i in range(8):
        dimension, _created = Dimension.objects.get_or_create(code=f"bench-{i}", defaults={"name": f"bench 维度{i}"})
        Question.objects.create(section=section, sort_order=i, text=f"满意度 {i}", kind=QuestionKind.SATISFACTION,
                                dimension=dimension)
    Question.objects.create(section=section, sort_order=20, text="联系方式", kind=QuestionKind.SINGLE,
                            options=["电话", "微信", "前台"])
    Question.objects.create(section=section, sort_order=21, text="改进", kind=QuestionKind.MULTIPLE,
                            options=["绿化", "停车", "安全"], required=False)
    Question.objects.create(section=section, sort_order=22, text="推荐", kind=QuestionKind.RECOMMEND)
    Question.objects.create(section=section, sort_order=23, text="意见", kind=QuestionKind.TEXT, required=False)
    return version


def _answers(questions, rng: random.Random):
    """The answers of one response: (question id, value, text)."""
    from .choices import QuestionKind

    mood = rng.choice((5, 5, 4, 4, 4, 3, 3, 2, 1))
    for q in questions:
        if q.kind == QuestionKind.SATISFACTION:
            yield q.pk, max(1, min(5, mood + rng.choice((-1, 0, 0, 0, 1)))), ""
        elif q.kind == QuestionKind.SINGLE:
            yield q.pk, rng.randrange(len(q.options)), ""
        elif q.kind == QuestionKind.MULTIPLE:
            for index in rng.sample(range(len(q.options)), k=min(len(q.options), rng.choice((1, 1, 2)))):
                yield q.pk, index, ""
        elif q.kind == QuestionKind.RECOMMEND:
            yield q.pk, max(0, min(10, mood * 2 + rng.choice((-1, 0, 0, 1)))), ""
        elif q.kind == QuestionKind.TEXT and rng.random() < 0.08:
            yield q.pk, None, rng.choice(COMMENTS)


def _make_campaign(ctx: BenchContext) -> None:
    from wuye.core.management.bulk import insert_rows
    from wuye.estates.models import Unit

    from .choices import Channel
    from .models import Answer, Campaign, CampaignEstate, Response

    households = list(Unit.objects.values("estate_id").annotate(n=Count("id")).order_by("-n", "estate_id")
                      [:MAX_ESTATES])
    if not households:
        return
    started = time.perf_counter()
    version = _version()
    today = timezone.localdate()
    campaign = Campaign.objects.create(number="SV-BENCH-01", name="bench 50000 份问卷", version=version,
                                       starts_on=today - dt.timedelta(days=30), ends_on=today, status="open",
                                       opened_at=timezone.now())
    total_units = sum(h["n"] for h in households)
    shares = []
    for h in households:
        share = max(1, RESPONSES * h["n"] // total_units)
        shares.append((h["estate_id"], share, h["n"]))
    shares[0] = (shares[0][0], shares[0][1] + RESPONSES - sum(s for _e, s, _n in shares), shares[0][2])
    CampaignEstate.objects.bulk_create([CampaignEstate(campaign=campaign, estate_id=estate, households=n,
                                                       invited=max(n, share)) for estate, share, n in shares])
    rng = random.Random(8)
    channels = [Channel.LINK, Channel.PORTAL, Channel.PHONE, Channel.PAPER]
    insert_rows(Response, ["campaign", "estate", "channel", "submitted_on"],
                ((campaign.pk, estate, rng.choice(channels), today - dt.timedelta(days=rng.randrange(30)))
                 for estate, share, _n in shares for _i in range(share)))
    responses = Response.objects.filter(campaign=campaign).order_by("pk").values_list("pk", "estate_id")
    questions = list(version.questions_in_order())
    answers = insert_rows(Answer, ["response", "campaign", "estate", "question", "value", "text"],
                          ((pk, campaign.pk, estate, question, value, text)
                           for pk, estate in responses.iterator(chunk_size=5000)
                           for question, value, text in _answers(questions, rng)))
    if connection.vendor == "postgresql":
        # the rows are new in this (rolled-back) transaction: autovacuum never saw them; give the planner their size
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {Answer._meta.db_table}, {Response._meta.db_table}")
    ctx.samples["surveys"] = {"campaign": campaign.pk}
    ctx.info["survey responses"] = f"{RESPONSES:,} in {len(shares)} estates, {answers:,} answers"
    ctx.info["survey set-up"] = f"{time.perf_counter() - started:.1f} s"
    manager = ctx.users.get(Role.CS_MANAGER.value)
    if manager is not None:
        from .selectors.results import campaign_results

        timings = []
        for _run in range(3):
            started = time.perf_counter()
            campaign_results(campaign, manager)
            timings.append(time.perf_counter() - started)
        ctx.info["campaign_results (selector alone, best of 3)"] = f"{min(timings) * 1000:.0f} ms"


def setup(ctx: BenchContext) -> None:
    if any(ctx.runs_of(name) for name in OPERATIONS_USED):
        _make_campaign(ctx)


def _campaign(ctx: BenchContext) -> list | None:
    sample = ctx.samples.get("surveys")
    return [sample["campaign"]] if sample else None


OPERATIONS = [
    Operation("survey_results", "surveys:campaign_results", "调查结果页（50,000 份问卷）", args=_campaign,
              roles=(Role.CS_MANAGER,)),
    Operation("survey_results_api", "api:surveys-campaign-results", "调查结果 API（50,000 份问卷）", args=_campaign,
              roles=(Role.CS_MANAGER,)),
]
