"""A manager uploads a roster with one bad row and sees the one-row error table."""

import pytest

from enterprises.models import Enterprise, RosterImport
from tests.conftest import browser_login
from tests.profile.conftest import roster_bytes, roster_row

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_manager_sees_the_row_column_and_reason_of_the_one_bad_row(
    desktop_page, live_server, cast, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    rows = [roster_row(企业名称=f"重庆浏览器测试{number:02d}有限公司") for number in range(30)]
    rows[9]["企业分类"] = "明星企业"
    roster = tmp_path / "三十家企业.xlsx"
    roster.write_bytes(roster_bytes(rows))
    before = Enterprise.objects.count()
    page = desktop_page

    browser_login(page, live_server, "manager")
    page.goto(f"{live_server.url}/enterprises/roster/")
    page.set_input_files("form.roster-upload input[name=file]", str(roster))
    page.click("form.roster-upload button[type=submit]")
    page.wait_for_selector("table.roster-errors")

    assert "发现1处错误，整个文件未导入" in page.inner_text("#roster-status")
    cells = page.locator("table.roster-errors tbody tr").all_inner_texts()
    assert len(cells) == 1
    assert cells[0].split("\t") == [
        "11",
        "企业分类",
        "无法识别“明星企业”，可填：龙头企业、骨干企业、成长型企业、困难企业。",
    ]
    assert Enterprise.objects.count() == before
    assert RosterImport.objects.get().status == RosterImport.Status.REJECTED
