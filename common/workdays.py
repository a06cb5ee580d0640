"""The Chinese working-day calendar: public holidays and adjusted working weekends (调休).

Deadlines in the portal count working days. The calendar lives in the
database (``common.models.WorkdayArrangement`` and its ``SpecialDay`` rows):
seeded from the ``chinesecalendar`` package for the years it covers, entered
by a 系统管理员 in the admin for the years the State Council has published
since. For a year with no arrangement we fall back to Monday–Friday and log a
warning once per year and process, so that deadlines still move forward
instead of failing; the admin's home page warns before such a year starts.

Conventions used everywhere:

- ``add_working_days(d, n)`` is the n-th working day strictly after ``d``
  (``n = 0`` gives ``d`` itself); a deadline is due at the end of that day.
- ``working_days_between(a, b)`` counts the working days in ``(a, b]``, so an
  issue due on ``a`` is ``working_days_between(a, today)`` working days late.

These functions run in loops (the deadline sweep, SLA badges on lists, the
demo seeder), so each process keeps the whole calendar in memory — a few
hundred dates — and reads it again from the database at most every
``REFRESH_SECONDS``, which bounds how long another process (a second web
worker, the Celery worker) takes to see a change made in the admin. The
process that makes a change forgets its copy at once.
"""

import datetime
import logging
import threading
import time
from dataclasses import dataclass

import chinese_calendar
from django.apps import apps as global_apps
from django.db import DEFAULT_DB_ALIAS, transaction
from django.db.models.signals import post_delete, post_save

logger = logging.getLogger(__name__)

# How stale another process's copy of the calendar may get after a change in the admin.
REFRESH_SECONDS = 60.0

PACKAGE_SOURCE = f"chinesecalendar {getattr(chinese_calendar, '__version__', '')}".strip()


@dataclass(frozen=True)
class _Calendar:
    years: frozenset[int]  # years that have an arrangement, complete or not
    working: dict[datetime.date, bool]  # True on an adjusted working weekend, False on a holiday
    loaded_at: float


_calendar: _Calendar | None = None
_generation = 0  # counts changes, so that a read overtaken by a change is not kept
_loading = threading.Lock()
_warned_years: set[int] = set()
_clock = time.monotonic


def _load() -> _Calendar:
    from common.models import SpecialDay, WorkdayArrangement

    # One query: each arrangement with its days (an arrangement without days still claims its year).
    rows = WorkdayArrangement.objects.order_by().values_list("year", "days__date", "days__kind")
    years: set[int] = set()
    working: dict[datetime.date, bool] = {}
    for year, day, kind in rows:
        years.add(year)
        if day is not None:
            working[day] = kind == SpecialDay.Kind.WORKDAY
    return _Calendar(years=frozenset(years), working=working, loaded_at=_clock())


def _current() -> _Calendar:
    global _calendar
    calendar = _calendar
    if calendar is not None and _clock() - calendar.loaded_at < REFRESH_SECONDS:
        return calendar
    with _loading:
        calendar = _calendar
        if calendar is None or _clock() - calendar.loaded_at >= REFRESH_SECONDS:
            generation = _generation
            calendar = _load()
            if generation == _generation:
                _calendar = calendar
    return calendar


def calendar_changed(**kwargs) -> None:
    """Forget this process's copy of the calendar, now and once the change commits.

    Connected to saves and deletes of the calendar models. The second time
    matters for a change made inside a transaction: a read by another thread
    in between would otherwise keep the old days until the next refresh.
    """
    _forget()
    transaction.on_commit(_forget, using=kwargs.get("using") or DEFAULT_DB_ALIAS)


def _forget() -> None:
    global _calendar, _generation
    _generation += 1
    _calendar = None


def watch_calendar_models() -> None:
    """Connect ``calendar_changed`` to every save and delete of a calendar row (from ``CommonConfig.ready``)."""
    from common.models import SpecialDay, WorkdayArrangement

    for model in (WorkdayArrangement, SpecialDay):
        post_save.connect(calendar_changed, sender=model, dispatch_uid=f"workdays-save-{model.__name__}")
        post_delete.connect(calendar_changed, sender=model, dispatch_uid=f"workdays-delete-{model.__name__}")


def _is_working(calendar: _Calendar, day: datetime.date) -> bool:
    special = calendar.working.get(day)
    if special is not None:
        return special
    if day.year not in calendar.years and day.year not in _warned_years:
        _warned_years.add(day.year)
        logger.warning(
            "No working-day arrangement for %s in the database: counting Monday–Friday as working days. "
            "A 系统管理员 should enter the State Council's holiday arrangement for %s in the admin.",
            day.year,
            day.year,
        )
    return day.weekday() < 5


