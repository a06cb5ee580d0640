"""``common.periods``: months and ISO weeks bounded in Asia/Shanghai, on the days that break them."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError

from common.periods import (
    IsoWeek,
    Month,
    first_of_month,
    first_of_next_month,
    local_midnight,
    local_today,
    previous_month,
    previous_week,
    tracking_month,
    week_closes_month,
    week_end,
    week_monday,
    week_month,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(text: str) -> datetime.datetime:
    """``"2026-10-31 23:30"`` in Asia/Shanghai."""
    return datetime.datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


def test_month_bounds_are_shanghai_midnights():
    october = Month(2026, 10)
    assert october.start == at("2026-10-01 00:00")
    assert october.end == at("2026-11-01 00:00")
    assert october.start <= at("2026-10-31 23:30") < october.end
    assert not october.start <= at("2026-11-01 00:10") < october.end


@pytest.mark.parametrize(
    ("month", "last_day", "mondays"),
    [
        (Month(2026, 2), datetime.date(2026, 2, 28), 4),
        (Month(2028, 2), datetime.date(2028, 2, 29), 4),
        (Month(2026, 12), datetime.date(2026, 12, 31), 4),
        (Month(2026, 11), datetime.date(2026, 11, 30), 5),
    ],
)
def test_month_ends_and_weeks(month, last_day, mondays):
    assert month.last_day == last_day
    assert len(month.mondays()) == mondays
    assert all(day.weekday() == 0 and day.month == month.month for day in month.mondays())


def test_month_arithmetic_across_years():
    assert Month(2026, 1).previous == Month(2025, 12)
    assert Month(2026, 12).next == Month(2027, 1)
    assert Month(2026, 3).minus(5) == Month(2025, 10)


@pytest.mark.parametrize("text", ["2026-13", "2026/10", "", "202610", "1999-01", "2026-00"])
def test_bad_months_are_refused_clearly(text):
    with pytest.raises(ValidationError, match="YYYY-MM"):
        Month.parse(text)


def test_iso_week_53_and_week_1():
    week_53 = IsoWeek.parse("2026-W53")
    assert week_53.monday == datetime.date(2026, 12, 28)
    assert week_end(week_53) == at("2027-01-04 00:00")
    # The week counts for December (its Monday's month) and closes December's monthly rhythm.
    assert week_month(week_53) == Month(2026, 12)
    assert week_closes_month(week_53)
    assert week_53.minus(-1) == IsoWeek(2027, 1)
    assert IsoWeek(2027, 1).minus(1) == week_53
    with pytest.raises(ValidationError):
        IsoWeek.parse("2025-W53")  # 2025 has 52 ISO weeks


def test_last_week_of_a_month():
    assert not week_closes_month(IsoWeek(2026, 45))  # 2–8 November
    assert not week_closes_month(IsoWeek(2026, 48))  # 23–29 November: 30 November is still November
    assert week_closes_month(IsoWeek(2026, 49))  # 30 November – 6 December


def test_previous_periods_follow_shanghai_time():
    # 23:30 UTC on Sunday 8 November is already Monday 9 November, 07:30, in Shanghai.
    now = datetime.datetime(2026, 11, 8, 23, 30, tzinfo=datetime.UTC)
    assert previous_week(now) == IsoWeek(2026, 45)
    # 16:30 UTC on 31 October is 1 November in Shanghai: the month before is October.
    assert previous_month(datetime.datetime(2026, 10, 31, 16, 30, tzinfo=datetime.UTC)) == Month(2026, 10)


def test_new_year_is_crossed_at_shanghai_midnight_not_utc_midnight():
    # 16:30 UTC on 31 December is 00:30 on New Year's Day in Shanghai.
    new_year = datetime.datetime(2026, 12, 31, 16, 30, tzinfo=datetime.UTC)
    assert Month(2027, 1).start <= new_year < Month(2027, 1).end
    assert Month(2026, 12).has_ended(new_year)
    assert not Month(2026, 12).has_ended(new_year - datetime.timedelta(hours=1))
    assert previous_month(new_year) == Month(2026, 12)
    # New Year's Day 2027 is a Friday of 2026-W53, so the last complete week is W52.
    assert previous_week(new_year) == IsoWeek(2026, 52)
    assert first_of_next_month(datetime.date(2026, 12, 31)) == datetime.date(2027, 1, 1)
    assert week_monday(datetime.date(2027, 1, 1)) == datetime.date(2026, 12, 28)


def test_a_month_that_starts_before_its_first_monday():
    """1 November 2026 is a Sunday: its week (2026-W44, Monday 26 October) counts for October."""
    first = datetime.date(2026, 11, 1)
    assert first.weekday() == 6
    week = IsoWeek.of(first)
    assert week == IsoWeek(2026, 44)
    assert week_month(week) == Month(2026, 10)
    assert tracking_month(week.monday) == datetime.date(2026, 10, 1)
    assert first_of_month(first) == datetime.date(2026, 11, 1)
    assert Month(2026, 11).mondays()[0] == datetime.date(2026, 11, 2)
    assert week_closes_month(IsoWeek(2026, 44))


def test_today_is_the_shanghai_date_around_midnight():
    # 15:59 UTC is 23:59 in Shanghai; a minute later it is the next day there.
    with time_machine.travel(datetime.datetime(2026, 11, 30, 15, 59, tzinfo=datetime.UTC), tick=False):
        assert local_today() == datetime.date(2026, 11, 30)
        assert Month.current() == Month(2026, 11)
        assert IsoWeek.current() == IsoWeek(2026, 49)
    with time_machine.travel(datetime.datetime(2026, 11, 30, 16, 0, tzinfo=datetime.UTC), tick=False):
        assert local_today() == datetime.date(2026, 12, 1)
        assert Month.current() == Month(2026, 12)
        assert local_midnight(local_today()) == at("2026-12-01 00:00")
