"""Importing the Excel roster: all rows are checked first, then written in one
transaction, or nothing is written at all.

1. ``roster_import_start`` (in the request) checks who imports and that the
   upload is a readable roster with the right headers, stores it as a
   ``RosterImport`` and runs it: at once for a small file, in the Celery worker
   for a large one (the page polls the job row for progress).
2. ``roster_import_run`` parses and checks every row (types, choices, USCC
   check character, duplicates in the file, grids in the importer's scope),
   writing progress to the job row as it goes.
3. Inside one transaction it checks the rows against the database (a USCC
   that exists is an error when only adding, an update when the importer chose
   "add and update" and may edit that enterprise) and writes: new enterprises,
   changed ones (rows equal to the database change nothing and write no
   history) and the tier history. Any error rolls everything back and the job
   keeps the table of row, column and reason.
"""

import logging
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from accounts.models import User
from common.files import Upload, validate_upload
from enterprises.registry.models import Enterprise, TierChange
from enterprises.roster.columns import COLUMNS
from enterprises.roster.models import RosterImport
from enterprises.roster.parser import CellError, RowParser, grid_lookup
from enterprises.roster.reader import RosterFileError, RosterReader
from enterprises.roster.selectors import can_import_roster, importable_grid_ids

logger = logging.getLogger(__name__)

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_ROWS = 50_000
# Files up to this many rows are imported within the upload request; larger
# ones go to the Celery worker and the page shows their progress.
SYNC_MAX_ROWS = 500
# How many rows between two progress writes, and how many errors are kept.
PROGRESS_EVERY = 250
ERRORS_KEPT = 500
DB_CHUNK = 900  # below SQLite's limit on query parameters

FIELD_COLUMNS = {column.field: column.header for column in COLUMNS}
IMPORTED_FIELDS = tuple(column.field for column in COLUMNS)

RowValues = dict[str, Any]  # a parsed row: field name → value


class RosterRejected(Exception):
    def __init__(self, errors: list[CellError]):
        super().__init__(f"{len(errors)} errors")
        self.errors = errors


# --- Starting a job ------------------------------------------------------------


def roster_import_start(*, actor: User, upload: Upload, mode: str) -> RosterImport:
    """Check the upload and start the import; file-level problems raise
    ``ValidationError`` before anything is stored."""
    if not can_import_roster(user=actor):
        raise PermissionDenied(_("您没有导入企业名册的权限。"))
    if mode not in RosterImport.Mode.values:
        raise ValidationError({"mode": _("请选择导入方式。")})
    validate_upload(upload, max_bytes=MAX_FILE_BYTES)  # refuses a file without a name, too
    name = upload.name or ""
    if not name.lower().endswith(".xlsx"):
        raise ValidationError(_("请上传 .xlsx 格式的 Excel 文件。"))
    try:
        reader = RosterReader(upload)
    except RosterFileError as error:
        raise ValidationError(str(error), code="roster_file") from error
    estimated = reader.estimated_rows
    if estimated is None:
        counted = reader.count_rows(limit=SYNC_MAX_ROWS)
        estimated = counted if counted <= SYNC_MAX_ROWS else None
    reader.close()
    upload.seek(0)
    if estimated == 0:
        raise ValidationError(_("文件中没有企业数据：第2行起每行填写一家企业。"), code="roster_empty")
    if estimated is not None and estimated > MAX_ROWS:
        raise ValidationError(_("单个文件最多导入%(limit)d行，请分批导入。") % {"limit": MAX_ROWS})
    job = RosterImport(uploaded_by=actor, original_name=name[:200], mode=mode, total_rows=estimated)
    job.file.save(name, upload, save=False)
    job.full_clean()
    job.save()
    if estimated is not None and estimated <= SYNC_MAX_ROWS:
        try:
            roster_import_run(job_id=job.pk)
        except Exception:
            pass  # already logged and recorded on the job, whose page says what went wrong
        job.refresh_from_db()
    else:
        # Imported here: the task module imports this one.
        from enterprises.roster.tasks import roster_import_task

        # The worker must find the job row, so send only once it is committed.
        transaction.on_commit(lambda: roster_import_task.delay(job.pk))
    return job


# --- Running a job ---------------------------------------------------------------


