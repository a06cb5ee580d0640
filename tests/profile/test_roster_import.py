"""Importing the Excel roster: every row checked first; any error rejects the
whole file with row, column and reason; a clean file goes in in one go."""

import datetime
import io
import subprocess
import sys
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from enterprises.models import Enterprise, RosterImport, Tier, TierChange
from enterprises.registry.uscc import make_uscc
from enterprises.roster import imports as roster_import
from enterprises.roster.imports import roster_import_run
from enterprises.roster.tasks import roster_import_task
from tests.exports import exported
from tests.profile.conftest import XLSX, roster_bytes, roster_row, roster_upload

pytestmark = pytest.mark.django_db

ROSTER_URL = reverse("enterprises:roster")


def upload(client, file, *, mode="create"):
    return client.post(ROSTER_URL, {"file": file, "mode": mode})


def snapshot() -> tuple:
    """Everything an import may write: if this is equal, nothing changed."""
    return (
        sorted(Enterprise.objects.values_list("uscc", "name", "address", "tier", "grid_id", "updated_at")),
        TierChange.objects.count(),
        Enterprise.history.count(),
    )


def bad_uscc() -> str:
    good = make_uscc("91500108MA5U00001")
    return good[:17] + ("0" if good[17] != "0" else "1")


class TestACleanFile:
    def test_imports_every_row_with_tier_history_and_the_importer_in_the_audit_history(self, cast, client_for):
        rows = [roster_row(企业名称=f"重庆导入测试{number}有限公司") for number in range(3)]
        rows[1].update({"企业分类": "困难企业", "网格编号": "GB", "所有制": "国有", "规上企业": "否"})

        response = upload(client_for(cast.manager), roster_upload(rows, name="三月名册.xlsx"))

        job = RosterImport.objects.get()
        assert response.status_code == 302
        assert response["Location"] == reverse("enterprises:roster_import", args=[job.pk])
        assert job.status == RosterImport.Status.SUCCEEDED
        assert (job.created_count, job.updated_count, job.unchanged_count) == (3, 0, 0)
        struggling = Enterprise.objects.get(uscc=rows[1]["统一社会信用代码"])
        assert struggling.name == "重庆导入测试1有限公司"
        assert (struggling.tier, struggling.ownership, struggling.above_scale) == (Tier.STRUGGLING, "state", False)
        assert struggling.grid == cast.grid_b
        assert struggling.employees == 120
        assert struggling.founded_on == datetime.date(2016, 5, 20)
        assert struggling.registered_capital == Decimal("500.00")
        assert struggling.board_token
        tier_change = struggling.tier_changes.get()
        assert (tier_change.from_tier, tier_change.to_tier) == ("", Tier.STRUGGLING)
        assert tier_change.reason == "名册导入：三月名册.xlsx"
        assert tier_change.changed_by == cast.manager
        history = struggling.history.get()
        assert history.history_user == cast.manager
        assert history.history_change_reason == "名册导入：三月名册.xlsx"

    def test_the_result_page_says_how_many_were_added(self, cast, client_for):
        client = client_for(cast.manager)
        upload(client, roster_upload([roster_row(), roster_row()]))

        page = client.get(reverse("enterprises:roster_import", args=[RosterImport.objects.get().pk]))

        assert "导入成功：新增2家，更新0家，0家无变化。" in page.content.decode()

    def test_accepts_numbers_typed_into_text_columns_and_short_labels(self, cast, client_for):
        row = roster_row(
            联系电话=13800001234, 企业分类="龙头", 所有制="混合", 规上企业="Y", 成立日期=datetime.datetime(2010, 1, 2)
        )

        upload(client_for(cast.manager), roster_upload([row]))

        enterprise = Enterprise.objects.get(uscc=row["统一社会信用代码"])
        assert (enterprise.phone, enterprise.tier, enterprise.ownership) == ("13800001234", Tier.LEADING, "mixed")
        assert enterprise.above_scale is True
        assert enterprise.founded_on == datetime.date(2010, 1, 2)

    def test_blank_rows_are_skipped(self, cast, client_for):
        upload(client_for(cast.manager), roster_upload([roster_row(), {}, roster_row()]))

        assert RosterImport.objects.get().created_count == 2


