"""The weekly tracking close: who was tracked, who was missed, how figures moved, who is told."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError

from accounts.models import Notification
from analytics.models import Rhythm, WeeklyClose, WeeklyEnterpriseStatus
from analytics.weekly import weekly_close_run
from common.periods import IsoWeek
from enterprises.models import Tier
from tests.analytics.conftest import at, make_tracking
from tests.factories import EnterpriseFactory, UserFactory

W45 = IsoWeek(2026, 45)  # Monday 2 – Sunday 8 November 2026


@pytest.fixture
def week_45(cast):
    """Three key enterprises and one growth enterprise; only the leading one is tracked in W45."""
    c = cast
    leading = EnterpriseFactory(name="甲龙头", grid=c.grid_a, tier=Tier.LEADING)
    backbone = EnterpriseFactory(name="甲骨干", grid=c.grid_a, tier=Tier.BACKBONE)
    c.enterprise_b.tier = Tier.STRUGGLING
    c.enterprise_b.save()
    make_tracking(leading, c.officer_a, datetime.date(2026, 10, 26), "2026-10-27 09:00", output_value=100, employees=50)
    make_tracking(
        leading,
        c.officer_a,
        W45.monday,
        "2026-11-03 09:00",
        output_value=80,
        employees=48,
        capacity_use=70,
        risk_orders=True,
        risk_labour=True,
    )
    c.leading, c.backbone = leading, backbone
    return c


@pytest.fixture
def monday_morning():
    with time_machine.travel(at("2026-11-09 08:00"), tick=False):
        yield


def statuses(close) -> dict:
    return {status.enterprise.name: status for status in close.statuses.select_related("enterprise")}


@pytest.mark.usefixtures("monday_morning")
def test_tracked_and_missed(week_45):
    result = weekly_close_run(week=W45)
    close = result.close
    assert (close.week_start, close.expected, close.tracked, close.missed) == (datetime.date(2026, 11, 2), 3, 1, 2)
    assert (close.output_down, close.output_up, close.with_risks) == (1, 0, 1)
    rows = statuses(close)
    assert set(rows) == {"甲龙头", "甲骨干", "乙企业有限公司"}  # the growth enterprise is not due this week
    leading = rows["甲龙头"]
    assert leading.tracked and leading.rhythm == Rhythm.WEEKLY
    assert (leading.output_value, leading.previous_output_value) == (Decimal("80.00"), Decimal("100.00"))
    assert leading.output_change == -0.2
    assert (leading.employees, leading.previous_employees, leading.risk_count) == (48, 50, 2)
    assert not rows["甲骨干"].tracked and rows["甲骨干"].grid_id == week_45.grid_a.pk


@pytest.mark.usefixtures("monday_morning")
def test_officers_are_told_once_of_their_missed_enterprises(week_45):
    weekly_close_run(week=W45)
    notices = Notification.objects.filter(kind="tracking_missed")
    assert {(n.recipient.username, n.body) for n in notices} == {
        ("officer-a", "请尽快补充跟踪：甲骨干"),
        ("officer-b", "请尽快补充跟踪：乙企业有限公司"),
    }
    assert all(n.title == "2026-W45 有 1 家企业未完成跟踪" and "week=2026-W45" in n.url for n in notices)
    result = weekly_close_run(week=W45)
    assert result.notifications_sent == 0
    assert Notification.objects.filter(kind="tracking_missed").count() == 2


@pytest.mark.usefixtures("monday_morning")
def test_a_second_officer_of_the_grid_is_told_too(week_45):
    colleague = UserFactory(username="officer-a2", role="grid_officer")
    week_45.grid_a.officers.add(colleague)
    weekly_close_run(week=W45)
    assert Notification.objects.filter(kind="tracking_missed", recipient=colleague).count() == 1


@pytest.mark.usefixtures("monday_morning")
def test_rerun_changes_nothing(week_45):
    weekly_close_run(week=W45)
    before = list(WeeklyEnterpriseStatus.objects.order_by("pk").values())
    weekly_close_run(week=W45)
    assert list(WeeklyEnterpriseStatus.objects.order_by("pk").values()) == before
    assert WeeklyClose.objects.count() == 1


@pytest.mark.usefixtures("monday_morning")
def test_a_late_entry_turns_missed_into_tracked_on_rerun(week_45):
    weekly_close_run(week=W45)
    make_tracking(week_45.backbone, week_45.officer_a, W45.monday, "2026-11-09 07:00")
    close = weekly_close_run(week=W45).close
    assert (close.tracked, close.missed) == (2, 1)
    assert WeeklyEnterpriseStatus.objects.filter(close=close).count() == 3


def test_the_running_week_cannot_be_closed(week_45):
    with time_machine.travel(at("2026-11-08 23:59"), tick=False):
        with pytest.raises(ValidationError, match="尚未结束"):
            weekly_close_run(week=W45)
    assert not WeeklyClose.objects.exists()


def test_growth_enterprises_are_checked_in_the_last_week_of_the_month(week_45):
    """W49 (30 Nov – 6 Dec) closes November: a growth enterprise tracked any November week counts."""
    make_tracking(week_45.enterprise_a, week_45.officer_a, datetime.date(2026, 11, 16), "2026-11-17 09:00")
    other_growth = EnterpriseFactory(name="乙成长", grid=week_45.grid_b, tier=Tier.GROWTH)
    with time_machine.travel(at("2026-12-07 08:00"), tick=False):
        close = weekly_close_run(week=IsoWeek(2026, 49)).close
    rows = statuses(close)
    assert rows["甲企业有限公司"].tracked and rows["甲企业有限公司"].rhythm == Rhythm.MONTHLY
    assert not rows[other_growth.name].tracked
    assert (close.expected, close.missed) == (5, 4)


def test_iso_week_53_and_the_new_year(week_45):
    """2026-W53 (28 Dec – 3 Jan) closes December; 2027-W01 compares with W53's figures."""
    leading = week_45.leading
    make_tracking(leading, week_45.officer_a, datetime.date(2026, 12, 28), "2026-12-30 09:00", output_value=90)
    make_tracking(leading, week_45.officer_a, datetime.date(2027, 1, 4), "2027-01-05 09:00", output_value=99)
    with time_machine.travel(at("2027-01-11 08:00"), tick=False):
        week_53 = weekly_close_run(week=IsoWeek(2026, 53)).close
        week_1 = weekly_close_run(week=IsoWeek(2027, 1)).close
    assert (week_53.iso_year, week_53.iso_week, week_53.week_start) == (2026, 53, datetime.date(2026, 12, 28))
    assert statuses(week_53)["甲龙头"].tracked
    assert statuses(week_53)["甲企业有限公司"].rhythm == Rhythm.MONTHLY  # December's last week
    first = statuses(week_1)["甲龙头"]
    assert first.tracked and (first.output_value, first.previous_output_value) == (Decimal("99.00"), Decimal("90.00"))
    assert "甲企业有限公司" not in statuses(week_1)  # 4–10 January does not close January


