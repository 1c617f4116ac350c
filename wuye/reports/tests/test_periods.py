"""Report periods as text: months, quarters, years; malformed and future periods refused."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from wuye.reports.periods import parse_period, period_text, previous_month_text

TODAY = dt.date(2026, 11, 28)


@pytest.mark.parametrize(("text", "kind", "start", "end"), [
    ("2026-10", "month", dt.date(2026, 10, 1), dt.date(2026, 10, 31)),
    ("2024-2", "month", dt.date(2024, 2, 1), dt.date(2024, 2, 29)),
    (" 2026-02 ", "month", dt.date(2026, 2, 1), dt.date(2026, 2, 28)),
    ("2026-Q3", "quarter", dt.date(2026, 7, 1), dt.date(2026, 9, 30)),
    ("2026q1", "quarter", dt.date(2026, 1, 1), dt.date(2026, 3, 31)),
    ("2025", "year", dt.date(2025, 1, 1), dt.date(2025, 12, 31)),
])
def test_parse(text, kind, start, end):
    period = parse_period(text, today=TODAY)
    assert (period.kind, period.start, period.end) == (kind, start, end)


@pytest.mark.parametrize("text", ["", "2026-13", "2026-00", "2026-Q5", "26-10", "2026/10", "October", "0000",
                                  "2026-10-01"])
def test_bad_text(text):
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        parse_period(text, today=TODAY)
    assert "2026-Q3" in " ".join(exc.value.messages)


@pytest.mark.parametrize("text", ["2026-12", "2027", "2027-Q1"])
def test_future_refused(text):
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        parse_period(text, today=TODAY)
    assert exc.value.code == "future_period"
    assert "future" in exc.value.messages[0]


@pytest.mark.parametrize("text", ["2026-11", "2026-Q4", "2026"])
def test_current_period_allowed(text):
    assert parse_period(text, today=TODAY).start <= TODAY


def test_period_text_and_previous_month():
    for text in ("2026-10", "2026-Q3", "2026"):
        assert period_text(parse_period(text, today=TODAY)) == text
    assert previous_month_text(TODAY) == "2026-10"
    assert previous_month_text(dt.date(2026, 1, 15)) == "2025-12"
