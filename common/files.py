"""Uploaded files: what we accept, checked before anything is stored."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MAX_UPLOAD_BYTES = 10 * 1024 * 1024

# Extension → the leading bytes a real file of that type starts with.
ALLOWED_TYPES: dict[str, tuple[bytes, ...]] = {
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".pdf": (b"%PDF",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
}


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
