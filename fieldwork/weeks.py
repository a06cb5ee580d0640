"""ISO weeks and the tracking rhythm, in the zone's local time (Asia/Shanghai).

Key enterprises (``enterprises.models.KEY_TIERS``) are tracked every ISO week;
growth enterprises once a month. A week belongs to the month of its Monday
(2026-W53, 28 Dec 2026 – 3 Jan 2027, is a December week of 2026): that is how
the monthly figures count the key enterprises' weeks. A growth enterprise's
tracking counts for the month of the day it was done instead, whatever week it
was entered for (``fieldwork.selectors.monthly_tracking_month``).

Everything here works on dates (the Monday of a week), never on week numbers,
so that 2026-W53 → 2027-W01 is one week like any other.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

ONE_WEEK = datetime.timedelta(days=7)


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
        return cls.of(today())

    @classmethod
    def parse(cls, code: str) -> "IsoWeek":
        """``2026-W53`` → IsoWeek(2026, 53); ValidationError when there is no such week."""
        try:
            year_text, week_text = code.strip().upper().split("-W")
            return cls.from_numbers(int(year_text), int(week_text))
        except (ValueError, AttributeError):
            raise ValidationError(_("周次格式应为“2026-W48”。"), code="week_format") from None

    @classmethod
    def from_numbers(cls, year: int, week: int) -> "IsoWeek":
        try:
            datetime.date.fromisocalendar(year, week, 1)
        except ValueError:
            raise ValidationError(
                _("%(year)s年没有第%(week)s周。"), code="week_missing", params={"year": year, "week": week}
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
        return _("%(year)s年第%(week)s周（%(start)s—%(end)s）") % {
            "year": self.year,
            "week": self.week,
            "start": date_format(self.monday, "MONTH_DAY_FORMAT"),
            "end": date_format(self.sunday, "MONTH_DAY_FORMAT"),
        }

    def short_label(self) -> str:
        return _("%(year)s年第%(week)s周") % {"year": self.year, "week": self.week}

    def __str__(self) -> str:
        return self.code


def today() -> datetime.date:
    """Today in the zone (Asia/Shanghai), not in UTC."""
    return timezone.localdate()


def week_monday(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def first_of_next_month(day: datetime.date) -> datetime.date:
    return (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def tracking_month(week_start: datetime.date) -> datetime.date:
    """The month (its 1st) a week belongs to: the month of its Monday.

    Not the month a growth enterprise's tracking counts for; that is the month
    of the tracked date (``fieldwork.selectors.monthly_tracking_month``).
    """
    return week_start.replace(day=1)


def recent_weeks(count: int, *, until: IsoWeek | None = None) -> list[IsoWeek]:
    """``count`` weeks ending with ``until`` (this week by default), newest first."""
    until = until or IsoWeek.current()
    return [until.minus(offset) for offset in range(count)]
