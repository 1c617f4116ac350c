"""Results of survey campaigns (管理监督 2: 监督客户意见调查实施): response rates, satisfaction per service dimension,
满意率, recommendation (NPS), choice counts, free text, the comparison with the previous campaign, callback
satisfaction from tickets beside them, the trend of an estate across campaigns, and the figures the quality app
and appraisals read.

SQL does the counting: one ``GROUP BY estate, question, value`` over ``Answer`` for the campaign (index
``surveys_answer_agg_idx``) and one count of responses per estate; Python only adds up those few grouped rows.

Scope: a user sees the figures of the estates they serve only (``user_scope``). Anonymity: nothing here returns a
unit, a user or a time for an anonymous campaign; free text of an anonymous campaign carries neither unit nor date.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wuye.core.scope import user_scope
from wuye.estates.models import Estate

from ..choices import (
    DETRACTOR_MAX,
    PROMOTER_MIN,
    SATISFACTION_LEVELS,
    SATISFIED_MIN,
    CampaignStatus,
    QuestionKind,
)
from ..models import Answer, Campaign, CampaignEstate, Dimension, Invitation, LowScoreAction, Response

__all__ = ["campaign_results", "free_text", "estate_trend", "satisfaction_rate", "campaigns_run",
           "previous_campaign", "visible_estates", "dimension_figures", "ESTATE_PANELS"]

RESULT_STATUSES = (CampaignStatus.OPEN, CampaignStatus.CLOSED)
LEVELS = [level for level, _label in SATISFACTION_LEVELS]
TWO = Decimal("0.01")
ONE = Decimal("0.1")


def _avg(total: int, count: int) -> Decimal | None:
    return (Decimal(total) / Decimal(count)).quantize(TWO, ROUND_HALF_UP) if count else None


def _pct(part: int, whole: int) -> Decimal | None:
    return (Decimal(100 * part) / Decimal(whole)).quantize(ONE, ROUND_HALF_UP) if whole else None


def _delta(current, previous):
    if current is None or previous is None:
        return None
    return current - previous


# --- building blocks ---------------------------------------------------------------------------------------------


def dimension_figures(distribution: dict[int, int], threshold: Decimal | None = None) -> dict:
    """The figures of satisfaction answers given as ``{level: count}``: answered, average (of 5, 2 decimals),
    满意率 (levels ≥ ``SATISFIED_MIN`` over answered, percent, 1 decimal), the distribution best first and, with a
    threshold, whether the average is under it."""
    answered = sum(distribution.get(level, 0) for level in LEVELS)
    total = sum(level * distribution.get(level, 0) for level in LEVELS)
    satisfied = sum(distribution.get(level, 0) for level in LEVELS if level >= SATISFIED_MIN)
    average = _avg(total, answered)
    return {
        "answered": answered,
        "satisfied": satisfied,
        "average": average,
        "rate": _pct(satisfied, answered),
        "distribution": [{"level": level, "label": label, "count": distribution.get(level, 0),
                          "percent": _pct(distribution.get(level, 0), answered)}
                         for level, label in SATISFACTION_LEVELS],
        "flagged": threshold is not None and average is not None and average < threshold,
    }


def recommendation_figures(scores: dict[int, int]) -> dict:
    """Promoters (9–10), passives (7–8), detractors (0–6) and NPS = % promoters − % detractors."""
    answered = sum(scores.values())
    promoters = sum(n for score, n in scores.items() if score >= PROMOTER_MIN)
    detractors = sum(n for score, n in scores.items() if score <= DETRACTOR_MAX)
    nps = None
    if answered:
        nps = (Decimal(100 * (promoters - detractors)) / Decimal(answered)).quantize(ONE, ROUND_HALF_UP)
    return {"answered": answered, "promoters": promoters, "passives": answered - promoters - detractors,
            "detractors": detractors, "promoters_percent": _pct(promoters, answered),
            "detractors_percent": _pct(detractors, answered), "nps": nps,
            "average": _avg(sum(score * n for score, n in scores.items()), answered),
            "scores": [{"score": score, "count": scores.get(score, 0)} for score in range(11)]}


def visible_estates(campaign: Campaign, user, estate_ids=None) -> list[Estate]:
    """The campaign's estates the user serves (all of them for holders of ``core.view_all_estates``), by name;
    narrowed to ``estate_ids`` when given."""
    estates = Estate.objects.filter(pk__in=CampaignEstate.objects.filter(campaign=campaign).values("estate_id"))
    scope = user_scope(user)
    if not scope.all_estates:
        estates = estates.filter(pk__in=scope.estate_ids)
    if estate_ids is not None:
        estates = estates.filter(pk__in=[int(pk) for pk in estate_ids])
    return list(estates.order_by("name", "pk"))


def _campaign_info(campaign: Campaign) -> dict:
    return {"id": campaign.pk, "number": campaign.number, "name": campaign.name, "status": campaign.status,
            "status_label": str(campaign.get_status_display()), "starts_on": campaign.starts_on,
            "ends_on": campaign.ends_on, "anonymous": campaign.anonymous,
            "low_score_threshold": campaign.low_score_threshold}


def _grouped_answers(campaign_ids, estate_ids) -> list[dict]:
    """The one aggregation: answers counted per campaign, estate, question and value (text answers have no value;
    only their number comes back)."""
    return list(Answer.objects.filter(campaign_id__in=campaign_ids, estate_id__in=estate_ids)
                .values("campaign_id", "estate_id", "question_id", "value").annotate(n=Count("id")).order_by())


def _satisfaction_by_dimension(groups, questions: dict) -> dict:
    """{(campaign id, estate id or None for all, dimension id or None for all dimensions): {level: count}}."""
    out: dict = {}
    for g in groups:
        question = questions.get(g["question_id"])
        if question is None or question.kind != QuestionKind.SATISFACTION or g["value"] not in LEVELS:
            continue
        for estate in (g["estate_id"], None):
            for dimension in (question.dimension_id, None):
                bucket = out.setdefault((g["campaign_id"], estate, dimension), {})
                bucket[g["value"]] = bucket.get(g["value"], 0) + g["n"]
    return out


def previous_campaign(campaign: Campaign, estate_ids) -> Campaign | None:
    """The latest campaign other than this one that started earlier, is open or closed and covers one of
    ``estate_ids``."""
    return (Campaign.objects.exclude(pk=campaign.pk).filter(
        starts_on__lt=campaign.starts_on, status__in=RESULT_STATUSES, campaign_estates__estate_id__in=list(estate_ids))
        .order_by("-starts_on", "-id").distinct().first())


def _callbacks(campaign: Campaign, user, estate_ids) -> dict:
    """Callback satisfaction from tickets (rated tickets reported in the campaign period, the tickets app's
    figures) per estate id and for all (key None); empty when the user may not see tickets."""
    from wuye.tickets.models import Ticket
    from wuye.tickets.reports import _sum, _vector, day_start, ticket_aggregates, ticket_figures

    if user is None or not user.has_perm("tickets.view_ticket"):
        return {}
    rows = list(Ticket.objects.restrict(user, "view").filter(
        estate_id__in=list(estate_ids), reported_at__gte=day_start(campaign.starts_on),
        reported_at__lt=day_start(campaign.ends_on + dt.timedelta(days=1)))
        .values("estate_id").annotate(**ticket_aggregates()).order_by())

    def pick(figures: dict) -> dict:
        return {"rated": figures.get("rated", 0), "average": figures.get("satisfaction_avg"),
                "rate": figures.get("satisfaction_rate")}

    out = {row["estate_id"]: pick(ticket_figures(row)) for row in rows}
    out[None] = pick(ticket_figures(_sum([_vector(row) for row in rows])))
    return out


# --- a campaign's results ----------------------------------------------------------------------------------------


def campaign_results(campaign: Campaign, user, estate_ids=None) -> dict:
    """The results of ``campaign`` for the estates ``user`` serves (narrowed to ``estate_ids``): per estate and
    overall, the response rate, the satisfaction of every dimension (average, 满意率, distribution, flag), the
    recommendation score, the counts per option, the deltas against the previous campaign and the callback
    satisfaction from tickets in the campaign period."""
    estates = visible_estates(campaign, user, estate_ids)
    ids = [e.pk for e in estates]
    threshold = campaign.low_score_threshold
    questions = {q.pk: q for q in campaign.version.questions_in_order()}
    dimension_ids = []
    for q in questions.values():
        if q.kind == QuestionKind.SATISFACTION and q.dimension_id and q.dimension_id not in dimension_ids:
            dimension_ids.append(q.dimension_id)
    dimensions = sorted(Dimension.objects.filter(pk__in=dimension_ids), key=lambda d: (d.sort_order, d.pk))

    groups = _grouped_answers([campaign.pk], ids)
    satisfaction = _satisfaction_by_dimension(groups, questions)
    per_question: dict = {}  # (question id, estate id or None): {value: count}
    for g in groups:
        for key in ((g["question_id"], g["estate_id"]), (g["question_id"], None)):
            counts = per_question.setdefault(key, {})
            counts[g["value"]] = counts.get(g["value"], 0) + g["n"]
    invited = {row["estate_id"]: row["invited"] for row in CampaignEstate.objects.filter(
        campaign=campaign, estate_id__in=ids).values("estate_id", "invited")}
    missing = [pk for pk, n in invited.items() if n is None]
    if missing:  # a campaign still in draft (or loaded without its figures): count the invitations
        counted = dict(Invitation.objects.filter(campaign=campaign, estate_id__in=missing).values("estate_id")
                       .annotate(n=Count("id")).order_by().values_list("estate_id", "n"))
        invited.update({pk: counted.get(pk, 0) for pk in missing})
    answered = dict(Response.objects.filter(campaign=campaign, estate_id__in=ids).values("estate_id")
                    .annotate(n=Count("id")).order_by().values_list("estate_id", "n"))

    previous = previous_campaign(campaign, ids) if ids else None
    previous_satisfaction = {}
    if previous is not None:
        previous_questions = {q.pk: q for q in previous.version.questions_in_order()}
        previous_satisfaction = _satisfaction_by_dimension(_grouped_answers([previous.pk], ids), previous_questions)
    previous_estates = set(CampaignEstate.objects.filter(campaign=previous, estate_id__in=ids)
                           .values_list("estate_id", flat=True)) if previous is not None else set()
    callbacks = _callbacks(campaign, user, ids)
    actions = {(a.estate_id, a.dimension_id): {"label": a.action_label, "url": a.action_url}
               for a in LowScoreAction.objects.filter(campaign=campaign, estate_id__in=ids)}

    def block(estate_id) -> dict:
        keys = [estate_id] if estate_id is not None else ids
        n_invited = sum(invited.get(k) or 0 for k in keys)
        n_answered = sum(answered.get(k, 0) for k in keys)
        compare = previous is not None and (estate_id is None or estate_id in previous_estates)

        def with_previous(figures: dict, dimension_id) -> dict:
            before = None
            if compare:
                dist = previous_satisfaction.get((previous.pk, estate_id, dimension_id))
                before = dimension_figures(dist) if dist else None
            figures["previous_average"] = before["average"] if before else None
            figures["previous_rate"] = before["rate"] if before else None
            figures["delta_average"] = _delta(figures["average"], figures["previous_average"])
            figures["delta_rate"] = _delta(figures["rate"], figures["previous_rate"])
            return figures

        rows = []
        for d in dimensions:
            figures = with_previous(dimension_figures(satisfaction.get((campaign.pk, estate_id, d.pk), {}),
                                                      threshold), d.pk)
            figures.update(dimension={"id": d.pk, "code": d.code, "name": d.name},
                           action=actions.get((estate_id, d.pk)) if estate_id is not None else None)
            rows.append(figures)
        overall = with_previous(dimension_figures(satisfaction.get((campaign.pk, estate_id, None), {}), threshold),
                                None)
        choices, recommendation, texts = [], None, 0
        for q in questions.values():
            counts = per_question.get((q.pk, estate_id), {})
            if q.kind == QuestionKind.RECOMMEND:
                scores = {v: n for v, n in counts.items() if v is not None and 0 <= v <= 10}
                if recommendation is None:
                    recommendation = recommendation_figures(scores)
                else:  # more than one recommendation question: add them up
                    merged = {s["score"]: s["count"] for s in recommendation["scores"]}
                    for v, n in scores.items():
                        merged[v] = merged.get(v, 0) + n
                    recommendation = recommendation_figures({k: v for k, v in merged.items() if v})
            elif q.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
                total = sum(n for v, n in counts.items() if v is not None)
                base = total if q.kind == QuestionKind.SINGLE else n_answered
                choices.append({"question": {"id": q.pk, "text": q.text, "kind": q.kind}, "answered": total,
                                "options": [{"index": i, "label": label, "count": counts.get(i, 0),
                                             "percent": _pct(counts.get(i, 0), base)}
                                            for i, label in enumerate(q.options or [])]})
            elif q.kind == QuestionKind.TEXT:
                texts += sum(counts.values())
        return {"invited": n_invited, "answered": n_answered, "response_rate": _pct(n_answered, n_invited),
                "satisfaction": overall, "dimensions": rows,
                "flagged": [r["dimension"]["name"] for r in rows if r["flagged"]],
                "recommendation": recommendation or recommendation_figures({}), "choices": choices,
                "free_text": texts, "callbacks": callbacks.get(estate_id)}

    return {
        "campaign": _campaign_info(campaign),
        "threshold": threshold,
        "dimensions": [{"id": d.pk, "code": d.code, "name": d.name} for d in dimensions],
        "overall": block(None),
        "estates": [{"estate": {"id": e.pk, "code": e.code, "name": e.name}, **block(e.pk)} for e in estates],
        "previous": _campaign_info(previous) if previous is not None else None,
    }


def free_text(campaign: Campaign, user, estate_ids=None, page: int | str = 1, per_page: int = 20):
    """The free-text answers of ``campaign`` in the user's estates, a page at a time (a Django ``Page`` of dicts:
    estate, question, text, and for a named campaign the date and — only with ``surveys.view_household_answers``
    — the household). Anonymous campaigns: no unit, no date, in an order that says nothing of when."""
    text_questions = [q.pk for q in campaign.version.questions_in_order() if q.kind == QuestionKind.TEXT]
    answers = Answer.objects.restrict(user, "view").filter(campaign=campaign, question_id__in=text_questions)
    answers = answers.exclude(text="")
    if estate_ids is not None:
        answers = answers.filter(estate_id__in=[int(pk) for pk in estate_ids])
    show_unit = not campaign.anonymous and user.has_perm("surveys.view_household_answers")
    if campaign.anonymous:
        answers = answers.order_by("estate__name", "question__section__sort_order", "question__sort_order", "text",
                                   "id")
        fields = ["estate__name", "question__text", "text"]
    else:
        answers = answers.order_by("-response__submitted_on", "-response_id", "question__sort_order", "id")
        fields = ["estate__name", "question__text", "text", "response__submitted_on"]
        if show_unit:
            fields.append("response__unit__code")
    paginator = Paginator(answers.values(*fields), per_page)
    result = paginator.get_page(page)
    result.object_list = [{
        "estate": row["estate__name"], "question": row["question__text"], "text": row["text"],
        "submitted_on": row.get("response__submitted_on"), "unit": row.get("response__unit__code") or None,
    } for row in result.object_list]
    return result


# --- an estate across campaigns ----------------------------------------------------------------------------------


def estate_trend(estate: Estate, user) -> dict:
    """The estate's satisfaction in every open or closed campaign the user sees that covers it, oldest first:
    responses, the overall average and 满意率, and per dimension. Empty when the user does not serve the estate."""
    if not user_scope(user).covers_estate(estate.pk):
        return {"estate": estate, "campaigns": [], "dimensions": []}
    campaigns = list(Campaign.objects.restrict(user, "view").filter(
        campaign_estates__estate=estate, status__in=RESULT_STATUSES).order_by("starts_on", "id").distinct())
    ids = [c.pk for c in campaigns]
    rows = list(Answer.objects.filter(campaign_id__in=ids, estate=estate, question__kind=QuestionKind.SATISFACTION)
                .values("campaign_id", "question__dimension_id", "value").annotate(n=Count("id")).order_by())
    answered = dict(Response.objects.filter(campaign_id__in=ids, estate=estate).values("campaign_id")
                    .annotate(n=Count("id")).order_by().values_list("campaign_id", "n"))
    buckets: dict = {}
    for row in rows:
        if row["value"] not in LEVELS:
            continue
        for dimension in (row["question__dimension_id"], None):
            bucket = buckets.setdefault((row["campaign_id"], dimension), {})
            bucket[row["value"]] = bucket.get(row["value"], 0) + row["n"]
    dimension_ids = {dim for (_c, dim) in buckets if dim is not None}
    dimensions = sorted(Dimension.objects.filter(pk__in=dimension_ids), key=lambda d: (d.sort_order, d.pk))
    points = []
    for c in campaigns:
        overall = dimension_figures(buckets.get((c.pk, None), {}), c.low_score_threshold)
        points.append({
            "campaign": _campaign_info(c), "answered": answered.get(c.pk, 0),
            "average": overall["average"], "rate": overall["rate"], "flagged": overall["flagged"],
            "dimensions": [{"dimension": {"id": d.pk, "name": d.name},
                            **{k: v for k, v in dimension_figures(buckets.get((c.pk, d.pk), {}),
                                                                  c.low_score_threshold).items()
                               if k in ("answered", "average", "rate", "flagged")}} for d in dimensions],
        })
    return {"estate": estate, "campaigns": points,
            "dimensions": [{"id": d.pk, "code": d.code, "name": d.name} for d in dimensions]}


# --- for the quality app and appraisals ---------------------------------------------------------------------------


def _overlapping(start: dt.date, end: dt.date):
    return Q(campaign__starts_on__lte=end, campaign__ends_on__gte=start, campaign__status__in=RESULT_STATUSES)


def satisfaction_rate(start: dt.date, end: dt.date, estate_ids=None) -> dict:
    """满意率 over the satisfaction answers of the open or closed campaigns whose period overlaps [start, end]
    (optionally in some estates): answered, satisfied (基本满意 or better), rate (percent, 1 decimal, None without
    answers) and the number of campaigns those answers come from."""
    answers = Answer.objects.filter(_overlapping(start, end), question__kind=QuestionKind.SATISFACTION)
    if estate_ids is not None:
        answers = answers.filter(estate_id__in=list(estate_ids))
    figures = answers.order_by().aggregate(answered=Count("id"),
                                           satisfied=Count("id", filter=Q(value__gte=SATISFIED_MIN)),
                                           campaigns=Count("campaign_id", distinct=True))
    return {"answered": figures["answered"], "satisfied": figures["satisfied"],
            "rate": _pct(figures["satisfied"], figures["answered"]), "campaigns": figures["campaigns"]}


def campaigns_run(start: dt.date, end: dt.date, estate_ids=None) -> int:
    """How many campaigns (open or closed) ran in a period overlapping [start, end] (optionally over some
    estates)."""
    campaigns = Campaign.objects.filter(starts_on__lte=end, ends_on__gte=start, status__in=RESULT_STATUSES)
    if estate_ids is not None:
        campaigns = campaigns.filter(campaign_estates__estate_id__in=list(estate_ids))
    return campaigns.distinct().count()


# --- the estate page -----------------------------------------------------------------------------------------------

PANEL_CAMPAIGNS = 3


def estate_survey_panel(request, estate):
    """The estate's last campaigns on the estate page: overall average and 满意率, flagged dimensions, a link to
    the trend."""
    user = request.user
    if not user.has_perm("surveys.view_campaign") or not user_scope(user).covers_estate(estate.pk):
        return None
    trend = estate_trend(estate, user)
    if not trend["campaigns"]:
        return None
    recent = list(reversed(trend["campaigns"][-PANEL_CAMPAIGNS:]))
    for point in recent:
        point["flagged_dimensions"] = [d["dimension"]["name"] for d in point["dimensions"] if d["flagged"]]
        point["url"] = reverse("surveys:campaign_results", args=[point["campaign"]["id"]]) + f"?estate={estate.pk}"
    return {"title": _("Customer surveys"), "icon": "clipboard-heart", "order": 60, "count": len(trend["campaigns"]),
            "template": "surveys/panel_estate.html", "campaigns": recent,
            "trend_url": reverse("surveys:trends") + f"?estate={estate.pk}", "today": timezone.localdate()}


ESTATE_PANELS = [estate_survey_panel]