@pytest.mark.usefixtures("monday_morning")
def test_an_enterprise_no_longer_due_leaves_the_week_on_rerun(week_45):
    weekly_close_run(week=W45)
    week_45.backbone.tier = Tier.GROWTH
    week_45.backbone.save()
    close = weekly_close_run(week=W45).close
    assert set(statuses(close)) == {"甲龙头", "乙企业有限公司"}
    assert (close.expected, close.missed) == (2, 1)


@pytest.mark.usefixtures("monday_morning")
def test_the_weekly_page_shows_each_person_his_scope(week_45, client_for):
    weekly_close_run(week=W45)
    html = client_for(week_45.officer_a).get("/analytics/weekly/?week=2026-W45").content.decode()
    assert "甲骨干" in html and "甲龙头" in html and "乙企业有限公司" not in html
    assert "−20.0%" in html  # the leading enterprise's output against its previous tracking
    html = client_for(week_45.leader_b).get("/analytics/weekly/?week=2026-W45").content.decode()
    assert "乙企业有限公司" in html and "甲骨干" not in html
    html = client_for(week_45.manager).get("/analytics/weekly/?week=2026-W45").content.decode()
    assert "甲骨干" in html and "乙企业有限公司" in html
    for persona in (week_45.bureau_user_x, week_45.enterprise_user_a):
        assert client_for(persona).get("/analytics/weekly/").status_code == 404


@pytest.mark.usefixtures("monday_morning")
def test_the_weekly_page_handles_bad_and_open_weeks(week_45, client_for):
    client = client_for(week_45.manager)
    html = client.get("/analytics/weekly/?week=2026-W99").content.decode()
    assert "没有第99周" in html and "2026-W45" in html  # falls back to the last complete week
    assert "尚未关账" in client.get("/analytics/weekly/?week=2026-W46").content.decode()


@pytest.mark.usefixtures("monday_morning")
@pytest.mark.parametrize("extra", [0, 12])
def test_weekly_page_queries_do_not_grow(week_45, client_for, django_assert_max_num_queries, extra):
    for number in range(extra):
        enterprise = EnterpriseFactory(grid=week_45.grid_a, tier=Tier.BACKBONE)
        if number % 2:
            make_tracking(enterprise, week_45.officer_a, W45.monday, "2026-11-03 10:00", output_value=10)
    weekly_close_run(week=W45)
    client = client_for(week_45.manager)
    with django_assert_max_num_queries(7):
        assert client.get("/analytics/weekly/?week=2026-W45").status_code == 200


W49 = IsoWeek(2026, 49)  # Monday 30 November – Sunday 6 December: November's last week


@pytest.mark.parametrize(
    ("tracked_at", "tracked_for_november"),
    [
        ("2026-11-30 09:00", True),  # in W49, on a November day
        ("2026-12-02 09:00", False),  # in W49, but a December day: it counts for December
        ("2026-11-10 09:00", True),  # an earlier November week
    ],
)
def test_the_month_closing_week_checks_growth_firms_by_the_day_they_were_tracked(
    cast, tracked_at, tracked_for_november
):
    growth = EnterpriseFactory(name="甲成长", grid=cast.grid_a, tier=Tier.GROWTH)
    day = datetime.date.fromisoformat(tracked_at[:10])
    make_tracking(growth, cast.officer_a, day - datetime.timedelta(days=day.weekday()), tracked_at)

    with time_machine.travel(at("2026-12-07 08:00"), tick=False):
        close = weekly_close_run(week=W49).close

    status = close.statuses.get(enterprise=growth)
    assert (status.rhythm, status.tracked) == (Rhythm.MONTHLY, tracked_for_november)
