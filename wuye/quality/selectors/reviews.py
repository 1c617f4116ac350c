"""Reads of the management review (管理评审, seed 1.9): the inputs compiled from wuye for a review's period (plain
JSON-safe figures, every count an SQL aggregate), their rendering as readable tables, the yearly-review status of
the executive's dashboard (``review_status``) and the action items' lists.

The figures are stored on ``ReviewInput.figures`` as data only (keys, numbers, dates as ISO strings, names);
``input_tables`` turns them into labelled tables when the page or the PDF is shown, in the reader's language.
"""

from __future__ import annotations

import calendar
import datetime as dt
import importlib
from decimal import Decimal

from django.db.models import Avg, Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ..choices import (
    DUE_ACTION_STATES,
    NONCONFORMITY_GRADES,
    OPEN_ACTION_STATES,
    ActionItemStatus,
    ActionSource,
    ActionState,
    AuditKind,
    AuditStatus,
    Comparison,
    Effectiveness,
    FindingGrade,
    Metric,
    OutputKind,
    ReviewStatus,
    ReviewTopic,
)
from ..models import (
    ActionItem,
    Audit,
    CorrectiveAction,
    Finding,
    ManagementReview,
    ObjectiveMeasurement,
    QualityPolicy,
)

# the inputs a review compiles, in the order the page and the minutes show them (ISO 9001 9.3.2)
COMPILED_TOPICS = (ReviewTopic.PREVIOUS_ACTIONS, ReviewTopic.OBJECTIVES, ReviewTopic.AUDITS, ReviewTopic.COMPLAINTS,
                   ReviewTopic.SATISFACTION, ReviewTopic.CORRECTIVE_ACTIONS)
# how many rows a list inside the figures keeps (the counts are always complete)
MAX_ROWS = 200
REVIEW_INTERVAL_MONTHS = 12


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus calendar months; the 29th–31st fall back to the month's last day (2024-02-29 + 12 → 2025-02-28)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def _num(value):
    """A JSON-safe number (Decimal → float), or None."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        return float(value)
    return value


def _rate(part, whole) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


def _counts(queryset, field: str, choices) -> dict:
    """{value: count} of ``field`` over ``queryset`` (one GROUP BY), with every choice present."""
    found = dict(queryset.order_by().values_list(field).annotate(n=Count("pk")))
    return {str(value): found.get(value, 0) for value, _label in choices}


# --- previous reviews' actions ---------------------------------------------------------------------------------


def earlier_reviews(review: ManagementReview):
    """Reviews held before this one was planned (held or closed), newest first."""
    return (ManagementReview.objects.filter(status__in=(ReviewStatus.HELD, ReviewStatus.CLOSED),
                                            held_on__isnull=False, held_on__lte=review.planned_on)
            .exclude(pk=review.pk).order_by("-held_on", "-pk"))


def previous_actions_figures(review: ManagementReview, today: dt.date) -> dict:
    """The outputs of earlier reviews: every one still open (overdue marked), and all those of the last review
    before this one (done, cancelled), so the review sees what became of its predecessor's decisions."""
    earlier = earlier_reviews(review)
    last = earlier.first()
    items = ActionItem.objects.filter(review__in=earlier.values("pk"))
    shown = items.filter(Q(status=ActionItemStatus.OPEN) | Q(review=last) if last else Q(pk__in=[]))
    overdue = Q(status=ActionItemStatus.OPEN, due_on__lt=today)
    counts = items.aggregate(
        open=Count("pk", filter=Q(status=ActionItemStatus.OPEN)), overdue=Count("pk", filter=overdue),
        done=Count("pk", filter=Q(status=ActionItemStatus.DONE)),
        cancelled=Count("pk", filter=Q(status=ActionItemStatus.CANCELLED)))
    rows = [{"id": pk, "review": number, "kind": kind, "text": text, "owner": owner or "", "due_on": _iso(due_on),
             "status": status, "overdue": bool(status == ActionItemStatus.OPEN and due_on and due_on < today),
             "done_on": _iso(done_on), "result": result}
            for pk, number, kind, text, owner, due_on, status, done_on, result in
            shown.order_by("review__held_on", "pk").values_list(
                "pk", "review__number", "kind", "text", "owner__name", "due_on", "status", "done_on",
                "result")[:MAX_ROWS]]
    return {"last_review": {"id": last.pk, "number": last.number, "held_on": _iso(last.held_on)} if last else None,
            "counts": counts, "items": rows}


