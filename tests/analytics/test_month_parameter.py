"""``?month=``: one parser for the dashboards, the Excel download and the API; a bad month is refused.

Now is 2026-11-15 10:00 in Shanghai (``mid_november``): October is finished and
analysed, November is running, December has not begun.
"""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from analytics.models import MonthlyReport
from analytics.monthly import monthly_analysis_run
from common.periods import Month

pytestmark = pytest.mark.usefixtures("mid_november")

NOT_A_MONTH = "“{value}”不是有效的月份：月份格式应为 YYYY-MM，例如 2026-10。"
FUTURE = "{label}尚未开始，还没有数据。"


@pytest.fixture
def analysed(october):
    monthly_analysis_run(month=Month(2026, 10))
    return october


# --- The parser -------------------------------------------------------------------------------


def test_no_month_is_the_current_month():
    assert Month.requested(None) == Month(2026, 11)
    assert Month.requested("  ") == Month(2026, 11)
    assert Month.requested(" 2026-10 ") == Month(2026, 10)
    assert Month.requested("2026-11") == Month(2026, 11)


def test_a_month_the_request_must_name():
    with pytest.raises(ValidationError) as raised:
        Month.requested("", required=True)
    assert raised.value.messages == ["请指定月份（YYYY-MM），例如 2026-10。"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("abc", NOT_A_MONTH.format(value="abc")),
        ("2026-13", NOT_A_MONTH.format(value="2026-13")),
        ("1999-12", NOT_A_MONTH.format(value="1999-12")),
        ("x" * 30, NOT_A_MONTH.format(value="x" * 20 + "…")),  # a long value is quoted cut short
        ("2026-12", FUTURE.format(label="2026年12月")),
        ("2027-01", FUTURE.format(label="2027年1月")),
    ],
)
def test_a_bad_or_future_month_is_refused_naming_it(text, message):
    with pytest.raises(ValidationError) as raised:
        Month.requested(text)
    assert raised.value.messages == [message]


# --- The dashboards: 400, never another month's figures ------------------------------------


def dashboard_urls(cast) -> list[tuple[str, str]]:
    return [
        ("manager", "/analytics/"),
        ("manager", f"/analytics/districts/{cast.district_b.pk}/"),
        ("leader_a", "/analytics/district/"),
        ("leader_a", f"/analytics/districts/{cast.district_a.pk}/"),
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("abc", NOT_A_MONTH.format(value="abc")),
        ("2026-13", NOT_A_MONTH.format(value="2026-13")),
        ("2026-12", FUTURE.format(label="2026年12月")),
    ],
)
def test_a_dashboard_refuses_a_bad_month_and_links_to_this_month(analysed, client_for, text, message):
    for persona, path in dashboard_urls(analysed):
        # Given a signed-in reader of this dashboard; when he asks for a month that is bad or to come
        response = client_for(getattr(analysed, persona)).get(path, {"month": text})
        # then the page refuses it: 400, saying what was wrong, with a link to this month
        assert response.status_code == 400, (persona, path)
        html = response.content.decode()
        assert message in html
        assert f'href="{path}">查看本月（2026年11月）</a>' in html
        # and shows no month's figures under the URL that asked for another
        assert "data-dashboard" not in html and "本月至今" not in html and "2026年10月" not in html