# One case per validation rule: (cells of the bad row, its column, part of the reason).
RULES = [
    pytest.param({"统一社会信用代码": bad_uscc()}, "统一社会信用代码", "校验位错误", id="bad-check-character"),
    pytest.param({"统一社会信用代码": "91500108ABC"}, "统一社会信用代码", "应为18位", id="uscc-too-short"),
    pytest.param({"网格编号": "ZZ"}, "网格编号", "网格编号“ZZ”不存在", id="unknown-grid"),
    pytest.param({"企业分类": "明星企业"}, "企业分类", "无法识别“明星企业”", id="unknown-tier"),
    pytest.param({"所有制": "集体"}, "所有制", "无法识别“集体”", id="unknown-ownership"),
    pytest.param({"行业": "航天"}, "行业", "无法识别“航天”", id="unknown-industry"),
    pytest.param({"企业名称": None}, "企业名称", "必填项为空", id="missing-name"),
    pytest.param({"网格编号": "  "}, "网格编号", "必填项为空", id="missing-grid"),
    pytest.param({"从业人数": "很多"}, "从业人数", "应为整数", id="employees-not-a-number"),
    pytest.param({"从业人数": -3}, "从业人数", "不能为负数", id="employees-negative"),
    pytest.param({"成立日期": "去年"}, "成立日期", "日期格式不正确", id="date-not-a-date"),
    pytest.param({"注册资本（万元）": "五百万"}, "注册资本（万元）", "应为数字", id="capital-not-a-number"),
    pytest.param({"规上企业": "也许"}, "规上企业", "应填“是”或“否”", id="not-yes-or-no"),
    pytest.param({"联系电话": "1" * 21}, "联系电话", "超过20个字符", id="text-too-long"),
]


class TestABadRowRejectsTheWholeFile:
    @pytest.mark.parametrize(("cells", "column", "reason"), RULES)
    def test_one_bad_row_imports_nothing_and_is_reported(self, cast, client_for, cells, column, reason):
        before = snapshot()
        rows = [roster_row(), roster_row(**cells), roster_row()]

        upload(client_for(cast.manager), roster_upload(rows))

        job = RosterImport.objects.get()
        assert job.status == RosterImport.Status.REJECTED
        assert job.error_count == 1
        assert [(error["row"], error["column"]) for error in job.errors] == [(3, column)]
        assert reason in job.errors[0]["message"]
        assert snapshot() == before

    def test_a_uscc_twice_in_the_file_names_the_first_row(self, cast, client_for):
        before = snapshot()
        twin = roster_row()
        rows = [twin, roster_row(), roster_row(统一社会信用代码=twin["统一社会信用代码"])]

        upload(client_for(cast.manager), roster_upload(rows))

        job = RosterImport.objects.get()
        assert job.errors == [{"row": 4, "column": "统一社会信用代码", "message": "与第2行的统一社会信用代码重复。"}]
        assert snapshot() == before

    def test_a_uscc_already_in_the_database_is_an_error_when_only_adding(self, cast, client_for):
        before = snapshot()
        rows = [roster_row(), roster_row(统一社会信用代码=cast.enterprise_a.uscc, 企业名称="改名企业")]

        upload(client_for(cast.manager), roster_upload(rows), mode="create")

        job = RosterImport.objects.get()
        assert [(error["row"], error["column"]) for error in job.errors] == [(3, "统一社会信用代码")]
        assert "系统中已有该统一社会信用代码的企业" in job.errors[0]["message"]
        assert snapshot() == before

    def test_every_bad_cell_of_every_row_is_listed_in_row_order(self, cast, client_for):
        rows = [roster_row(行业="航天", 从业人数="很多"), roster_row(), roster_row(企业名称=None)]

        upload(client_for(cast.manager), roster_upload(rows))

        job = RosterImport.objects.get()
        assert [(error["row"], error["column"]) for error in job.errors] == [
            (2, "行业"),
            (2, "从业人数"),
            (4, "企业名称"),
        ]

    def test_a_300_row_file_with_one_bad_uscc_gets_a_one_row_report_and_saves_nothing(self, cast, client_for):
        before = snapshot()
        rows = [roster_row(企业名称=f"重庆批量企业{number:03d}有限公司") for number in range(300)]
        rows[149]["统一社会信用代码"] = bad_uscc()
        client = client_for(cast.manager)

        response = client.post(ROSTER_URL, {"file": roster_upload(rows), "mode": "create"}, follow=True)

        job = RosterImport.objects.get()
        assert job.status == RosterImport.Status.REJECTED
        assert job.errors == [{"row": 151, "column": "统一社会信用代码", "message": "统一社会信用代码校验位错误。"}]
        page = response.content.decode()
        assert "发现1处错误，整个文件未导入" in page
        assert page.count("<tr><td>151</td>") == 1
        assert snapshot() == before