# --- quality objectives ----------------------------------------------------------------------------------------


def _objective_actual_function():
    """``wuye.quality.selectors.policy.objective_actual`` when the policy subject provides it, else None."""
    try:
        module = importlib.import_module("wuye.quality.selectors.policy")
    except ModuleNotFoundError:
        return None
    return getattr(module, "objective_actual", None)


def _actual(result) -> tuple:
    """objective_actual's answer as (value, detail): it answers ``(value, detail)``; a bare number is accepted."""
    if isinstance(result, tuple):
        value, detail = (result + (None, None))[:2]
        return value, detail if isinstance(detail, dict) else {}
    if isinstance(result, dict):
        return result.get("value", result.get("actual")), result
    return result, {}


def objectives_figures(start: dt.date, end: dt.date) -> dict:
    """The objectives of the published policy with target and actual for the period: computed by the policy
    subject's ``objective_actual`` when it is there; otherwise the hand-entered measurement of the period (the
    latest one overlapping it) for manual objectives, and no actual for computed ones."""
    policy = QualityPolicy.objects.filter(status="published").first()
    if policy is None:
        return {"policy": None, "objectives": [], "computed": False}
    compute = _objective_actual_function()
    rows = []
    for objective in policy.objectives.select_related("estate").order_by("sort_order", "pk"):
        detail = {}
        if compute is not None:
            actual, detail = _actual(compute(objective, start, end))
        elif objective.metric == Metric.MANUAL:
            actual = (ObjectiveMeasurement.objects.filter(objective=objective, period_start__lte=end,
                                                          period_end__gte=start)
                      .order_by("-period_end", "-created_at", "-pk").values_list("value", flat=True).first())
            detail = {"source": "manual"}
        else:
            actual = None
        met = objective.met(Decimal(str(actual))) if actual is not None else None
        rows.append({"id": objective.pk, "code": objective.code, "title": objective.title, "metric": objective.metric,
                     "comparison": objective.comparison, "target": _num(objective.target), "unit": objective.unit,
                     "estate": objective.estate.name if objective.estate_id else "",
                     "actual": _num(actual), "met": met, "source": str(detail.get("source") or ""),
                     "numerator": _num(detail.get("numerator")), "denominator": _num(detail.get("denominator")),
                     "note": str(detail.get("note") or "")})
    return {"policy": {"id": policy.pk, "version": policy.version, "title": policy.title},
            "objectives": rows, "computed": compute is not None}


# --- audits and findings -----------------------------------------------------------------------------------------

HELD_AUDIT_STATES = (AuditStatus.IN_PROGRESS, AuditStatus.REPORTED, AuditStatus.CLOSED)


def audits_in_period(start: dt.date, end: dt.date):
    """Audits held in the period: started (or, without a start date, planned to start) within it, and not merely
    planned or cancelled."""
    return Audit.objects.filter(status__in=HELD_AUDIT_STATES).filter(
        Q(started_on__gte=start, started_on__lte=end) | Q(started_on__isnull=True, planned_start__gte=start,
                                                          planned_start__lte=end))


def open_findings():
    """Nonconformities (minor, major) whose corrective action is not closed (or that have none)."""
    return Finding.objects.filter(grade__in=NONCONFORMITY_GRADES).exclude(corrective_action__state=ActionState.CLOSED)


