"""Seed 3.3: the cumulative external-audit observations and minor nonconformities per managed estate and year,
against the company's limit; and the programme's planned and done audits per quarter."""

from __future__ import annotations

import datetime as dt

import pytest

from wuye.estates.choices import EstateStatus
from wuye.estates.models import Estate
from wuye.quality import services
from wuye.quality.models import FindingLimit
from wuye.quality.selectors.audits import external_finding_counts, limit_for, programme_quarters
from wuye.quality.tests.factories_audits import external_audit, make_audit, record, started, today

pytestmark = pytest.mark.django_db


def by_estate(rows):
    return {row.estate.pk: row for row in rows}


def test_counts_per_estate_only_external_observations_and_minors_of_the_year(world):
    year = today().year
    external = external_audit(world)
    started(world, external)
    record(world, external, grade="observation", estate=world.estate_a)
    record(world, external, grade="observation", estate=world.estate_a)
    record(world, external, grade="minor", estate=world.estate_a)
    record(world, external, grade="major", estate=world.estate_a)        # major: not counted
    record(world, external, grade="minor", estate=world.estate_b)
    internal = make_audit(world)
    started(world, internal)
    record(world, internal, grade="observation")                           # internal: not counted
    last_year = external_audit(world, planned_start=dt.date(year - 1, 11, 1))
    started(world, last_year, on=dt.date(year - 1, 11, 2))
    record(world, last_year, grade="minor", estate=world.estate_a, found_on=dt.date(year - 1, 11, 2))  # other year

    rows = by_estate(external_finding_counts(year))
    a, b = rows[world.estate_a.pk], rows[world.estate_b.pk]
    assert (a.observations, a.minors, a.total) == (2, 1, 3)
    assert (b.observations, b.minors, b.total) == (0, 1, 1)
    assert by_estate(external_finding_counts(year - 1))[world.estate_a.pk].minors == 1


def test_only_managed_estates_are_listed(world):
    Estate.objects.filter(pk=world.estate_b.pk).update(status=EstateStatus.EXITED)
    rows = by_estate(external_finding_counts(today().year))
    assert set(rows) == {world.estate_a.pk}


def test_limit_falls_back_to_the_latest_earlier_year_and_is_never_invented(world):
    assert limit_for(2026) is None
    assert all(row.limit is None and not row.reached for row in external_finding_counts(2026))
    FindingLimit.objects.create(year=2024, limit=3)
    FindingLimit.objects.create(year=2027, limit=9)
    assert limit_for(2026).limit == 3
    assert limit_for(2027).limit == 9
    assert limit_for(2023) is None


def test_warning_at_exactly_the_limit(world):
    year = today().year
    services.finding_limit_create(actor=world.users["executive"], year=year, limit=2, note="公司规定")
    audit = external_audit(world)
    started(world, audit)
    record(world, audit, grade="observation", estate=world.estate_a)
    row = by_estate(external_finding_counts(year))[world.estate_a.pk]
    assert (row.total, row.limit, row.reached) == (1, 2, False)
    record(world, audit, grade="minor", estate=world.estate_a)
    row = by_estate(external_finding_counts(year))[world.estate_a.pk]
    assert (row.total, row.reached, row.over) == (2, True, False)
    record(world, audit, grade="minor", estate=world.estate_a)
    row = by_estate(external_finding_counts(year))[world.estate_a.pk]
    assert row.reached and row.over
    assert not by_estate(external_finding_counts(year))[world.estate_b.pk].reached


def test_programme_planned_and_done_per_quarter(world):
    programme = services.audit_programme_create(actor=world.users["quality_auditor"], year=2025, title="2025")
    done = make_audit(world, programme=programme, planned_start=dt.date(2025, 2, 10))
    make_audit(world, programme=programme, planned_start=dt.date(2025, 3, 10))
    make_audit(world, programme=programme, planned_start=dt.date(2025, 11, 10))
    cancelled = make_audit(world, programme=programme, planned_start=dt.date(2025, 11, 20))
    started(world, done, on=dt.date(2025, 2, 10))
    services.audit_report(actor=world.users["quality_auditor"], audit=done, summary="ok",
                          reported_on=dt.date(2025, 2, 12))
    services.audit_cancel(actor=world.users["quality_auditor"], audit=cancelled, reason="合并")
    quarters = {q["quarter"]: (q["planned"], q["done"], q["cancelled"]) for q in programme_quarters(programme)}
    assert quarters == {1: (2, 1, 0), 2: (0, 0, 0), 3: (0, 0, 0), 4: (1, 0, 1)}
