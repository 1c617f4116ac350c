"""Report periods as text: ``2026-10`` (a month), ``2026-Q3`` (a quarter), ``2026`` (a year).

``parse_period(text)`` answers a ``wuye.tickets.reports.Period``; a period that starts after today is refused (the
current period, to date, is allowed). ``period_text(period)`` is the inverse.
"""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from wuye.tickets.reports import PERIOD_MONTH, PERIOD_QUARTER, PERIOD_YEAR, Period, period_for

_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_QUARTER = re.compile(r"^(\d{4})-?[Qq]([1-4])$")
_YEAR = re.compile(r"^(\d{4})$")


def _bad(text: str) -> ValidationError:
    return ValidationError(
        _("“%(text)s” is not a period: write a month (2026-10), a quarter (2026-Q3) or a year (2026).")
        % {"text": text}, code="invalid_period")


def parse_period(text, *, today: dt.date | None = None) -> Period:
    """The month, quarter or year ``text`` names; refused when malformed or in the future."""
    value = str(text or "").strip()
    if not value:
        raise ValidationError(_("Give the period: a month (2026-10), a quarter (2026-Q3) or a year (2026)."),
                              code="required")
    try:
        if m := _MONTH.match(value):
            year, month = int(m.group(1)), int(m.group(2))
            if not 1 <= month <= 12:
                raise _bad(value)
            period = period_for(PERIOD_MONTH, dt.date(year, month, 1))
        elif m := _QUARTER.match(value):
            period = period_for(PERIOD_QUARTER, dt.date(int(m.group(1)), (int(m.group(2)) - 1) * 3 + 1, 1))
        elif m := _YEAR.match(value):
            period = period_for(PERIOD_YEAR, dt.date(int(m.group(1)), 1, 1))
        else:
            raise _bad(value)
    except ValueError:  # year 0 and the like
        raise _bad(value) from None
    check_not_future(period, today=today)
    return period


def check_not_future(period: Period, *, today: dt.date | None = None) -> None:
    today = today or timezone.localdate()
    if period.start > today:
        raise ValidationError(_("A report cannot cover a period in the future (%(period)s starts on %(start)s).")
                              % {"period": period_text(period), "start": period.start.isoformat()},
                              code="future_period")


def period_text(period: Period) -> str:
    """``2026-10``, ``2026-Q3`` or ``2026`` (the inverse of ``parse_period``)."""
    if period.kind == PERIOD_MONTH:
        return f"{period.start:%Y-%m}"
    if period.kind == PERIOD_QUARTER:
        return f"{period.start.year}-Q{(period.start.month - 1) // 3 + 1}"
    if period.kind == PERIOD_YEAR:
        return f"{period.start.year}"
    return f"{period.start:%Y-%m-%d}/{period.end:%Y-%m-%d}"


def make_period(kind: str, start: dt.date) -> Period:
    return period_for(kind, start)


def current_text(kind: str, today: dt.date | None = None) -> str:
    return period_text(period_for(kind, today or timezone.localdate()))


def previous_month_text(today: dt.date | None = None) -> str:
    first = (today or timezone.localdate()).replace(day=1)
    return period_text(period_for(PERIOD_MONTH, first - dt.timedelta(days=1)))
