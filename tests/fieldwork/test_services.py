"""visit_create and weekly_tracking_record: the rules, and that a refusal changes nothing."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import Role
from common.periods import IsoWeek
from fieldwork.models import ContactMode, Trend, Visit, VisitAttachment, WeeklyTracking
from fieldwork.services import RaisedProblem, visit_create, weekly_tracking_record
from issues.models import Issue, IssueEvent, Source, State
from tests.factories import CategoryFactory, UserFactory
from tests.fieldwork.conftest import JPEG_BYTES, jpeg, pdf, stored_files

SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))


def nothing_written():
    return (Visit.objects.count(), Issue.objects.count(), IssueEvent.objects.count(), VisitAttachment.objects.count())


# --- Visits ------------------------------------------------------------------


def test_a_visit_with_problems_submits_each_problem_as_an_issue_linked_to_the_visit(cast):
    orders = CategoryFactory(code="orders", name="订单")

    visit = visit_create(
        officer=cast.officer_a,
        enterprise=cast.enterprise_a,
        mode=ContactMode.ON_SITE,
        met_with="李总",
        findings="三季度订单下滑。",
        output_value=Decimal("1250.50"),
        orders_trend=Trend.DOWN,
        employees=320,
        capacity_use=65,
        problems=[
            RaisedProblem(title="订单不足", description="三季度订单下降三成", category=orders),
            RaisedProblem(title="招工难", description="缺少焊工 20 人"),
        ],
    )

    visit.refresh_from_db()
    issues = list(visit.raised_issues.order_by("id"))
    assert [issue.title for issue in issues] == ["订单不足", "招工难"]
    assert [issue.category for issue in issues] == [orders, None]
    for issue in issues:
        assert issue.state == State.SUBMITTED
        assert issue.source == Source.VISIT
        assert issue.enterprise == cast.enterprise_a
        assert issue.created_by == cast.officer_a
        events = list(issue.events.all())
        assert [(event.action, event.from_state, event.to_state, event.actor) for event in events] == [
            ("submit", "", State.SUBMITTED, cast.officer_a)
        ]
    assert list(issues[0].source_visits.all()) == [visit]
    assert visit.has_difficulties is True  # a raised problem is a difficulty
    assert (visit.output_value, visit.orders_trend, visit.employees, visit.capacity_use) == (
        Decimal("1250.50"),
        Trend.DOWN,
        320,
        65,
    )


def test_a_visit_without_problems_raises_no_issue_and_defaults_to_now(cast):
    with time_machine.travel(datetime.datetime(2026, 11, 27, 9, 30, tzinfo=SHANGHAI), tick=False):
        visit = visit_create(officer=cast.officer_a, enterprise=cast.enterprise_a, findings="生产正常")

    assert visit.raised_issues.count() == 0
    assert Issue.objects.count() == 0
    assert visit.has_difficulties is False
    assert timezone.localtime(visit.visited_at).strftime("%Y-%m-%d %H:%M") == "2026-11-27 09:30"


def test_an_officer_cannot_log_a_visit_for_another_grids_enterprise(cast):
    with pytest.raises(ValidationError) as refused:
        visit_create(
            officer=cast.officer_a,
            enterprise=cast.enterprise_b,
            problems=[RaisedProblem(title="用地", description="厂房不足")],
        )

    assert "enterprise" in refused.value.message_dict
    assert nothing_written() == (0, 0, 0, 0)


@pytest.mark.parametrize("persona", ["manager", "leader_a", "bureau_user_x", "enterprise_user_a", "admin"])
def test_only_grid_officers_log_visits(cast, persona):
    with pytest.raises(ValidationError):
        visit_create(officer=getattr(cast, persona), enterprise=cast.enterprise_a)

    assert nothing_written() == (0, 0, 0, 0)


def test_the_leader_of_a_grid_team_may_log_for_its_enterprises(cast):
    team_leader = UserFactory(username="team-leader", role=Role.GRID_OFFICER)
    cast.grid_a.leader = team_leader
    cast.grid_a.save()

    visit = visit_create(officer=team_leader, enterprise=cast.enterprise_a, findings="组长走访")

    assert visit.officer == team_leader


def test_a_visit_in_the_future_is_refused(cast):
    with pytest.raises(ValidationError) as refused:
        visit_create(
            officer=cast.officer_a,
            enterprise=cast.enterprise_a,
            findings="生产正常",
            visited_at=timezone.now() + datetime.timedelta(hours=2),
        )

    assert "visited_at" in refused.value.message_dict
    assert nothing_written() == (0, 0, 0, 0)


def test_a_problem_without_a_description_refuses_the_whole_visit(cast):
    with pytest.raises(ValidationError) as refused:
        visit_create(
            officer=cast.officer_a,
            enterprise=cast.enterprise_a,
            problems=[
                RaisedProblem(title="订单不足", description="订单下降"),
                RaisedProblem(title="融资难", description="  "),
            ],
        )

    assert refused.value.message_dict["problems"] == ["第 2 个问题缺少标题或描述。"]
    assert nothing_written() == (0, 0, 0, 0)


def test_a_capacity_use_over_100_percent_is_refused(cast):
    with pytest.raises(ValidationError) as refused:
        visit_create(officer=cast.officer_a, enterprise=cast.enterprise_a, findings="生产正常", capacity_use=130)

    assert "capacity_use" in refused.value.message_dict
    assert nothing_written() == (0, 0, 0, 0)


EMPTY_VISIT_MESSAGE = "请填写走访情况，或登记至少一个发现的问题。"


@pytest.mark.parametrize(
    "details",
    [
        {},
        {"findings": "  \n "},
        # Who was met, the figures, the difficulty flag and photos describe a contact; none says what happened.
        {
            "met_with": "李总",
            "mode": ContactMode.PHONE,
            "output_value": Decimal("100"),
            "orders_trend": Trend.UP,
            "employees": 50,
            "capacity_use": 80,
            "has_difficulties": True,
        },
    ],
    ids=["nothing", "blank-findings", "contact-and-figures-only"],
)
def test_a_visit_that_says_nothing_found_or_done_is_refused_on_findings(cast, media_root, details):
    with pytest.raises(ValidationError) as refused:
        visit_create(officer=cast.officer_a, enterprise=cast.enterprise_a, attachments=[jpeg()], **details)

    assert refused.value.message_dict == {"findings": [EMPTY_VISIT_MESSAGE]}
    assert nothing_written() == (0, 0, 0, 0)
    assert stored_files(media_root) == []


def test_a_visit_with_only_findings_is_logged(cast):
    visit = visit_create(officer=cast.officer_a, enterprise=cast.enterprise_a, findings="  新厂房已投产  ")

    assert (visit.findings, visit.raised_issues.count()) == ("新厂房已投产", 0)
    assert Visit.objects.count() == 1


def test_a_visit_with_only_a_raised_problem_is_logged(cast):
    visit = visit_create(
        officer=cast.officer_a,
        enterprise=cast.enterprise_a,
        problems=[RaisedProblem(title="用电紧张", description="高峰时段限电")],
    )

    assert visit.findings == ""
    assert [issue.title for issue in visit.raised_issues.all()] == ["用电紧张"]
    assert (Visit.objects.count(), Issue.objects.count()) == (1, 1)


# --- Attachments -------------------------------------------------------------


def test_attachments_are_stored_under_a_random_name_with_their_original_name_kept(cast, media_root):
    visit = visit_create(
        officer=cast.officer_a,
        enterprise=cast.enterprise_a,
        findings="拍了门口和订单表",
        attachments=[jpeg("门口.jpg"), pdf("订单表.pdf")],
    )

    attachments = list(visit.attachments.order_by("id"))
    assert [(a.original_name, a.size, a.uploaded_by) for a in attachments] == [
        ("门口.jpg", len(JPEG_BYTES), cast.officer_a),
        ("订单表.pdf", 15, cast.officer_a),
    ]
    assert all(a.file.name.startswith("fieldwork/visits/") and "门口" not in a.file.name for a in attachments)
    assert len(stored_files(media_root)) == 2
    with attachments[0].file.open("rb") as handle:
        assert handle.read() == JPEG_BYTES


@pytest.mark.parametrize(
    ("upload", "reason"),
    [
        (SimpleUploadedFile("tool.exe", b"MZ\x90\x00" + b"\x00" * 32), "不支持的文件类型"),
        (SimpleUploadedFile("photo.png", JPEG_BYTES), "文件内容与扩展名不符"),
        (SimpleUploadedFile("huge.jpg", b"\xff\xd8\xff" + b"\x00" * (10 * 1024 * 1024)), "文件过大"),
    ],
    ids=["wrong-type", "content-mismatch", "too-large"],
)
def test_a_bad_attachment_refuses_the_whole_visit_and_stores_nothing(cast, media_root, upload, reason):
    with pytest.raises(ValidationError) as refused:
        visit_create(
            officer=cast.officer_a,
            enterprise=cast.enterprise_a,
            problems=[RaisedProblem(title="订单不足", description="订单下降")],
            attachments=[jpeg(), upload],
        )

    assert reason in " ".join(refused.value.message_dict["attachments"])
    assert nothing_written() == (0, 0, 0, 0)
    assert stored_files(media_root) == []


def test_files_already_stored_are_removed_when_the_transaction_fails(cast, media_root, monkeypatch):
    def fail(self, *args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(VisitAttachment, "save", fail)

    with pytest.raises(RuntimeError):
        visit_create(officer=cast.officer_a, enterprise=cast.enterprise_a, findings="生产正常", attachments=[jpeg()])

    assert nothing_written() == (0, 0, 0, 0)
    assert stored_files(media_root) == []


# --- Weekly tracking ---------------------------------------------------------


def test_a_second_entry_for_the_same_week_updates_the_row(cast):
    second_officer = UserFactory(username="officer-a2", role=Role.GRID_OFFICER)
    cast.grid_a.officers.add(second_officer)
    week = IsoWeek(2026, 47)

    with time_machine.travel(datetime.datetime(2026, 11, 27, 10, 0, tzinfo=SHANGHAI), tick=False):
        first, first_created = weekly_tracking_record(
            officer=cast.officer_a, enterprise=cast.enterprise_a, week=week, employees=300, risk_orders=True
        )
        second, second_created = weekly_tracking_record(
            officer=second_officer,
            enterprise=cast.enterprise_a,
            week=week,
            mode=ContactMode.ON_SITE,
            employees=310,
            capacity_use=70,
            note="订单恢复",
        )

    assert (first_created, second_created) == (True, False)
    assert second.pk == first.pk
    assert WeeklyTracking.objects.count() == 1
    row = WeeklyTracking.objects.get()
    assert (row.iso_year, row.iso_week, row.week_start) == (2026, 47, datetime.date(2026, 11, 16))
    assert (row.officer, row.mode, row.employees, row.capacity_use, row.note) == (
        second_officer,
        ContactMode.ON_SITE,
        310,
        70,
        "订单恢复",
    )
    # The second entry replaces the week's figures, flags included.
    assert row.risk_orders is False


def test_a_second_entry_keeps_the_tracked_time_and_records_the_edit(cast):
    """Tracked on Monday 30 November (2026-W49, counting for November); corrected on 2 December.
    The tracking stays November's: only ``updated_at`` moves."""
    week = IsoWeek(2026, 49)
    tracked = datetime.datetime(2026, 11, 30, 9, 0, tzinfo=SHANGHAI)
    corrected = datetime.datetime(2026, 12, 2, 16, 30, tzinfo=SHANGHAI)
    with time_machine.travel(tracked, tick=False):
        weekly_tracking_record(officer=cast.officer_a, enterprise=cast.enterprise_a, week=week, employees=300)

    with time_machine.travel(corrected, tick=False):
        tracking, created = weekly_tracking_record(
            officer=cast.officer_a, enterprise=cast.enterprise_a, week=week, employees=310
        )

    row = WeeklyTracking.objects.get()
    assert (created, tracking.pk) == (False, row.pk)
    assert (row.employees, row.tracked_at, row.created_at, row.updated_at) == (310, tracked, tracked, corrected)
    assert tracking.tracked_at == tracked