def audits_figures(start: dt.date, end: dt.date) -> dict:
    held = audits_in_period(start, end)
    findings = Finding.objects.filter(audit__in=held.values("pk"))
    grades = {g: Count("findings", filter=Q(findings__grade=g)) for g in FindingGrade.values}
    audit_rows = [{"id": a["pk"], "number": a["number"], "title": a["title"], "kind": a["kind"],
                   "certification_body": a["certification_body"], "status": a["status"],
                   "started_on": _iso(a["started_on"] or a["planned_start"]), "reported_on": _iso(a["reported_on"]),
                   "findings": {g: a[g] for g in FindingGrade.values}}
                  for a in held.order_by("started_on", "planned_start", "pk").values(
                      "pk", "number", "title", "kind", "certification_body", "status", "started_on", "planned_start",
                      "reported_on").annotate(**grades)[:MAX_ROWS]]
    by_kind = {kind: {"audits": 0, **dict.fromkeys(FindingGrade.values, 0)} for kind in AuditKind.values}
    for kind, n in held.order_by().values_list("kind").annotate(n=Count("pk")):
        by_kind[kind]["audits"] = n
    for kind, grade, n in findings.order_by().values_list("audit__kind", "grade").annotate(n=Count("pk")):
        by_kind[kind][grade] = n
    still_open = open_findings()
    open_rows = [{"id": f["pk"], "reference": f"{f['audit__number']}-{f['number']:02d}", "grade": f["grade"],
                  "clause": f["clause__number"], "statement": f["statement"][:200], "estate": f["estate__name"] or "",
                  "found_on": _iso(f["found_on"]), "action": f["corrective_action__number"] or "",
                  "action_state": f["corrective_action__state"] or ""}
                 for f in still_open.order_by("found_on", "pk").values(
                     "pk", "audit__number", "number", "grade", "clause__number", "statement", "estate__name",
                     "found_on", "corrective_action__number", "corrective_action__state")[:MAX_ROWS]]
    return {"audits": audit_rows, "by_kind": by_kind, "findings": _counts(findings, "grade", FindingGrade.choices),
            "open_findings": _counts(still_open, "grade", [(g, g) for g in NONCONFORMITY_GRADES]),
            "open_finding_rows": open_rows}


# --- complaints and satisfaction (tickets) ------------------------------------------------------------------------


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def complaints_figures(start: dt.date, end: dt.date) -> dict:
    """Complaint tickets reported in the period, company-wide, counted as the complaint statistics count them
    (``tickets.reports``: cancelled tickets apart; resolved on time over resolved tickets with a limit)."""
    from wuye.tickets.choices import TicketKind
    from wuye.tickets.models import Ticket, TicketCategory
    from wuye.tickets.reports import ticket_aggregates, ticket_figures

    aggregates = ticket_aggregates()
    complaints = Ticket.objects.filter(kind=TicketKind.COMPLAINT, reported_at__gte=_day_start(start),
                                       reported_at__lt=_day_start(end + dt.timedelta(days=1))).order_by()
    totals = ticket_figures(complaints.aggregate(**aggregates))
    keep = ("received", "valid", "resolved", "resolved_on_time", "resolved_with_limit", "on_time_rate", "open",
            "overdue", "cancelled", "callbacks_required", "callbacks_reached", "callback_rate")
    grouped = list(complaints.values("category_id").annotate(
        received=aggregates["received"], resolved=aggregates["resolved"],
        resolved_on_time=aggregates["resolved_on_time"]))
    paths = dict(TicketCategory.objects.filter(pk__in={g["category_id"] for g in grouped} - {None})
                 .values_list("pk", "path"))
    by_category = sorted(({"category": paths.get(g["category_id"], ""), "received": g["received"],
                           "resolved": g["resolved"], "resolved_on_time": g["resolved_on_time"],
                           "on_time_rate": _rate(g["resolved_on_time"], g["resolved"])}
                          for g in grouped if g["received"]), key=lambda r: (-r["received"], r["category"]))
    return {**{key: totals[key] for key in keep}, "by_category": by_category}


