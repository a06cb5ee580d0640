"""Excel exports as background jobs: one way for every list export, however many rows.

Every list export (the ledger, the roster, visits, weekly tracking) runs as an
``ExportJob``; none is written inside a web request. One way, whatever the
size: a 30-row export waits a second for the worker, a 100,000-row export
does not hold a web worker for a minute, and there is one code path to test
and to keep scoped. (The monthly report download is not a list export: the
monthly job stores that workbook, and its page sends the stored file.)

1. The export button POSTs the list's filters (``export_job_start``). They are
   checked at once by the kind's ``select`` — who may export, and every filter
   value — so a bad filter answers 400 naming the field and stores nothing.
2. The Celery task (``common.tasks.export_job_task``) calls ``export_job_run``:
   it loads the requester again and calls the same ``select``, so the file
   holds what the user may see when it is written (never the stored filter
   alone), writes the rows through ``common.excel`` into the private media
   storage, and records rows done / total for the progress page.
3. The file is handed out only to the user who asked (anyone else: 404, as
   for an id that does not exist) and removed after ``EXPORT_FILE_DAYS`` days
   by the daily ``export_files_cleanup``.

An app declares an export once, as an ``ExportKind`` in its exports module;
the job stores the kind's dotted path, so this module imports no app above it.
"""

import datetime
import logging
import tempfile
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from common.excel import Column, ExcelWorkbook, export_heading
from common.models import ExportJob

logger = logging.getLogger(__name__)

# Rows between two progress writes: 100 small UPDATEs for a 100,000-row export.
PROGRESS_EVERY = 1000
# Query-string keys that are not filters: the list's page, the form's CSRF token.
NOT_FILTERS = ("page", "csrfmiddlewaretoken")


@dataclass(frozen=True)
class ExportKind:
    """One export an app offers.

    ``select(user=…, params=…)`` is the scope and the filters: it raises
    ``PermissionDenied`` or ``Http404`` when the user may not export, and
    ``ValidationError`` (one entry per field) for a bad filter value; it returns
    the rows' queryset. ``rows(queryset)`` yields one sequence per row in the
    order of ``columns``. ``path`` is the kind's own dotted path.
    """

    path: str
    label: Any  # a (lazy) Chinese name: the sheet, the title row, the file
    columns: Sequence[Column]
    select: Callable[..., QuerySet[Any]]
    rows: Callable[[QuerySet[Any]], Iterator[Sequence[Any]]]
    heading: bool = True  # the roster is an import format: no title row above its header

    def filename(self) -> str:
        return f"{self.label}-{timezone.localdate():%Y%m%d}.xlsx"


def filter_errors(filterset: Any) -> ValidationError:
    """A filter set's errors as a ``ValidationError`` naming each field by its query parameter."""
    return ValidationError(
        {field: [str(message) for message in messages] for field, messages in filterset.errors.items()}
    )


def filtered(filterset: Any) -> QuerySet[Any]:
    """The rows a list's filter set selects for an export; an invalid filter value refuses the
    export with ``filter_errors`` (the same answer as the list), never exports the unfiltered rows."""
    if filterset.is_bound and not filterset.is_valid():
        raise filter_errors(filterset)
    return filterset.qs


def export_params(data: QueryDict) -> QueryDict:
    """The filters of a list as the export keeps them: the query without its page and token."""
    params = data.copy()
    for key in NOT_FILTERS:
        params.pop(key, None)
    return params


def _kind_get(path: str) -> ExportKind:
    try:
        kind = import_string(path)
    except ImportError:
        kind = None
    if not isinstance(kind, ExportKind) or kind.path != path:
        raise LookupError(path)
    return kind


# --- Starting ----------------------------------------------------------------


def export_job_start(*, user: Any, kind: ExportKind, data: QueryDict) -> ExportJob:
    """Check the user and the filters, store the job and queue it after commit.

    Raises what ``kind.select`` raises (``PermissionDenied``/``Http404``,
    ``ValidationError``) before anything is stored.
    """
    params = export_params(data)
    kind.select(user=user, params=params)  # refused here, nothing stored
    job = ExportJob(
        requested_by=user,
        kind=kind.path,
        params=params.urlencode(),
        language=translation.get_language() or settings.LANGUAGE_CODE,
        filename=kind.filename(),
    )
    job.full_clean()
    job.save()
    from common.tasks import export_job_task

    transaction.on_commit(lambda: export_job_task.delay(job.pk))
    return job


# --- Running -----------------------------------------------------------------


