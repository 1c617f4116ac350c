"""The appraisal reports: a cycle's results, one person's history, the department comparison, the rows of a
cycle's Excel and the sections of one filled form (its PDF).

Everything starts from ``Appraisal.objects.restrict(user)``: a report shows only the appraisals the user may see
(``Appraisal.restrict_queryset``). Results count the appraisals that have a total: those waiting for the
appraisee's acknowledgement and the final ones (``RESULT_STATES``); a superseded appraisal gives way to its
revision. Counts, sums and averages are SQL aggregates; an average is a sum over a count, rounded to 2 places
half up, as ``scoring`` rounds.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Max, Min, QuerySet, Sum

from ..choices import AppraisalState
from ..models import Appraisal, AppraisalCycle, Score

RESULT_STATES = (AppraisalState.ACKNOWLEDGEMENT, AppraisalState.FINAL)
CENT = Decimal("0.01")


def _round(value) -> Decimal | None:
    return None if value is None else Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def _mean(total, count) -> Decimal | None:
    return _round(Decimal(total) / Decimal(count)) if count else None


def _percent(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


def visible(user) -> QuerySet:
    return Appraisal.objects.restrict(user, "view")


def results_of(user, *, cycle: AppraisalCycle | None = None) -> QuerySet:
    """The visible appraisals with a result (acknowledgement or final), of ``cycle`` if given."""
    qs = visible(user).filter(state__in=RESULT_STATES, total__isnull=False)
    return qs.filter(cycle=cycle) if cycle is not None else qs


# --- a cycle's results ----------------------------------------------------------------------------------------


def cycle_ranking(*, user, cycle) -> list[Appraisal]:
    """The cycle's results by total, highest first; ``rank`` shared by equal totals (1, 2, 2, 4)."""
    rows = list(results_of(user, cycle=cycle)
                .select_related("appraisee__department", "appraisee__post", "appraiser", "form_version__form")
                .order_by("-total", "appraisee__name", "pk"))
    previous, rank = None, 0
    for position, appraisal in enumerate(rows, start=1):
        if appraisal.total != previous:
            rank, previous = position, appraisal.total
        appraisal.rank = rank
    return rows


def grade_distribution(*, user, cycle) -> list[dict]:
    """How many results fall in each grade: the bands of the cycle's form version in order (best first, zero counts
    included), then any other grade found (e.g. of a revised form version)."""
    counts = dict(results_of(user, cycle=cycle).order_by().values_list("grade").annotate(n=Count("pk")))
    total = sum(counts.values())
    bands = sorted(cycle.form_version.bands or [], key=lambda b: Decimal(str(b["min"])), reverse=True)
    grades = [str(b["grade"]) for b in bands]
    grades += sorted(g for g in counts if g not in grades)
    return [{"grade": g or "—", "count": counts.get(g, 0), "percent": _percent(counts.get(g, 0), total)}
            for g in grades]


def section_averages(appraisals: QuerySet) -> list[dict]:
    """Per section title (in the form's order): the mean of the scored items of ``appraisals`` and how many
    appraisals scored it. Every item of a final appraisal is scored, so this is also the mean of their section
    averages."""
    rows = (Score.objects.filter(appraisal__in=appraisals.order_by().values("pk"), score__isnull=False)
            .order_by().values("item__section__title")
            .annotate(total=Sum("score"), n=Count("score"), appraisals=Count("appraisal", distinct=True),
                      position=Min("item__section__sort_order")))
    rows = sorted(rows, key=lambda r: (r["position"], r["item__section__title"]))
    return [{"title": r["item__section__title"], "average": _mean(r["total"], r["n"]),
             "appraisals": r["appraisals"]} for r in rows]


