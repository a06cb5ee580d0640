"""The Chinese working-day calendar: public holidays and adjusted working weekends (调休).

Deadlines in the portal count working days. The official calendar comes from
``chinesecalendar``, which knows each year only once the State Council has
published its holiday notice. For a year it does not cover we fall back to
Monday–Friday and log a warning once per year, so that deadlines still move
forward instead of failing, and an operator sees that the library needs an
update (``pip install -U chinesecalendar``).

Conventions used everywhere:

- ``add_working_days(d, n)`` is the n-th working day strictly after ``d``
  (``n = 0`` gives ``d`` itself); a deadline is due at the end of that day.
- ``working_days_between(a, b)`` counts the working days in ``(a, b]``, so an
  issue due on ``a`` is ``working_days_between(a, today)`` working days late.
"""

import datetime
import logging
from functools import cache

import chinese_calendar

logger = logging.getLogger(__name__)


@cache
def _covered(year: int) -> bool:
    try:
        chinese_calendar.is_workday(datetime.date(year, 6, 1))
    except NotImplementedError:
        logger.warning(
            "chinesecalendar has no holiday data for %s: counting Monday–Friday as working days. "
            "Upgrade the chinesecalendar package once the State Council publishes that year's holidays.",
            year,
        )
        return False
    return True


def is_working_day(day: datetime.date) -> bool:
    """True on a working day: a weekday that is no public holiday, or an adjusted working weekend."""
    if _covered(day.year):
        return chinese_calendar.is_workday(day)
    return day.weekday() < 5


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """The ``days``-th working day after ``start`` (``start`` itself does not count)."""
    if days < 0:
        raise ValueError("days must not be negative")
    day = start
    remaining = days
    while remaining:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return day


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Working days in ``(start, end]``; negative when ``end`` is before ``start``."""
    if end < start:
        return -working_days_between(end, start)
    count = 0
    day = start
    while day < end:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count


def next_working_day(day: datetime.date) -> datetime.date:
    """``day`` itself if it is a working day, else the first working day after it."""
    while not is_working_day(day):
        day += datetime.timedelta(days=1)
    return day
