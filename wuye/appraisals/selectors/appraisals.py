"""Reads of the appraisals subject: the sheet of one appraisal (sections, items, scores, subtotals, total), a cycle's
progress (counts per state and per appraiser, overdue) and members (who is in scope, who was skipped and why), and
the system's evidence beside the form."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from .. import scoring
from ..choices import OPEN_STATES, AppraisalState
from ..models import Appraisal, AppraisalCycle, Score


@dataclass
class SheetRow:
    item: object
    row: Score


@dataclass
class SheetSection:
    section: object
    rows: list[SheetRow]
    result: scoring.SectionResult
    self_result: scoring.SectionResult | None


@dataclass
class Sheet:
    sections: list[SheetSection]
    result: scoring.Result
    self_result: scoring.Result | None
    scale: list[dict]
    has_self: bool


def appraisal_sheet(appraisal: Appraisal) -> Sheet:
    """The appraisal as the paper form lays it out: each section with its items, the score and comment (and the
    appraisee's own, when a self-assessment was made), the section subtotals, the weighted total and grade."""
    version = appraisal.form_version
    rows = {row.item_id: row for row in Score.objects.filter(appraisal=appraisal)}
    structure = scoring.structure(version)
    result = scoring.compute(version, {pk: row.score for pk, row in rows.items()})
    has_self = any(row.self_score is not None for row in rows.values())
    self_result = scoring.compute(version, {pk: row.self_score for pk, row in rows.items()}) if has_self else None
    sections = []
    for n, (section, items) in enumerate(structure):
        sections.append(SheetSection(section, [SheetRow(item, rows[item.pk]) for item in items if item.pk in rows],
                                     result.sections[n], self_result.sections[n] if self_result else None))
    scale = sorted(version.scale, key=lambda level: int(level["value"]), reverse=True)
    return Sheet(sections, result, self_result, scale, has_self)


def prefetched_version(version):
    """The form version with its sections and items read once."""
    from ..models import FormVersion

    return FormVersion.objects.select_related("form").prefetch_related("sections__items").get(pk=version.pk)


def revisions_of(appraisal: Appraisal) -> list[Appraisal]:
    """Every revision of the appraisal's chain, the first first (a short chain: one query per link)."""
    first = appraisal
    while first.revises_id:
        first = Appraisal.objects.select_related("revises").get(pk=first.revises_id)
    chain, current = [first], first
    while True:
        nxt = Appraisal.objects.filter(revises=current).first()
        if nxt is None:
            return chain
        chain.append(nxt)
        current = nxt


def cycle_progress(cycle: AppraisalCycle) -> dict:
    """Counts per state, per appraiser (total, done, open) and the open appraisals past the due date."""
    appraisals = cycle.appraisals.exclude(state=AppraisalState.SUPERSEDED)
    counts = dict(appraisals.values_list("state").annotate(n=Count("pk")).values_list("state", "n"))
    states = [(value, label, counts.get(value, 0)) for value, label in AppraisalState.choices
              if value != AppraisalState.SUPERSEDED]
    per_appraiser = list(
        appraisals.values("appraiser_id", "appraiser__name")
        .annotate(total=Count("pk"), done=Count("pk", filter=Q(state=AppraisalState.FINAL)),
                  waiting=Count("pk", filter=Q(state__in=(AppraisalState.DRAFT, AppraisalState.SCORING))))
        .order_by("appraiser__name"))
    overdue = 0
    if cycle.due_on and cycle.due_on < timezone.localdate():
        overdue = appraisals.filter(state__in=OPEN_STATES).count()
    total = sum(counts.values())
    final = counts.get(AppraisalState.FINAL, 0)
    return {"states": states, "per_appraiser": per_appraiser, "overdue": overdue, "total": total, "final": final,
            "percent": round(100 * final / total) if total else 0}


def cycle_skipped(cycle: AppraisalCycle) -> list[tuple]:
    """Staff the cycle covers who have no appraisal in it, with the reason they would be skipped today."""
    from ..services.appraisals import cycle_skip_reason, cycle_staff

    have = set(cycle.appraisals.exclude(state=AppraisalState.SUPERSEDED).values_list("appraisee_id", flat=True))
    form_posts = set(cycle.form_version.form.posts.values_list("pk", flat=True))
    return [(staff, cycle_skip_reason(cycle, staff, form_posts=form_posts)[0] or "")
            for staff in cycle_staff(cycle) if staff.pk not in have]


def evidence(appraisal: Appraisal, user=None) -> list[dict]:
    """The figures wuye holds on the appraisee for the period (``selectors.evidence``, when that module exists):
    [{"label", "value", "url"}]. Shown beside the form; never sets a score."""
    try:
        from . import evidence as source
    except ModuleNotFoundError as exc:
        if exc.name != f"{__package__}.evidence":
            raise
        return []
    if hasattr(source, "evidence_for_appraisal"):
        return list(source.evidence_for_appraisal(appraisal, user=user) or [])
    return list(source.evidence_for(appraisal.appraisee, appraisal.period_start, appraisal.period_end) or [])
