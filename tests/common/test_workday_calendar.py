"""The working-day calendar in the database: seeded from the package, kept by a 系统管理员.

Guards issue 8 item 10: from 1 January 2027 the package knows no holidays,
so the year must be entered in the admin, every deadline must count on what
was entered — in every process — and the admin must be warned in time.
"""

import datetime
import io
from zoneinfo import ZoneInfo

import chinese_calendar
import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from common import workdays
from common.models import SpecialDay, WorkdayArrangement
from common.workdays import add_working_days, is_working_day
from tests.common.calendars import made_up_2027

pytestmark = pytest.mark.django_db

D = datetime.date
SHANGHAI = ZoneInfo("Asia/Shanghai")
PACKAGE_YEARS = list(range(2004, 2027))
ADD_URL = "/admin/common/workdayarrangement/add/"


@pytest.fixture(autouse=True)
def own_calendar_copy(monkeypatch):
    """Each test reads the calendar afresh; the copy of the tests before it comes back afterwards."""
    monkeypatch.setattr(workdays, "_calendar", None)


class FakeClock:
    """Stands in for ``time.monotonic`` so a test can let the refresh interval pass."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock(monkeypatch) -> FakeClock:
    fake = FakeClock()
    monkeypatch.setattr(workdays, "_clock", fake)
    return fake


def calendar_rows() -> list[tuple]:
    """Everything an admin could have entered, to compare before and after."""
    arrangements = list(WorkdayArrangement.objects.order_by("year").values_list("year", "is_complete", "source"))
    days = list(SpecialDay.objects.order_by("date").values_list("arrangement__year", "date", "kind", "name"))
    return arrangements + days


# --- Seeding from the package --------------------------------------------------------


def test_the_database_starts_with_every_year_the_package_covers():
    arrangements = WorkdayArrangement.objects.order_by("year")

    assert [a.year for a in arrangements] == PACKAGE_YEARS
    assert {(a.is_complete, a.source, a.entered_by) for a in arrangements} == {(True, "chinesecalendar 1.11.0", None)}
    spring_festival_2026 = SpecialDay.objects.filter(arrangement__year=2026, name="春节").order_by("date")
    assert [(day.date, day.kind) for day in spring_festival_2026] == [
        (D(2026, 2, 14), SpecialDay.Kind.WORKDAY),
        *[(D(2026, 2, 15) + datetime.timedelta(days=n), SpecialDay.Kind.HOLIDAY) for n in range(9)],
        (D(2026, 2, 28), SpecialDay.Kind.WORKDAY),
    ]


def test_the_sync_command_adds_nothing_to_a_calendar_that_has_every_year():
    before = calendar_rows()

    call_command("sync_workday_calendar", stdout=(output := io.StringIO()))

    assert calendar_rows() == before
    assert output.getvalue() == "working-day calendar: every year chinesecalendar 1.11.0 covers is already present\n"


def test_the_sync_command_fills_a_missing_year_and_leaves_an_admins_corrections_alone(cast):
    # Given an admin corrected 2026 (a day removed, another renamed, the source noted)
    # and 2025 went missing
    arrangement_2026 = WorkdayArrangement.objects.get(year=2026)
    arrangement_2026.source = "国办发明电〔2025〕7号"
    arrangement_2026.entered_by = cast.admin
    arrangement_2026.save()
    SpecialDay.objects.filter(date=D(2026, 10, 10)).delete()
    SpecialDay.objects.filter(date=D(2026, 10, 1)).update(name="国庆节（更正）")
    WorkdayArrangement.objects.filter(year=2025).delete()
    corrected_2026 = [row for row in calendar_rows() if row[0] == 2026]

    # When the sync runs, twice
    call_command("sync_workday_calendar", stdout=(output := io.StringIO()))
    after_first = calendar_rows()
    call_command("sync_workday_calendar", stdout=io.StringIO())

    # Then 2025 is back as the package has it, 2026 is exactly as the admin left it, and a second run changes nothing
    assert output.getvalue() == "working-day calendar: added 2025 from chinesecalendar 1.11.0\n"
    assert list(SpecialDay.objects.filter(arrangement__year=2025).values_list("date", "kind")) == package_days(2025)
    assert WorkdayArrangement.objects.get(year=2025).source == "chinesecalendar 1.11.0"
    assert [row for row in calendar_rows() if row[0] == 2026] == corrected_2026
    assert WorkdayArrangement.objects.get(year=2026).entered_by == cast.admin
    assert is_working_day(D(2026, 10, 10)) is False  # the removed working Saturday no longer counts
    assert calendar_rows() == after_first


def test_a_package_release_covering_a_year_the_admin_entered_adds_only_the_years_after_it(monkeypatch):
    # Given the admin's 2027, and a package release that covers 2027 (differently) and 2028
    made_up_2027()
    monkeypatch.setitem(chinese_calendar.holidays, D(2027, 2, 22), "Spring Festival")
    monkeypatch.setitem(chinese_calendar.holidays, D(2028, 1, 1), "New Year's Day")
    before = calendar_rows()

    # When the sync runs
    added = workdays.calendar_sync_from_package()

    # Then 2028 is added from the package and the admin's 2027 is untouched
    assert added == [2028]
    assert [row for row in calendar_rows() if row[0] != 2028] == before
    assert list(SpecialDay.objects.filter(arrangement__year=2028).values_list("date", "kind", "name")) == [
        (D(2028, 1, 1), "holiday", "元旦")
    ]
    assert is_working_day(D(2027, 2, 22))  # the package's extra 2027 day was not taken


@pytest.mark.django_db(transaction=True)
def test_a_flushed_database_gets_the_package_years_again():
    # A browser test's database is flushed after it; the tests after it still count on the real calendar.
    call_command("flush", interactive=False, verbosity=0)

    assert list(WorkdayArrangement.objects.order_by("year").values_list("year", flat=True)) == PACKAGE_YEARS
    assert SpecialDay.objects.count() == len(chinese_calendar.holidays) + len(chinese_calendar.workdays)


def package_days(year: int) -> list[tuple[datetime.date, str]]:
    holidays = [(day, "holiday") for day in chinese_calendar.holidays if day.year == year]
    working = [(day, "workday") for day in chinese_calendar.workdays if day.year == year]
    return sorted(holidays + working)


# --- Kept in the admin ------------------------------------------------------------


def arrangement_form(**overrides) -> dict:
    """POST data for the arrangement's add form: 2027 with three days."""
    data = {
        "year": "2027",
        "is_complete": "on",
        "source": "国办发明电〔2026〕99号",
        "days-TOTAL_FORMS": "3",
        "days-INITIAL_FORMS": "0",
        "days-MIN_NUM_FORMS": "0",
        "days-MAX_NUM_FORMS": "1000",
        "days-0-date": "2027-02-08",
        "days-0-kind": "holiday",
        "days-0-name": "春节",
        "days-1-date": "2027-02-06",  # a Saturday: a holiday may fall on a weekend
        "days-1-kind": "holiday",
        "days-1-name": "春节",
        "days-2-date": "2027-02-20",
        "days-2-kind": "workday",
        "days-2-name": "春节",
    }
    data.update(overrides)
    return data


