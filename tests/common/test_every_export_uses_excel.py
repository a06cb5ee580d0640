"""Every export and report is written by ``common.excel``: one writer, one look, one content type.

Given the writer's ``ExcelWorkbook.save`` (and, for the roster template, which needs an ordinary
workbook for its drop-down lists, ``style_header_cell``) replaced by a spy, when each download is
requested, then the spy saw the file, the response carries the one xlsx content type and the
header row has the shared header style.
"""

import datetime
import io
import re
from zoneinfo import ZoneInfo

import openpyxl
import pytest
import time_machine
from django.urls import reverse

from common import excel
from tests.exports import exported

NOW = datetime.datetime(2026, 11, 16, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))

# The list exports run as export jobs (common.export_jobs): started by a POST, downloaded when written.
JOBS = {
    "ledger": lambda: reverse("issues:export"),
    "visits": lambda: reverse("fieldwork:visit_export"),
    "tracking": lambda: reverse("fieldwork:tracking_export"),
    "roster": lambda: reverse("enterprises:roster_export"),
}
DOWNLOADS = {
    **JOBS,
    "monthly report page": lambda: reverse("analytics:report_download"),
    "monthly report API": lambda: "/api/reports/monthly/workbook/?month=2026-11",
}


@pytest.fixture
def spied_writer(monkeypatch):
    saved = []
    original_save = excel.ExcelWorkbook.save

    def save(self, target):
        saved.append(self)
        original_save(self, target)

    monkeypatch.setattr(excel.ExcelWorkbook, "save", save)
    return saved


def content_of(response) -> bytes:
    assert response.status_code == 200
    assert response["Content-Type"] == excel.XLSX_CONTENT_TYPE
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.parametrize("download", DOWNLOADS)
def test_each_export_is_written_by_the_one_writer_in_its_look(cast, client_for, spied_writer, download):
    with time_machine.travel(NOW, tick=False):
        client = client_for(cast.manager)
        url = DOWNLOADS[download]()
        content = content_of(exported(client, url) if download in JOBS else client.get(url))

    assert len(spied_writer) == 1
    for sheet in openpyxl.load_workbook(io.BytesIO(content)).worksheets:
        assert_header_look(sheet)


def assert_header_look(sheet) -> None:
    """The row above the frozen panes is the header: every cell of it has the shared header style."""
    assert sheet.freeze_panes is not None
    header_row = int(re.sub(r"[A-Z]", "", sheet.freeze_panes)) - 1
    header = [cell for cell in sheet[header_row] if cell.value is not None]
    assert header
    assert {cell.style for cell in header} <= {excel.HEADER_STYLE.name, excel.REQUIRED_HEADER_STYLE.name}


def test_the_roster_template_takes_its_header_look_from_the_writer(cast, client_for, monkeypatch):
    styled = []
    original = excel.style_header_cell

    def style_header_cell(cell, *, required=False):
        styled.append(cell.value)
        return original(cell, required=required)

    monkeypatch.setattr(excel, "style_header_cell", style_header_cell)
    content = content_of(client_for(cast.manager).get(reverse("enterprises:roster_template")))

    sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
    headers = [cell.value for cell in sheet[1]]
    assert set(headers) <= set(styled)
    assert {cell.style for cell in sheet[1]} == {excel.HEADER_STYLE.name, excel.REQUIRED_HEADER_STYLE.name}
    assert sheet.freeze_panes == "A2"