def satisfaction_figures(start: dt.date, end: dt.date) -> dict:
    """The ratings given at ticket callbacks (and on the portal) in the period, and the customer surveys whose period
    overlaps it (``surveys``: campaigns, answers, satisfied, the satisfaction rate)."""
    from wuye.surveys.selectors.results import satisfaction_rate
    from wuye.tickets.choices import SATISFIED_MIN, Satisfaction
    from wuye.tickets.models import Callback

    rated = Callback.objects.filter(called_at__gte=_day_start(start),
                                    called_at__lt=_day_start(end + dt.timedelta(days=1)),
                                    satisfaction__isnull=False).order_by()
    totals = rated.aggregate(rated=Count("pk"), satisfied=Count("pk", filter=Q(satisfaction__gte=SATISFIED_MIN)),
                             average=Avg("satisfaction"), complaints=Count("pk", filter=Q(ticket__kind="complaint")),
                             complaints_satisfied=Count("pk", filter=Q(ticket__kind="complaint",
                                                                       satisfaction__gte=SATISFIED_MIN)))
    by_score = dict(rated.values_list("satisfaction").annotate(n=Count("pk")))
    return {"rated": totals["rated"], "satisfied": totals["satisfied"],
            "satisfaction_rate": _rate(totals["satisfied"], totals["rated"]),
            "average": round(float(totals["average"]), 2) if totals["average"] is not None else None,
            "complaints_rated": totals["complaints"],
            "complaints_satisfaction_rate": _rate(totals["complaints_satisfied"], totals["complaints"]),
            "by_score": {str(score): by_score.get(score, 0) for score in sorted(Satisfaction.values, reverse=True)},
            "surveys": _survey_figures(satisfaction_rate(start, end))}


def _survey_figures(figures: dict) -> dict:
    return {"campaigns": figures["campaigns"], "answered": figures["answered"], "satisfied": figures["satisfied"],
            "satisfaction_rate": _rate(figures["satisfied"], figures["answered"])}


# --- corrective actions --------------------------------------------------------------------------------------------


def corrective_actions_figures(start: dt.date, end: dt.date, today: dt.date) -> dict:
    """Corrective actions now by state, overdue today; raised in the period by source; closed in the period by
    the verified effectiveness."""
    actions = CorrectiveAction.objects.order_by()
    raised = actions.filter(raised_on__gte=start, raised_on__lte=end)
    closed = actions.filter(state=ActionState.CLOSED, closed_on__gte=start, closed_on__lte=end)
    return {
        "by_state": _counts(actions, "state", ActionState.choices),
        "overdue": actions.filter(state__in=DUE_ACTION_STATES, due_on__lt=today).count(),
        "raised": raised.count(),
        "raised_by_source": _counts(raised, "source", ActionSource.choices),
        "closed": closed.count(),
        "closed_effective": closed.filter(effectiveness=Effectiveness.EFFECTIVE).count(),
        "closed_not_effective": closed.filter(effectiveness=Effectiveness.NOT_EFFECTIVE).count(),
        "as_of": today.isoformat(),
        # each action raised or closed in the period, or still open: what the review discusses one by one
        "rows": [{"id": a["pk"], "number": a["number"], "title": a["title"][:200], "source": a["source"],
                  "state": a["state"], "owner": a["owner__name"] or "", "due_on": _iso(a["due_on"]),
                  "effectiveness": a["effectiveness"]}
                 for a in actions.filter(Q(raised_on__gte=start, raised_on__lte=end)
                                         | Q(closed_on__gte=start, closed_on__lte=end)
                                         | Q(state__in=OPEN_ACTION_STATES))
                 .order_by("raised_on", "pk")
                 .values("pk", "number", "title", "source", "state", "owner__name", "due_on", "effectiveness")
                 [:MAX_ROWS]],
    }