def inline_errors(response) -> list[str]:
    (days,) = (inline.formset for inline in response.context["inline_admin_formsets"])
    form_errors = [message for form in days.forms for messages in form.errors.values() for message in messages]
    return form_errors + list(days.non_form_errors())


def test_an_admin_enters_a_year_and_deadlines_count_on_it_at_once(cast, client_for, clock):
    admin = client_for(cast.admin)
    assert is_working_day(D(2027, 2, 8))  # this process has read the calendar: 2027 counts Monday–Friday

    response = admin.post(ADD_URL, arrangement_form())

    assert response.status_code == 302
    arrangement = WorkdayArrangement.objects.get(year=2027)
    assert (arrangement.is_complete, arrangement.source, arrangement.entered_by) == (
        True,
        "国办发明电〔2026〕99号",
        cast.admin,
    )
    assert list(arrangement.days.values_list("date", "kind", "name")) == [
        (D(2027, 2, 6), "holiday", "春节"),
        (D(2027, 2, 8), "holiday", "春节"),
        (D(2027, 2, 20), "workday", "春节"),
    ]
    # In the process that saved it, without waiting for the refresh interval (the clock has not moved)
    assert not is_working_day(D(2027, 2, 8))
    assert is_working_day(D(2027, 2, 20))


@pytest.mark.parametrize(
    ("date", "kind", "messages"),
    [
        ("2027-02-22", "workday", ["调休上班日必须是星期六或星期日。"]),  # a Monday
        ("2028-01-01", "holiday", ["日期必须在2027年内。"]),
        ("2027-02-08", "holiday", ["请修正重复的数据.", "同一日期只能录入一次。"]),  # already a holiday two rows up
    ],
)
def test_an_invalid_day_is_refused_with_the_reason_and_nothing_is_saved(cast, client_for, date, kind, messages):
    before = calendar_rows()

    response = client_for(cast.admin).post(ADD_URL, arrangement_form(**{"days-2-date": date, "days-2-kind": kind}))

    assert response.status_code == 200
    assert inline_errors(response) == messages
    assert calendar_rows() == before
    assert not WorkdayArrangement.objects.filter(year=2027).exists()