def test_tracking_defaults_to_the_current_iso_week_in_shanghai(cast):
    # Sunday 2027-01-03 23:30 in Shanghai is still 2026-W53 (UTC says the same day 15:30).
    with time_machine.travel(datetime.datetime(2027, 1, 3, 23, 30, tzinfo=SHANGHAI), tick=False):
        tracking, created = weekly_tracking_record(officer=cast.officer_a, enterprise=cast.enterprise_a)

    assert created
    assert (tracking.iso_year, tracking.iso_week, tracking.week_start) == (2026, 53, datetime.date(2026, 12, 28))


def test_tracking_recorded_at_a_moment_takes_its_week_and_times_from_it(cast):
    """Given ``at`` = 2026-12-06T16:30Z, which is Monday 2026-12-07 00:30 in Shanghai (ISO week 50;
    UTC still says Sunday of week 49), and a real clock far later: the row is week 50's, and its
    tracked, created and updated times are ``at``."""
    moment = datetime.datetime(2026, 12, 6, 16, 30, tzinfo=datetime.UTC)

    with time_machine.travel(datetime.datetime(2027, 3, 1, 10, 0, tzinfo=SHANGHAI), tick=False):
        tracking, created = weekly_tracking_record(
            officer=cast.officer_a, enterprise=cast.enterprise_a, employees=300, at=moment
        )

    row = WeeklyTracking.objects.get()
    assert (created, tracking.pk) == (True, row.pk)
    assert (row.iso_year, row.iso_week, row.week_start) == (2026, 50, datetime.date(2026, 12, 7))
    assert (row.tracked_at, row.created_at, row.updated_at) == (moment, moment, moment)
    assert (tracking.tracked_at, tracking.created_at, tracking.updated_at) == (moment, moment, moment)