@dataclass
class _Outcome:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def roster_import_run(*, job_id: int) -> None:
    """Run one import job; safe to call twice (only a pending job is claimed)."""
    claimed = RosterImport.objects.filter(pk=job_id, status=RosterImport.Status.PENDING).update(
        status=RosterImport.Status.VALIDATING, started_at=timezone.now()
    )
    if not claimed:
        return
    job = RosterImport.objects.select_related("uploaded_by").get(pk=job_id)
    try:
        outcome = _run(job)
    except RosterRejected as rejected:
        errors = sorted(rejected.errors, key=lambda error: (error.row, _column_order(error.column)))
        _finish(
            job,
            status=RosterImport.Status.REJECTED,
            error_count=len(errors),
            errors=[error.as_dict() for error in errors[:ERRORS_KEPT]],
            message=_("发现%(count)d处错误，整个文件未导入。请修改后重新上传。") % {"count": len(errors)},
        )
    except RosterFileError as error:
        _finish(job, status=RosterImport.Status.REJECTED, message=str(error))
    except IntegrityError:
        logger.warning("roster import %s lost a race with another write", job_id, exc_info=True)
        _finish(
            job,
            status=RosterImport.Status.FAILED,
            message=_("导入期间企业数据被其他操作修改，未导入任何数据，请重新上传。"),
        )
    except Exception:
        logger.exception("roster import %s failed", job_id)
        _finish(
            job,
            status=RosterImport.Status.FAILED,
            message=_("处理文件时出错，未导入任何数据。请稍后重试或联系管理员。"),
        )
        raise
    else:
        _finish(
            job,
            status=RosterImport.Status.SUCCEEDED,
            created_count=outcome.created,
            updated_count=outcome.updated,
            unchanged_count=outcome.unchanged,
            message=_("导入成功：新增%(created)d家，更新%(updated)d家，%(unchanged)d家无变化。")
            % {"created": outcome.created, "updated": outcome.updated, "unchanged": outcome.unchanged},
        )


def _column_order(header: str) -> int:
    headers = [column.header for column in COLUMNS]
    return headers.index(header) if header in headers else len(headers)


def _finish(job: RosterImport, *, status: str, **fields: Any) -> None:
    RosterImport.objects.filter(pk=job.pk).update(status=status, finished_at=timezone.now(), **fields)


def _run(job: RosterImport) -> _Outcome:
    actor = job.uploaded_by
    if not can_import_roster(user=actor):
        raise RosterFileError(_("您没有导入企业名册的权限。"))
    rows, errors = _parse_all(job, actor)
    if not rows and not errors:
        raise RosterFileError(_("文件中没有企业数据：第2行起每行填写一家企业。"))
    if not errors:
        RosterImport.objects.filter(pk=job.pk).update(status=RosterImport.Status.WRITING)
    with transaction.atomic():
        return _check_and_write(job, actor, rows, errors)


def _parse_all(job: RosterImport, actor: User) -> tuple[list[tuple[int, RowValues]], list[CellError]]:
    """Every row parsed and checked on its own and against the other rows."""
    parser = RowParser(grids=grid_lookup(), allowed_grid_ids=importable_grid_ids(user=actor))
    rows, errors = [], []
    first_row_of_uscc: dict[str, int] = {}
    with job.file.open("rb") as handle:
        reader = RosterReader(handle)
        try:
            processed = 0
            for row_number, cells in reader.rows():
                values, row_errors = parser.parse(row_number, cells)
                uscc = values.get("uscc")
                if uscc:
                    if uscc in first_row_of_uscc:
                        row_errors.append(
                            CellError(
                                row_number,
                                FIELD_COLUMNS["uscc"],
                                _("与第%(row)d行的统一社会信用代码重复。") % {"row": first_row_of_uscc[uscc]},
                            )
                        )
                    else:
                        first_row_of_uscc[uscc] = row_number
                if not row_errors:
                    row_errors = _model_errors(row_number, values)
                errors += row_errors
                if not row_errors:
                    rows.append((row_number, values))
                processed += 1
                if processed % PROGRESS_EVERY == 0:
                    _progress(job, processed)
                if processed > MAX_ROWS:
                    raise RosterFileError(_("单个文件最多导入%(limit)d行，请分批导入。") % {"limit": MAX_ROWS})
        finally:
            reader.close()
    _progress(job, processed, final=True)
    return rows, errors


def _progress(job: RosterImport, processed: int, *, final: bool = False) -> None:
    update = {"processed_rows": processed}
    if final or (job.total_rows is not None and processed > job.total_rows):
        update["total_rows"] = processed
        job.total_rows = processed
    RosterImport.objects.filter(pk=job.pk).update(**update)