def is_working_day(day: datetime.date) -> bool:
    """True on a working day: a weekday that is no public holiday, or an adjusted working weekend."""
    return _is_working(_current(), day)


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """The ``days``-th working day after ``start`` (``start`` itself does not count)."""
    if days < 0:
        raise ValueError("days must not be negative")
    calendar = _current()
    day = start
    remaining = days
    while remaining:
        day += datetime.timedelta(days=1)
        if _is_working(calendar, day):
            remaining -= 1
    return day


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Working days in ``(start, end]``; negative when ``end`` is before ``start``."""
    if end < start:
        return -working_days_between(end, start)
    calendar = _current()
    count = 0
    day = start
    while day < end:
        day += datetime.timedelta(days=1)
        if _is_working(calendar, day):
            count += 1
    return count


def next_working_day(day: datetime.date) -> datetime.date:
    """``day`` itself if it is a working day, else the first working day after it."""
    calendar = _current()
    while not _is_working(calendar, day):
        day += datetime.timedelta(days=1)
    return day


# --- What the admin must enter ----------------------------------------------------

# From this day on, the admin is reminded of the coming year (the State Council
# usually publishes its arrangement in November or December).
COMING_YEAR_REMINDER_FROM = (10, 1)


@dataclass(frozen=True)
class CalendarGap:
    """A year whose deadlines count Monday–Friday, or only partly on its holidays, for want of its arrangement."""

    year: int
    arrangement_id: int | None  # None: no arrangement at all; else one not yet marked complete


def calendar_gaps(*, today: datetime.date) -> list[CalendarGap]:
    """The current year, and from 1 October the coming one, when it has no complete arrangement."""
    from common.models import WorkdayArrangement

    years = [today.year]
    if (today.month, today.day) >= COMING_YEAR_REMINDER_FROM:
        years.append(today.year + 1)
    # Read from the database, not the in-process copy: the page that shows
    # the warning must drop it as soon as the admin has saved the year.
    arrangements = {
        arrangement.year: arrangement
        for arrangement in WorkdayArrangement.objects.filter(year__in=years).only("year", "is_complete")
    }
    gaps = []
    for year in years:
        arrangement = arrangements.get(year)
        if arrangement is None:
            gaps.append(CalendarGap(year=year, arrangement_id=None))
        elif not arrangement.is_complete:
            gaps.append(CalendarGap(year=year, arrangement_id=arrangement.pk))
    return gaps


# --- Seeding from the chinesecalendar package ---------------------------------------


def calendar_sync_from_package(*, apps=global_apps, using: str = DEFAULT_DB_ALIAS) -> list[int]:
    """Add each year the ``chinesecalendar`` package covers that the database has no arrangement for.

    Idempotent, and never touches a year already present: what an admin
    entered (or corrected) stays as it is. Returns the years added.
    ``apps`` is the app registry to take the models from (the migration
    state's when run after ``migrate``).
    """
    arrangement_model = apps.get_model("common", "WorkdayArrangement")
    day_model = apps.get_model("common", "SpecialDay")
    package_days = _package_days()
    with transaction.atomic(using=using):
        present = set(arrangement_model.objects.using(using).values_list("year", flat=True))
        missing = sorted(set(package_days) - present)
        if not missing:
            return []
        arrangement_model.objects.using(using).bulk_create(
            [arrangement_model(year=year, is_complete=True, source=PACKAGE_SOURCE) for year in missing]
        )
        arrangement_ids = dict(
            arrangement_model.objects.using(using).filter(year__in=missing).values_list("year", "pk")
        )
        taken = set(day_model.objects.using(using).filter(date__year__in=missing).values_list("date", flat=True))
        day_model.objects.using(using).bulk_create(
            [
                day_model(arrangement_id=arrangement_ids[year], date=date, kind=kind, name=name)
                for year in missing
                for date, kind, name in package_days[year]
                if date not in taken
            ]
        )
    calendar_changed(using=using)
    return missing


def _package_days() -> dict[int, list[tuple[datetime.date, str, str]]]:
    """The package's special days by year: (date, kind, Chinese holiday name)."""
    from common.models import SpecialDay

    names = {holiday.value: holiday.chinese for holiday in chinese_calendar.Holiday}
    first = min(chinese_calendar.holidays).year
    last = max(chinese_calendar.holidays).year
    days: dict[int, list[tuple[datetime.date, str, str]]] = {year: [] for year in range(first, last + 1)}
    for package_dates, kind in (
        (chinese_calendar.holidays, SpecialDay.Kind.HOLIDAY),
        (chinese_calendar.workdays, SpecialDay.Kind.WORKDAY),
    ):
        for date, english_name in package_dates.items():
            days.setdefault(date.year, []).append((date, kind.value, names.get(english_name, english_name)))
    for year_days in days.values():
        year_days.sort()
    return days


def sync_after_migrate(*, apps=global_apps, using: str = DEFAULT_DB_ALIAS, verbosity: int = 1, **kwargs) -> None:
    """``post_migrate`` receiver: a new database, and a flushed test database, start with the package's years."""
    try:
        apps.get_model("common", "SpecialDay")
    except LookupError:  # migrated back to before the calendar existed
        return
    added = calendar_sync_from_package(apps=apps, using=using)
    if added and verbosity >= 2:
        print(f"  Working-day calendar: added {added[0]}–{added[-1]} from {PACKAGE_SOURCE}.")