def test_a_refused_value_is_quoted_escaped(analysed, client_for):
    response = client_for(analysed.manager).get("/analytics/", {"month": "<b>2026</b>"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "“&lt;b&gt;2026&lt;/b&gt;”不是有效的月份" in html and "<b>2026</b>" not in html


def test_a_refused_month_still_hides_other_districts(analysed, client_for):
    # A district leader asking for another district gets 404 whatever the month says.
    url = f"/analytics/districts/{analysed.district_b.pk}/?month=abc"
    assert client_for(analysed.leader_a).get(url).status_code == 404


def test_an_empty_month_field_is_the_current_month(analysed, client_for):
    # The picker submitted with no month shows this month.
    response = client_for(analysed.manager).get("/analytics/?month=")
    assert response.status_code == 200
    assert "2026年11月" in response.content.decode() and "本月至今" in response.content.decode()


# --- The download and the API say the same ----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [("abc", NOT_A_MONTH.format(value="abc")), ("2027-01", FUTURE.format(label="2027年1月"))],
)
def test_the_download_refuses_a_bad_month_in_the_same_words(analysed, client_for, text, message):
    response = client_for(analysed.manager).get("/analytics/reports/monthly.xlsx", {"month": text})
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode() == message


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "请指定月份（YYYY-MM），例如 2026-10。"),
        ("?month=abc", NOT_A_MONTH.format(value="abc")),
        ("?month=2026-12", FUTURE.format(label="2026年12月")),
    ],
)
def test_the_api_workbook_refuses_a_bad_month_naming_the_field(analysed, client_for, query, message):
    response = client_for(analysed.manager).get(f"/api/reports/monthly/workbook/{query}")
    assert response.status_code == 400
    assert response.json() == {"month": [message]}


@pytest.mark.parametrize(
    ("text", "message"),
    [("abc", NOT_A_MONTH.format(value="abc")), ("2027-05", FUTURE.format(label="2027年5月"))],
)
def test_the_api_list_refuses_a_bad_month_naming_the_field(analysed, client_for, text, message):
    response = client_for(analysed.manager).get("/api/reports/monthly/", {"month": text})
    assert response.status_code == 400
    assert response.json() == {"month": [message]}


def test_the_api_list_without_a_month_lists_every_month(analysed, client_for):
    response = client_for(analysed.manager).get("/api/reports/monthly/", {"month": "", "scope_type": "zone"})
    assert response.status_code == 200
    assert [row["month"] for row in response.json()["results"]] == ["2026-10"]
    assert MonthlyReport.objects.filter(scope_type="zone").count() == 1


# --- Redirects keep the month ----------------------------------------------------------------


def test_a_district_leader_sent_to_his_district_keeps_the_month(analysed, client_for):
    client = client_for(analysed.leader_a)
    response = client.get("/analytics/?month=2026-10")
    assert response.status_code == 302
    assert response.url == reverse("analytics:district_dashboard") + "?month=2026-10"
    html = client.get(response.url).content.decode()
    assert "甲片区 片区看板" in html and "2026年10月" in html and "月度快照" in html


def test_a_manager_sent_to_the_zone_keeps_the_month(analysed, client_for):
    client = client_for(analysed.manager)
    response = client.get("/analytics/district/?month=2026-10")
    assert response.status_code == 302
    assert response.url == reverse("analytics:zone_dashboard") + "?month=2026-10"
    html = client.get(response.url).content.decode()
    assert "经开区 园区看板" in html and "2026年10月" in html and "月度快照" in html


def test_a_redirect_without_a_month_adds_none(analysed, client_for):
    assert client_for(analysed.leader_a).get("/analytics/").url == reverse("analytics:district_dashboard")
    assert client_for(analysed.manager).get("/analytics/district/").url == reverse("analytics:zone_dashboard")


def test_a_bad_month_is_refused_after_the_redirect(analysed, client_for):
    client = client_for(analysed.leader_a)
    response = client.get("/analytics/?month=abc", follow=True)
    assert response.redirect_chain == [(reverse("analytics:district_dashboard") + "?month=abc", 302)]
    assert response.status_code == 400
    assert NOT_A_MONTH.format(value="abc") in response.content.decode()


# --- A month with no analysis says so, in a manager's words -------------------------------------


def test_a_month_never_analysed_explains_when_figures_come(cast, client_for):
    html = client_for(cast.manager).get("/analytics/?month=2026-09").content.decode()
    assert "经开区 园区看板" in html and "园区 园区看板" not in html
    assert "2026年9月的月度数据尚未生成。" in html
    assert "每个月的数据在次月1日06:00自动计算并保存" in html and "“本月至今”显示，每隔几分钟更新一次" in html
    assert f'href="{reverse("analytics:zone_dashboard")}">查看本月至今（2026年11月）</a>' in html
    assert "run_monthly" not in html