def compile_figures(review: ManagementReview, today: dt.date | None = None) -> dict:
    """{topic: figures} of every compiled input of ``review`` for its period."""
    today = today or timezone.localdate()
    start, end = review.period_start, review.period_end
    return {
        ReviewTopic.PREVIOUS_ACTIONS: previous_actions_figures(review, today),
        ReviewTopic.OBJECTIVES: objectives_figures(start, end),
        ReviewTopic.AUDITS: audits_figures(start, end),
        ReviewTopic.COMPLAINTS: complaints_figures(start, end),
        ReviewTopic.SATISFACTION: satisfaction_figures(start, end),
        ReviewTopic.CORRECTIVE_ACTIONS: corrective_actions_figures(start, end, today),
    }


# --- the figures as readable tables ------------------------------------------------------------------------------


def _label(choices, value) -> str:
    return str(dict(choices).get(value, value or "—"))


def _pct(value) -> str:
    return "—" if value is None else f"{value}%"


def _dash(value) -> str:
    return "—" if value in (None, "") else str(value)


def _table(title, headers, rows, css="") -> dict:
    return {"title": str(title) if title else "", "headers": [str(h) for h in headers],
            "rows": [[_dash(c) if not isinstance(c, str) else (c or "—") for c in row] for row in rows], "css": css}


def input_tables(topic: str, figures: dict) -> dict:
    """{"tables": [...], "notes": [...]} for one input: each table a title, headers and rows of text."""
    if not figures:
        return {"tables": [], "notes": [_("Not compiled yet.")]}
    builder = _BUILDERS.get(topic)
    return builder(figures) if builder else {"tables": [], "notes": []}


def _previous_tables(f: dict) -> dict:
    c = f.get("counts", {})
    notes = []
    if f.get("last_review"):
        notes.append(_("Previous review: %(number)s held on %(date)s.") % {
            "number": f["last_review"]["number"], "date": f["last_review"]["held_on"]})
    else:
        notes.append(_("No earlier review has been held."))
    summary = _table(None, [_("Open"), _("Of which overdue"), _("Done"), _("Cancelled")],
                     [[c.get("open", 0), c.get("overdue", 0), c.get("done", 0), c.get("cancelled", 0)]])
    rows = [[i["review"], _label(OutputKind.choices, i["kind"]), i["text"], i["owner"], _dash(i["due_on"]),
             _label(ActionItemStatus.choices, i["status"]) + (f" ({_('overdue')})" if i["overdue"] else ""),
             i["result"] or _dash(i["done_on"])] for i in f.get("items", [])]
    items = _table(_("Actions"), [_("review"), _("kind"), _("action"), _("owner"), _("due on"), _("status"),
                                  _("result")], rows)
    return {"tables": [summary, items] if rows else [summary], "notes": notes}


def _objective_tables(f: dict) -> dict:
    if not f.get("policy"):
        return {"tables": [], "notes": [_("No quality policy is published.")]}
    rows = []
    for o in f["objectives"]:
        sign = "≥" if o["comparison"] == Comparison.AT_LEAST else "≤"
        unit = o["unit"] or ""
        met = "—" if o["met"] is None else (_("met") if o["met"] else _("not met"))
        actual = "—" if o["actual"] is None else f"{o['actual']}{unit}"
        if o.get("denominator"):
            actual += f" ({o['numerator']}/{o['denominator']})"
        elif o.get("note"):
            actual += f" · {o['note']}"
        title = o["title"] + (f" ({o['estate']})" if o["estate"] else "")
        rows.append([o["code"], title, f"{sign} {o['target']}{unit}", actual, met])
    notes = [_("Policy: %(title)s, version %(version)s.") % f["policy"]]
    if not f.get("computed"):
        notes.append(_("Actual values computed from wuye are not available yet; hand-entered measurements of the "
                       "period are shown."))
    return {"tables": [_table(None, [_("code"), _("objective"), _("target"), _("actual"), _("status")], rows)],
            "notes": notes}


