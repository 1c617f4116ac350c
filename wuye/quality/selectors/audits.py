"""Reads of the audits subject that aggregate: the programme's planned and done audits per quarter, and seed 3.3's
cumulative external findings per managed estate and year against the company's limit."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q
from django.db.models.functions import ExtractQuarter

from wuye.estates.choices import EstateStatus
from wuye.estates.models import Estate

from ..choices import AuditKind, AuditStatus, FindingGrade
from ..models import Audit, AuditProgramme, FindingLimit

DONE_STATUSES = (AuditStatus.REPORTED, AuditStatus.CLOSED)


def programme_quarters(programme: AuditProgramme) -> list[dict]:
    """Per quarter of the programme's year: audits planned (not cancelled) and done (reported or closed)."""
    rows = (Audit.objects.filter(programme=programme).annotate(quarter=ExtractQuarter("planned_start"))
            .values("quarter").order_by("quarter")
            .annotate(planned=Count("id", filter=~Q(status=AuditStatus.CANCELLED)),
                      done=Count("id", filter=Q(status__in=DONE_STATUSES)),
                      cancelled=Count("id", filter=Q(status=AuditStatus.CANCELLED))))
    by_quarter = {row["quarter"]: row for row in rows}
    out = []
    for quarter in (1, 2, 3, 4):
        row = by_quarter.get(quarter, {})
        out.append({"quarter": quarter, "planned": row.get("planned", 0), "done": row.get("done", 0),
                    "cancelled": row.get("cancelled", 0)})
    return out


def limit_for(year: int) -> FindingLimit | None:
    """The limit that applies in ``year``: that year's, else the latest earlier year's; None when never set."""
    return FindingLimit.objects.filter(year__lte=year).order_by("-year").first()


@dataclass
class EstateFindingCount:
    estate: Estate
    observations: int
    minors: int
    limit: int | None

    @property
    def total(self) -> int:
        return self.observations + self.minors

    @property
    def reached(self) -> bool:
        return self.limit is not None and self.total >= self.limit

    @property
    def over(self) -> bool:
        return self.limit is not None and self.total > self.limit


def external_finding_counts(year: int, estates=None) -> list[EstateFindingCount]:
    """Seed 3.3: per managed estate (of ``estates``, default all), the observations and minor nonconformities that
    external audits found in ``year`` (by the finding's date; findings of cancelled audits do not count), with the
    limit for the year and whether it is reached (count ≥ limit). Major nonconformities and internal audits are not
    counted."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    counted = Q(quality_findings__audit__kind=AuditKind.EXTERNAL, quality_findings__found_on__gte=start,
                quality_findings__found_on__lte=end,
                quality_findings__audit__status__in=[s for s in AuditStatus if s != AuditStatus.CANCELLED])
    queryset = (estates if estates is not None else Estate.objects.all()).filter(status=EstateStatus.MANAGED)
    rows = queryset.annotate(
        observations=Count("quality_findings", filter=counted & Q(quality_findings__grade=FindingGrade.OBSERVATION)),
        minors=Count("quality_findings", filter=counted & Q(quality_findings__grade=FindingGrade.MINOR)),
    ).order_by("name", "pk")
    limit = limit_for(year)
    value = limit.limit if limit is not None else None
    return [EstateFindingCount(estate=e, observations=e.observations, minors=e.minors, limit=value) for e in rows]


def estates_at_limit(year: int, estates=None) -> list[EstateFindingCount]:
    return [row for row in external_finding_counts(year, estates) if row.reached]
