"""Request parsers with a size cap (``REST_FRAMEWORK["DEFAULT_PARSER_CLASSES"]``).

Kept apart from ``common.api``: DRF imports the parser classes while
``rest_framework.views`` is still loading, so this module must not import it.
"""

import io

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, parsers, status


def _body_limit_text() -> str:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return f"{limit / (1024 * 1024):.1f} MB" if limit >= 1024 * 1024 else f"{limit} B"


class RequestTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "request_too_large"

    def __init__(self, detail=None, code=None):
        if detail is None:
            detail = _("请求内容过大：不能超过 %(limit)s。") % {"limit": _body_limit_text()}
        super().__init__(detail, code)


class BodyLimitMixin:
    """Refuse a body larger than ``DATA_UPLOAD_MAX_MEMORY_SIZE`` with a 413.

    Django checks that limit only when ``request.body`` or ``request.POST`` is
    read; DRF's parsers read the raw stream and so skipped it, and a 6 MB JSON
    body was parsed and stored. The declared length is checked first; reading
    at most one byte past the limit catches a body that does not declare one.
    """

    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if limit is not None and stream is not None:
            request = (parser_context or {}).get("request")
            declared = request.META.get("CONTENT_LENGTH") if request is not None else None
            if declared and str(declared).isascii() and str(declared).isdigit() and int(declared) > limit:
                raise RequestTooLarge()
            body = stream.read(limit + 1)
            if len(body) > limit:
                raise RequestTooLarge()
            stream = io.BytesIO(body)
        return super().parse(stream, media_type, parser_context)


class JSONParser(BodyLimitMixin, parsers.JSONParser):
    pass


class FormParser(BodyLimitMixin, parsers.FormParser):
    pass


# Multipart bodies (REST_FRAMEWORK's third parser) carry the attachments: Django's
# MultiPartParser already caps their non-file part at DATA_UPLOAD_MAX_MEMORY_SIZE
# (413 through ``common.api.exception_handler``) and streams files to disk.
