"""Working days follow the State Council's holiday calendar (chinesecalendar), adjusted weekends included.

2026 as published (and as the library says, checked first below): National Day 10-01..10-07 are holidays and
Saturday 10-10 and Sunday 09-20 are working days (调休); the Mid-Autumn Festival makes 09-26/27 holidays.
"""

import datetime as dt

import chinese_calendar
import pytest
from django.utils import timezone

from wuye.tickets.choices import LimitUnit, TicketKind
from wuye.tickets.models import ServiceLevel
from wuye.tickets.tests.factories import make_ticket
from wuye.tickets.workdays import add_limit, add_working_days, calendar_known, is_working_day

D = dt.date


def test_the_library_knows_the_2026_national_day_calendar():
    holidays = [D(2026, 10, d) for d in range(1, 8)]
    assert [chinese_calendar.is_holiday(d) for d in holidays] == [True] * 7
    assert chinese_calendar.get_holiday_detail(D(2026, 10, 1)) == (True, chinese_calendar.Holiday.national_day.value)
    assert D(2026, 10, 10).weekday() == 5 and chinese_calendar.is_workday(D(2026, 10, 10))
    assert D(2026, 9, 20).weekday() == 6 and chinese_calendar.is_workday(D(2026, 9, 20))
    assert not chinese_calendar.is_workday(D(2026, 10, 11))


def test_working_days_follow_the_calendar():
    assert all(not is_working_day(D(2026, 10, d)) for d in range(1, 8))
    assert is_working_day(D(2026, 10, 10))  # Saturday, adjusted working day
    assert is_working_day(D(2026, 9, 20))  # Sunday, adjusted working day
    assert not is_working_day(D(2026, 9, 26)) and not is_working_day(D(2026, 9, 27))  # Mid-Autumn weekend
    assert is_working_day(D(2026, 10, 8)) and not is_working_day(D(2026, 10, 11))


def test_adding_working_days_across_national_day():
    start = dt.datetime(2026, 9, 30, 10, 0)
    assert add_working_days(start, 1) == dt.datetime(2026, 10, 8, 10, 0)  # over the whole holiday
    assert add_working_days(dt.datetime(2026, 10, 9, 16, 30), 1) == dt.datetime(2026, 10, 10, 16, 30)  # Saturday
    assert add_working_days(dt.datetime(2026, 10, 3, 9, 0), 1) == dt.datetime(2026, 10, 8, 9, 0)  # from a holiday
    # Friday + 3 working days: Sunday 09-20 is a working day, so Tuesday, not Wednesday
    assert add_working_days(dt.datetime(2026, 9, 18, 10, 0), 3) == dt.datetime(2026, 9, 22, 10, 0)


@pytest.mark.django_db
def test_a_resolution_limit_in_working_days_spans_the_holiday(world):
    """An ordinary complaint (resolved within 7 working days) reported on 2026-09-29 is due on 10-14:
    09-30, 10-08, 10-09, 10-10 (Saturday), 10-12, 10-13, 10-14 — not 10-08 as 7 calendar days would give."""
    level = ServiceLevel.objects.get(kind=TicketKind.COMPLAINT, priority="normal")
    assert level.limit("resolution") == (7, LimitUnit.WORKING_DAYS)
    reported = timezone.make_aware(dt.datetime(2026, 9, 29, 10, 0))
    ticket = make_ticket(world, kind=TicketKind.COMPLAINT, title="装修噪音", reported_at=reported)
    assert timezone.localtime(ticket.resolution_due) == timezone.make_aware(dt.datetime(2026, 10, 14, 10, 0))
    assert ticket.response_due - reported == dt.timedelta(hours=48)  # hours are clock hours, holiday or not
    deadline = {row["name"]: row for row in ticket.deadlines(now=reported)}["resolution"]
    assert deadline["left"] == dt.timedelta(days=15) and deadline["met"] is None


def test_beyond_the_library_monday_to_friday_count():
    day = D(2099, 1, 2)  # a Friday; no published calendar for 2099
    assert not calendar_known(day)
    assert is_working_day(day) and not is_working_day(D(2099, 1, 3)) and not is_working_day(D(2099, 1, 4))
    assert add_working_days(dt.datetime(2099, 1, 2, 9, 0), 1) == dt.datetime(2099, 1, 5, 9, 0)
    assert add_working_days(dt.datetime(2099, 1, 2, 9, 0), 5) == dt.datetime(2099, 1, 9, 9, 0)
    assert calendar_known(D(2026, 10, 1))


def test_other_units_are_clock_time():
    start = timezone.make_aware(dt.datetime(2026, 9, 30, 22, 0))
    assert add_limit(start, 30, LimitUnit.MINUTES) == start + dt.timedelta(minutes=30)
    assert add_limit(start, 24, LimitUnit.HOURS) == start + dt.timedelta(hours=24)
    assert add_limit(start, 3, LimitUnit.DAYS) == start + dt.timedelta(days=3)
    assert add_limit(start, None, LimitUnit.HOURS) is None
    assert timezone.localtime(add_limit(start, 1, LimitUnit.WORKING_DAYS)) == timezone.make_aware(
        dt.datetime(2026, 10, 8, 22, 0))
