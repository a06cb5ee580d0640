"""The field-work pages: scope (404 outside it), the phone forms, files, timeline."""

import datetime
import re

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from common.periods import IsoWeek
from enterprises.models import Tier
from fieldwork.models import ContactMode, Visit, VisitAttachment, WeeklyTracking
from fieldwork.services import RaisedProblem, visit_create, weekly_tracking_record
from issues.models import Issue, Source, State
from tests.factories import EnterpriseFactory
from tests.fieldwork.conftest import JPEG_BYTES, jpeg, stored_files

SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))
OUTSIDERS_OF_GRID_A = ["officer_b", "leader_b", "bureau_user_x", "enterprise_user_a", "enterprise_user_b"]
NOT_OFFICERS = ["manager", "admin", "leader_a", "bureau_user_x", "enterprise_user_a"]


def visit_form_data(**overrides) -> dict:
    data = {
        "visited_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "mode": ContactMode.ON_SITE,
        "met_with": "李总",
        "findings": "生产正常，订单饱满。",
        "output_value": "860.5",
        "orders_trend": "up",
        "employees": "120",
        "capacity_use": "85",
        "problems-TOTAL_FORMS": "1",
        "problems-INITIAL_FORMS": "0",
        "problems-MIN_NUM_FORMS": "0",
        "problems-MAX_NUM_FORMS": "10",
        "problems-0-title": "",
        "problems-0-description": "",
        "problems-0-category": "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def visit_a(cast):
    return visit_create(
        officer=cast.officer_a,
        enterprise=cast.enterprise_a,
        findings="甲企业走访",
        problems=[RaisedProblem(title="缺电", description="用电负荷不足")],
        attachments=[jpeg("门口.jpg")],
    )


# --- Logging a visit ---------------------------------------------------------


def test_the_visit_form_opens_for_an_enterprise_of_my_grid_with_the_time_preset_to_now(cast, client_for):
    with time_machine.travel(datetime.datetime(2026, 11, 27, 9, 41, tzinfo=SHANGHAI), tick=False):
        response = client_for(cast.officer_a).get(reverse("fieldwork:visit_create", args=[cast.enterprise_a.pk]))

    assert response.status_code == 200
    page = response.content.decode()
    assert cast.enterprise_a.name in page
    assert 'value="2026-11-27T09:41"' in page
    assert 'name="problems-0-title"' in page


def test_logging_a_visit_with_a_problem_and_a_photo(cast, client_for, media_root):
    data = visit_form_data(**{"problems-0-title": "订单不足", "problems-0-description": "四季度订单下降"})
    data["attachments"] = [SimpleUploadedFile("门口.jpg", JPEG_BYTES, content_type="image/jpeg")]

    response = client_for(cast.officer_a).post(reverse("fieldwork:visit_create", args=[cast.enterprise_a.pk]), data)

    visit = Visit.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("fieldwork:visit_detail", args=[visit.pk])
    assert (visit.enterprise, visit.officer, visit.met_with, visit.employees, visit.capacity_use) == (
        cast.enterprise_a,
        cast.officer_a,
        "李总",
        120,
        85,
    )
    issue = visit.raised_issues.get()
    assert (issue.title, issue.state, issue.source, issue.enterprise) == (
        "订单不足",
        State.SUBMITTED,
        Source.VISIT,
        cast.enterprise_a,
    )
    assert visit.attachments.get().original_name == "门口.jpg"
    assert len(stored_files(media_root)) == 1


def test_the_blank_problem_form_is_ignored(cast, client_for):
    response = client_for(cast.officer_a).post(
        reverse("fieldwork:visit_create", args=[cast.enterprise_a.pk]), visit_form_data()
    )

    assert response.status_code == 302
    assert Visit.objects.count() == 1
    assert Issue.objects.count() == 0


def test_a_validation_error_keeps_what_was_typed_and_saves_nothing(cast, client_for):
    data = visit_form_data(
        capacity_use="150",
        findings="车间新上两条产线",
        **{"problems-0-title": "融资难", "problems-0-description": "贷款到期续贷困难"},
    )

    response = client_for(cast.officer_a).post(reverse("fieldwork:visit_create", args=[cast.enterprise_a.pk]), data)

    assert response.status_code == 200
    page = response.content.decode()
    assert "车间新上两条产线" in page
    assert 'value="融资难"' in page
    assert "贷款到期续贷困难" in page
    assert 'value="李总"' in page
    assert "is-invalid" in page
    assert (Visit.objects.count(), Issue.objects.count()) == (0, 0)


def test_a_problem_with_a_title_but_no_description_is_shown_as_an_error(cast, client_for):
    data = visit_form_data(**{"problems-0-title": "融资难"})

    response = client_for(cast.officer_a).post(reverse("fieldwork:visit_create", args=[cast.enterprise_a.pk]), data)

    assert response.status_code == 200
    assert "该字段是必填项。" in response.content.decode()
    assert (Visit.objects.count(), Issue.objects.count()) == (0, 0)


def test_an_empty_visit_is_refused_on_the_findings_field_and_nothing_is_saved(cast, client_for):
    # Who was met and the figures are kept on the form, but no findings and no problem: nothing happened.
    data = visit_form_data(findings="   ")

    response = client_for(cast.officer_a).post(reverse("fieldwork:visit_create", args=[cast.enterprise_a.pk]), data)

    assert response.status_code == 200
    page = response.content.decode()
    findings_field = page[page.index('name="findings"') - 200 : page.index('name="findings"') + 600]
    assert "is-invalid" in findings_field
    assert '<div class="invalid-feedback d-block">请填写走访情况，或登记至少一个发现的问题。</div>' in findings_field
    assert 'value="李总"' in page and 'value="860.5"' in page
    assert "走访已登记" not in page
    assert (Visit.objects.count(), Issue.objects.count()) == (0, 0)


def test_a_visit_with_only_a_raised_problem_is_logged_from_the_page(cast, client_for):
    data = visit_form_data(
        findings="",
        met_with="",
        output_value="",
        orders_trend="",
        employees="",
        capacity_use="",
        **{"problems-0-title": "用电紧张", "problems-0-description": "高峰时段限电"},
    )

    response = client_for(cast.officer_a).post(reverse("fieldwork:visit_create", args=[cast.enterprise_a.pk]), data)

    visit = Visit.objects.get()
    assert response.status_code == 302
    assert response["Location"] == visit.get_absolute_url()
    assert (visit.findings, [issue.title for issue in visit.raised_issues.all()]) == ("", ["用电紧张"])


def test_a_bad_attachment_is_refused_on_the_form_and_nothing_is_stored(cast, client_for, media_root):
    data = visit_form_data(**{"problems-0-title": "缺电", "problems-0-description": "负荷不足"})
    data["attachments"] = [jpeg(), SimpleUploadedFile("virus.exe", b"MZ" + b"\x00" * 20)]

    response = client_for(cast.officer_a).post(reverse("fieldwork:visit_create", args=[cast.enterprise_a.pk]), data)

    assert response.status_code == 200
    page = response.content.decode()
    assert "不支持的文件类型" in page
    assert "请重新选择" in page
    assert (Visit.objects.count(), Issue.objects.count(), VisitAttachment.objects.count()) == (0, 0, 0)
    assert stored_files(media_root) == []


def test_an_officer_gets_404_for_another_grids_enterprise_and_nothing_is_saved(cast, client_for):
    client = client_for(cast.officer_a)
    url = reverse("fieldwork:visit_create", args=[cast.enterprise_b.pk])

    assert client.get(url).status_code == 404
    assert client.post(url, visit_form_data()).status_code == 404
    assert Visit.objects.count() == 0


@pytest.mark.parametrize("persona", NOT_OFFICERS)
def test_only_grid_officers_open_the_visit_form(cast, client_for, persona):
    client = client_for(getattr(cast, persona))
    url = reverse("fieldwork:visit_create", args=[cast.enterprise_a.pk])

    assert client.get(url).status_code == 404
    assert client.post(url, visit_form_data()).status_code == 404
    assert Visit.objects.count() == 0


def test_anonymous_users_are_sent_to_login(cast, client):
    response = client.get(reverse("fieldwork:visit_create", args=[cast.enterprise_a.pk]))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_board_qr_code_leads_an_officer_to_the_visit_form(cast, client_for):
    client = client_for(cast.officer_a)

    response = client.get(reverse("fieldwork:visit_by_token", args=[cast.enterprise_a.board_token]))

    assert response.status_code == 302
    assert response["Location"] == reverse("fieldwork:visit_create", args=[cast.enterprise_a.pk])
    assert client.get(reverse("fieldwork:visit_by_token", args=[cast.enterprise_b.board_token])).status_code == 404
    assert client.get(reverse("fieldwork:visit_by_token", args=["no-such-token"])).status_code == 404
    manager = client_for(cast.manager)
    assert manager.get(reverse("fieldwork:visit_by_token", args=[cast.enterprise_a.board_token])).status_code == 404


# --- Reading visits and their files -------------------------------------------


@pytest.mark.parametrize("persona", ["officer_a", "leader_a", "manager", "admin"])
def test_those_in_scope_read_the_visit(cast, client_for, visit_a, persona):
    response = client_for(getattr(cast, persona)).get(reverse("fieldwork:visit_detail", args=[visit_a.pk]))

    assert response.status_code == 200
    page = response.content.decode()
    assert "甲企业走访" in page
    assert "缺电" in page
    assert reverse("fieldwork:attachment_download", args=[visit_a.attachments.get().pk]) in page


@pytest.mark.parametrize("persona", OUTSIDERS_OF_GRID_A)
def test_a_visit_outside_the_scope_answers_404(cast, client_for, visit_a, persona):
    response = client_for(getattr(cast, persona)).get(reverse("fieldwork:visit_detail", args=[visit_a.pk]))

    assert response.status_code == 404


@pytest.mark.parametrize("persona", ["officer_a", "leader_a", "manager"])
def test_an_attachment_is_served_to_those_who_may_read_the_visit(cast, client_for, visit_a, persona):
    attachment = visit_a.attachments.get()

    response = client_for(getattr(cast, persona)).get(reverse("fieldwork:attachment_download", args=[attachment.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert b"".join(response.streaming_content) == JPEG_BYTES
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize("persona", OUTSIDERS_OF_GRID_A)
def test_an_attachment_outside_the_scope_answers_404(cast, client_for, visit_a, persona):
    attachment = visit_a.attachments.get()

    response = client_for(getattr(cast, persona)).get(reverse("fieldwork:attachment_download", args=[attachment.pk]))

    assert response.status_code == 404


def test_an_anonymous_user_cannot_fetch_an_attachment(cast, client, visit_a):
    response = client.get(reverse("fieldwork:attachment_download", args=[visit_a.attachments.get().pk]))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_media_url_does_not_serve_files(cast, client_for, visit_a):
    attachment = visit_a.attachments.get()

    response = client_for(cast.manager).get("/media/" + attachment.file.name)

    assert response.status_code == 404


# --- The enterprise's timeline ------------------------------------------------


def test_the_timeline_fragment_shows_visits_and_tracking_newest_first(cast, client_for, visit_a):
    weekly_tracking_record(officer=cast.officer_a, enterprise=cast.enterprise_a, employees=88, risk_funding=True)

    response = client_for(cast.officer_a).get(reverse("fieldwork:enterprise_timeline", args=[cast.enterprise_a.pk]))

    page = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in page
    assert page.index("timeline-tracking") < page.index("timeline-visit")
    assert "甲企业走访" in page and "缺电" in page and "资金风险" in page
    assert reverse("fieldwork:visit_create", args=[cast.enterprise_a.pk]) in page


def test_the_timeline_offers_no_logging_buttons_to_readers(cast, client_for, visit_a):
    response = client_for(cast.manager).get(reverse("fieldwork:enterprise_timeline", args=[cast.enterprise_a.pk]))

    assert response.status_code == 200
    assert reverse("fieldwork:visit_create", args=[cast.enterprise_a.pk]) not in response.content.decode()


@pytest.mark.parametrize("persona", OUTSIDERS_OF_GRID_A)
def test_the_timeline_outside_the_scope_answers_404(cast, client_for, persona):
    url = reverse("fieldwork:enterprise_timeline", args=[cast.enterprise_a.pk])

    assert client_for(getattr(cast, persona)).get(url).status_code == 404


# --- Officer home and enterprise search ---------------------------------------


def test_the_officer_home_lists_my_enterprises_most_overdue_first_and_my_open_issues(cast, client_for, visit_a):
    key = EnterpriseFactory(name="重点骨干企业", tier=Tier.BACKBONE, grid=cast.grid_a)
    with time_machine.travel(datetime.datetime(2026, 11, 16, 10, 0, tzinfo=SHANGHAI), tick=False):
        weekly_tracking_record(officer=cast.officer_a, enterprise=cast.enterprise_a)
        weekly_tracking_record(officer=cast.officer_a, enterprise=key)

    with time_machine.travel(datetime.datetime(2026, 12, 2, 10, 0, tzinfo=SHANGHAI), tick=False):
        response = client_for(cast.officer_a).get(reverse("fieldwork:officer_home"))

    page = response.content.decode()
    assert response.status_code == 200
    # The key enterprise missed W48; the growth one is due in December.
    assert page.index("重点骨干企业") < page.index(cast.enterprise_a.name)
    assert "逾期 3 天" in page
    assert "12月31日前完成" in page
    assert cast.enterprise_b.name not in page
    assert reverse("fieldwork:tracking_record", args=[key.pk]) in page
    assert reverse("fieldwork:visit_create", args=[key.pk]) in page
    assert 'id="issues-heading"' in page and '<span class="badge text-bg-secondary ms-1">1</span>' in page
    assert visit_a.get_absolute_url() in page


def due_card(page: str, enterprise) -> str:
    start = page.index(f'data-enterprise="{enterprise.pk}"')
    return page[start : page.index("</article>", start)]


def due_badges(page: str) -> tuple[str, ...]:
    """The three counts above the due list: overdue, due, done."""
    summary = page[page.index('class="small due-summary"') :]
    colours = ("danger", "warning", "success")
    return tuple(re.search(rf'text-bg-{colour}">([^<]*)</span>', summary).group(1) for colour in colours)


STILL_DUE = ("逾期 0", "待跟踪 1", "已完成 0")
DONE = ("逾期 0", "待跟踪 0", "已完成 1")


@pytest.mark.parametrize(
    ("tracked_at", "badge", "summary"),
    [
        # Tracked on Monday 30 November (2026-W49): November's tracking, December's is still to do.
        (datetime.datetime(2026, 11, 30, 10, 0, tzinfo=SHANGHAI), "12月31日前完成", STILL_DUE),
        # 23:59 on 30 November in Shanghai (15:59 UTC) is still November.
        (datetime.datetime(2026, 11, 30, 23, 59, tzinfo=SHANGHAI), "12月31日前完成", STILL_DUE),
        # 00:00 on 1 December in Shanghai (16:00 UTC on 30 November) is December.
        (datetime.datetime(2026, 12, 1, 0, 0, tzinfo=SHANGHAI), "本期已跟踪", DONE),
        # Wednesday 2 December, the same ISO week: December's tracking is done.
        (datetime.datetime(2026, 12, 2, 9, 0, tzinfo=SHANGHAI), "本期已跟踪", DONE),
    ],
)
def test_the_officer_home_counts_growth_tracking_for_the_month_it_was_done(
    cast, client_for, tracked_at, badge, summary
):
    with time_machine.travel(tracked_at, tick=False):
        weekly_tracking_record(officer=cast.officer_a, enterprise=cast.enterprise_a)

    with time_machine.travel(datetime.datetime(2026, 12, 2, 15, 0, tzinfo=SHANGHAI), tick=False):
        page = client_for(cast.officer_a).get(reverse("fieldwork:officer_home")).content.decode()

    assert cast.enterprise_a.tier == Tier.GROWTH
    card = due_card(page, cast.enterprise_a)
    assert badge in card
    assert "2026年第49周" in card
    assert due_badges(page) == summary


@pytest.mark.parametrize(
    ("today", "badge", "summary"),
    [
        # Tracked in 2026-W53: in 2027-W01 the next entry is due by Sunday 10 January…
        ((2027, 1, 6), "1月10日前完成", ("逾期 0", "待跟踪 1", "已完成 0")),
        # …and in 2027-W02 it is late by three days.
        ((2027, 1, 13), "逾期 3 天", ("逾期 1", "待跟踪 0", "已完成 0")),
    ],
)
def test_the_officer_home_keeps_the_weekly_rhythm_across_iso_week_53(cast, client_for, today, badge, summary):
    cast.enterprise_a.tier = Tier.LEADING
    cast.enterprise_a.save()
    with time_machine.travel(datetime.datetime(2026, 12, 30, 10, 0, tzinfo=SHANGHAI), tick=False):
        weekly_tracking_record(officer=cast.officer_a, enterprise=cast.enterprise_a)

    with time_machine.travel(datetime.datetime(*today, 10, 0, tzinfo=SHANGHAI), tick=False):
        page = client_for(cast.officer_a).get(reverse("fieldwork:officer_home")).content.decode()

    card = due_card(page, cast.enterprise_a)
    assert badge in card
    assert "2026年第53周" in card
    assert due_badges(page) == summary


def test_the_officer_home_puts_finished_cards_last(cast, client_for):
    """On 2 December the key enterprise done this week is due again on 13 December, before the
    growth one still due by 31 December: the pending card comes first all the same."""
    key = EnterpriseFactory(name="重点骨干企业", tier=Tier.BACKBONE, grid=cast.grid_a)
    with time_machine.travel(datetime.datetime(2026, 11, 16, 10, 0, tzinfo=SHANGHAI), tick=False):
        weekly_tracking_record(officer=cast.officer_a, enterprise=cast.enterprise_a)
    with time_machine.travel(datetime.datetime(2026, 11, 30, 10, 0, tzinfo=SHANGHAI), tick=False):
        weekly_tracking_record(officer=cast.officer_a, enterprise=key)

    with time_machine.travel(datetime.datetime(2026, 12, 2, 10, 0, tzinfo=SHANGHAI), tick=False):
        page = client_for(cast.officer_a).get(reverse("fieldwork:officer_home")).content.decode()

    assert "12月31日前完成" in due_card(page, cast.enterprise_a)
    assert "本期已跟踪" in due_card(page, key)
    assert page.index(f'data-enterprise="{cast.enterprise_a.pk}"') < page.index(f'data-enterprise="{key.pk}"')


@pytest.mark.parametrize("persona", ["manager", "leader_a", "bureau_user_x", "enterprise_user_a", "admin"])
def test_the_officer_home_is_404_for_other_roles(cast, client_for, persona):
    assert client_for(getattr(cast, persona)).get(reverse("fieldwork:officer_home")).status_code == 404


def test_the_root_sends_an_officer_to_the_officer_home(cast, client_for):
    response = client_for(cast.officer_a).get("/")

    assert response.status_code == 302
    assert response["Location"] == reverse("fieldwork:officer_home")


def _officer_home_queries(cast, client_for, django_assert_max_num_queries, enterprise_count):
    for number in range(enterprise_count):
        enterprise = EnterpriseFactory(grid=cast.grid_a, tier=Tier.LEADING if number % 2 else Tier.GROWTH)
        visit_create(
            officer=cast.officer_a,
            enterprise=enterprise,
            problems=[RaisedProblem(title="问题", description="描述")],
        )
        weekly_tracking_record(officer=cast.officer_a, enterprise=enterprise)
    client = client_for(cast.officer_a)
    # 12 for the home itself, 4 for the panels other apps add (policy tasks and pushes, call tasks,
    # the platforms' waiting proposals counted in one query, the enterprises' reports to confirm).
    with django_assert_max_num_queries(16):
        response = client.get(reverse("fieldwork:officer_home"))
    assert response.status_code == 200


@pytest.mark.parametrize("enterprise_count", [5, 50])
def test_the_officer_home_runs_a_fixed_number_of_queries(
    cast, client_for, django_assert_max_num_queries, enterprise_count
):
    _officer_home_queries(cast, client_for, django_assert_max_num_queries, enterprise_count)


def test_enterprise_search_finds_only_my_grids_enterprises(cast, client_for):
    EnterpriseFactory(name="甲网格精密机械有限公司", grid=cast.grid_a)
    EnterpriseFactory(name="乙网格精密机械有限公司", grid=cast.grid_b)
    client = client_for(cast.officer_a)

    page = client.get(reverse("fieldwork:enterprise_search"), {"q": "精密"}).content.decode()
    fragment = client.get(reverse("fieldwork:enterprise_search"), {"q": "精密"}, HTTP_HX_REQUEST="true")

    assert "甲网格精密机械有限公司" in page and "乙网格精密机械有限公司" not in page
    assert "<html" not in fragment.content.decode()
    assert "甲网格精密机械有限公司" in fragment.content.decode()
    assert client_for(cast.manager).get(reverse("fieldwork:enterprise_search")).status_code == 404


# --- Weekly tracking form -----------------------------------------------------


def test_the_tracking_form_saves_then_updates_the_same_week(cast, client_for):
    client = client_for(cast.officer_a)
    url = reverse("fieldwork:tracking_record", args=[cast.enterprise_a.pk])
    week = IsoWeek.current()
    data = {"week": week.code, "mode": "phone", "employees": "95", "capacity_use": "70", "note": "平稳"}

    first = client.post(url, data, follow=True)
    second = client.post(url, {**data, "employees": "97", "risk_labour": "on"}, follow=True)

    assert "已保存" in first.content.decode()
    assert "已更新" in second.content.decode()
    row = WeeklyTracking.objects.get()
    assert (row.iso_year, row.iso_week, row.employees, row.risk_labour) == (week.year, week.week, 97, True)


def test_the_tracking_form_starts_from_last_weeks_figures(cast, client_for):
    last_week = IsoWeek.current().minus(1)
    weekly_tracking_record(
        officer=cast.officer_a, enterprise=cast.enterprise_a, week=last_week, employees=321, capacity_use=66
    )

    page = (
        client_for(cast.officer_a)
        .get(reverse("fieldwork:tracking_record", args=[cast.enterprise_a.pk]))
        .content.decode()
    )

    assert 'value="321"' in page and 'value="66"' in page
    assert "再次提交将更新" not in page  # this week has no entry yet


def test_the_tracking_form_refuses_a_bad_week_and_saves_nothing(cast, client_for):
    url = reverse("fieldwork:tracking_record", args=[cast.enterprise_a.pk])

    response = client_for(cast.officer_a).post(url, {"week": "2025-W53", "mode": "phone"})

    assert response.status_code == 200
    assert "is-invalid" in response.content.decode()
    assert WeeklyTracking.objects.count() == 0


@pytest.mark.parametrize("persona", ["officer_b", "manager", "leader_a", "bureau_user_x", "enterprise_user_a"])
def test_the_tracking_form_is_404_outside_my_grid(cast, client_for, persona):
    url = reverse("fieldwork:tracking_record", args=[cast.enterprise_a.pk])
    client = client_for(getattr(cast, persona))

    assert client.get(url).status_code == 404
    assert client.post(url, {"week": IsoWeek.current().code, "mode": "phone"}).status_code == 404
    assert WeeklyTracking.objects.count() == 0