def _model_errors(row_number: int, values: RowValues) -> list[CellError]:
    """The model's own rules (lengths, validators) for a row that parsed cleanly."""
    candidate = Enterprise(**values)
    try:
        # Uniqueness is checked against the database in one query per chunk,
        # and the grid came from the lookup, so neither needs a query per row.
        candidate.full_clean(exclude=["grid", "board_token"], validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        return [
            CellError(row_number, FIELD_COLUMNS.get(name, name), " ".join(messages))
            for name, messages in error.message_dict.items()
        ]
    return []


def _check_and_write(
    job: RosterImport, actor: User, rows: list[tuple[int, RowValues]], errors: list[CellError]
) -> _Outcome:
    existing = _existing_by_uscc([values["uscc"] for _row, values in rows])
    editable_grid_ids = importable_grid_ids(user=actor)
    creates, updates, outcome = [], [], _Outcome()
    for row_number, values in rows:
        current = existing.get(values["uscc"])
        if current is None:
            creates.append(values)
        elif job.mode == RosterImport.Mode.CREATE:
            errors.append(
                CellError(
                    row_number,
                    FIELD_COLUMNS["uscc"],
                    _("系统中已有该统一社会信用代码的企业；如需更新已有企业，请选择“新增并更新”。"),
                )
            )
        elif editable_grid_ids is not None and current.grid_id not in editable_grid_ids:
            errors.append(CellError(row_number, FIELD_COLUMNS["uscc"], _("该企业不在您负责的片区，不能更新。")))
        else:
            changed = [name for name in IMPORTED_FIELDS if _differs(current, name, values[name])]
            if changed:
                updates.append((current, values, changed))
            else:
                outcome.unchanged += 1
    if errors:
        raise RosterRejected(errors)
    reason = (_("名册导入：%(file)s") % {"file": job.original_name})[:100]
    outcome.created = _create(actor, creates, reason)
    outcome.updated = _update(actor, updates, reason)
    return outcome


def _existing_by_uscc(usccs: list[str]) -> dict[str, Enterprise]:
    existing = {}
    for start in range(0, len(usccs), DB_CHUNK):
        chunk = usccs[start : start + DB_CHUNK]
        for enterprise in Enterprise.objects.select_for_update().filter(uscc__in=chunk):
            existing[enterprise.uscc] = enterprise
    return existing


def _differs(enterprise: Enterprise, name: str, value: Any) -> bool:
    if name == "grid":
        return bool(enterprise.grid_id != value.pk)
    current = getattr(enterprise, name)
    if isinstance(current, str) or current is None and isinstance(value, str):
        return bool((current or "").strip() != (value or ""))
    return bool(current != value)


def _create(actor: User, creates: list[RowValues], reason: str) -> int:
    """New enterprises, their history rows and their first tier record."""
    if not creates:
        return 0
    now = timezone.now()
    enterprises = [Enterprise(**values) for values in creates]
    for enterprise in enterprises:
        enterprise.created_at = enterprise.updated_at = now
    created = bulk_create_with_history(
        enterprises, Enterprise, batch_size=500, default_user=actor, default_change_reason=reason
    )
    TierChange.objects.bulk_create(
        [
            TierChange(
                enterprise=enterprise,
                from_tier="",
                to_tier=enterprise.tier,
                reason=reason,
                changed_by=actor,
                changed_at=now,
            )
            for enterprise in created
        ],
        batch_size=500,
    )
    return len(created)


def _update(actor: User, updates: list[tuple[Enterprise, RowValues, list[str]]], reason: str) -> int:
    """Changed enterprises only: one history row each, and a tier record when the tier moved."""
    if not updates:
        return 0
    now = timezone.now()
    fields: set[str] = {"updated_at"}
    tier_changes = []
    for enterprise, values, changed in updates:
        if "tier" in changed:
            tier_changes.append(
                TierChange(
                    enterprise=enterprise,
                    from_tier=enterprise.tier,
                    to_tier=values["tier"],
                    reason=reason,
                    changed_by=actor,
                    changed_at=now,
                )
            )
        for name in changed:
            setattr(enterprise, name, values[name])
        enterprise.updated_at = now
        fields |= set(changed)
    objects = [enterprise for enterprise, _values, _changed in updates]
    bulk_update_with_history(
        objects, Enterprise, fields=sorted(fields), batch_size=500, default_user=actor, default_change_reason=reason
    )
    TierChange.objects.bulk_create(tier_changes)
    return len(objects)
