"""The customer needs report (客户需求意见报告): every figure and cell against Python over the tickets and survey
answers made."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter

import pytest
from django.utils import timezone

from wuye.reports.kinds import customer_needs as builder
from wuye.surveys.choices import QuestionKind
from wuye.surveys.models import Answer, Response
from wuye.surveys.tests.factories import answered_levels, make_version, open_campaign
from wuye.tickets.choices import TicketKind, TicketStatus
from wuye.tickets.models import Ticket
from wuye.tickets.reports import period_for

from .conftest import at, make

pytestmark = pytest.mark.django_db

M = period_for("month", dt.date(2025, 6, 10))
K = TicketKind


@pytest.fixture
def data(world, estate_c):
    a, b = world.estate_a, world.estate_b
    first, last = M.start, M.end
    rows = [
        (a, at(first, 0), K.REPAIR, "厨房水管漏水", ""),
        (a, at(first + dt.timedelta(days=2)), K.SUGGESTION, "增加充电桩", "地下车库希望增加电动车充电桩" * 5),
        (b, at(first + dt.timedelta(days=3)), K.SUGGESTION, "延长健身房开放时间", ""),
        (b, at(first + dt.timedelta(days=4)), K.PRAISE, "表扬保安", ""),
        (a, at(first + dt.timedelta(days=5)), K.COMPLAINT, "噪音扰民", ""),
        (b, at(last, 23), K.REPAIR, "电梯故障", ""),
        (estate_c, at(first + dt.timedelta(days=6)), K.SUGGESTION, "外区建议", ""),
        # previous month, and the day after the period
        (a, at(first - dt.timedelta(days=1), 23), K.REPAIR, "上月报修", ""),
        (b, at(first - dt.timedelta(days=10)), K.SUGGESTION, "上月建议", ""),
        (a, at(last + dt.timedelta(days=1), 0), K.REPAIR, "下月报修", ""),
    ]
    for estate, when, kind, title, description in rows:
        make(world, estate, when, kind=kind, title=title, description=description)
    # a cancelled suggestion of the period: not counted
    make(world, a, at(first + dt.timedelta(days=8)), kind=K.SUGGESTION, title="已取消",
         status=TicketStatus.CANCELLED)
    version = make_version()
    campaign = open_campaign(world, version=version, number="SV-2025-06", starts_on=first + dt.timedelta(days=1),
                             days=40, estates=[a, b, estate_c])
    answered_levels(campaign, a, service=(5, 4, 2), repair=(3,))
    answered_levels(campaign, b, service=(1,), repair=(5, 4))
    answered_levels(campaign, estate_c, service=(5,))
    text_question = version.q["text"]
    for estate, comment in ((a, "希望增加停车位"), (b, "绿化需要修剪"), (a, ""), (estate_c, "外区意见")):
        response = Response.objects.create(campaign=campaign, estate=estate, channel="link", submitted_on=first)
        Answer.objects.create(response=response, campaign=campaign, estate=estate, question=text_question,
                              text=comment)
    # a campaign of another year: not counted
    old = open_campaign(world, version=make_version(code="old"), number="SV-2024-01", starts_on=dt.date(2024, 1, 1),
                        days=10)
    answered_levels(old, a, service=(1, 1))
    return world


def _tickets(period, estates=None):
    return [t for t in Ticket.objects.select_related("estate", "category")
            if period.start <= timezone.localtime(t.reported_at).date() <= period.end
            and (estates is None or t.estate_id in estates) and t.status != TicketStatus.CANCELLED]


def check(content, estates=None):
    json.dumps(content)
    s = {x["key"]: x for x in content["sections"]}
    now, before = _tickets(M, estates), _tickets(M.previous(), estates)
    kn, kb = Counter(t.kind for t in now), Counter(t.kind for t in before)
    assert s["by_kind"]["tables"][0]["rows"] == [[str(label), kn[v], kb[v], kn[v] - kb[v]]
                                                 for v, label in K.choices]
    assert [f["value"] for f in s["by_kind"]["figures"]] == [kn[v] for v in K.values]
    trend = {series["name"]: series["data"] for series in s["by_kind"]["chart"]["series"]}
    assert trend[str(K.SUGGESTION.label)] == [kn[K.SUGGESTION]]
    cats_now = Counter((str(K(t.kind).label), t.category.path if t.category_id else None) for t in now)
    cats_before = Counter((str(K(t.kind).label), t.category.path if t.category_id else None) for t in before)
    rows = s["by_category"]["tables"][1]["rows"]
    assert {(r[0], r[1]): tuple(r[2:]) for r in rows} == {
        key: (cats_now[key], cats_before[key], cats_now[key] - cats_before[key])
        for key in set(cats_now) | set(cats_before)}
    assert [r[2] for r in rows] == sorted((r[2] for r in rows), reverse=True)
    assert s["by_category"]["tables"][0]["rows"] == [r for r in rows if r[2]][:10]
    figures = {f["key"]: f for f in s["suggestions"]["figures"]}
    assert figures["suggestions"]["value"] == kn[K.SUGGESTION] and figures["praise"]["value"] == kn[K.PRAISE]
    assert figures["suggestions"]["previous"] == kb[K.SUGGESTION]
    latest = sorted((t for t in now if t.kind == K.SUGGESTION), key=lambda t: (t.reported_at, t.pk), reverse=True)
    listed = s["suggestions"]["tables"][0]["rows"]
    assert [r[0] for r in listed] == [t.number for t in latest]
    assert all(len(r[3]) <= 60 for r in listed)

    answers = [x for x in Answer.objects.select_related("question__dimension", "campaign")
               if x.campaign.number == "SV-2025-06" and (estates is None or x.estate_id in estates)]
    levels = [x for x in answers if x.question.kind == QuestionKind.SATISFACTION]
    survey = s["survey_satisfaction"]
    f = {x["key"]: x["value"] for x in survey["figures"]}
    assert f["campaigns"] == 1 and f["answered"] == len(levels)
    assert f["satisfaction_rate"] == round(100 * sum(1 for x in levels if x.value >= 4) / len(levels), 1)
    by_dim = {}
    for x in levels:
        by_dim.setdefault(x.question.dimension.name, []).append(x.value)
    assert {r[0]: r[1:] for r in survey["tables"][1]["rows"]} == {
        name: [len(v), round(sum(v) / len(v), 2), round(100 * sum(1 for y in v if y >= 4) / len(v), 1)]
        for name, v in by_dim.items()}
    comments = [x for x in answers if x.question.kind == QuestionKind.TEXT and x.text]
    c = s["survey_comments"]
    assert c["figures"][0]["value"] == len(comments)
    assert c["tables"][0]["rows"] == ([[comments[0].question.text, "", len(comments)]] if comments else [])
    assert sorted(r[3] for r in c["tables"][1]["rows"]) == sorted(x.text for x in comments)
    return now


def test_all_estates(data):
    now = check(builder.build(period=M, estate_ids=None, department=None))
    assert len(now) == 7


def test_two_estates(data):
    now = check(builder.build(period=M, estate_ids=[data.estate_a.pk, data.estate_b.pk], department=None),
                {data.estate_a.pk, data.estate_b.pk})
    assert len(now) == 6


def test_empty(world):
    content = builder.build(period=period_for("month", dt.date(2019, 2, 2)), estate_ids=None, department=None)
    s = {x["key"]: x for x in content["sections"]}
    assert {f["key"]: f["value"] for f in s["survey_satisfaction"]["figures"]} == {
        "campaigns": 0, "answered": 0, "satisfaction_rate": None}
    assert s["by_category"]["tables"][0]["rows"] == []
    json.dumps(content)
