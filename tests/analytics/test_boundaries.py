"""Every home, dashboard, workbook and job on the days that break period rules (Asia/Shanghai).

The month-start crash (issue 8) showed only on the 1st–6th of December 2026,
before the month's first Monday: a rule about periods is tested on the days
that break it, not on one convenient day. At each boundary, with the fixed
cast and a little real work (a key and a growth enterprise, visits, weekly
tracking and an issue raised on a visit, all written through the services):
every role's ``/`` opens its home, each dashboard shows the right month live,
the Excel reports open, and the weekly and monthly jobs close the right
periods, after which the finished month reads from its snapshot.
"""

import datetime
import io
from dataclasses import dataclass

import chinese_calendar
import openpyxl
import pytest
import time_machine
from django.core.management import call_command

from analytics.models import MonthlyReport, ReportWorkbook, WeeklyClose, WeeklyEnterpriseStatus
from analytics.tasks import run_weekly
from common.periods import IsoWeek, Month, local_today
from enterprises.models import Tier
from fieldwork.services import RaisedProblem, visit_create, weekly_tracking_record
from issues.models import Level, State
from issues.services import issue_accept
from tests.analytics.conftest import SHANGHAI, at
from tests.factories import CategoryFactory, EnterpriseFactory

UTC = datetime.UTC


def last_working_day_before_national_day(year: int) -> datetime.date:
    day = datetime.date(year, 10, 1) - datetime.timedelta(days=1)
    while not chinese_calendar.is_workday(day):
        day -= datetime.timedelta(days=1)
    return day


def working_weekend_after_national_day(year: int) -> datetime.date:
    """The first Saturday or Sunday after 1 October that is a working day (调休)."""
    day = datetime.date(year, 10, 1)
    while not (day.weekday() >= 5 and chinese_calendar.is_workday(day)):
        day += datetime.timedelta(days=1)
    return day


def test_the_national_day_boundaries_are_the_official_ones():
    # The days below come from the State Council's calendar, as chinese_calendar knows it.
    assert last_working_day_before_national_day(2026) == datetime.date(2026, 9, 30)
    assert not chinese_calendar.is_workday(datetime.date(2026, 10, 1))
    assert working_weekend_after_national_day(2026) == datetime.date(2026, 10, 10)
    assert datetime.date(2026, 10, 10).weekday() == 5  # a Saturday
    assert chinese_calendar.is_workday(datetime.date(2026, 10, 10))


@dataclass(frozen=True)
class Boundary:
    name: str
    moment: datetime.datetime
    month: Month  # the month the dashboards show
    closed_week: str  # what the weekly job closes (the ISO week before this one)
    analysed_month: Month  # what the monthly job analyses (the month before this one)
    weeks_begun: int  # the month's ISO weeks (by their Monday) begun so far: 0 before the first Monday


NATIONAL_DAY_EVE = last_working_day_before_national_day(2026)
TIAOXIU_SATURDAY = working_weekend_after_national_day(2026)

BOUNDARIES = [
    Boundary("1st-tuesday-2026-12-01", at("2026-12-01 10:00"), Month(2026, 12), "2026-W48", Month(2026, 11), 0),
    Boundary("before-first-monday-2026-12-06", at("2026-12-06 20:00"), Month(2026, 12), "2026-W48", Month(2026, 11), 0),
    Boundary("iso-week-53-monday-2026-12-28", at("2026-12-28 10:00"), Month(2026, 12), "2026-W52", Month(2026, 11), 4),
    Boundary("week-1-close-2027-01-04-0800", at("2027-01-04 08:00"), Month(2027, 1), "2026-W53", Month(2026, 12), 1),
    Boundary("new-years-eve-2026-12-31-2359", at("2026-12-31 23:59"), Month(2026, 12), "2026-W52", Month(2026, 11), 4),
    Boundary("new-year-2027-01-01-0000", at("2027-01-01 00:00"), Month(2027, 1), "2026-W52", Month(2026, 12), 0),
    Boundary(
        "last-working-day-before-national-day",
        datetime.datetime.combine(NATIONAL_DAY_EVE, datetime.time(17, 30), tzinfo=SHANGHAI),
        Month(2026, 9),
        "2026-W39",
        Month(2026, 8),
        4,
    ),
    Boundary(
        "tiaoxiu-working-saturday",
        datetime.datetime.combine(TIAOXIU_SATURDAY, datetime.time(10, 0), tzinfo=SHANGHAI),
        Month(2026, 10),
        "2026-W40",
        Month(2026, 9),
        1,
    ),
    # Shanghai midnight in UTC: the month shown flips from November to December exactly here.
    Boundary(
        "shanghai-2026-11-30-235959",
        datetime.datetime(2026, 11, 30, 15, 59, 59, tzinfo=UTC),
        Month(2026, 11),
        "2026-W48",
        Month(2026, 10),
        5,
    ),
    Boundary(
        "shanghai-2026-12-01-000000",
        datetime.datetime(2026, 11, 30, 16, 0, 0, tzinfo=UTC),
        Month(2026, 12),
        "2026-W48",
        Month(2026, 11),
        0,
    ),
]


