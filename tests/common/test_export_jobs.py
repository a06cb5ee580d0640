"""Exports as background jobs (``common.export_jobs``): start, progress, download, scope, failure, expiry.

The roster export (``enterprises:roster_export``) stands for every list export here: the
cast's officer of grid A sees enterprise A only, the manager sees both.
"""

import dataclasses
import datetime
import io
import logging
import os

import pytest
from django.conf import settings
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from openpyxl.worksheet import _writer as openpyxl_writer

from common import export_jobs
from common.export_jobs import export_files_cleanup, export_job_run, write_export
from common.models import ExportJob
from enterprises.roster.exports import ROSTER_EXPORT
from tests.exports import exported

EXPORT_URL = reverse("enterprises:roster_export")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def start(client, data=None, *, callbacks) -> ExportJob:
    with callbacks(execute=False) as queued:
        response = client.post(EXPORT_URL, data or {})
    assert response.status_code == 302
    job = ExportJob.objects.get()
    assert response["Location"] == reverse("common:export_job", args=[job.pk])
    assert len(queued) == 1  # the task is queued once the job is committed
    return job


def uscc_column(content: bytes) -> list[str]:
    sheet = load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    return [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]


def download(client, job: ExportJob):
    return client.get(reverse("common:export_download", args=[job.pk]))


# --- Lifecycle ------------------------------------------------------------------------


def test_a_job_goes_from_queued_to_a_download_for_the_user_who_asked(
    cast, client_for, django_capture_on_commit_callbacks
):
    client = client_for(cast.manager)

    job = start(client, callbacks=django_capture_on_commit_callbacks)

    assert (job.status, job.requested_by, job.kind) == ("pending", cast.manager, ROSTER_EXPORT.path)
    assert "排队等待后台生成" in client.get(reverse("common:export_job", args=[job.pk])).content.decode()
    assert download(client, job).status_code == 404  # nothing to download yet

    export_job_run(job_id=job.pk)

    job.refresh_from_db()
    assert (job.status, job.rows_done, job.total_rows, job.progress_percent) == ("succeeded", 2, 2, 100)
    status = client.get(reverse("common:export_job_status", args=[job.pk])).content.decode()
    assert reverse("common:export_download", args=[job.pk]) in status
    assert "hx-get" not in status  # a finished job stops polling
    response = download(client, job)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Disposition"].startswith("attachment; filename*=utf-8''")
    assert sorted(uscc_column(b"".join(response.streaming_content))) == sorted(
        [cast.enterprise_a.uscc, cast.enterprise_b.uscc]
    )
    # The file sits in the private media folder (served by no URL of its own), under a random name.
    assert job.file.name.startswith("exports/") and (settings.MEDIA_ROOT / job.file.name).exists()


def test_a_job_runs_once_however_often_its_task_is_delivered(cast, client_for, django_capture_on_commit_callbacks):
    job = start(client_for(cast.manager), callbacks=django_capture_on_commit_callbacks)
    export_job_run(job_id=job.pk)
    job.refresh_from_db()
    first = (job.file.name, job.finished_at)

    export_job_run(job_id=job.pk)

    job.refresh_from_db()
    assert (job.file.name, job.finished_at) == first


def test_a_job_whose_worker_died_is_taken_again_after_the_time_limit(cast):
    started = timezone.now() - datetime.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 1)
    job = ExportJob.objects.create(
        requested_by=cast.manager, kind=ROSTER_EXPORT.path, status="running", started_at=started
    )
    fresh = ExportJob.objects.create(
        requested_by=cast.manager, kind=ROSTER_EXPORT.path, status="running", started_at=timezone.now()
    )

    export_job_run(job_id=job.pk)
    export_job_run(job_id=fresh.pk)

    assert ExportJob.objects.get(pk=job.pk).status == "succeeded"
    assert ExportJob.objects.get(pk=fresh.pk).status == "running"  # its worker may still be writing


def test_the_export_url_takes_a_post_only(cast, client_for):
    assert client_for(cast.manager).get(EXPORT_URL).status_code == 405
    assert not ExportJob.objects.exists()


# --- Progress -------------------------------------------------------------------------


def test_progress_is_recorded_as_the_rows_are_written(cast, monkeypatch):
    monkeypatch.setattr(export_jobs, "PROGRESS_EVERY", 1)
    seen = []

    count = write_export(
        kind=ROSTER_EXPORT,
        user=cast.manager,
        params=QueryDict(),
        target=io.BytesIO(),
        progress=lambda done, total: seen.append((done, total)),
    )

    assert count == 2
    assert seen == [(0, 2), (1, 2), (2, 2)]


