"""One rule for "tracked this month": the due list and the monthly figures of ``analytics``
(enterprise figures and the officer evaluation) count a growth enterprise's tracking for the
month of the day it was done in Asia/Shanghai; key enterprises count by ISO week (its Monday).

2026-W49 runs from Monday 30 November to Sunday 6 December.
"""

import datetime

import pytest
import time_machine

from accounts.models import User
from analytics.aggregates import Period, enterprise_metrics
from analytics.evaluation import officer_metrics
from analytics.metrics import Dimension
from common.periods import IsoWeek, Month
from enterprises.models import Enterprise, Tier
from fieldwork.models import WeeklyTracking
from fieldwork.selectors import DueStatus, due_list, tracked_for_month
from tests.factories import EnterpriseFactory

SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))
UTC = datetime.UTC
NOVEMBER, DECEMBER = Month(2026, 11), Month(2026, 12)


def track(enterprise, officer, monday: datetime.date, tracked_at: datetime.datetime) -> WeeklyTracking:
    week = IsoWeek.of(monday)
    return WeeklyTracking.objects.create(
        enterprise=enterprise,
        officer=officer,
        iso_year=week.year,
        iso_week=week.week,
        week_start=week.monday,
        tracked_at=tracked_at,
    )


@pytest.fixture
def week_49(cast):
    """Growth enterprises of grid A tracked around the turn of the month, and one key enterprise."""
    officer, grid = cast.officer_a, cast.grid_a
    w48, w49 = datetime.date(2026, 11, 23), datetime.date(2026, 11, 30)
    firms = {
        "monday": EnterpriseFactory(name="G-周一", tier=Tier.GROWTH, grid=grid),
        "last_minute": EnterpriseFactory(name="G-11月30日23:59", tier=Tier.GROWTH, grid=grid),
        "midnight": EnterpriseFactory(name="G-12月1日0:00", tier=Tier.GROWTH, grid=grid),
        "wednesday": EnterpriseFactory(name="G-周三", tier=Tier.GROWTH, grid=grid),
        "late_entry": EnterpriseFactory(name="G-补填W48", tier=Tier.GROWTH, grid=grid),
        "key": EnterpriseFactory(name="K-周三", tier=Tier.LEADING, grid=grid),
    }
    track(firms["monday"], officer, w49, datetime.datetime(2026, 11, 30, 9, 0, tzinfo=SHANGHAI))
    track(firms["last_minute"], officer, w49, datetime.datetime(2026, 11, 30, 15, 59, tzinfo=UTC))
    track(firms["midnight"], officer, w49, datetime.datetime(2026, 11, 30, 16, 0, tzinfo=UTC))
    track(firms["wednesday"], officer, w49, datetime.datetime(2026, 12, 2, 10, 0, tzinfo=SHANGHAI))
    # W48 filled in on 2 December: tracking done in December, but not within the week it tracks.
    track(firms["late_entry"], officer, w48, datetime.datetime(2026, 12, 2, 11, 0, tzinfo=SHANGHAI))
    track(firms["key"], officer, w49, datetime.datetime(2026, 12, 2, 10, 0, tzinfo=SHANGHAI))
    return firms


def names(trackings) -> set[str]:
    return set(trackings.values_list("enterprise__name", flat=True))


def test_tracked_for_month_takes_the_day_of_tracking_in_shanghai(week_49):
    trackings = WeeklyTracking.objects.exclude(enterprise__tier=Tier.LEADING)

    assert names(tracked_for_month(trackings, NOVEMBER.first_day)) == {"G-周一", "G-11月30日23:59"}
    assert names(tracked_for_month(trackings, DECEMBER.first_day)) == {"G-12月1日0:00", "G-周三", "G-补填W48"}
    # Any day of the month names it.
    assert names(tracked_for_month(trackings, datetime.date(2026, 12, 31))) == {"G-12月1日0:00", "G-周三", "G-补填W48"}


def test_the_due_list_and_the_enterprise_figures_agree(cast, week_49):
    mine = Enterprise.objects.filter(pk__in=[firm.pk for firm in week_49.values()])
    with time_machine.travel(datetime.datetime(2026, 12, 15, 10, 0, tzinfo=SHANGHAI), tick=False):
        due = {row.name: row.due_status for row in due_list(user=cast.officer_a).filter(pk__in=mine)}
        november = enterprise_metrics(Period.whole(NOVEMBER), Dimension.ZONE, enterprises=mine)[None]
        december_so_far = enterprise_metrics(Period.so_far(DECEMBER), Dimension.ZONE, enterprises=mine)[None]

    assert due == {
        "G-周一": DueStatus.DUE,
        "G-11月30日23:59": DueStatus.DUE,
        "G-12月1日0:00": DueStatus.DONE,
        "G-周三": DueStatus.DONE,
        "G-补填W48": DueStatus.DONE,
        "K-周三": DueStatus.OVERDUE,  # W49 done, W50 (7–13 December) missed
    }
    # November: 1 key enterprise × 5 weeks (Mondays 2 … 30) + 5 growth enterprises once.
    # Done: the key one in W49 (its week starts in November, whatever day it was tracked) and the
    # two growth enterprises tracked on 30 November; all three within the tracked week.
    assert (november["tracking_expected"], november["tracking_done"], november["tracking_timely"]) == (10, 3, 3)
    # December so far (weeks of 7 and 14 December): the three growth enterprises tracked from
    # 1 December; the W48 entry made on 2 December is done but not within its week.
    assert (
        december_so_far["tracking_expected"],
        december_so_far["tracking_done"],
        december_so_far["tracking_timely"],
    ) == (7, 3, 2)


def test_the_officer_evaluation_counts_the_same_months(cast, week_49):
    officers = User.objects.filter(pk=cast.officer_a.pk)
    with time_machine.travel(datetime.datetime(2027, 1, 5, 10, 0, tzinfo=SHANGHAI), tick=False):
        november = officer_metrics(Period.whole(NOVEMBER), officers=officers)[cast.officer_a.pk]["metrics"]
        december = officer_metrics(Period.whole(DECEMBER), officers=officers)[cast.officer_a.pk]["metrics"]

    # The cast's growth enterprise 甲企业 is in grid A too, and never tracked.
    assert (november["tracking_expected"], november["tracking_done"], november["tracking_timely"]) == (11, 3, 3)
    assert (december["tracking_expected"], december["tracking_done"], december["tracking_timely"]) == (10, 3, 2)