@pytest.fixture(params=BOUNDARIES, ids=[boundary.name for boundary in BOUNDARIES])
def boundary(request):
    """Now is the boundary, and stands still; the cast is built after the clock moved."""
    with time_machine.travel(request.param.moment, tick=False):
        yield request.param


@dataclass
class World:
    cast: object
    key: object
    growth: object
    visit_times: list
    issue: object


@pytest.fixture
def world(boundary, cast) -> World:
    """Given the cast at the boundary, the officer of grid A has been at work for the last days."""
    now = boundary.moment
    key = EnterpriseFactory(name="甲龙头有限公司", grid=cast.grid_a, tier=Tier.LEADING)
    growth = cast.enterprise_a
    assert growth.tier == Tier.GROWTH
    financing = CategoryFactory(code="financing", name="融资", default_bureau=cast.bureau_x)
    visit_times = [now - datetime.timedelta(days=2), now - datetime.timedelta(minutes=1)]
    visit = visit_create(
        officer=cast.officer_a,
        enterprise=key,
        visited_at=visit_times[0],
        problems=[RaisedProblem(title="流动资金紧张", description="订单回款慢", category=financing)],
    )
    visit_create(officer=cast.officer_a, enterprise=growth, visited_at=visit_times[1], findings="生产正常")
    issue = issue_accept(issue=visit.raised_issues.get(), actor=cast.officer_a)
    assert issue.state == State.ACCEPTED and issue.level == Level.GRID
    this_week = IsoWeek.of(local_today())
    weekly_tracking_record(officer=cast.officer_a, enterprise=key, week=this_week.minus(1), output_value=500)
    weekly_tracking_record(officer=cast.officer_a, enterprise=key, week=this_week, output_value=480)
    weekly_tracking_record(officer=cast.officer_a, enterprise=growth, week=this_week)
    return World(cast=cast, key=key, growth=growth, visit_times=visit_times, issue=issue)


def visits_in(month: Month, world: World, now: datetime.datetime) -> int:
    return sum(month.start <= when < min(month.end, now) for when in world.visit_times)


def open_page(client, url: str):
    response = client.get(url, follow=True)
    assert response.status_code == 200, (url, response.status_code)
    return response


def officer_row(board, name: str):
    return next(entry["row"] for entry in board.officers if entry["row"].scope_name == name)


def assert_live_board(response, boundary: Boundary, world: World, *, heading: str) -> None:
    board = response.context["board"]
    html = response.content.decode()
    assert board.month == boundary.month
    assert board.data.is_live is True
    assert heading in html and boundary.month.label in html and "本月至今" in html
    visits = visits_in(boundary.month, world, boundary.moment)
    assert board.row.metrics["visits"] == visits
    officer = officer_row(board, "张网格").metrics
    assert officer["visits"] == visits
    assert officer["enterprises"] == 2
    # The key enterprise is due every week begun, the growth one once a month.
    assert officer["tracking_expected"] == boundary.weeks_begun + 1


def open_workbook(response) -> openpyxl.Workbook:
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return openpyxl.load_workbook(io.BytesIO(content))