def test_a_correction_at_a_later_moment_moves_only_the_updated_time(cast):
    """Entered for week 50 at Monday 00:30 in Shanghai, corrected at Wednesday 09:00: the tracked and
    created times stay the first entry's, ``updated_at`` is the correction's."""
    first = datetime.datetime(2026, 12, 6, 16, 30, tzinfo=datetime.UTC)
    correction = datetime.datetime(2026, 12, 9, 9, 0, tzinfo=SHANGHAI)
    weekly_tracking_record(officer=cast.officer_a, enterprise=cast.enterprise_a, employees=300, at=first)

    tracking, created = weekly_tracking_record(
        officer=cast.officer_a, enterprise=cast.enterprise_a, week=IsoWeek(2026, 50), employees=310, at=correction
    )

    row = WeeklyTracking.objects.get()
    assert (created, row.employees, row.iso_week) == (False, 310, 50)
    assert (row.tracked_at, row.created_at, row.updated_at) == (first, first, correction)


def test_a_week_not_yet_begun_at_the_moment_given_is_refused(cast):
    """At Sunday 2026-12-06 23:50 in Shanghai (15:50Z), week 50 has not begun: refused, nothing written."""
    with pytest.raises(ValidationError) as refused:
        weekly_tracking_record(
            officer=cast.officer_a,
            enterprise=cast.enterprise_a,
            week=IsoWeek(2026, 50),
            at=datetime.datetime(2026, 12, 6, 15, 50, tzinfo=datetime.UTC),
        )

    assert "week" in refused.value.message_dict
    assert WeeklyTracking.objects.count() == 0