class TestRoundTripAndUpdates:
    def export(self, client) -> bytes:
        response = exported(client, reverse("enterprises:roster_export"))
        assert response.status_code == 200
        return b"".join(response.streaming_content)

    def test_export_then_import_of_the_same_rows_changes_nothing(self, cast, client_for):
        cast.enterprise_a.founded_on = datetime.date(2012, 3, 4)
        cast.enterprise_a.registered_capital = Decimal("1234.50")
        cast.enterprise_a.phone = "13800001234"
        cast.enterprise_a.save()
        client = client_for(cast.manager)
        before = snapshot()

        upload(client, SimpleUploadedFile("导出.xlsx", self.export(client), content_type=XLSX), mode="upsert")

        job = RosterImport.objects.get()
        assert job.status == RosterImport.Status.SUCCEEDED, job.errors
        assert (job.created_count, job.updated_count, job.unchanged_count) == (0, 0, 2)
        assert snapshot() == before

    def test_text_that_starts_like_a_formula_survives_export_then_import(self, cast, client_for):
        """Given an enterprise whose products, phone and representative start with = + @, when the
        roster is exported and imported back, then nothing changes: the cells were text, not formulas."""
        cast.enterprise_a.main_products = '=HYPERLINK("http://evil.example/","点击查看")'
        cast.enterprise_a.phone = "+86 23 6258 1234"
        cast.enterprise_a.legal_representative = "@刘强"
        cast.enterprise_a.save()
        client = client_for(cast.manager)
        before = snapshot()

        upload(client, SimpleUploadedFile("导出.xlsx", self.export(client), content_type=XLSX), mode="upsert")

        job = RosterImport.objects.get()
        assert job.status == RosterImport.Status.SUCCEEDED, job.errors
        assert (job.created_count, job.updated_count, job.unchanged_count) == (0, 0, 2)
        assert snapshot() == before
        cast.enterprise_a.refresh_from_db()
        assert cast.enterprise_a.main_products == '=HYPERLINK("http://evil.example/","点击查看")'

    def test_upsert_changes_only_the_rows_that_differ_and_records_who(self, cast, client_for):
        client = client_for(cast.manager)
        workbook = load_workbook(io.BytesIO(self.export(client)))
        sheet = workbook.active
        headers = [cell.value for cell in sheet[1]]
        for row in sheet.iter_rows(min_row=2):
            if row[headers.index("统一社会信用代码")].value == cast.enterprise_a.uscc:
                row[headers.index("地址")].value = "重庆经开区新地址9号"
                row[headers.index("企业分类")].value = "骨干企业"
        buffer = io.BytesIO()
        workbook.save(buffer)
        b_before = Enterprise.objects.filter(pk=cast.enterprise_b.pk).values().get()
        b_history_before = cast.enterprise_b.history.count()

        upload(client, SimpleUploadedFile("改.xlsx", buffer.getvalue(), content_type=XLSX), mode="upsert")

        job = RosterImport.objects.get()
        assert (job.created_count, job.updated_count, job.unchanged_count) == (0, 1, 1)
        cast.enterprise_a.refresh_from_db()
        assert (cast.enterprise_a.address, cast.enterprise_a.tier) == ("重庆经开区新地址9号", Tier.BACKBONE)
        latest = cast.enterprise_a.history.latest()
        assert latest.history_user == cast.manager
        assert latest.history_change_reason == "名册导入：改.xlsx"
        assert set(latest.diff_against(latest.prev_record).changed_fields) == {"address", "tier"}
        tier_change = cast.enterprise_a.tier_changes.get()
        assert (tier_change.from_tier, tier_change.to_tier, tier_change.changed_by) == (
            Tier.GROWTH,
            Tier.BACKBONE,
            cast.manager,
        )
        assert Enterprise.objects.filter(pk=cast.enterprise_b.pk).values().get() == b_before
        assert cast.enterprise_b.history.count() == b_history_before