def cycle_completion(*, user, cycle) -> dict:
    """The cycle's progress over the appraisals the user may see (superseded ones left out): the count per
    state, and the share final and the share with a result."""
    counts = dict(visible(user).filter(cycle=cycle).exclude(state=AppraisalState.SUPERSEDED).order_by()
                  .values_list("state").annotate(n=Count("pk")))
    total = sum(counts.values())
    with_result = sum(counts.get(s, 0) for s in RESULT_STATES)
    return {
        "total": total,
        "states": [{"state": value, "label": label, "count": counts.get(value, 0)}
                   for value, label in AppraisalState.choices if value != AppraisalState.SUPERSEDED],
        "final": counts.get(AppraisalState.FINAL, 0),
        "with_result": with_result,
        "final_percent": _percent(counts.get(AppraisalState.FINAL, 0), total),
        "result_percent": _percent(with_result, total),
    }


def cycle_results(*, user, cycle) -> dict:
    """Everything the cycle results page shows, with the charts' data."""
    ranking = cycle_ranking(user=user, cycle=cycle)
    grades = grade_distribution(user=user, cycle=cycle)
    sections = section_averages(results_of(user, cycle=cycle))
    totals = results_of(user, cycle=cycle).order_by().aggregate(sum=Sum("total"), n=Count("total"),
                                                               low=Min("total"), high=Max("total"))
    return {
        "cycle": cycle,
        "ranking": ranking,
        "grades": grades,
        "sections": sections,
        "completion": cycle_completion(user=user, cycle=cycle),
        "average": _mean(totals["sum"], totals["n"]) if totals["n"] else None,
        "lowest": _round(totals["low"]),
        "highest": _round(totals["high"]),
        "chart": {
            "grades": {"labels": [g["grade"] for g in grades], "counts": [g["count"] for g in grades]},
            "sections": {"labels": [s["title"] for s in sections],
                         "averages": [float(s["average"]) if s["average"] is not None else None
                                      for s in sections]},
            "scale_max": cycle.form_version.scale_max,
        },
    }


# --- one person's history -------------------------------------------------------------------------------------


def staff_history(*, user, staff) -> dict:
    """The final appraisals of ``staff`` the user may see, oldest period first, with the trend of the totals:
    ``change`` is the latest total minus the one before, ``slope`` the least-squares change per appraisal."""
    rows = list(visible(user).filter(appraisee=staff, state=AppraisalState.FINAL)
                .select_related("form_version__form", "appraiser", "cycle")
                .order_by("period_start", "period_end", "pk"))
    totals = [r.total for r in rows if r.total is not None]
    change = totals[-1] - totals[-2] if len(totals) >= 2 else None
    slope = None
    if len(totals) >= 2:
        n = len(totals)
        mean_x = Decimal(n - 1) / 2
        num = sum((Decimal(i) - mean_x) * y for i, y in enumerate(totals))  # Σ(x - x̄) = 0: exact, no ȳ
        den = sum((Decimal(i) - mean_x) ** 2 for i in range(n))
        slope = _round(num / den)
    direction = None
    if slope is not None:
        direction = "up" if slope > 0 else "down" if slope < 0 else "flat"
    return {
        "staff": staff,
        "appraisals": rows,
        "change": change,
        "slope": slope,
        "direction": direction,
        "chart": {"labels": [f"{r.period_start:%Y-%m-%d}" for r in rows if r.total is not None],
                  "totals": [float(t) for t in totals]},
    }


# --- department comparison ------------------------------------------------------------------------------------


def department_comparison(*, user, cycle=None, start: dt.date | None = None, end: dt.date | None = None) -> list:
    """The average total per department of the appraisee (results the user may see), of a cycle or of the
    appraisals whose period lies within ``start``–``end``; highest average first."""
    qs = results_of(user, cycle=cycle)
    if start is not None:
        qs = qs.filter(period_start__gte=start)
    if end is not None:
        qs = qs.filter(period_end__lte=end)
    rows = (qs.order_by().values("appraisee__department_id", "appraisee__department__name")
            .annotate(n=Count("pk"), sum=Sum("total"), low=Min("total"), high=Max("total"),
                      people=Count("appraisee", distinct=True)))
    result = [{"department_id": r["appraisee__department_id"], "department": r["appraisee__department__name"],
               "count": r["n"], "people": r["people"], "average": _mean(r["sum"], r["n"]),
               "lowest": _round(r["low"]), "highest": _round(r["high"])} for r in rows]
    result.sort(key=lambda r: (-(r["average"] or 0), r["department"]))
    return result