def test_a_visit_recorded_at_a_moment_is_checked_against_it_and_stamped_with_it(cast):
    """A visit recorded at 2026-10-31 23:30 in Shanghai with no visit time: visited then, stamped then,
    and the problem it raised is submitted then; a visit time after that moment is refused."""
    moment = datetime.datetime(2026, 10, 31, 23, 30, tzinfo=SHANGHAI)

    visit = visit_create(
        officer=cast.officer_a,
        enterprise=cast.enterprise_a,
        problems=[RaisedProblem(title="用工紧缺", description="缺少焊工")],
        at=moment,
    )

    row = Visit.objects.get()
    assert (visit.pk, row.visited_at, row.created_at, row.updated_at) == (row.pk, moment, moment, moment)
    issue = row.raised_issues.get()
    assert (issue.created_at, issue.events.get().at) == (moment, moment)
    with pytest.raises(ValidationError) as refused:
        visit_create(
            officer=cast.officer_a,
            enterprise=cast.enterprise_a,
            findings="走访",
            visited_at=moment + datetime.timedelta(hours=1),
            at=moment,
        )
    assert "visited_at" in refused.value.message_dict
    assert Visit.objects.count() == 1


def test_another_week_is_another_row(cast):
    with time_machine.travel(datetime.datetime(2027, 1, 6, 10, 0, tzinfo=SHANGHAI), tick=False):
        weekly_tracking_record(officer=cast.officer_a, enterprise=cast.enterprise_a, week=IsoWeek(2026, 53))
        weekly_tracking_record(officer=cast.officer_a, enterprise=cast.enterprise_a, week=IsoWeek(2027, 1))

    assert list(WeeklyTracking.objects.order_by("week_start").values_list("iso_year", "iso_week")) == [
        (2026, 53),
        (2027, 1),
    ]