def _audit_tables(f: dict) -> dict:
    grades = FindingGrade.choices
    by_kind = [[_label(AuditKind.choices, kind), v["audits"], *[v[g] for g, _l in grades]]
               for kind, v in f["by_kind"].items()]
    summary = _table(_("Audits held in the period"), [_("kind"), _("audits"), *[label for _g, label in grades]],
                     by_kind)
    audits = _table(_("Audits"), [_("number"), _("title"), _("kind"), _("started on"), _("status"),
                                  *[label for _g, label in grades]],
                    [[a["number"], a["title"] + (f" ({a['certification_body']})" if a["certification_body"] else ""),
                      _label(AuditKind.choices, a["kind"]), _dash(a["started_on"]), _label(AuditStatus.choices,
                                                                                            a["status"]),
                      *[a["findings"].get(g, 0) for g, _l in grades]] for a in f["audits"]])
    open_rows = [[r["reference"], _label(grades, r["grade"]), r["clause"], r["statement"], r["estate"],
                  r["action"] or _("none"), _label(ActionState.choices, r["action_state"]) if r["action_state"]
                  else "—"] for r in f["open_finding_rows"]]
    still_open = _table(_("Open nonconformities (corrective action not closed)"),
                        [_("reference"), _("grade"), _("clause"), _("finding"), _("estate"), _("corrective action"),
                         _("state")], open_rows)
    tables = [summary] + ([audits] if f["audits"] else []) + [still_open]
    return {"tables": tables, "notes": [_("Open nonconformities: %(minor)s minor, %(major)s major.") % {
        "minor": f["open_findings"].get("minor", 0), "major": f["open_findings"].get("major", 0)}]}


def _complaint_tables(f: dict) -> dict:
    summary = _table(None, [_("received"), _("valid"), _("resolved"), _("resolved on time"), _("on time"),
                            _("still open"), _("overdue")],
                     [[f["received"], f["valid"], f["resolved"], f["resolved_on_time"], _pct(f["on_time_rate"]),
                       f["open"], f["overdue"]]])
    categories = _table(_("By category"), [_("category"), _("received"), _("resolved"), _("resolved on time"),
                                           _("on time")],
                        [[r["category"] or str(_("(no category)")), r["received"], r["resolved"],
                          r["resolved_on_time"], _pct(r["on_time_rate"])] for r in f["by_category"]])
    return {"tables": [summary, categories] if f["by_category"] else [summary],
            "notes": [_("Complaints reported in the period; on time: resolved within the time limit, over resolved "
                        "complaints.")]}


def _satisfaction_tables(f: dict) -> dict:
    from wuye.tickets.choices import Satisfaction

    summary = _table(None, [_("ratings"), _("satisfied"), _("satisfaction rate"), _("average (1–5)"),
                            _("complaints rated"), _("complaints: satisfaction rate")],
                     [[f["rated"], f["satisfied"], _pct(f["satisfaction_rate"]), f["average"], f["complaints_rated"],
                       _pct(f["complaints_satisfaction_rate"])]])
    scores = _table(_("By rating"), [str(label) for _v, label in sorted(Satisfaction.choices, reverse=True)],
                    [[f["by_score"].get(str(v), 0) for v, _l in sorted(Satisfaction.choices, reverse=True)]])
    notes = [_("Ratings given at ticket callbacks and on the portal in the period; satisfied: Fairly satisfied or "
               "better.")]
    surveys = f["surveys"]
    survey_table = _table(_("Customer surveys"), [_("survey campaigns"), _("satisfaction answers"), _("satisfied"),
                                                  _("satisfaction rate")],
                          [[surveys["campaigns"], surveys["answered"], surveys["satisfied"],
                            _pct(surveys["satisfaction_rate"])]])
    notes.append(_("Customer surveys: the satisfaction questions of the campaigns whose period overlaps the review "
                   "period; satisfied: 满意 or 基本满意."))
    return {"tables": [summary, scores, survey_table], "notes": notes}