def test_a_day_is_added_to_an_arrangement_on_its_change_page(cast, client_for):
    arrangement = made_up_2027(entered_by=cast.admin)
    days = list(arrangement.days.order_by("date"))
    data = {"year": "2027", "is_complete": "on", "source": arrangement.source}
    data.update({"days-TOTAL_FORMS": str(len(days) + 1), "days-INITIAL_FORMS": str(len(days))})
    for index, day in enumerate(days):
        data.update(
            {
                f"days-{index}-id": str(day.pk),
                f"days-{index}-arrangement": str(arrangement.pk),
                f"days-{index}-date": day.date.isoformat(),
                f"days-{index}-kind": day.kind,
                f"days-{index}-name": day.name,
            }
        )
    data.update({f"days-{len(days)}-date": "2027-10-01", f"days-{len(days)}-kind": "holiday"})
    data[f"days-{len(days)}-name"] = "国庆节"

    response = client_for(cast.admin).post(
        reverse("admin:common_workdayarrangement_change", args=[arrangement.pk]), data
    )

    assert response.status_code == 302
    assert SpecialDay.objects.get(date=D(2027, 10, 1)).name == "国庆节"
    assert arrangement.days.count() == len(days) + 1
    assert not is_working_day(D(2027, 10, 1))


def test_the_changelist_counts_each_years_days(cast, client_for, django_assert_max_num_queries):
    admin = client_for(cast.admin)

    with django_assert_max_num_queries(8):
        response = admin.get("/admin/common/workdayarrangement/")

    assert response.status_code == 200
    row = next(a for a in response.context["cl"].result_list if a.year == 2026)
    assert (row.holiday_total, row.workday_total) == (33, 6)


# --- The warning on the admin's home ---------------------------------------------------


def admin_home(client) -> str:
    """The admin's landing page, reached as they reach it: ``/`` sends them on."""
    response = client.get("/", follow=True)
    assert response.redirect_chain == [("/admin/", 302)]
    return response.content.decode()


MISSING_2027 = (
    "2027年的节假日安排尚未录入：在录入国务院办公厅公布的节假日安排之前，2027年的办理期限按周一至周五计算工作日。"
)


def test_from_1_october_the_admin_is_warned_that_the_coming_year_is_missing(cast, client_for):
    with time_machine.travel(datetime.datetime(2026, 10, 1, 0, 30, tzinfo=SHANGHAI), tick=False):
        body = admin_home(client_for(cast.admin))

    assert MISSING_2027 in body
    assert f'<a href="{ADD_URL}?year=2027">录入2027年节假日安排</a>' in body


def test_on_30_september_there_is_no_warning_yet(cast, client_for):
    with time_machine.travel(datetime.datetime(2026, 9, 30, 23, 30, tzinfo=SHANGHAI), tick=False):
        body = admin_home(client_for(cast.admin))

    assert "workday-calendar-warning" not in body


def test_no_warning_once_the_coming_year_is_entered_complete(cast, client_for):
    made_up_2027()

    with time_machine.travel(datetime.datetime(2026, 12, 1, 10, 0, tzinfo=SHANGHAI), tick=False):
        body = admin_home(client_for(cast.admin))

    assert "workday-calendar-warning" not in body


def test_a_year_entered_but_not_marked_complete_is_still_pointed_out(cast, client_for):
    arrangement = made_up_2027(is_complete=False)

    with time_machine.travel(datetime.datetime(2026, 12, 1, 10, 0, tzinfo=SHANGHAI), tick=False):
        body = admin_home(client_for(cast.admin))

    assert "2027年的节假日安排尚未标记为完整录入：未录入的放假日和调休上班日，期限仍按周一至周五计算。" in body
    change_url = reverse("admin:common_workdayarrangement_change", args=[arrangement.pk])
    assert f'<a href="{change_url}">补全2027年节假日安排</a>' in body
    assert MISSING_2027 not in body


def test_a_missing_current_year_is_warned_of_at_any_time(cast, client_for):
    with time_machine.travel(datetime.datetime(2027, 3, 1, 10, 0, tzinfo=SHANGHAI), tick=False):
        body = admin_home(client_for(cast.admin))

    assert MISSING_2027 in body
    assert "2028年" not in body  # the coming year only from 1 October


def test_the_add_link_opens_the_form_with_the_year_filled_in(cast, client_for):
    response = client_for(cast.admin).get(f"{ADD_URL}?year=2027")

    assert response.status_code == 200
    assert response.context["adminform"].form.initial["year"] == "2027"


# --- Other processes ------------------------------------------------------------------


def test_a_change_made_by_another_process_is_seen_once_the_refresh_interval_has_passed(clock):
    # Given this process has read the calendar: 2027 counts Monday–Friday
    assert add_working_days(D(2027, 2, 5), 1) == D(2027, 2, 8)
    this_process_copy = workdays._calendar

    # When another process (a web worker, the Celery worker) enters 2027: here the ORM,
    # with this process's copy put back as though the change had happened elsewhere
    made_up_2027()
    workdays._calendar = this_process_copy

    # Then this process answers from its copy until the refresh interval has passed, and from the database after
    clock.advance(workdays.REFRESH_SECONDS - 1)
    assert add_working_days(D(2027, 2, 5), 1) == D(2027, 2, 8)
    clock.advance(1)
    assert add_working_days(D(2027, 2, 5), 1) == D(2027, 2, 15)
