"""The manager and the district leader: the dashboard's ECharts are drawn and the trend chart's
data table holds the chart's figures; drill down zone → district → grid team → one officer's
visits and issues; download the monthly workbook."""

import pytest

from fieldwork.services import RaisedProblem, visit_create
from tests.browser.journeys import Journey, sign_in
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def fresh_live_figures():
    """The running month's figures are cached for a few minutes: start from this test's data."""
    from django.core.cache import cache

    cache.clear()


# Every series of the trend-counts chart against the table beside it: month by month, column by column.
CHART_MATCHES_TABLE = """() => {
  const node = document.querySelector('[data-chart="trend-counts"]');
  const option = echarts.getInstanceByDom(node).getOption();
  const table = node.closest('section, .card').querySelector('table');
  const rows = {};
  Array.from(table.tBodies[0].rows).forEach(row => { rows[row.cells[0].textContent.trim()] = row; });
  const mismatches = [];
  option.xAxis[0].data.forEach((month, j) => {
    const row = rows[String(month)];
    option.series.forEach((series, i) => {
      const value = series.data[j];
      const shown = value === null || value === undefined ? '—' : String(value);
      const missing = !row || row.cells[1].hasAttribute('colspan');  // 未生成: a month never analysed
      const cell = missing ? null : row.cells[i + 1];
      const text = cell ? cell.textContent.trim().replace(/,/g, '') : '—';
      if (text !== shown) { mismatches.push(series.name + ' ' + month + ': chart ' + shown + ' table ' + text); }
    });
  });
  if (Object.keys(rows).length === 0) { mismatches.push('empty table'); }
  return mismatches;
}"""


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

    page.wait_for_selector("[data-chart] svg path", state="attached", timeout=20_000)
    drawn = page.evaluate(
        "Array.from(document.querySelectorAll('[data-chart]'))"
        ".every(node => node.querySelectorAll('svg path').length > 0)"
    )
    assert drawn
    assert page.evaluate(CHART_MATCHES_TABLE) == []

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


def test_the_district_leader_drills_from_the_district_to_a_grid(desktop_page, live_server, cast):
    visit_create(officer=cast.officer_a, enterprise=cast.enterprise_a, findings="正常生产。")
    journey, page = Journey(desktop_page, live_server), desktop_page
    sign_in(journey, "leader-a", PASSWORD)
    journey.go("/analytics/district/")
    assert "甲片区" in page.inner_text("h1")

    journey.follow(lambda: page.click(f"#grid-comparison a[href^='/analytics/grids/{cast.grid_a.pk}/']"))
    journey.follow(lambda: page.click(f"a[href^='/analytics/officers/{cast.officer_a.pk}/']"))
    assert page.locator(".officer-visit").count() == 1
    journey.assert_clean()
