"""The visit and tracking lists and their Excel exports: scoped, filtered, Chinese headers."""

import datetime
import io
import re

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from common.models import ExportJob
from common.periods import IsoWeek
from fieldwork.exports import TRACKING_COLUMNS, VISIT_COLUMNS
from fieldwork.services import RaisedProblem, visit_create, weekly_tracking_record
from tests.exports import exported
from tests.factories import EnterpriseFactory

SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))


@pytest.fixture
def field_data(cast):
    with time_machine.travel(datetime.datetime(2026, 11, 20, 15, 45, tzinfo=SHANGHAI), tick=False):
        visit_a = visit_create(
            officer=cast.officer_a,
            enterprise=cast.enterprise_a,
            met_with="李总",
            findings="订单下滑",
            output_value="1234.5",
            orders_trend="down",
            employees=300,
            capacity_use=60,
            problems=[RaisedProblem(title="订单不足", description="下降三成")],
        )
        visit_b = visit_create(officer=cast.officer_b, enterprise=cast.enterprise_b, mode="phone", findings="电话回访")
        weekly_tracking_record(
            officer=cast.officer_a, enterprise=cast.enterprise_a, employees=298, risk_orders=True, note="关注"
        )
        weekly_tracking_record(officer=cast.officer_b, enterprise=cast.enterprise_b)
    return {"visit_a": visit_a, "visit_b": visit_b}


def workbook_rows(response):
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert ".xlsx" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    sheet = workbook.worksheets[0]
    heading, *rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert re.fullmatch(rf"{sheet.title}（导出时间 \d{{4}}-\d{{2}}-\d{{2}} \d{{2}}:\d{{2}}）", heading[0])
    return sheet.title, rows


def test_the_visit_export_has_chinese_headers_and_the_zones_wall_clock_time(cast, client_for, field_data):
    response = exported(client_for(cast.officer_a), reverse("fieldwork:visit_export"))

    title, rows = workbook_rows(response)
    assert title == "走访记录"
    assert rows[0] == [str(column.header) for column in VISIT_COLUMNS]
    assert rows[0][:3] == ["走访时间", "企业名称", "统一社会信用代码"]
    assert rows[1:] == [
        [
            datetime.datetime(2026, 11, 20, 15, 45),
            cast.enterprise_a.name,
            cast.enterprise_a.uscc,
            "甲片区",
            "甲网格",
            "张网格",
            "点对点（上门）",
            "李总",
            "订单下滑",
            1234.5,
            "下降",
            300,
            60,
            "是",
            1,
        ]
    ]


def test_the_visit_export_follows_the_filters_and_the_scope(cast, client_for, field_data):
    manager = client_for(cast.manager)

    _, everything = workbook_rows(exported(manager, reverse("fieldwork:visit_export")))
    _, by_phone = workbook_rows(exported(manager, reverse("fieldwork:visit_export"), {"mode": "phone"}))
    _, leader_b = workbook_rows(exported(client_for(cast.leader_b), reverse("fieldwork:visit_export")))

    assert len(everything) == 3
    assert [row[1] for row in by_phone[1:]] == [cast.enterprise_b.name]
    assert [row[1] for row in leader_b[1:]] == [cast.enterprise_b.name]


def test_a_bad_filter_is_refused_naming_it_and_starts_no_export(cast, client_for, field_data):
    response = client_for(cast.manager).post(reverse("fieldwork:visit_export"), {"date_from": "not-a-date"})

    assert response.status_code == 400
    assert "<code>date_from</code>" in response.content.decode()
    assert not ExportJob.objects.exists()


def test_the_tracking_export(cast, client_for, field_data):
    response = exported(client_for(cast.officer_a), reverse("fieldwork:tracking_export"))

    title, rows = workbook_rows(response)
    week = IsoWeek(2026, 47)
    assert title == "周跟踪"
    assert rows[0] == [str(column.header) for column in TRACKING_COLUMNS]
    assert len(rows) == 2
    row = rows[1]
    assert row[:5] == [
        "2026-W47",
        datetime.datetime.combine(week.monday, datetime.time()),
        cast.enterprise_a.name,
        cast.enterprise_a.uscc,
        "成长型企业",
    ]
    assert row[12] == 298
    assert row[14:] == ["是", "否", "否", "否", "关注"]


@pytest.mark.parametrize("persona", ["bureau_user_x", "enterprise_user_a"])
@pytest.mark.parametrize("url_name", ["visit_list", "visit_export", "tracking_list", "tracking_export"])
def test_roles_without_field_work_have_no_lists_or_exports(cast, client_for, field_data, persona, url_name):
    client = client_for(getattr(cast, persona))
    ask = client.post if url_name.endswith("_export") else client.get
    assert ask(reverse(f"fieldwork:{url_name}")).status_code == 404


def test_the_visit_list_is_scoped_and_filtered(cast, client_for, field_data):
    officer_page = client_for(cast.officer_a).get(reverse("fieldwork:visit_list")).content.decode()
    manager_page = client_for(cast.manager).get(reverse("fieldwork:visit_list"), {"grid": cast.grid_b.pk})

    assert cast.enterprise_a.name in officer_page and cast.enterprise_b.name not in officer_page
    assert "共 1 条" in officer_page
    manager_html = manager_page.content.decode()
    assert cast.enterprise_b.name in manager_html and "订单下滑" not in manager_html


def test_an_out_of_scope_grid_filter_shows_an_error_not_rows(cast, client_for, field_data):
    response = client_for(cast.officer_a).get(reverse("fieldwork:visit_list"), {"grid": cast.grid_b.pk})

    page = response.content.decode()
    assert response.status_code == 200
    assert "筛选条件有误" in page
    assert "共 0 条" in page


def test_the_enterprise_filter_names_the_enterprise(cast, client_for, field_data):
    response = client_for(cast.manager).get(reverse("fieldwork:visit_list"), {"enterprise": cast.enterprise_a.pk})

    page = response.content.decode()
    assert f"企业：{cast.enterprise_a.name}" in page
    assert "共 1 条" in page


def test_the_tracking_list_is_scoped(cast, client_for, field_data):
    page = client_for(cast.leader_a).get(reverse("fieldwork:tracking_list")).content.decode()

    assert cast.enterprise_a.name in page and cast.enterprise_b.name not in page
    assert "订单风险" in page


@pytest.mark.parametrize("visit_count", [3, 30])
def test_the_visit_list_page_runs_a_fixed_number_of_queries(
    cast, client_for, django_assert_max_num_queries, visit_count
):
    for _ in range(visit_count):
        visit_create(
            officer=cast.officer_a,
            enterprise=EnterpriseFactory(grid=cast.grid_a),
            problems=[RaisedProblem(title="问题", description="描述")],
        )
    client = client_for(cast.manager)

    with django_assert_max_num_queries(9):
        response = client.get(reverse("fieldwork:visit_list"))

    assert response.status_code == 200


@pytest.mark.parametrize("tracking_count", [3, 30])
def test_the_tracking_list_page_runs_a_fixed_number_of_queries(
    cast, client_for, django_assert_max_num_queries, tracking_count
):
    for _ in range(tracking_count):
        weekly_tracking_record(officer=cast.officer_a, enterprise=EnterpriseFactory(grid=cast.grid_a))
    client = client_for(cast.officer_a)

    with django_assert_max_num_queries(9):
        response = client.get(reverse("fieldwork:tracking_list"))

    assert response.status_code == 200
