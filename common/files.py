"""Uploaded files: what we accept, checked before anything is stored."""

import zipfile
from pathlib import Path
from typing import Any, TypeAlias

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
# How many files one upload may carry: a step of the ledger (a submission, a reply, a
# resolution) or a policy's attachments; a visit, where an officer photographs the site.
MAX_FILES_PER_ACTION = 5
MAX_FILES_PER_VISIT = 10

# Extension → the leading bytes a real file of that type starts with.
ALLOWED_TYPES: dict[str, tuple[bytes, ...]] = {
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".pdf": (b"%PDF",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
}

# An uploaded file as the services take it (the stubs make UploadedFile generic).
Upload: TypeAlias = "UploadedFile[Any]"


def validate_upload(upload, *, max_bytes: int = MAX_UPLOAD_BYTES) -> None:
    """Refuse files of another type (by extension and content) or too large."""
    extension = Path(upload.name or "").suffix.lower()
    if extension not in ALLOWED_TYPES:
        raise ValidationError(
            _("不支持的文件类型“%(ext)s”，仅支持 JPG、PNG、PDF、DOCX、XLSX。"),
            code="file_type",
            params={"ext": extension or "?"},
        )
    if upload.size > max_bytes:
        raise ValidationError(
            _("文件过大（%(size).1f MB），单个文件不超过 %(limit)d MB。"),
            code="file_size",
            params={"size": upload.size / 1024 / 1024, "limit": max_bytes // 1024 // 1024},
        )
    head = upload.read(16)
    upload.seek(0)
    if not any(head.startswith(magic) for magic in ALLOWED_TYPES[extension]):
        raise ValidationError(_("文件内容与扩展名不符。"), code="file_content")


def validate_uploads(uploads, *, max_files: int) -> None:
    """Refuse more than ``max_files`` files, or any file ``validate_upload`` refuses (every
    refused file named in the messages): for the form fields and the services alike."""
    if len(uploads) > max_files:
        raise ValidationError(_("一次最多上传 %(max)d 个附件。"), code="too_many_files", params={"max": max_files})
    errors = []
    for upload in uploads:
        try:
            validate_upload(upload)
        except ValidationError as error:
            errors.extend(f"{upload.name}：{message}" for message in error.messages)
    if errors:
        raise ValidationError(errors)


# What an .xlsx may inflate to before it is opened (zip bombs). A real 50,000-row roster's sheet
# is about 75 MB of XML, 20 times its compressed size; Excel's own parts compress less.
XLSX_MAX_MEMBERS = 1000
XLSX_MAX_MEMBER_BYTES = 160 * 1024 * 1024
XLSX_MAX_TOTAL_BYTES = 240 * 1024 * 1024
XLSX_MAX_RATIO = 100
# Parts smaller than this may compress as well as they like (a few kilobytes of repeated markup).
XLSX_RATIO_FROM_BYTES = 1024 * 1024


def check_xlsx_archive(file, *, error=ValidationError) -> None:
    """Refuse an .xlsx (a zip archive) whose parts would inflate beyond the limits,
    reading only its directory: call it before any parser opens an uploaded workbook.

    The sizes checked are the ones the directory declares; Python's zipfile never
    inflates a part past its declared size, so a lying directory gains nothing.
    ``error`` is the exception raised, with the reason as its message. The file is
    left at its start.
    """
    try:
        file.seek(0)
        with zipfile.ZipFile(file) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise error(_("无法读取该文件，请上传 Excel 2007 及以上版本的 .xlsx 文件。")) from exc
    finally:
        file.seek(0)
    refusal = _archive_refusal(members)
    if refusal:
        raise error(str(refusal) + str(_("该文件不像正常的 Excel 表格，已拒绝处理。")))


def _archive_refusal(members: list[zipfile.ZipInfo]):
    if len(members) > XLSX_MAX_MEMBERS:
        return _("文件数过多（%(count)d 个部件，上限 %(limit)d）。") % {
            "count": len(members),
            "limit": XLSX_MAX_MEMBERS,
        }
    for member in members:
        if member.file_size > XLSX_MAX_MEMBER_BYTES:
            return _("单个部件解压后过大（%(size)d MB，上限 %(limit)d MB）。") % {
                "size": member.file_size >> 20,
                "limit": XLSX_MAX_MEMBER_BYTES >> 20,
            }
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size >= XLSX_RATIO_FROM_BYTES and ratio > XLSX_MAX_RATIO:
            return _("压缩比异常（%(ratio)d 倍，上限 %(limit)d 倍）。") % {"ratio": ratio, "limit": XLSX_MAX_RATIO}
    total = sum(member.file_size for member in members)
    if total > XLSX_MAX_TOTAL_BYTES:
        return _("解压后总大小过大（%(size)d MB，上限 %(limit)d MB）。") % {
            "size": total >> 20,
            "limit": XLSX_MAX_TOTAL_BYTES >> 20,
        }
    return None