def department_section_averages(*, user, cycle=None, start=None, end=None) -> dict:
    """{department id: [section averages]} for the same appraisals as ``department_comparison``."""
    qs = results_of(user, cycle=cycle)
    if start is not None:
        qs = qs.filter(period_start__gte=start)
    if end is not None:
        qs = qs.filter(period_end__lte=end)
    rows = (Score.objects.filter(appraisal__in=qs.order_by().values("pk"), score__isnull=False).order_by()
            .values("appraisal__appraisee__department_id", "item__section__title")
            .annotate(total=Sum("score"), n=Count("score"), position=Min("item__section__sort_order")))
    result: dict = {}
    for r in sorted(rows, key=lambda r: (r["position"], r["item__section__title"])):
        result.setdefault(r["appraisal__appraisee__department_id"], []).append(
            {"title": r["item__section__title"], "average": _mean(r["total"], r["n"])})
    return result


# --- the Excel of a cycle -------------------------------------------------------------------------------------


def cycle_sheet(*, user, cycle) -> tuple[list[str], list[list]]:
    """(section titles, rows) of a cycle's Excel: one row per appraisal the user may see (superseded ones left
    out), each with its section averages (from one grouped query), total and grade."""
    from ..scoring import structure

    appraisals = list(visible(user).filter(cycle=cycle).exclude(state=AppraisalState.SUPERSEDED)
                      .select_related("appraisee__department", "appraisee__post", "appraiser")
                      .order_by("appraisee__department__name", "appraisee__name", "pk"))
    titles = [section.title for section, _items in structure(cycle.form_version)]
    averages: dict = {}
    grouped = (Score.objects.filter(appraisal__in=[a.pk for a in appraisals], score__isnull=False).order_by()
               .values("appraisal_id", "item__section__title").annotate(total=Sum("score"), n=Count("score")))
    for r in grouped:
        averages[(r["appraisal_id"], r["item__section__title"])] = _mean(r["total"], r["n"])
        if r["item__section__title"] not in titles:
            titles.append(r["item__section__title"])
    rows = []
    for a in appraisals:
        rows.append([a.appraisee.name, a.appraisee.employee_no, a.appraisee.department.name, a.appraisee.post.name,
                     a.appraiser.name, str(a.get_state_display()), a.period_start, a.period_end,
                     *[averages.get((a.pk, t)) for t in titles], a.total, a.grade])
    return titles, rows


# --- one filled form ------------------------------------------------------------------------------------------


def form_sheet(appraisal) -> dict:
    """One filled form as the paper form lays it out: each section with its items, the chosen level of each
    item on the version's scale, the comment, the section's average; the weighted total and the grade (stored when
    the appraiser submitted; computed from the scores before that)."""
    from ..scoring import of_appraisal

    appraisal = (Appraisal.objects.select_related("appraisee__department", "appraisee__post", "appraiser",
                                                  "form_version__form", "cycle")
                 .prefetch_related("form_version__sections__items", "scores").get(pk=appraisal.pk))
    result = of_appraisal(appraisal)
    scores = {s.item_id: s for s in appraisal.scores.all()}
    scale = sorted(appraisal.form_version.scale, key=lambda level: int(level["value"]), reverse=True)
    sections = []
    for section in result.sections:
        items = []
        for line in section.items:
            row = scores.get(line.item_id)
            items.append({"number": line.number, "text": line.text, "score": line.score,
                          "comment": row.comment if row is not None else "",
                          "marks": [line.score is not None and int(level["value"]) == line.score for level in scale]})
        sections.append({"title": section.title, "weight": section.weight, "average": section.average,
                         "items": items})
    total = appraisal.total if appraisal.total is not None else result.total
    grade = appraisal.grade or result.grade
    return {"appraisal": appraisal, "scale": scale, "sections": sections, "total": total, "grade": grade,
            "provisional": appraisal.total is None and result.total is not None}