def test_a_week_not_yet_started_is_refused(cast):
    with time_machine.travel(datetime.datetime(2026, 11, 27, 10, 0, tzinfo=SHANGHAI), tick=False):
        with pytest.raises(ValidationError) as refused:
            weekly_tracking_record(officer=cast.officer_a, enterprise=cast.enterprise_a, week=IsoWeek(2026, 49))

    assert "week" in refused.value.message_dict
    assert WeeklyTracking.objects.count() == 0


def test_tracking_for_another_grids_enterprise_is_refused(cast):
    with pytest.raises(ValidationError):
        weekly_tracking_record(officer=cast.officer_a, enterprise=cast.enterprise_b)

    assert WeeklyTracking.objects.count() == 0


def test_a_bad_figure_refuses_the_entry_and_keeps_the_week_unchanged(cast):
    week = IsoWeek.current()
    weekly_tracking_record(officer=cast.officer_a, enterprise=cast.enterprise_a, week=week, capacity_use=60)

    with pytest.raises(ValidationError) as refused:
        weekly_tracking_record(officer=cast.officer_a, enterprise=cast.enterprise_a, week=week, capacity_use=120)

    assert "capacity_use" in refused.value.message_dict
    assert list(WeeklyTracking.objects.values_list("capacity_use", flat=True)) == [60]


# --- ISO weeks ---------------------------------------------------------------


def test_iso_weeks_cross_the_year_boundary_of_a_53_week_year():
    assert IsoWeek.of(datetime.date(2027, 1, 3)) == IsoWeek(2026, 53)
    assert IsoWeek(2027, 1).minus(1) == IsoWeek(2026, 53)
    assert IsoWeek(2026, 53).monday == datetime.date(2026, 12, 28)
    assert IsoWeek.parse("2026-W53").sunday == datetime.date(2027, 1, 3)
    assert IsoWeek(2026, 53).label() == "2026年第53周（12月28日—1月3日）"


@pytest.mark.parametrize("code", ["2025-W53", "2026-W00", "2026-48", "W48", ""])
def test_a_week_that_does_not_exist_is_refused(code):
    with pytest.raises(ValidationError):
        IsoWeek.parse(code)