def test_every_home_dashboard_workbook_and_job_works_at(boundary, world, client_for):
    cast = world.cast
    manager, leader, officer = client_for(cast.manager), client_for(cast.leader_a), client_for(cast.officer_a)
    label = boundary.month.label

    # When each role opens "/", then it lands on its own home, 200.
    response = open_page(manager, "/")
    assert response.redirect_chain == [("/analytics/", 302)]
    assert_live_board(response, boundary, world, heading="经开区 园区看板")
    response = open_page(leader, "/")
    assert response.redirect_chain == [("/analytics/district/", 302)]
    assert_live_board(response, boundary, world, heading="甲片区 片区看板")
    response = open_page(officer, "/")
    assert response.redirect_chain == [("/fieldwork/", 302)]
    assert response.context["this_week"] == IsoWeek.of(local_today())
    assert IsoWeek.of(local_today()).label() in response.content.decode()
    for persona in ("bureau_user_x", "enterprise_user_a", "admin"):
        open_page(client_for(getattr(cast, persona)), "/")

    # Every dashboard shows this month, live.
    assert_live_board(open_page(manager, "/analytics/"), boundary, world, heading="经开区 园区看板")
    district_a = f"/analytics/districts/{cast.district_a.pk}/"
    assert_live_board(open_page(manager, district_a), boundary, world, heading="甲片区 片区看板")
    assert_live_board(open_page(leader, "/analytics/district/"), boundary, world, heading="甲片区 片区看板")
    assert_live_board(open_page(leader, district_a), boundary, world, heading="甲片区 片区看板")
    response = open_page(manager, "/analytics/district/")  # a manager's district page is the zone's
    assert response.redirect_chain == [("/analytics/", 302)]
    assert response.context["board"].month == boundary.month

    # The month so far as Excel, from the page and from the API.
    book = open_workbook(manager.get("/analytics/reports/monthly.xlsx"))
    assert book["园区汇总"]["A1"].value == f"经开区 {label} 月度分析"
    book = open_workbook(manager.get(f"/api/reports/monthly/workbook/?month={boundary.month}"))
    assert book["园区汇总"]["A1"].value == f"经开区 {label} 月度分析"
    book = open_workbook(leader.get(f"/api/reports/monthly/workbook/?month={boundary.month}"))
    assert book.sheetnames[0] == "片区汇总"
    assert book["片区汇总"]["A1"].value == f"甲片区 {label} 月度分析"

    # The weekly job closes the week before this one…
    result = run_weekly.apply().get()
    assert result["week"] == boundary.closed_week
    close = WeeklyClose.objects.get()
    assert f"{close.iso_year}-W{close.iso_week:02d}" == boundary.closed_week
    status = WeeklyEnterpriseStatus.objects.get(close=close, enterprise=world.key)
    assert status.tracked is True

    # …and the monthly job analyses the month before this one, which then reads from its snapshot.
    out = io.StringIO()
    call_command("run_monthly", stdout=out)
    assert out.getvalue().startswith(f"[{boundary.analysed_month}]")
    analysed = boundary.analysed_month.first_day
    assert set(MonthlyReport.objects.filter(provisional=False).values_list("month", flat=True)) == {analysed}
    # Beside it only the running month's provisional rows, which the dashboards above stored.
    running = MonthlyReport.objects.filter(provisional=True).values_list("month", flat=True)
    assert set(running) == {boundary.month.first_day}
    assert ReportWorkbook.objects.filter(month=analysed).count() == 3  # the zone and its two districts
    response = open_page(manager, f"/analytics/?month={boundary.analysed_month}")
    board = response.context["board"]
    assert board.month == boundary.analysed_month and board.data.is_live is False
    assert board.row.metrics["visits"] == visits_in(boundary.analysed_month, world, boundary.moment)
    assert "月度快照" in response.content.decode()
    book = open_workbook(manager.get(f"/analytics/reports/monthly.xlsx?month={boundary.analysed_month}"))
    assert book["园区汇总"]["A1"].value == f"经开区 {boundary.analysed_month.label} 月度分析"
    # This month is still live after the job ran.
    assert open_page(manager, "/analytics/").context["board"].data.is_live is True
