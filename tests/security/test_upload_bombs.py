"""A zip bomb in the roster import: the archive is checked before it is
opened, XML is parsed with defusedxml, and the worker's import runs under a
memory limit."""

import io
import resource
import zipfile

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from common import files
from common.files import check_xlsx_archive
from enterprises.models import Enterprise, RosterImport
from enterprises.roster.tasks import roster_import_task
from tests.profile.conftest import XLSX, roster_bytes, roster_row
from tests.security.zipbomb import xlsx_bomb

pytestmark = pytest.mark.django_db

ROSTER_URL = reverse("enterprises:roster")


def archive(members: dict[str, bytes], *, compression=zipfile.ZIP_DEFLATED) -> io.BytesIO:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as zipped:
        for name, data in members.items():
            zipped.writestr(name, data)
    buffer.seek(0)
    return buffer


def peak_rss_megabytes() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


def test_a_real_roster_passes_the_check_and_the_file_is_left_at_its_start():
    upload = io.BytesIO(roster_bytes([roster_row() for _row in range(50)]))
    upload.seek(7)

    check_xlsx_archive(upload)

    assert upload.tell() == 0


@pytest.mark.parametrize(
    ("members", "message"),
    [
        pytest.param({"xl/worksheets/sheet1.xml": b"A" * (8 << 20)}, "压缩比", id="ratio"),
        pytest.param({f"xl/part{number}.xml": b"<x/>" for number in range(1001)}, "文件数", id="members"),
    ],
)
def test_an_archive_over_a_limit_is_refused_with_the_reason(members, message):
    with pytest.raises(ValidationError) as refused:
        check_xlsx_archive(archive(members))

    assert message in " ".join(refused.value.messages)


def test_a_member_or_a_total_too_large_is_refused(monkeypatch):
    monkeypatch.setattr(files, "XLSX_MAX_MEMBER_BYTES", 1 << 20)
    monkeypatch.setattr(files, "XLSX_MAX_TOTAL_BYTES", 3 << 20)
    random_megabyte = bytes(range(256)) * 4096  # incompressible enough: the ratio stays low

    with pytest.raises(ValidationError, match="单个部件"):
        check_xlsx_archive(archive({"xl/sharedStrings.xml": random_megabyte * 2}, compression=zipfile.ZIP_STORED))
    with pytest.raises(ValidationError, match="解压后总大小"):
        check_xlsx_archive(archive({f"xl/p{n}.xml": random_megabyte for n in range(4)}, compression=zipfile.ZIP_STORED))


def test_not_a_zip_is_refused_as_unreadable():
    with pytest.raises(ValidationError, match="无法读取"):
        check_xlsx_archive(io.BytesIO(b"PK\x03\x04 not really"))


def test_a_one_gigabyte_cell_in_a_one_megabyte_upload_is_refused_and_the_web_process_stays_flat(cast, client_for):
    bomb = xlsx_bomb(1024)
    assert len(bomb) < 2 << 20
    client = client_for(cast.manager)
    before = peak_rss_megabytes()

    response = client.post(
        ROSTER_URL, {"file": SimpleUploadedFile("名册.xlsx", bomb, content_type=XLSX), "mode": "create"}
    )

    assert response.status_code == 200
    assert (
        "单个部件解压后过大（1024 MB，上限 160 MB）。该文件不像正常的 Excel 表格，已拒绝处理。"
        in response.content.decode()
    )
    assert not RosterImport.objects.exists()
    assert peak_rss_megabytes() - before < 50


def test_openpyxl_parses_with_defusedxml_and_an_entity_bomb_is_refused(cast, client_for):
    assert openpyxl.DEFUSEDXML is True
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">]>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">'
        b'<c r="A1" t="inlineStr"><is><t>&lol2;</t></is></c></row></sheetData></worksheet>'
    )
    source = zipfile.ZipFile(io.BytesIO(roster_bytes([roster_row()])))
    members = {name: source.read(name) for name in source.namelist()}
    members["xl/worksheets/sheet1.xml"] = laughs

    response = client_for(cast.manager).post(
        ROSTER_URL,
        {"file": SimpleUploadedFile("名册.xlsx", archive(members).getvalue(), content_type=XLSX), "mode": "create"},
    )

    assert "无法读取该文件" in response.content.decode()
    assert not RosterImport.objects.exists()


def test_the_workers_import_runs_under_a_memory_limit_and_refuses_the_file_whole(cast, settings, monkeypatch, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.IMPORT_MEMORY_LIMIT_MB = 64
    # A bomb that passes the archive check (limits lifted) so that only the memory limit stands.
    monkeypatch.setattr(files, "XLSX_MAX_RATIO", 10**6)
    monkeypatch.setattr(files, "XLSX_MAX_MEMBER_BYTES", 1 << 40)
    monkeypatch.setattr(files, "XLSX_MAX_TOTAL_BYTES", 1 << 40)
    bomb = SimpleUploadedFile("名册.xlsx", xlsx_bomb(256), content_type=XLSX)
    job = RosterImport(uploaded_by=cast.manager, original_name="名册.xlsx", mode="create")
    job.file.save("名册.xlsx", bomb, save=False)
    job.save()

    roster_import_task.apply(args=[job.pk])

    job.refresh_from_db()
    assert job.status == RosterImport.Status.REJECTED
    assert "内存" in job.message
    assert job.errors == []
    assert not Enterprise.objects.exclude(pk__in=[cast.enterprise_a.pk, cast.enterprise_b.pk]).exists()
    # The limit is lifted again after the task.
    assert resource.getrlimit(resource.RLIMIT_AS)[0] == resource.RLIM_INFINITY