def test_the_page_shows_rows_done_of_the_total_while_the_job_runs(cast, client_for):
    job = ExportJob.objects.create(
        requested_by=cast.manager, kind=ROSTER_EXPORT.path, status="running", rows_done=25_000, total_rows=100_000
    )

    status = client_for(cast.manager).get(reverse("common:export_job_status", args=[job.pk])).content.decode()

    assert "已写入 25000 / 100000 行" in status
    assert 'aria-valuenow="25"' in status
    assert f'hx-get="{reverse("common:export_job_status", args=[job.pk])}"' in status  # it keeps polling


# --- Scope ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "persona", ["admin", "manager", "leader_a", "officer_b", "bureau_user_x", "enterprise_user_a", "leader_b"]
)
def test_someone_elses_job_is_a_404_like_a_missing_id_whatever_the_role(cast, client_for, persona):
    job = ExportJob.objects.create(requested_by=cast.officer_a, kind=ROSTER_EXPORT.path)
    export_job_run(job_id=job.pk)
    client = client_for(getattr(cast, persona))

    for name in ("common:export_job", "common:export_job_status", "common:export_download"):
        assert client.get(reverse(name, args=[job.pk])).status_code == 404, name
        assert client.get(reverse(name, args=[job.pk + 1000])).status_code == 404, name
    assert client_for(cast.officer_a).get(reverse("common:export_download", args=[job.pk])).status_code == 200


def test_the_file_holds_only_the_requesters_scope(cast, client_for):
    rows = uscc_column(b"".join(exported(client_for(cast.officer_a), EXPORT_URL).streaming_content))

    assert rows == [cast.enterprise_a.uscc]


def test_the_scope_is_applied_again_when_the_job_runs(cast, client_for, django_capture_on_commit_callbacks):
    """Given an export the officer of grid A asked for, when the officer moves to grid B before the
    worker runs it, then the file holds grid B's enterprise, not grid A's."""
    client = client_for(cast.officer_a)
    job = start(client, callbacks=django_capture_on_commit_callbacks)
    cast.grid_a.officers.remove(cast.officer_a)
    cast.grid_a.leader = cast.officer_b
    cast.grid_a.save()
    cast.grid_b.officers.add(cast.officer_a)

    export_job_run(job_id=job.pk)

    assert uscc_column(b"".join(download(client, job).streaming_content)) == [cast.enterprise_b.uscc]


def test_a_stored_filter_outside_the_scope_is_not_trusted(cast, client_for):
    """A job row whose filter names grid B (written by hand, or the officer moved) fails: no file."""
    job = ExportJob.objects.create(
        requested_by=cast.officer_a, kind=ROSTER_EXPORT.path, params=f"grid={cast.grid_b.pk}"
    )

    export_job_run(job_id=job.pk)

    job.refresh_from_db()
    assert (job.status, job.file.name) == ("failed", "")
    assert "筛选条件已不再有效" in job.message
    assert download(client_for(cast.officer_a), job).status_code == 404


# --- Refusals and failures ----------------------------------------------------------


def test_a_bad_filter_answers_400_naming_the_field_and_creates_nothing(cast, client_for):
    response = client_for(cast.manager).post(EXPORT_URL, {"tier": "no-such-tier", "q": "企业"})

    assert response.status_code == 400
    page = response.content.decode()
    assert "<code>tier</code>" in page and "<code>q</code>" not in page
    assert not ExportJob.objects.exists()


def test_a_requester_who_lost_the_right_to_export_gets_a_failed_job_with_the_reason(cast, client_for):
    job = ExportJob.objects.create(requested_by=cast.officer_a, kind=ROSTER_EXPORT.path)
    cast.officer_a.role = "enterprise_user"
    cast.officer_a.enterprise = cast.enterprise_a
    cast.officer_a.save()

    export_job_run(job_id=job.pk)

    job.refresh_from_db()
    assert (job.status, job.file.name) == ("failed", "")
    status = client_for(cast.officer_a).get(reverse("common:export_job_status", args=[job.pk])).content.decode()
    assert "您已无权导出这些数据" in status