class TestWhoMayImport:
    def test_a_district_leader_imports_into_the_grids_of_the_district(self, cast, client_for):
        upload(client_for(cast.leader_a), roster_upload([roster_row(网格编号="GA")]))

        assert RosterImport.objects.get().status == RosterImport.Status.SUCCEEDED

    def test_a_district_leaders_rows_for_another_district_are_errors(self, cast, client_for):
        before = snapshot()

        upload(client_for(cast.leader_a), roster_upload([roster_row(), roster_row(网格编号="GB")]))

        job = RosterImport.objects.get()
        assert job.errors == [{"row": 3, "column": "网格编号", "message": "网格“GB”不在您负责的片区，不能导入。"}]
        assert snapshot() == before

    def test_a_district_leader_cannot_update_an_enterprise_of_another_district(self, cast, client_for):
        before = snapshot()
        row = roster_row(统一社会信用代码=cast.enterprise_b.uscc, 企业名称=cast.enterprise_b.name)

        upload(client_for(cast.leader_a), roster_upload([row]), mode="upsert")

        job = RosterImport.objects.get()
        assert job.errors[0]["message"] == "该企业不在您负责的片区，不能更新。"
        assert snapshot() == before

    @pytest.mark.parametrize("persona", ["officer_a", "bureau_user_x", "enterprise_user_a"])
    def test_others_may_not_import(self, cast, client_for, persona):
        before = snapshot()

        response = upload(client_for(getattr(cast, persona)), roster_upload([roster_row()]))

        assert response.status_code == 403
        assert not RosterImport.objects.exists()
        assert snapshot() == before

    def test_an_officer_sees_the_export_but_no_upload_form(self, cast, client_for):
        page = client_for(cast.officer_a).get(ROSTER_URL).content.decode()

        assert "导出 Excel" in page
        assert 'type="file"' not in page

    def test_an_import_job_is_visible_to_its_uploader_only(self, cast, client_for):
        upload(client_for(cast.manager), roster_upload([roster_row()]))
        job = RosterImport.objects.get()
        other_manager = type(cast.manager).objects.create(username="manager-2", role="manager")

        for url_name in ("enterprises:roster_import", "enterprises:roster_import_status"):
            assert client_for(other_manager).get(reverse(url_name, args=[job.pk])).status_code == 404
            assert client_for(cast.leader_a).get(reverse(url_name, args=[job.pk])).status_code == 404


def workbook_bytes(build) -> bytes:
    workbook = Workbook()
    build(workbook.active)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


class TestBadFiles:
    @pytest.mark.parametrize(
        ("name", "content", "message"),
        [
            pytest.param("名册.csv", "企业名称,统一社会信用代码\n".encode(), "不支持的文件类型", id="csv"),
            pytest.param("名册.xlsx", b"this is not a spreadsheet", "文件内容与扩展名不符", id="text-named-xlsx"),
            pytest.param("名册.xlsx", b"PK\x03\x04garbage-that-is-no-zip", "无法读取该文件", id="broken-zip"),
            pytest.param("名册.xlsx", workbook_bytes(lambda sheet: None), "文件是空的", id="empty-workbook"),
            pytest.param(
                "名册.xlsx",
                roster_bytes([]),
                "文件中没有企业数据",
                id="headers-only",
            ),
            pytest.param(
                "名册.xlsx",
                roster_bytes(
                    [roster_row()], headers=[h for h in roster_import.FIELD_COLUMNS.values() if h != "网格编号"]
                ),
                "缺少列：网格编号",
                id="missing-column",
            ),
            pytest.param(
                "名册.xlsx",
                workbook_bytes(lambda sheet: sheet.append(["名称", "代码"])),
                "无法识别的列：名称、代码",
                id="wrong-headers",
            ),
        ],
    )
    def test_a_bad_file_gets_a_clear_message_and_changes_nothing(self, cast, client_for, name, content, message):
        before = snapshot()

        response = upload(client_for(cast.manager), SimpleUploadedFile(name, content, content_type=XLSX))

        assert response.status_code == 200
        assert message in response.content.decode()
        assert not RosterImport.objects.exists()
        assert snapshot() == before

    def test_no_file_at_all(self, cast, client_for):
        response = client_for(cast.manager).post(ROSTER_URL, {"mode": "create"})

        assert response.status_code == 200
        assert "请选择要导入的 Excel 文件。" in response.content.decode()

    def test_an_unknown_mode_is_refused(self, cast, client_for):
        response = upload(client_for(cast.manager), roster_upload([roster_row()]), mode="replace-all")

        assert response.status_code == 200
        assert not RosterImport.objects.exists()