def _claim(job_id: int) -> bool:
    """Take a pending job, or one whose worker died past the hard time limit (safe to run twice)."""
    now = timezone.now()
    stale = now - datetime.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)
    pending = ExportJob.objects.filter(pk=job_id, status=ExportJob.Status.PENDING)
    abandoned = ExportJob.objects.filter(pk=job_id, status=ExportJob.Status.RUNNING, started_at__lt=stale)
    fields = {"status": ExportJob.Status.RUNNING, "started_at": now, "rows_done": 0}
    return bool(pending.update(**fields) or abandoned.update(**fields))


def write_export(
    *,
    kind: ExportKind,
    user: Any,
    params: QueryDict,
    target: IO[bytes],
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Write the user's export to the binary file ``target``; returns the row count.

    ``progress(done, total)`` is called once the total is known and every
    ``PROGRESS_EVERY`` rows. The task and the benchmark both run this.
    """
    queryset = kind.select(user=user, params=params)
    total = queryset.count()
    if progress:
        progress(0, total)
    workbook = ExcelWorkbook(title=str(kind.label))
    heading = export_heading(str(kind.label)) if kind.heading else None
    sheet = workbook.add_sheet(str(kind.label), kind.columns, heading=heading)
    done = 0
    try:
        for row in kind.rows(queryset):
            sheet.append(row)
            done += 1
            if progress and done % PROGRESS_EVERY == 0:
                progress(done, total)
        workbook.save(target)
    except BaseException:
        workbook.discard()
        raise
    return done


def export_job_run(*, job_id: int) -> None:
    """Write one job's file; a failure is recorded on the job with a message for the user."""
    if not _claim(job_id):
        return
    job = ExportJob.objects.select_related("requested_by").get(pk=job_id)

    def progress(done: int, total: int) -> None:
        ExportJob.objects.filter(pk=job_id).update(rows_done=done, total_rows=total)

    try:
        kind = _kind_get(job.kind)
        with translation.override(job.language or settings.LANGUAGE_CODE):
            with File(tempfile.TemporaryFile()) as handle:
                count = write_export(
                    kind=kind, user=job.requested_by, params=QueryDict(job.params), target=handle, progress=progress
                )
                handle.seek(0)
                job.file.save(f"{uuid.uuid4().hex}.xlsx", handle, save=False)
    except (PermissionDenied, Http404):
        _fail(job, _("您已无权导出这些数据，文件未生成。"))
        return
    except ValidationError:
        _fail(job, _("筛选条件已不再有效（例如所选网格已不在您的范围内），文件未生成。请回到列表重新导出。"))
        return
    except LookupError:
        _fail(job, _("这种导出已不再提供，文件未生成。"))
        return
    except Exception:
        logger.exception("export job %s failed", job_id)
        _fail(job, _("导出时出错，文件未生成。请稍后重试；如仍失败请联系系统管理员。"))
        return
    ExportJob.objects.filter(pk=job_id).update(
        status=ExportJob.Status.SUCCEEDED,
        file=job.file.name,
        rows_done=count,
        total_rows=count,
        finished_at=timezone.now(),
        message="",
    )


def _fail(job: ExportJob, message: str) -> None:
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportJob.Status.FAILED, message=message, finished_at=timezone.now()
    )


# --- Reading, downloading, expiring -----------------------------------------------


def export_job_for(*, user: Any, job_id: int) -> ExportJob:
    """A job of ``user``'s own; anyone else's (whatever their role) is a 404, as a missing id is."""
    return get_object_or_404(ExportJob.objects.filter(requested_by=user), pk=job_id)


def export_file_for(*, user: Any, job_id: int) -> ExportJob:
    """A finished job of ``user``'s own whose file is still there; else 404."""
    job = export_job_for(user=user, job_id=job_id)
    if job.status != ExportJob.Status.SUCCEEDED or not job.file:
        raise Http404(_("文件不存在或已过期。"))
    return job


def export_files_cleanup(*, now: datetime.datetime | None = None) -> int:
    """Remove the files of jobs finished more than ``EXPORT_FILE_DAYS`` days ago; returns how many.

    The job row stays (marked 已过期) so its page says the file expired. Safe to run twice.
    """
    cutoff = (now or timezone.now()) - datetime.timedelta(days=settings.EXPORT_FILE_DAYS)
    removed = 0
    expired = ExportJob.objects.filter(status=ExportJob.Status.SUCCEEDED, finished_at__lt=cutoff)
    for job in expired.only("pk", "file").iterator():
        if job.file.name:
            job.file.storage.delete(job.file.name)  # a file already gone is no error
        ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.EXPIRED, file="")
        removed += 1
    return removed