def test_an_error_while_writing_fails_the_job_with_a_clear_message_logs_it_and_leaves_no_temporary_file(
    cast, monkeypatch, caplog
):
    job = ExportJob.objects.create(requested_by=cast.manager, kind=ROSTER_EXPORT.path)
    temporary = []
    create = openpyxl_writer.create_temporary_file
    monkeypatch.setattr(openpyxl_writer, "create_temporary_file", lambda: temporary.append(create()) or temporary[-1])

    def broken_rows(queryset):
        yield from ROSTER_EXPORT.rows(queryset)
        raise OSError("disk full")

    monkeypatch.setattr(
        "enterprises.roster.exports.ROSTER_EXPORT", dataclasses.replace(ROSTER_EXPORT, rows=broken_rows)
    )
    with caplog.at_level(logging.ERROR, logger="common.export_jobs"):
        export_job_run(job_id=job.pk)

    job.refresh_from_db()
    assert (job.status, job.file.name) == ("failed", "")
    assert job.message.startswith("导出时出错，文件未生成。")
    assert f"export job {job.pk} failed" in caplog.text
    assert temporary and not [path for path in temporary if os.path.exists(path)]


def test_a_kind_that_no_longer_exists_fails_the_job(cast):
    job = ExportJob.objects.create(requested_by=cast.manager, kind="enterprises.roster.exports.NO_SUCH_EXPORT")

    export_job_run(job_id=job.pk)

    job.refresh_from_db()
    assert (job.status, job.message) == ("failed", "这种导出已不再提供，文件未生成。")


# --- Expiry ---------------------------------------------------------------------------------


def finished_job(user, *, at: datetime.datetime) -> ExportJob:
    job = ExportJob.objects.create(requested_by=user, kind=ROSTER_EXPORT.path)
    export_job_run(job_id=job.pk)
    ExportJob.objects.filter(pk=job.pk).update(finished_at=at)
    return ExportJob.objects.get(pk=job.pk)


def test_the_cleanup_removes_files_older_than_the_days_kept_and_no_younger_one(cast, client_for, settings):
    """With 7 days kept: finished 7 days and 1 second ago → removed; exactly 7 days ago, or a second
    less → kept. Pending and failed jobs are left alone; a second run removes nothing more."""
    settings.EXPORT_FILE_DAYS = 7
    now = timezone.now()
    week = datetime.timedelta(days=7)
    second = datetime.timedelta(seconds=1)
    old = finished_job(cast.manager, at=now - week - second)
    edge = finished_job(cast.manager, at=now - week)
    young = finished_job(cast.manager, at=now - week + second)
    pending = ExportJob.objects.create(requested_by=cast.manager, kind=ROSTER_EXPORT.path)
    ExportJob.objects.filter(pk=pending.pk).update(created_at=now - week * 3)
    failed = ExportJob.objects.create(
        requested_by=cast.manager, kind=ROSTER_EXPORT.path, status="failed", finished_at=now - week * 3
    )

    assert export_files_cleanup(now=now) == 1

    old_path = settings.MEDIA_ROOT / old.file.name
    old.refresh_from_db()
    assert (old.status, old.file.name) == ("expired", "")
    assert not old_path.exists()
    for kept in (edge, young):
        kept.refresh_from_db()
        assert kept.status == "succeeded" and (settings.MEDIA_ROOT / kept.file.name).exists()
    assert ExportJob.objects.get(pk=pending.pk).status == "pending"
    assert ExportJob.objects.get(pk=failed.pk).status == "failed"
    client = client_for(cast.manager)
    assert download(client, old).status_code == 404
    assert "文件已过期" in client.get(reverse("common:export_job", args=[old.pk])).content.decode()
    assert export_files_cleanup(now=now) == 0


def test_a_file_already_gone_from_disk_does_not_stop_the_cleanup(cast, settings):
    settings.EXPORT_FILE_DAYS = 1
    job = finished_job(cast.manager, at=timezone.now() - datetime.timedelta(days=2))
    (settings.MEDIA_ROOT / job.file.name).unlink()

    assert export_files_cleanup() == 1
    assert ExportJob.objects.get(pk=job.pk).status == "expired"


def test_the_cleanup_is_in_the_beat_schedule_daily():
    from jingkai_portal.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["common-export-files-cleanup"]
    assert entry["task"] == "common.tasks.export_files_cleanup_task"
    assert entry["task"] in app.tasks
    assert (entry["schedule"].hour, entry["schedule"].minute) == ({4}, {20})


# --- The button -------------------------------------------------------------------------------


def test_the_lists_export_button_posts_the_lists_filters_without_its_page(cast, client_for):
    page = client_for(cast.manager).get(reverse("enterprises:list"), {"tier": "struggling", "page": "1"})

    html = page.content.decode()
    form = html[html.index(f'action="{EXPORT_URL}"') - 40 :]
    form = form[: form.index("</form>")]
    assert 'method="post"' in form and "csrfmiddlewaretoken" in form
    assert '<input type="hidden" name="tier" value="struggling">' in form
    assert 'name="page"' not in form