def _action_tables(f: dict) -> dict:
    states = _table(_("Corrective actions by state"), [str(label) for _v, label in ActionState.choices] + [
        _("overdue")], [[*[f["by_state"].get(v, 0) for v, _l in ActionState.choices], f["overdue"]]])
    period = _table(_("In the period"), [_("raised"), *[str(label) for _v, label in ActionSource.choices],
                                         _("closed"), _("effective"), _("not effective")],
                    [[f["raised"], *[f["raised_by_source"].get(v, 0) for v, _l in ActionSource.choices], f["closed"],
                      f["closed_effective"], f["closed_not_effective"]]])
    tables = [states, period]
    if f.get("rows"):
        tables.append(_table(_("Corrective actions raised or closed in the period, or open"),
                             [_("number"), _("title"), _("source"), _("state"), _("action owner"), _("due on"),
                              _("effectiveness")],
                             [[r["number"], r["title"], _label(ActionSource.choices, r["source"]),
                               _label(ActionState.choices, r["state"]), r["owner"], r["due_on"] or "",
                               _label(Effectiveness.choices, r["effectiveness"]) if r["effectiveness"] else ""]
                              for r in f["rows"]], css="review-actions"))
    return {"tables": tables, "notes": [_("States and overdue as of %(date)s.") % {"date": f["as_of"]}]}


_BUILDERS = {
    ReviewTopic.PREVIOUS_ACTIONS: _previous_tables,
    ReviewTopic.OBJECTIVES: _objective_tables,
    ReviewTopic.AUDITS: _audit_tables,
    ReviewTopic.COMPLAINTS: _complaint_tables,
    ReviewTopic.SATISFACTION: _satisfaction_tables,
    ReviewTopic.CORRECTIVE_ACTIONS: _action_tables,
}


def inputs_with_tables(review: ManagementReview) -> list[dict]:
    return [{"input": item, **input_tables(item.topic, item.figures)} for item in review.inputs.all()]


# --- the yearly review (seed 1.9) ------------------------------------------------------------------------------------


def overdue_action_items(today: dt.date, queryset=None):
    """Open action items past their due date."""
    queryset = ActionItem.objects.all() if queryset is None else queryset
    return queryset.filter(status=ActionItemStatus.OPEN, due_on__lt=today)


def review_status(today: dt.date | None = None) -> dict:
    """Seed 1.9: is the yearly management review overdue?

    ``last``: the latest review held (held or closed). ``due_by``: its ``held_on`` plus 12 calendar months.
    ``overdue``: no review was ever held, or ``due_by < today`` (on ``due_by`` itself it is not yet overdue).
    ``next``: the earliest planned review. ``overdue_actions``: open outputs of reviews past their due date."""
    today = today or timezone.localdate()
    last = (ManagementReview.objects.filter(status__in=(ReviewStatus.HELD, ReviewStatus.CLOSED),
                                            held_on__isnull=False).order_by("-held_on", "-pk").first())
    planned = ManagementReview.objects.filter(status=ReviewStatus.PLANNED).order_by("planned_on", "pk").first()
    due_by = add_months(last.held_on, REVIEW_INTERVAL_MONTHS) if last else None
    return {
        "today": today,
        "last": last,
        "last_held_on": last.held_on if last else None,
        "due_by": due_by,
        "next": planned,
        "next_planned_on": planned.planned_on if planned else None,
        "overdue": due_by is None or due_by < today,
        "never_held": last is None,
        "overdue_actions": overdue_action_items(today, ActionItem.objects.filter(review__isnull=False)).count(),
    }
