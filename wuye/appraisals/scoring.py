"""The arithmetic of an appraisal, in one place (pages, services, PDF, reports and API all call it).

- A section's average: the mean of its scored items, rounded to 2 places (half up); None when none is scored.
- The weighted total: Σ(weight × section average) / Σ(weights of the sections with a score), rounded to 2 places;
  None when nothing is scored. Sections without a score do not count (neither in the sum nor in the weights).
  When every scored section weighs 0, they count equally (a form whose weights are all 0 still has a total).
- The grade: the highest band of the form version whose ``min`` is at most the total.

So the total always lies within the scale (a weighted mean of means of scale values) and never falls when one
score rises.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def _round(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class ItemLine:
    item_id: int
    number: int
    text: str
    score: int | None


@dataclass(frozen=True)
class SectionResult:
    section_id: int
    title: str
    weight: Decimal
    average: Decimal | None
    scored: int
    count: int
    items: list[ItemLine] = field(default_factory=list)


@dataclass(frozen=True)
class Result:
    sections: list[SectionResult]
    total: Decimal | None
    grade: str

    @property
    def unscored(self) -> list[ItemLine]:
        return [line for section in self.sections for line in section.items if line.score is None]

    @property
    def complete(self) -> bool:
        return not self.unscored


def structure(version) -> list[tuple]:
    """[(section, [items])] of a form version, in order (uses what was prefetched when it was)."""
    sections = sorted(version.sections.all(), key=lambda s: (s.sort_order, s.pk))
    return [(s, sorted(s.items.all(), key=lambda i: (i.number, i.pk))) for s in sections]


def section_average(values: list[int]) -> Decimal | None:
    if not values:
        return None
    return _round(Decimal(sum(values)) / Decimal(len(values)))


def weighted_total(pairs: list[tuple[Decimal, Decimal | None]]) -> Decimal | None:
    """``pairs``: (weight, section average or None)."""
    scored = [(Decimal(weight), average) for weight, average in pairs if average is not None]
    if not scored:
        return None
    weights = sum((w for w, _a in scored), Decimal(0))
    if weights <= 0:
        scored = [(Decimal(1), a) for _w, a in scored]
        weights = Decimal(len(scored))
    return _round(sum((w * a for w, a in scored), Decimal(0)) / weights)


def grade(version, total: Decimal | None) -> str:
    """The grade of ``total`` in the version's bands: the highest band whose minimum is at most the total."""
    if total is None:
        return ""
    bands = sorted(version.bands or [], key=lambda b: Decimal(str(b["min"])), reverse=True)
    for band in bands:
        if Decimal(str(band["min"])) <= total:
            return str(band["grade"])
    return ""


def compute(version, scores: dict) -> Result:
    """Section averages, weighted total and grade of ``scores`` ({item id: score or None}) on ``version``."""
    sections = []
    for section, items in structure(version):
        lines = [ItemLine(item.pk, item.number, item.text, scores.get(item.pk)) for item in items]
        values = [line.score for line in lines if line.score is not None]
        sections.append(SectionResult(section.pk, section.title, Decimal(section.weight), section_average(values),
                                      len(values), len(lines), lines))
    total = weighted_total([(s.weight, s.average) for s in sections])
    return Result(sections, total, grade(version, total))


def of_appraisal(appraisal, *, self_assessment: bool = False) -> Result:
    """The result of an appraisal's stored scores (or of the appraisee's self-assessment)."""
    attr = "self_score" if self_assessment else "score"
    scores = {row.item_id: getattr(row, attr) for row in appraisal.scores.all()}
    return compute(appraisal.form_version, scores)
