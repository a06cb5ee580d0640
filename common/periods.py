"""Periods, in the zone's local time (Asia/Shanghai): ISO weeks, calendar months and "so far".

The working-day calendar (holidays and the 调休 working weekends that deadlines
count) is beside this module, in ``common.workdays``.

**Months and weeks are bounded in Asia/Shanghai** (the project's TIME_ZONE): a
visit logged at 2026-10-31 23:30 +08:00 belongs to October, one at 2026-11-01
00:10 +08:00 to November, whatever the database stores in UTC. Queries filter
on the aware ``start``/``end`` datetimes (half-open, ``start <= t < end``) so
that the indexes on the timestamp columns are used.

**A week belongs to the month of its Monday.** Key enterprises
(``enterprises.models.KEY_TIERS``) are tracked every ISO week; growth
enterprises once a month. 2026-W53, 28 Dec 2026 – 3 Jan 2027, is a December
week of 2026: that is how the monthly figures count the key enterprises'
weeks. A growth enterprise's tracking counts for the month of the day it was
done instead, whatever week it was entered for
(``fieldwork.selectors.monthly_tracking_month``).

Weeks are handled as dates (the Monday of a week), never as week numbers, so
that 2026-W53 → 2027-W01 is one week like any other.
"""

import datetime
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

ONE_WEEK = datetime.timedelta(days=7)
_MONTH_RE = re.compile(r"^(\d{4})-(\d{1,2})$")
# A refused value is quoted back, cut to this length so a long query string is not echoed whole.
MAX_SHOWN_INPUT = 20


# --- The zone's clock ------------------------------------------------------------------


def local_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def local_midnight(day: datetime.date) -> datetime.datetime:
    """00:00 of ``day`` in Asia/Shanghai, as an aware datetime."""
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=local_zone())


def local_today() -> datetime.date:
    """Today in the zone (Asia/Shanghai), not in UTC."""
    return timezone.localdate(timezone=local_zone())


# --- Days -----------------------------------------------------------------------------


def date_window(field: str, date_from: datetime.date | None, date_to: datetime.date | None) -> Q:
    """Rows whose date ``field`` lies in the window, both ends inclusive; a missing end is open
    (``date_from=None``: from the beginning). The one window of every platform's figures."""
    condition = Q()
    if date_from is not None:
        condition &= Q(**{f"{field}__gte": date_from})
    if date_to is not None:
        condition &= Q(**{f"{field}__lte": date_to})
    return condition


