"""客户需求意见报告 (customer needs and opinions report): what customers asked for and said in the period — tickets by
kind and category against the previous period, the top categories, the monthly trend, suggestions and praise with
the latest suggestions, and the surveys of the period: satisfaction per service dimension and the free-text
comments per question."""

from __future__ import annotations

from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from wuye.surveys.choices import SATISFIED_MIN, QuestionKind
from wuye.surveys.models import Answer, Campaign, Dimension, Question
from wuye.surveys.selectors.results import RESULT_STATUSES
from wuye.tickets.choices import TicketKind, TicketStatus
from wuye.tickets.models import Ticket, TicketCategory
from wuye.tickets.reports import Period, month_bucket

from .common import (
    chart,
    content,
    figure,
    in_estates,
    list_url,
    month_labels,
    rate,
    section,
    shorten,
    single_estate,
    table,
    text,
)

TOP = 10  # categories in the top table
LATEST = 10  # suggestions and comments listed


def _live(period: Period, estate_ids):
    return in_estates(Ticket.objects.filter(reported_at__gte=period.start_at, reported_at__lt=period.end_at)
                      .exclude(status=TicketStatus.CANCELLED), estate_ids).order_by()


def _campaigns(period: Period, estate_ids):
    campaigns = Campaign.objects.filter(starts_on__lte=period.end, ends_on__gte=period.start,
                                        status__in=RESULT_STATUSES)
    if estate_ids is not None:
        campaigns = campaigns.filter(campaign_estates__estate_id__in=list(estate_ids))
    return list(campaigns.distinct().order_by("starts_on", "id"))


def build(*, period: Period, estate_ids: list[int] | None, department=None) -> dict:
    previous = period.previous()
    months = month_labels(period)
    now_rows = list(_live(period, estate_ids).annotate(month_index=month_bucket(period))
                    .values("kind", "category_id", "month_index").annotate(n=Count("id")))
    before_rows = list(_live(previous, estate_ids).values("kind", "category_id").annotate(n=Count("id")))
    one = single_estate(estate_ids)

    def url(**params):
        return list_url("tickets:ticket_list", reported_after=period.start, reported_before=period.end, estate=one,
                        **params)

    by_kind_now = dict.fromkeys(TicketKind.values, 0)
    by_kind_before = dict(by_kind_now)
    for r in now_rows:
        by_kind_now[r["kind"]] += r["n"]
    for r in before_rows:
        by_kind_before[r["kind"]] += r["n"]
    kind_rows = [[text(label), by_kind_now[value], by_kind_before[value],
                  by_kind_now[value] - by_kind_before[value]] for value, label in TicketKind.choices]
    trend = {}
    for r in now_rows:
        trend.setdefault(r["kind"], [0] * len(months))[r["month_index"]] += r["n"]
    tickets = section("by_kind", _("Tickets by kind"), figures=[
        figure(f"kind_{value}", label, by_kind_now[value], url=url(kind=value), previous=by_kind_before[value],
               change=by_kind_now[value] - by_kind_before[value]) for value, label in TicketKind.choices],
        tables=[table("by_kind", _("Tickets by kind"), [_("kind"), _("this period"), _("previous period"),
                                                         _("change")], kind_rows)],
        chart=chart("line", months, [(label, trend.get(value, [0] * len(months)))
                                     for value, label in TicketKind.choices]),
        notes=[_("Tickets received in the period, cancelled ones left out. Previous period: %(label)s.")
               % {"label": previous.label}])

    categories: dict = {}
    for r in now_rows:
        categories.setdefault((r["kind"], r["category_id"]), [0, 0])[0] += r["n"]
    for r in before_rows:
        categories.setdefault((r["kind"], r["category_id"]), [0, 0])[1] += r["n"]
    paths = dict(TicketCategory.objects.filter(pk__in={c for _k, c in categories} - {None})
                 .values_list("pk", "path"))
    kind_labels = dict(TicketKind.choices)
    category_rows = sorted(([text(kind_labels.get(kind, kind)), paths.get(cat) or _("(no category)"), now, before,
                             now - before] for (kind, cat), (now, before) in categories.items() if now or before),
                           key=lambda r: (-r[2], r[0], r[1]))
    by_category = section("by_category", _("Tickets by category"), tables=[
        table("top", _("Top categories"), [_("kind"), _("category"), _("this period"), _("previous period"),
                                           _("change")], [r for r in category_rows if r[2]][:TOP]),
        table("all", _("All categories"), [_("kind"), _("category"), _("this period"), _("previous period"),
                                           _("change")], category_rows)])

    latest = (_live(period, estate_ids).filter(kind=TicketKind.SUGGESTION).select_related("estate")
              .order_by("-reported_at", "-id")[:LATEST])
    suggestions = section("suggestions", _("Suggestions and praise"), figures=[
        figure("suggestions", _("Suggestions"), by_kind_now[TicketKind.SUGGESTION], url=url(kind="suggestion"),
               previous=by_kind_before[TicketKind.SUGGESTION],
               change=by_kind_now[TicketKind.SUGGESTION] - by_kind_before[TicketKind.SUGGESTION]),
        figure("praise", _("Praise"), by_kind_now[TicketKind.PRAISE], url=url(kind="praise"),
               previous=by_kind_before[TicketKind.PRAISE],
               change=by_kind_now[TicketKind.PRAISE] - by_kind_before[TicketKind.PRAISE]),
    ], tables=[table("latest", _("Latest suggestions"), [_("number"), _("date"), _("estate"), _("suggestion")],
                     [[t.number, timezone.localtime(t.reported_at).date(), t.estate.name,
                       shorten(f"{t.title}：{t.description}" if t.description and t.description != t.title
                               else t.title)] for t in latest])])

    return content(_("Customer needs and opinions report"),
                   [tickets, by_category, suggestions, *survey_sections(period, estate_ids)])


