"""The officer's due list: weekly for key enterprises, monthly for growth ones,
most overdue first, and right across the ISO-year boundary (2026 has 53 weeks)."""

import datetime

import pytest
import time_machine

from common.periods import IsoWeek
from enterprises.models import Tier
from fieldwork.models import WeeklyTracking
from fieldwork.selectors import DueStatus, due_list, due_summary
from tests.factories import EnterpriseFactory

SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))


def at(year, month, day, hour=10):
    """Travel to a moment in Shanghai."""
    return time_machine.travel(datetime.datetime(year, month, day, hour, 0, tzinfo=SHANGHAI), tick=False)


def track(enterprise, monday: datetime.date, officer, tracked_at: datetime.datetime | None = None) -> WeeklyTracking:
    """A tracking entered for the week of ``monday``, by default at 10:00 that Monday in Shanghai."""
    week = IsoWeek.of(monday)
    return WeeklyTracking.objects.create(
        enterprise=enterprise,
        iso_year=week.year,
        iso_week=week.week,
        week_start=week.monday,
        officer=officer,
        tracked_at=tracked_at or datetime.datetime.combine(week.monday, datetime.time(10), tzinfo=SHANGHAI),
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


UTC = datetime.UTC


@pytest.mark.parametrize(
    ("week_of", "tracked_at", "today", "status"),
    [
        # 2026-W53 (28 Dec – 3 Jan) tracked on its Monday counts for December 2026:
        ((2026, 12, 28), None, (2027, 1, 20), DueStatus.DUE),  # January still open
        ((2026, 12, 28), None, (2027, 2, 1), DueStatus.OVERDUE),  # January missed
        # …tracked on Saturday 2 January, the same week counts for January.
        ((2026, 12, 28), datetime.datetime(2027, 1, 2, 10, tzinfo=SHANGHAI), (2027, 1, 20), DueStatus.DONE),
        ((2027, 1, 4), None, (2027, 1, 20), DueStatus.DONE),  # 2027-W01 tracked in January
        # 2026-W49 starts on Monday 30 November: tracked that Monday, it counts for November…
        ((2026, 11, 30), None, (2026, 12, 15), DueStatus.DUE),
        # …tracked on Wednesday 2 December, for December.
        ((2026, 11, 30), datetime.datetime(2026, 12, 2, 10, tzinfo=SHANGHAI), (2026, 12, 15), DueStatus.DONE),
        # Midnight in Shanghai, not in UTC: 2026-11-30T16:00Z is 1 December 00:00 in the zone…
        ((2026, 11, 30), datetime.datetime(2026, 11, 30, 16, 0, tzinfo=UTC), (2026, 12, 15), DueStatus.DONE),
        # …and 2026-11-30T15:59Z is still 30 November.
        ((2026, 11, 30), datetime.datetime(2026, 11, 30, 15, 59, tzinfo=UTC), (2026, 12, 15), DueStatus.DUE),
        # A missed November week filled in on 2 December is tracking done in December.
        ((2026, 11, 23), datetime.datetime(2026, 12, 2, 10, tzinfo=SHANGHAI), (2026, 12, 15), DueStatus.DONE),
        ((2026, 12, 7), None, (2026, 12, 31), DueStatus.DONE),
    ],
)
def test_a_growth_enterprise_is_tracked_for_the_month_of_the_day_it_was_tracked(
    cast, week_of, tracked_at, today, status
):
    growth = EnterpriseFactory(name="成长企业", tier=Tier.GROWTH, grid=cast.grid_a)
    track(growth, datetime.date(*week_of), cast.officer_a, tracked_at)

    with at(*today):
        assert due_list(user=cast.officer_a).get(pk=growth.pk).due_status == status


@pytest.mark.parametrize(
    ("tracked_at", "due_before", "status"),
    [
        # Tracked for November: December's entry is due by its last day.
        (datetime.datetime(2026, 11, 30, 15, 59, tzinfo=UTC), (2027, 1, 1), DueStatus.DUE),
        # Tracked for December: nothing more until January.
        (datetime.datetime(2026, 11, 30, 16, 0, tzinfo=UTC), (2027, 2, 1), DueStatus.DONE),
    ],
)
def test_the_growth_deadline_follows_the_tracked_month_not_the_weeks_monday(cast, tracked_at, due_before, status):
    growth = EnterpriseFactory(name="成长企业", tier=Tier.GROWTH, grid=cast.grid_a)
    track(growth, datetime.date(2026, 11, 30), cast.officer_a, tracked_at)

    with at(2026, 12, 2):
        row = due_list(user=cast.officer_a).get(pk=growth.pk)

    assert (row.due_status, row.due_before, row.last_tracked_week) == (
        status,
        datetime.date(*due_before),
        datetime.date(2026, 11, 30),
    )


def test_a_key_enterprise_stays_on_the_iso_week_whatever_day_it_was_tracked(cast):
    """2026-W49 tracked on 2 December is W49's tracking: W50 is due next, as if tracked on 30 November."""
    key = EnterpriseFactory(name="重点企业", tier=Tier.BACKBONE, grid=cast.grid_a)
    track(key, datetime.date(2026, 11, 30), cast.officer_a, datetime.datetime(2026, 12, 2, 10, tzinfo=SHANGHAI))

    with at(2026, 12, 9):  # Wednesday of W50
        row = due_list(user=cast.officer_a).get(pk=key.pk)

    assert (row.due_status, row.due_before) == (DueStatus.DUE, datetime.date(2026, 12, 14))


def test_finished_cards_come_after_every_pending_one(cast):
    """On 2 December a key enterprise done this week has an earlier next deadline (14 December)
    than a growth one still due this month (1 January), yet the pending card comes first."""
    officer, grid = cast.officer_a, cast.grid_a
    d = datetime.date
    key_done = EnterpriseFactory(name="K-本周已跟踪", tier=Tier.LEADING, grid=grid)
    key_overdue = EnterpriseFactory(name="K-逾期", tier=Tier.BACKBONE, grid=grid)
    growth_due = EnterpriseFactory(name="G-本月待跟踪", tier=Tier.GROWTH, grid=grid)
    growth_done = EnterpriseFactory(name="G-本月已跟踪", tier=Tier.GROWTH, grid=grid)
    growth_overdue = EnterpriseFactory(name="G-逾期", tier=Tier.GROWTH, grid=grid)
    track(key_done, d(2026, 11, 30), officer)  # W49, this week
    track(key_overdue, d(2026, 11, 16), officer)  # W47: W48 missed
    track(growth_due, d(2026, 11, 16), officer)  # November
    track(growth_done, d(2026, 11, 30), officer, datetime.datetime(2026, 12, 1, 9, tzinfo=SHANGHAI))  # December
    track(growth_overdue, d(2026, 10, 5), officer)  # October: November missed
    cast.enterprise_a.tier = Tier.LEADING  # the cast's 甲企业, never tracked
    cast.enterprise_a.save()

    with at(2026, 12, 2):
        assert rows(officer) == [
            ("甲企业有限公司", DueStatus.NEVER, None),
            ("K-逾期", DueStatus.OVERDUE, d(2026, 11, 30)),
            ("G-逾期", DueStatus.OVERDUE, d(2026, 12, 1)),
            ("G-本月待跟踪", DueStatus.DUE, d(2027, 1, 1)),
            ("K-本周已跟踪", DueStatus.DONE, d(2026, 12, 14)),
            ("G-本月已跟踪", DueStatus.DONE, d(2027, 2, 1)),
        ]


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