class TestLargeFilesRunInTheWorker:
    def test_the_worker_finds_the_task_under_the_name_it_always_had(self):
        """The task moved into enterprises/roster/; messages queued as enterprises.tasks.… still run.

        A fresh process, as a worker starts: Celery's discovery alone must register it."""
        assert roster_import_task.name == "enterprises.tasks.roster_import_task"
        script = (
            "import django; django.setup()\n"
            "from jingkai_portal.celery import app\n"
            "app.loader.import_default_modules()\n"
            "print(app.tasks['enterprises.tasks.roster_import_task'].__module__)\n"
        )
        found = subprocess.run(
            [sys.executable, "-c", script],
            capture_output=True,
            text=True,
            check=True,
            cwd=settings.BASE_DIR,
        )
        assert found.stdout.strip().splitlines()[-1] == "enterprises.roster.tasks"

    def test_a_large_file_is_queued_after_commit_and_the_worker_imports_it(
        self, cast, client_for, monkeypatch, django_capture_on_commit_callbacks
    ):
        monkeypatch.setattr(roster_import, "SYNC_MAX_ROWS", 1)
        monkeypatch.setattr(roster_import, "PROGRESS_EVERY", 1)
        queued = []
        monkeypatch.setattr(roster_import_task, "delay", queued.append)
        client = client_for(cast.manager)

        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            upload(client, roster_upload([roster_row(), roster_row(), roster_row()]))
        job = RosterImport.objects.get()
        assert job.status == RosterImport.Status.PENDING
        assert queued == []  # nothing is sent before the job row is committed
        pending = client.get(reverse("enterprises:roster_import_status", args=[job.pk])).content.decode()
        assert 'hx-trigger="every 1s"' in pending
        assert "排队等待后台处理" in pending

        for callback in callbacks:
            callback()
        assert queued == [job.pk]
        roster_import_task.apply(args=[job.pk])  # what the worker runs

        job.refresh_from_db()
        assert job.status == RosterImport.Status.SUCCEEDED
        assert (job.processed_rows, job.total_rows, job.created_count) == (3, 3, 3)
        finished = client.get(reverse("enterprises:roster_import_status", args=[job.pk])).content.decode()
        assert "hx-trigger" not in finished
        assert "导入成功" in finished

    def test_progress_while_checking_rows(self, cast, client_for):
        job = RosterImport.objects.create(
            uploaded_by=cast.manager,
            original_name="大名册.xlsx",
            file="roster_imports/x.xlsx",
            status=RosterImport.Status.VALIDATING,
            total_rows=1000,
            processed_rows=250,
        )

        page = client_for(cast.manager).get(reverse("enterprises:roster_import_status", args=[job.pk])).content.decode()

        assert "已校验 250 / 1000 行" in page
        assert 'aria-valuenow="25"' in page
        assert 'hx-trigger="every 1s"' in page

    def test_running_a_job_twice_imports_once(self, cast, client_for):
        upload(client_for(cast.manager), roster_upload([roster_row()]))
        job = RosterImport.objects.get()
        before = snapshot()

        roster_import_run(job_id=job.pk)

        assert snapshot() == before
        job.refresh_from_db()
        assert job.created_count == 1


def test_a_write_that_loses_a_race_rolls_everything_back(cast, client_for, monkeypatch):
    """Another user adds the same USCC between the check and the insert: the
    unique index refuses it, the whole file is rolled back and the job says so."""
    before = snapshot()
    monkeypatch.setattr(roster_import, "_existing_by_uscc", lambda usccs: {})
    rows = [roster_row(), roster_row(统一社会信用代码=cast.enterprise_a.uscc)]

    upload(client_for(cast.manager), roster_upload(rows), mode="upsert")

    job = RosterImport.objects.get()
    assert job.status == RosterImport.Status.FAILED
    assert "未导入任何数据" in job.message
    assert snapshot() == before
