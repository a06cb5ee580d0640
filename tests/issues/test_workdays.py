"""The working-day calendar: official holidays, adjusted working weekends (调休), and the fallback.

The calendar is read from the database: 2004–2026 seeded from the
chinesecalendar package, later years as a 系统管理员 enters them.
"""

import datetime
import logging

import chinese_calendar
import pytest

from common import workdays
from common.models import WorkdayArrangement
from common.workdays import add_working_days, is_working_day, next_working_day, working_days_between
from issues.models import Issue
from tests.common.calendars import made_up_2027
from tests.issues.conftest import accepted, at

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture(autouse=True)
def own_calendar_copy(monkeypatch):
    """Each test reads the calendar afresh; the copy of the tests before it comes back afterwards."""
    monkeypatch.setattr(workdays, "_calendar", None)
    monkeypatch.setattr(workdays, "_warned_years", set())


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


def test_the_seeded_years_agree_with_the_package_day_by_day():
    day = D(2004, 1, 1)
    while day <= D(2026, 12, 31):
        assert is_working_day(day) == chinese_calendar.is_workday(day), day
        day += datetime.timedelta(days=1)


# --- A year entered by hand -------------------------------------------------------


def test_a_year_without_an_arrangement_counts_monday_to_friday_with_one_warning(caplog):
    # Given no arrangement for 2027 (the package stops at 2026)
    assert not WorkdayArrangement.objects.filter(year=2027).exists()

    with caplog.at_level(logging.WARNING, logger="common.workdays"):
        # Then Monday 8 February 2027, in what will be the Spring Festival, counts as a working day
        assert is_working_day(D(2027, 2, 8))
        assert not is_working_day(D(2027, 1, 30))  # a Saturday
        assert add_working_days(D(2027, 2, 5), 1) == D(2027, 2, 8)  # Friday → Monday
        assert working_days_between(D(2027, 2, 5), D(2027, 2, 20)) == 10

    warnings = [record for record in caplog.records if "2027" in record.getMessage()]
    assert len(warnings) == 1  # once per year, not once per call


def test_a_year_entered_by_hand_moves_deadlines_across_its_spring_festival_and_working_saturdays():
    # Given the 2027 arrangement entered by an admin
    made_up_2027()

    # Then the festival week is off and both Saturdays are worked
    assert not is_working_day(D(2027, 2, 8))
    assert not is_working_day(D(2027, 2, 13))  # a weekend day inside the break
    assert is_working_day(D(2027, 1, 30))
    assert is_working_day(D(2027, 2, 20))
    # Friday 5 February + 1: the break runs to Sunday 14, so Monday 15 February.
    assert add_working_days(D(2027, 2, 5), 1) == D(2027, 2, 15)
    # Thursday 28 January + 2: Friday 29, then the working Saturday 30.
    assert add_working_days(D(2027, 1, 28), 2) == D(2027, 1, 30)
    # (5 Feb, 20 Feb]: Monday 15 – Friday 19 and the working Saturday 20.
    assert working_days_between(D(2027, 2, 5), D(2027, 2, 20)) == 6
    assert next_working_day(D(2027, 2, 6)) == D(2027, 2, 15)
    # Across New Year: Thursday 31 December 2026 + 1 skips the holiday of Friday 1 January 2027.
    assert add_working_days(D(2026, 12, 31), 1) == D(2027, 1, 4)


def test_an_issue_accepted_before_the_spring_festival_gets_its_deadline_after_the_break(ledger, frozen_monday):
    # Given the 2027 arrangement, and Thursday 4 February 2027
    made_up_2027()
    frozen_monday.move_to(at(2027, 2, 4))

    # When grid A's officer accepts an issue (3 working days at grid level)
    issue = accepted(ledger)

    # Then it is due on Tuesday 16 February: Friday 5, Monday 15, Tuesday 16
    assert Issue.objects.get(pk=issue.pk).due_on == D(2027, 2, 16)


def test_an_issue_accepted_in_a_year_without_an_arrangement_counts_monday_to_friday(ledger, frozen_monday):
    # Given no 2027 arrangement, and Thursday 4 February 2027
    frozen_monday.move_to(at(2027, 2, 4))

    issue = accepted(ledger)

    # Then Friday 5, Monday 8, Tuesday 9
    assert Issue.objects.get(pk=issue.pk).due_on == D(2027, 2, 9)


# --- Read once, not per call --------------------------------------------------------


def test_the_calendar_is_read_in_one_query_and_then_from_memory(django_assert_num_queries):
    # When this process first needs the calendar, one query reads every year
    with django_assert_num_queries(1):
        assert working_days_between(D(2004, 1, 1), D(2026, 12, 31)) == 5744  # as chinesecalendar counts them

    # Then the loops of the sweep and the lists cost no query at all
    with django_assert_num_queries(0):
        for offset in range(1000):
            is_working_day(D(2026, 1, 1) + datetime.timedelta(days=offset))
            add_working_days(D(2026, 1, 1) + datetime.timedelta(days=offset), 10)