def survey_sections(period: Period, estate_ids) -> list[dict]:
    """Satisfaction per dimension and the free-text comments of the campaigns overlapping the period."""
    campaigns = _campaigns(period, estate_ids)
    ids = [c.pk for c in campaigns]
    answers = in_estates(Answer.objects.filter(campaign_id__in=ids), estate_ids).order_by()
    levels = list(answers.filter(question__kind=QuestionKind.SATISFACTION, value__isnull=False)
                  .values("question__dimension_id")
                  .annotate(answered=Count("id"), satisfied=Count("id", filter=Q(value__gte=SATISFIED_MIN)),
                            total=Sum("value"))
                  .order_by())
    dimensions = {d.pk: d for d in Dimension.objects.filter(pk__in={r["question__dimension_id"] for r in levels})}
    dimension_rows = []
    for r in sorted(levels, key=lambda r: ((dimensions[r["question__dimension_id"]].sort_order,
                                            dimensions[r["question__dimension_id"]].name)
                                           if r["question__dimension_id"] in dimensions else (9999, ""))):
        d = dimensions.get(r["question__dimension_id"])
        dimension_rows.append([d.name if d else _("(no dimension)"), r["answered"],
                               round(r["total"] / r["answered"], 2),
                               rate(r["satisfied"], r["answered"])])
    answered = sum(r["answered"] for r in levels)
    satisfied = sum(r["satisfied"] for r in levels)
    satisfaction = section("survey_satisfaction", _("Survey satisfaction"), figures=[
        figure("campaigns", _("Survey campaigns"), len(campaigns)),
        figure("answered", _("Satisfaction answers"), answered),
        figure("satisfaction_rate", _("Satisfaction rate"), rate(satisfied, answered), "%"),
    ], tables=[
        table("campaigns", _("Campaigns"), [_("number"), _("name"), _("from"), _("to")],
              [[c.number, c.name, c.starts_on, c.ends_on] for c in campaigns]),
        table("by_dimension", _("By service dimension"), [_("dimension"), _("answers"), _("average (1–5)"),
                                                          _("satisfaction rate %")], dimension_rows)],
        notes=[_("Campaigns open or closed whose dates overlap the period. Satisfaction rate: answers Fairly "
                 "satisfied or better, over the answers.")])

    comments = answers.filter(question__kind=QuestionKind.TEXT).exclude(text="")
    per_question = list(comments.values("question_id").annotate(n=Count("id")).order_by())
    questions = {q.pk: q for q in Question.objects.filter(pk__in=[r["question_id"] for r in per_question])
                 .select_related("dimension")}
    question_rows = sorted(([questions[r["question_id"]].text, text(questions[r["question_id"]].dimension or ""),
                             r["n"]] for r in per_question), key=lambda r: (-r[2], r[0]))
    latest = (comments.select_related("campaign", "estate", "question")
              .order_by("-campaign__starts_on", "-campaign_id", "estate__name", "question_id", "id")[:LATEST])
    free_text = section("survey_comments", _("Survey comments"), figures=[
        figure("comments", _("Comments"), sum(r["n"] for r in per_question))],
        tables=[table("by_question", _("Comments by question"),
                      [pgettext("survey", "question"), _("dimension"), _("comments")], question_rows),
                table("latest", _("Comments"),
                      [_("campaign"), _("estate"), pgettext("survey", "question"), _("comment")],
                      [[a.campaign.number, a.estate.name, shorten(a.question.text, 30), shorten(a.text)]
                       for a in latest])],
        notes=[_("Comments are shown without the household; anonymous surveys keep none.")])
    return [satisfaction, free_text]

