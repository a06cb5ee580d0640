"""The working-day calendar: official holidays, adjusted working weekends (调休), and the fallback."""

import datetime
import logging

import pytest

from common import workdays
from common.workdays import add_working_days, is_working_day, next_working_day, working_days_between

D = datetime.date


def test_national_day_2026_is_skipped_and_the_adjusted_saturday_counts():
    # 2026: 1–7 October are holidays; Saturday 10 October is a working day (调休).
    assert not is_working_day(D(2026, 10, 1))
    assert not is_working_day(D(2026, 10, 7))
    assert is_working_day(D(2026, 10, 10))
    # Wednesday 30 September + 1 working day: the next working day is Thursday 8 October.
    assert add_working_days(D(2026, 9, 30), 1) == D(2026, 10, 8)
    # + 3 working days: 8 (Thu), 9 (Fri), 10 (the adjusted Saturday).
    assert add_working_days(D(2026, 9, 30), 3) == D(2026, 10, 10)


def test_an_adjusted_working_sunday_counts():
    # Sunday 20 September 2026 is a working day before the Mid-Autumn/National Day break.
    assert is_working_day(D(2026, 9, 20))
    assert add_working_days(D(2026, 9, 19), 1) == D(2026, 9, 20)


def test_working_days_between_counts_the_half_open_interval():
    assert working_days_between(D(2026, 11, 2), D(2026, 11, 2)) == 0
    assert working_days_between(D(2026, 11, 2), D(2026, 11, 5)) == 3  # Tue, Wed, Thu
    assert working_days_between(D(2026, 11, 6), D(2026, 11, 9)) == 1  # the weekend does not count
    assert working_days_between(D(2026, 9, 30), D(2026, 10, 10)) == 3
    assert working_days_between(D(2026, 11, 5), D(2026, 11, 2)) == -3


def test_next_working_day_keeps_a_working_day_and_skips_a_holiday():
    assert next_working_day(D(2026, 11, 2)) == D(2026, 11, 2)
    assert next_working_day(D(2026, 10, 3)) == D(2026, 10, 8)


def test_adding_zero_days_is_the_same_day_and_negative_is_refused():
    assert add_working_days(D(2026, 11, 2), 0) == D(2026, 11, 2)
    with pytest.raises(ValueError):
        add_working_days(D(2026, 11, 2), -1)


def test_a_year_the_library_does_not_cover_falls_back_to_weekdays_with_a_warning(caplog):
    workdays._covered.cache_clear()
    with caplog.at_level(logging.WARNING, logger="common.workdays"):
        # 1 January 2031 is a Wednesday; no holiday data exists yet, so it counts as a working day.
        assert is_working_day(D(2031, 1, 1))
        assert not is_working_day(D(2031, 1, 4))  # Saturday
        assert add_working_days(D(2031, 1, 3), 1) == D(2031, 1, 6)  # Friday → Monday
    warnings = [record for record in caplog.records if "2031" in record.getMessage()]
    assert len(warnings) == 1  # once per year, not once per call
    workdays._covered.cache_clear()
