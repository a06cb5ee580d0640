"""The officer's due list: weekly for key enterprises, monthly for growth ones,
most overdue first, and right across the ISO-year boundary (2026 has 53 weeks)."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from enterprises.models import Tier
from fieldwork.models import WeeklyTracking
from fieldwork.selectors import DueStatus, due_list, due_summary
from fieldwork.weeks import IsoWeek
from tests.factories import EnterpriseFactory

SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))


def at(year, month, day, hour=10):
    """Travel to a moment in Shanghai."""
    return time_machine.travel(datetime.datetime(year, month, day, hour, 0, tzinfo=SHANGHAI), tick=False)


def track(enterprise, monday: datetime.date, officer) -> WeeklyTracking:
    week = IsoWeek.of(monday)
    return WeeklyTracking.objects.create(
        enterprise=enterprise,
        iso_year=week.year,
        iso_week=week.week,
        week_start=week.monday,
        officer=officer,
        tracked_at=timezone.now(),
    )


def rows(officer):
    return [(e.name, e.due_status, e.due_before) for e in due_list(user=officer)]


def test_due_list_is_sorted_by_most_overdue_with_the_weekly_and_monthly_rhythm(cast):
    officer, grid = cast.officer_a, cast.grid_a
    d = datetime.date
    key_never = EnterpriseFactory(name="K-从未", tier=Tier.BACKBONE, grid=grid)
    key_overdue_two_weeks = EnterpriseFactory(name="K-逾期两周", tier=Tier.LEADING, grid=grid)
    key_overdue_one_week = EnterpriseFactory(name="K-逾期一周", tier=Tier.STRUGGLING, grid=grid)
    key_due = EnterpriseFactory(name="K-本周待跟踪", tier=Tier.BACKBONE, grid=grid)
    key_done = EnterpriseFactory(name="K-本周已跟踪", tier=Tier.LEADING, grid=grid)
    growth_overdue = EnterpriseFactory(name="G-逾期", tier=Tier.GROWTH, grid=grid)
    growth_due = EnterpriseFactory(name="G-本月待跟踪", tier=Tier.GROWTH, grid=grid)
    growth_done = EnterpriseFactory(name="G-本月已跟踪", tier=Tier.GROWTH, grid=grid)
    track(key_overdue_two_weeks, d(2026, 11, 2), officer)  # W45: W46 and W47 missed
    track(key_overdue_one_week, d(2026, 11, 9), officer)  # W46: W47 missed
    track(key_due, d(2026, 11, 16), officer)  # W47: W48 still open
    track(key_done, d(2026, 11, 23), officer)  # W48
    track(growth_overdue, d(2026, 9, 14), officer)  # September: October missed
    track(growth_due, d(2026, 10, 12), officer)  # October: November still open
    track(growth_done, d(2026, 11, 2), officer)  # November, three weeks ago: enough for a growth firm
    track(cast.enterprise_b, d(2026, 9, 14), cast.officer_b)  # another grid: not on this list

    with at(2026, 11, 25):  # Wednesday of 2026-W48
        assert rows(officer) == [
            # Never tracked: key enterprises before growth ones (the cast's 甲企业 is growth).
            (key_never.name, DueStatus.NEVER, None),
            ("甲企业有限公司", DueStatus.NEVER, None),
            ("G-逾期", DueStatus.OVERDUE, d(2026, 11, 1)),
            ("K-逾期两周", DueStatus.OVERDUE, d(2026, 11, 16)),
            ("K-逾期一周", DueStatus.OVERDUE, d(2026, 11, 23)),
            ("K-本周待跟踪", DueStatus.DUE, d(2026, 11, 30)),
            ("G-本月待跟踪", DueStatus.DUE, d(2026, 12, 1)),
            ("K-本周已跟踪", DueStatus.DONE, d(2026, 12, 7)),
            ("G-本月已跟踪", DueStatus.DONE, d(2027, 1, 1)),
        ]
        assert due_summary(due_list(user=officer)) == {
            "total": 9,
            DueStatus.NEVER: 2,
            DueStatus.OVERDUE: 3,
            DueStatus.DUE: 2,
            DueStatus.DONE: 2,
        }


@pytest.mark.parametrize(
    ("last_tracked", "today", "status", "due_before"),
    [
        # Tracked in 2026-W53 (28 Dec – 3 Jan): in 2027-W01 the next entry is due, not late…
        ((2026, 12, 28), (2027, 1, 6), DueStatus.DUE, (2027, 1, 11)),
        # …and from the Monday of 2027-W02 it is late.
        ((2026, 12, 28), (2027, 1, 11), DueStatus.OVERDUE, (2027, 1, 11)),
        # Tracked in 2026-W52: on New Year's Day (still W53) the W53 entry is due…
        ((2026, 12, 21), (2027, 1, 1), DueStatus.DUE, (2027, 1, 4)),
        # …and in 2027-W01 W53 has been missed (week numbers went 53 → 1, not 52 → 1).
        ((2026, 12, 21), (2027, 1, 4), DueStatus.OVERDUE, (2027, 1, 4)),
        # Tracked in 2027-W01 and judged the same week: done.
        ((2027, 1, 4), (2027, 1, 6), DueStatus.DONE, (2027, 1, 18)),
    ],
)
def test_weekly_rhythm_across_the_iso_year_boundary(cast, last_tracked, today, status, due_before):
    key = EnterpriseFactory(name="重点企业", tier=Tier.LEADING, grid=cast.grid_a)
    track(key, datetime.date(*last_tracked), cast.officer_a)

    with at(*today):
        row = due_list(user=cast.officer_a).get(pk=key.pk)

    assert (row.due_status, row.due_before) == (status, datetime.date(*due_before))


@pytest.mark.parametrize(
    ("last_tracked", "today", "status"),
    [
        # 2026-W53 starts on Monday 28 December, so it counts for December 2026:
        ((2026, 12, 28), (2027, 1, 20), DueStatus.DUE),  # January still open
        ((2026, 12, 28), (2027, 2, 1), DueStatus.OVERDUE),  # January missed
        ((2027, 1, 4), (2027, 1, 20), DueStatus.DONE),  # 2027-W01 counts for January
        # A week starting on 30 November counts for November, even when entered in December.
        ((2026, 11, 30), (2026, 12, 15), DueStatus.DUE),
        ((2026, 12, 7), (2026, 12, 31), DueStatus.DONE),
    ],
)
def test_monthly_rhythm_for_growth_enterprises_across_the_year_boundary(cast, last_tracked, today, status):
    growth = EnterpriseFactory(name="成长企业", tier=Tier.GROWTH, grid=cast.grid_a)
    track(growth, datetime.date(*last_tracked), cast.officer_a)

    with at(*today):
        assert due_list(user=cast.officer_a).get(pk=growth.pk).due_status == status


def test_a_tier_change_switches_the_rhythm(cast):
    firm = EnterpriseFactory(name="转为困难企业", tier=Tier.GROWTH, grid=cast.grid_a)
    track(firm, datetime.date(2026, 11, 9), cast.officer_a)  # W46, November

    with at(2026, 11, 25):
        assert due_list(user=cast.officer_a).get(pk=firm.pk).due_status == DueStatus.DONE
        firm.tier = Tier.STRUGGLING
        firm.save()
        assert due_list(user=cast.officer_a).get(pk=firm.pk).due_status == DueStatus.OVERDUE


@pytest.mark.parametrize("persona", ["manager", "leader_a", "bureau_user_x", "enterprise_user_a"])
def test_only_grid_officers_have_a_due_list(cast, persona):
    assert list(due_list(user=getattr(cast, persona))) == []
