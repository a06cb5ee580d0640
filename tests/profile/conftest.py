"""Fixtures of the standard-profile and roster tests."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from enterprises.roster.columns import HEADERS
from tests.factories import next_uscc

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded rosters go to a temporary folder, never to var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def roster_row(**cells) -> dict:
    """One valid roster row for grid GA (the cast's 甲网格); ``cells`` override by header."""
    row = {
        "企业名称": "重庆新锐汽车零部件有限公司",
        "统一社会信用代码": next_uscc(),
        "所有制": "民营",
        "行业": "汽车及零部件",
        "规上企业": "是",
        "企业分类": "成长型企业",
        "网格编号": "GA",
        "地址": "重庆经开区兴业路8号",
        "法定代表人": "刘强",
        "联系电话": "023-62581234",
        "从业人数": 120,
        "成立日期": "2016-05-20",
        "注册资本（万元）": 500,
        "主营产品": "制动器总成",
    }
    row.update(cells)
    return row


def roster_bytes(rows: list[dict], *, headers=HEADERS) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(headers))
    for row in rows:
        sheet.append([row.get(header) for header in headers])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def roster_upload(rows: list[dict], *, name: str = "名册.xlsx", headers=HEADERS) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, roster_bytes(rows, headers=headers), content_type=XLSX)


@pytest.fixture
def demo_zone_without_profiles(db):
    """The demo organisation and enterprises (the steps before the profiles)."""
    from enterprises.registry import demo as enterprises_demo
    from grids import demo as grids_demo

    grids_demo.seed_demo_data(stdout=io.StringIO())
    enterprises_demo.seed_demo_data(stdout=io.StringIO())
