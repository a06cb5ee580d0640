"""Exporting the roster: the user's scope, the list's filters, the import's format."""

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from common.models import ExportJob
from enterprises.models import Tier
from enterprises.roster.columns import HEADERS
from tests.exports import exported
from tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db

EXPORT_URL = reverse("enterprises:roster_export")


def exported_rows(response) -> list[list]:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True).worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_a_manager_exports_every_enterprise_with_chinese_headers_and_values(cast, client_for):
    cast.enterprise_a.registered_capital = Decimal("1234.50")
    cast.enterprise_a.above_scale = True
    cast.enterprise_a.save()

    rows = exported_rows(exported(client_for(cast.manager), EXPORT_URL))

    assert tuple(rows[0]) == HEADERS
    by_name = {row[0]: dict(zip(HEADERS, row, strict=True)) for row in rows[1:]}
    assert set(by_name) == {cast.enterprise_a.name, cast.enterprise_b.name}
    row_a = by_name[cast.enterprise_a.name]
    assert row_a["统一社会信用代码"] == cast.enterprise_a.uscc
    assert (row_a["所有制"], row_a["行业"], row_a["企业分类"], row_a["规上企业"]) == (
        "民营",
        "装备制造",
        "成长型企业",
        "是",
    )
    assert row_a["网格编号"] == "GA"
    assert row_a["注册资本（万元）"] == 1234.5


def test_the_export_is_in_the_shared_look_without_a_title_row_and_its_text_is_never_a_formula(cast, client_for):
    """The roster is an import format: row 1 is the header (no title row), frozen, required columns red."""
    cast.enterprise_a.main_products = "=1+1"
    cast.enterprise_a.registered_capital = Decimal("1234.50")
    cast.enterprise_a.save()

    response = exported(client_for(cast.manager), EXPORT_URL)

    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert tuple(cell.value for cell in sheet[1]) == HEADERS
    assert sheet.freeze_panes == "A2"
    assert (sheet["A1"].fill.fgColor.rgb, sheet["H1"].fill.fgColor.rgb) == ("00C0392B", "00DDEBF7")  # 企业名称, 地址
    assert (sheet.column_dimensions["A"].width, sheet.column_dimensions["B"].width) == (32, 22)
    row_a = next(row for row in sheet.iter_rows(min_row=2) if row[0].value == cast.enterprise_a.name)
    products = row_a[HEADERS.index("主营产品")]
    assert (products.value, products.data_type) == ("=1+1", "s")
    capital = row_a[HEADERS.index("注册资本（万元）")]
    assert (capital.value, capital.number_format) == (1234.5, "#,##0.00")


def test_the_file_has_chinese_values_even_when_the_page_is_in_english(cast, client_for):
    client = client_for(cast.manager)
    client.cookies["django_language"] = "en"

    rows = exported_rows(exported(client, EXPORT_URL))

    assert tuple(rows[0]) == HEADERS
    assert rows[1][5] == "成长型企业"


@pytest.mark.parametrize(("persona", "expected"), [("officer_a", "enterprise_a"), ("leader_b", "enterprise_b")])
def test_officers_and_leaders_export_their_own_scope_only(cast, client_for, persona, expected):
    rows = exported_rows(exported(client_for(getattr(cast, persona)), EXPORT_URL))

    assert [row[1] for row in rows[1:]] == [getattr(cast, expected).uscc]


def test_the_list_filters_narrow_the_export(cast, client_for):
    EnterpriseFactory(name="丙困难企业有限公司", grid=cast.grid_a, tier=Tier.STRUGGLING)

    rows = exported_rows(exported(client_for(cast.manager), EXPORT_URL, {"tier": "struggling"}))

    assert [row[0] for row in rows[1:]] == ["丙困难企业有限公司"]


def test_a_filter_outside_the_scope_is_refused(cast, client_for):
    response = client_for(cast.officer_a).post(EXPORT_URL, {"grid": cast.grid_b.pk})

    assert response.status_code == 400
    assert "<code>grid</code>" in response.content.decode()
    assert not ExportJob.objects.exists()


def test_enterprise_users_may_not_export(cast, client_for):
    assert client_for(cast.enterprise_user_a).post(EXPORT_URL).status_code == 403


def test_the_template_has_the_headers_drop_downs_and_a_guide(cast, client_for):
    response = client_for(cast.leader_a).get(reverse("enterprises:roster_template"))

    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = workbook.worksheets[0]
    assert tuple(cell.value for cell in sheet[1]) == HEADERS
    assert sheet.max_row == 1
    validations = {str(v.sqref): v.formula1 for v in sheet.data_validations.dataValidation}
    assert "F2:F5000" in validations  # 企业分类
    options = workbook["可选值"]
    grid_codes = [row[4] for row in options.iter_rows(min_row=2, values_only=True) if row[4]]
    assert grid_codes == ["GA"]  # a district leader's own grids
    assert workbook["填写说明"]["A2"].value == "企业名称"


def test_the_template_is_for_importers_only(cast, client_for):
    assert client_for(cast.officer_a).get(reverse("enterprises:roster_template")).status_code == 403