def first_of_month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def first_of_next_month(day: datetime.date) -> datetime.date:
    return (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def week_monday(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def tracking_month(week_start: datetime.date) -> datetime.date:
    """The month (its 1st) a week belongs to: the month of its Monday.

    Not the month a growth enterprise's tracking counts for; that is the month
    of the tracked date (``fieldwork.selectors.monthly_tracking_month``).
    """
    return first_of_month(week_start)


# --- ISO weeks -------------------------------------------------------------------------


@dataclass(frozen=True)
class IsoWeek:
    year: int
    week: int

    @classmethod
    def of(cls, day: datetime.date) -> "IsoWeek":
        year, week, _weekday = day.isocalendar()
        return cls(year, week)

    @classmethod
    def current(cls) -> "IsoWeek":
        return cls.of(local_today())

    @classmethod
    def parse(cls, code: str) -> "IsoWeek":
        """``2026-W53`` → IsoWeek(2026, 53); ValidationError when there is no such week."""
        try:
            year_text, week_text = code.strip().upper().split("-W")
            return cls.from_numbers(int(year_text), int(week_text))
        except (ValueError, AttributeError):
            raise ValidationError(gettext_lazy("周次格式应为“2026-W48”。"), code="week_format") from None

    @classmethod
    def from_numbers(cls, year: int, week: int) -> "IsoWeek":
        try:
            datetime.date.fromisocalendar(year, week, 1)
        except ValueError:
            raise ValidationError(
                gettext_lazy("%(year)s年没有第%(week)s周。"), code="week_missing", params={"year": year, "week": week}
            ) from None
        return cls(year, week)

    @property
    def monday(self) -> datetime.date:
        return datetime.date.fromisocalendar(self.year, self.week, 1)

    @property
    def sunday(self) -> datetime.date:
        return datetime.date.fromisocalendar(self.year, self.week, 7)

    @property
    def code(self) -> str:
        return f"{self.year}-W{self.week:02d}"

    def minus(self, weeks: int) -> "IsoWeek":
        return IsoWeek.of(self.monday - weeks * ONE_WEEK)

    def label(self) -> str:
        return gettext_lazy("%(year)s年第%(week)s周（%(start)s—%(end)s）") % {
            "year": self.year,
            "week": self.week,
            "start": date_format(self.monday, "MONTH_DAY_FORMAT"),
            "end": date_format(self.sunday, "MONTH_DAY_FORMAT"),
        }

    def short_label(self) -> str:
        return gettext_lazy("%(year)s年第%(week)s周") % {"year": self.year, "week": self.week}

    def __str__(self) -> str:
        return self.code


def recent_weeks(count: int, *, until: IsoWeek | None = None) -> list[IsoWeek]:
    """``count`` weeks ending with ``until`` (this week by default), newest first."""
    until = until or IsoWeek.current()
    return [until.minus(offset) for offset in range(count)]


# --- Months ----------------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class Month:
    year: int
    month: int

    @classmethod
    def parse(cls, text: str) -> "Month":
        """``2026-10`` → October 2026; anything else is a ValidationError with a clear message."""
        match = _MONTH_RE.match((text or "").strip())
        if not match or not 1 <= int(match.group(2)) <= 12 or int(match.group(1)) < 2000:
            raise ValidationError(_("月份格式应为 YYYY-MM，例如 2026-10。"), code="month")
        return cls(int(match.group(1)), int(match.group(2)))

    @classmethod
    def requested(cls, text: str | None, *, required: bool = False) -> "Month":
        """The month a page, download or API request names (``?month=2026-10``).

        One parser for all of them. Empty: the current month, or a ValidationError
        when ``required``. A value that is no month, or a month that has not begun,
        is a ValidationError naming the value: a request for one month is never
        answered with another month's figures.
        """
        text = (text or "").strip()
        if not text:
            if required:
                raise ValidationError(_("请指定月份（YYYY-MM），例如 2026-10。"), code="month_required")
            return cls.current()
        shown = text if len(text) <= MAX_SHOWN_INPUT else text[:MAX_SHOWN_INPUT] + "…"
        try:
            month = cls.parse(text)
        except ValidationError:
            raise ValidationError(
                _("“%(value)s”不是有效的月份：月份格式应为 YYYY-MM，例如 2026-10。"),
                code="month",
                params={"value": shown},
            ) from None
        if month > cls.current():
            raise ValidationError(
                _("%(month)s尚未开始，还没有数据。"), code="month_future", params={"month": month.label}
            )
        return month

    @classmethod
    def of(cls, day: datetime.date) -> "Month":
        return cls(day.year, day.month)

    @classmethod
    def current(cls) -> "Month":
        return cls.of(local_today())

    @property
    def first_day(self) -> datetime.date:
        return datetime.date(self.year, self.month, 1)

    @property
    def next(self) -> "Month":
        return Month(self.year + self.month // 12, self.month % 12 + 1)

    @property
    def previous(self) -> "Month":
        return Month(self.year - (self.month == 1), (self.month - 2) % 12 + 1)

    @property
    def last_day(self) -> datetime.date:
        return self.next.first_day - datetime.timedelta(days=1)

    @property
    def start(self) -> datetime.datetime:
        return local_midnight(self.first_day)

    @property
    def end(self) -> datetime.datetime:
        """Exclusive: 00:00 of the first day of the next month."""
        return self.next.start

    def minus(self, months: int) -> "Month":
        index = self.year * 12 + self.month - 1 - months
        return Month(index // 12, index % 12 + 1)

    def mondays(self) -> list[datetime.date]:
        """The Mondays in this month: an ISO week belongs to the month its Monday is in."""
        first = self.first_day
        monday = first + datetime.timedelta(days=(7 - first.weekday()) % 7)
        days = []
        while monday.month == self.month:
            days.append(monday)
            monday += datetime.timedelta(days=7)
        return days

    def has_ended(self, now: datetime.datetime | None = None) -> bool:
        return (now or timezone.now()) >= self.end

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def label(self) -> str:
        return _("%(year)d年%(month)d月") % {"year": self.year, "month": self.month}


# --- A week in months and moments ------------------------------------------------------


def week_start(week: IsoWeek) -> datetime.datetime:
    """00:00 on the week's Monday, Asia/Shanghai."""
    return local_midnight(week.monday)


def week_end(week: IsoWeek) -> datetime.datetime:
    """Exclusive: 00:00 on the next Monday."""
    return local_midnight(week.monday + datetime.timedelta(days=7))


def week_month(week: IsoWeek) -> Month:
    """The month the week's tracking counts towards: the month of its Monday."""
    return Month.of(tracking_month(week.monday))


def week_closes_month(week: IsoWeek) -> bool:
    """True for the last week whose Monday is in its month: the monthly rhythm is checked then."""
    return (week.monday + datetime.timedelta(days=7)).month != week.monday.month


def week_has_ended(week: IsoWeek, now: datetime.datetime | None = None) -> bool:
    return (now or timezone.now()) >= week_end(week)


def previous_week(now: datetime.datetime | None = None) -> IsoWeek:
    """The last complete ISO week (what Monday's 08:00 close works on)."""
    today = timezone.localdate(now or timezone.now(), timezone=local_zone())
    return IsoWeek.of(today).minus(1)


def previous_month(now: datetime.datetime | None = None) -> Month:
    """The last complete month (what the 1st's 06:00 analysis works on)."""
    today = timezone.localdate(now or timezone.now(), timezone=local_zone())
    return Month.of(today).previous
