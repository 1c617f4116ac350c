"""Working days and time limits (时限).

Working days follow the Chinese public-holiday calendar published each year by the State Council, including
the adjusted working weekends (调休), through the maintained ``chinesecalendar`` package. For a year the
package does not know yet (the State Council publishes the next year's calendar in November), Monday to
Friday count as working days until the package is updated; ``calendar_known(day)`` tells which applies.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import chinese_calendar

from .choices import LimitUnit


def calendar_known(day: dt.date) -> bool:
    try:
        chinese_calendar.is_workday(day)
    except NotImplementedError:
        return False
    return True


@lru_cache(maxsize=4096)
def is_working_day(day: dt.date) -> bool:
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return day.weekday() < 5


def add_working_days(start: dt.datetime, days: int) -> dt.datetime:
    """The same clock time on the ``days``-th working day after ``start``'s date.

    A request made on a holiday or a weekend therefore gets its first day on the next working day.
    """
    day = start.date()
    remaining = days
    while remaining > 0:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return start.replace(year=day.year, month=day.month, day=day.day)


def add_limit(start: dt.datetime, value: int | None, unit: str) -> dt.datetime | None:
    """``start`` plus a time limit; None when there is no limit. Aware datetimes are handled in local time."""
    if value is None or start is None:
        return None
    if unit == LimitUnit.MINUTES:
        return start + dt.timedelta(minutes=value)
    if unit == LimitUnit.HOURS:
        return start + dt.timedelta(hours=value)
    if unit == LimitUnit.DAYS:
        return start + dt.timedelta(days=value)
    if unit == LimitUnit.WORKING_DAYS:
        from django.utils import timezone

        local = timezone.localtime(start) if timezone.is_aware(start) else start
        return add_working_days(local, value)
    raise ValueError(f"unknown limit unit {unit!r}")
