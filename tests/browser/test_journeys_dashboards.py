"""The manager and the district leader: the dashboard's ECharts are drawn and each chart's data
table holds the figures the chart was given; drill down zone → district → grid team → one officer's
visits and issues; download the monthly workbook."""

import pytest

from fieldwork.services import RaisedProblem, visit_create
from issues import services
from issues.models import Source
from tests.browser.journeys import Journey, date_field_parts, sign_in
from tests.conftest import PASSWORD
from tests.factories import CategoryFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


# Every chart on the page against the table beside it: each series (its id) is a column of the
# table (th[data-series]), each category (month, name) a row headed by it; a month never analysed
# is one 未生成 cell and must be null in the chart. Also: the chart is drawn (an ECharts instance
# whose SVG has paths).
EVERY_CHART_MATCHES_ITS_TABLE = """() => {
  const problems = [], seen = [];
  const number = text => {
    const bare = text.replace(/[,%\\s]/g, '');
    return bare === '' || bare === '—' ? null : Number(bare);
  };
  document.querySelectorAll('[data-chart]').forEach(node => {
    const name = node.getAttribute('data-chart');
    seen.push(name);
    const chart = echarts.getInstanceByDom(node);
    if (!chart) { problems.push(name + ': not drawn'); return; }
    if (node.querySelectorAll('svg path').length === 0) { problems.push(name + ': nothing on the canvas'); }
    const option = chart.getOption();
    const table = node.closest('section, .card').querySelector('table');
    const columns = {}, rows = {};
    Array.from(table.tHead.rows[0].cells).forEach((cell, i) => {
      if (cell.dataset.series) { columns[cell.dataset.series] = i; }
    });
    Array.from(table.tBodies[0].rows).forEach(row => { rows[row.cells[0].textContent.trim()] = row; });
    if (Object.keys(rows).length === 0) { problems.push(name + ': empty table'); }
    const compare = (series, label, value) => {
      const column = columns[series.id];
      const row = rows[String(label)];
      if (column === undefined) { problems.push(name + ': no column for ' + series.id); return; }
      if (!row) { problems.push(name + ': no row for ' + label); return; }
      const missing = row.cells[1].hasAttribute('colspan');
      const shown = missing ? null : number(row.cells[column].textContent);
      const given = value === null || value === undefined ? null : Number(value);
      if (shown !== given) {
        problems.push(name + ' ' + series.name + ' ' + label + ': chart ' + given + ', table ' + shown);
      }
    };
    option.series.forEach(series => {
      if (series.type === 'pie') {
        series.data.forEach(item => compare(series, item.name, item.value));
        return;
      }
      const axis = option.xAxis[0].type === 'category' ? option.xAxis[0] : option.yAxis[0];
      axis.data.forEach((label, j) => compare(series, label, series.data[j]));
    });
  });
  return {seen: seen, problems: problems};
}"""

ALL_CHARTS = ["trend-counts", "trend-rates", "tiers", "categories", "bureaus"]


def read_charts(page) -> dict:
    page.wait_for_selector("[data-chart] svg path", state="attached", timeout=20_000)
    return page.evaluate(EVERY_CHART_MATCHES_ITS_TABLE)


def test_the_manager_reads_the_dashboard_and_drills_down_to_an_officer(desktop_page, live_server, cast):
    visit = visit_create(
        officer=cast.officer_a,
        enterprise=cast.enterprise_a,
        findings="订单饱满。",
        problems=[RaisedProblem(title="用电增容", description="需增容 2000 千伏安。")],
    )
    journey, page = Journey(desktop_page, live_server), desktop_page
    sign_in(journey, "manager", PASSWORD)
    journey.go("/analytics/")

    charts = read_charts(page)
    assert charts["problems"] == [] and {"trend-counts", "trend-rates", "tiers"} <= set(charts["seen"])

    with page.expect_download() as download:
        page.click("a[href*='reports/monthly.xlsx']")
    assert download.value.suggested_filename.endswith(".xlsx")

    journey.follow(lambda: page.click(f"#district-comparison a[href^='/analytics/districts/{cast.district_a.pk}/']"))
    assert "甲片区" in page.inner_text("h1")
    journey.follow(lambda: page.click(f"#grid-comparison a[href^='/analytics/grids/{cast.grid_a.pk}/']"))
    assert cast.grid_a.name in page.inner_text("h1")
    journey.follow(lambda: page.click(f"a[href^='/analytics/officers/{cast.officer_a.pk}/']"))
    assert page.locator(".officer-visit").count() == 1
    assert "用电增容" in page.inner_text(".officer-issues")
    journey.follow(lambda: page.click(f".officer-visits a[href='{visit.get_absolute_url()}']"))
    assert "订单饱满" in page.inner_text("main")
    journey.assert_clean()


def handled_by_a_bureau(cast, category, title: str, *, resolve: bool) -> None:
    """An issue of 甲企业 this month: accepted by its officer, escalated to 财政局, maybe resolved there."""
    issue = services.issue_submit(
        enterprise=cast.enterprise_a,
        actor=cast.enterprise_user_a,
        title=title,
        description="请协调。",
        source=Source.ENTERPRISE,
    )
    issue = services.issue_accept(issue=issue, actor=cast.officer_a, category=category)
    issue = services.issue_escalate(issue=issue, actor=cast.officer_a, reason="需科室协调", bureau=cast.bureau_x)
    if resolve:
        issue = services.issue_start(issue=issue, actor=cast.bureau_user_x)
        services.issue_resolve(issue=issue, actor=cast.bureau_user_x, resolution="已办结。")


def test_the_district_leader_reads_every_chart_and_drills_from_the_district_to_a_grid(desktop_page, live_server, cast):
    visit_create(officer=cast.officer_a, enterprise=cast.enterprise_a, findings="正常生产。")
    finance = CategoryFactory(code="fin", name="融资贷款", default_bureau=cast.bureau_x)
    labour = CategoryFactory(code="lab", name="用工招聘", default_bureau=cast.bureau_x)
    handled_by_a_bureau(cast, finance, "流动资金紧张", resolve=True)
    handled_by_a_bureau(cast, finance, "贴息未到账", resolve=False)
    handled_by_a_bureau(cast, labour, "缺普工 30 人", resolve=True)
    journey, page = Journey(desktop_page, live_server), desktop_page
    sign_in(journey, "leader-a", PASSWORD)
    journey.go("/analytics/district/")
    assert "甲片区" in page.inner_text("h1")
    # The month picker reads as a user here reads it (2026年12月), not in Chromium's en-US (December 2026).
    assert date_field_parts(page, "#month-picker") == ["年", "月"]

    # Every chart drawn, every figure it was given is the one in its table.
    charts = read_charts(page)
    assert charts["problems"] == []
    assert sorted(charts["seen"]) == sorted(ALL_CHARTS)
    categories = page.evaluate(
        "echarts.getInstanceByDom(document.querySelector('[data-chart=categories]')).getOption().yAxis[0].data"
    )
    assert sorted(categories) == ["用工招聘", "融资贷款"]

    journey.follow(lambda: page.click(f"#grid-comparison a[href^='/analytics/grids/{cast.grid_a.pk}/']"))
    journey.follow(lambda: page.click(f"a[href^='/analytics/officers/{cast.officer_a.pk}/']"))
    assert page.locator(".officer-visit").count() == 1
    journey.assert_clean()
