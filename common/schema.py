"""The OpenAPI schema names every answer an operation gives, errors included.

drf-spectacular documents the success answer and whatever a view declares
with ``@extend_schema``. The error answers are the same across the API — they
come from ``common.api`` (strict input, the body cap, the exception handler),
DRF's authentication and permissions, and pagination — so they are added here
once, for every operation, with their two shared shapes: ``ValidationError``
(field name → reasons) for 400 and ``ErrorDetail`` (``detail`` and sometimes
``code``) for the others. A description a view gave for a code is kept.
"""

import copy

from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.plumbing import ResolvedComponent
from rest_framework import serializers
from rest_framework.permissions import AllowAny

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})

ERROR_DESCRIPTIONS = {
    "400": _("请求有误：响应体按字段名列出原因。"),
    "401": _("未提供或无效的身份凭证。"),
    "403": _("未登录，或当前用户无权执行此操作。"),
    "404": _("对象不存在、不在您的权限范围内，或页码超出范围。"),
    "409": _("当前状态不允许此操作，或数据已被其他操作修改，请刷新后重试。"),
    "413": _("请求内容过大。"),
    "415": _("不支持的请求内容类型。"),
}


class ErrorDetailSerializer(serializers.Serializer):
    """Every error other than a validation error: ``{"detail": "…"}``, with a code where one helps."""

    detail = serializers.CharField(help_text=_("错误说明"))
    code = serializers.CharField(required=False, help_text=_("错误代码，如 issue_changed"))


# A validation error names each field it refuses with a list of reasons (a
# nested list names the reasons per item); a body that is not an object at
# all, or a service's refusal, comes as ``non_field_errors`` / ``detail``.
VALIDATION_ERROR_SCHEMA = {
    "type": "object",
    "description": _("字段名 → 错误原因列表"),
    "additionalProperties": {
        "anyOf": [
            {"type": "array", "items": {}},
            {"type": "object", "additionalProperties": {}},
            {"type": "string"},
        ]
    },
    "example": {"title": ["该字段是必填项。"], "colour": ["未知字段。"]},
}


class AutoSchema(SpectacularAutoSchema):
    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        # DRF drops ``allow_blank`` from a read-only model field, so a column with
        # choices and blank=True (a visit's orders_trend) was documented without
        # the "" it answers with.
        # (Only DRF's own ChoiceField: a subclass decides for itself what it answers.)
        if type(field) is serializers.ChoiceField and field.read_only and not field.allow_blank:
            if _model_field_allows_blank(field):
                field = copy.copy(field)
                field.allow_blank = True
        return super()._map_serializer_field(field, direction, bypass_extensions)

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code in self._error_codes():
            responses.setdefault(code, {"description": ERROR_DESCRIPTIONS[code]})
        for code, response in responses.items():
            if code.startswith("4") and not response.get("content"):
                response["content"] = {"application/json": {"schema": self._error_shape(code)}}
        return dict(sorted(responses.items()))

    def _error_codes(self) -> list[str]:
        codes = []
        parameters = self._get_parameters()
        has_body = self.method in BODY_METHODS and self._get_request_body() is not None
        if has_body or any(parameter["in"] == "query" for parameter in parameters):
            codes.append("400")
        if self._requires_authentication():
            if self._challenges():
                codes.append("401")
            codes.append("403")
        is_paginated_list = self._is_list_view() and self._get_paginator() is not None
        if is_paginated_list or any(parameter["in"] == "path" for parameter in parameters):
            codes.append("404")  # out of scope or missing, or a page past the last
        if self.method in WRITE_METHODS:
            codes.append("409")  # a state conflict, or a write that lost a race (IntegrityError)
        if has_body:
            codes += ["413", "415"]
        return codes

    def _requires_authentication(self) -> bool:
        return not all(isinstance(permission, AllowAny) for permission in self.view.get_permissions())

    def _challenges(self) -> bool:
        """DRF answers 401 (rather than 403) only when the first authenticator sends a challenge."""
        authenticators = self.view.get_authenticators()
        return bool(authenticators) and bool(authenticators[0].authenticate_header(self.view.request))

    def _error_shape(self, code: str) -> dict:
        if code == "400":
            component = ResolvedComponent(
                name="ValidationError",
                type=ResolvedComponent.SCHEMA,
                object="ValidationError",
                schema=VALIDATION_ERROR_SCHEMA,
            )
            self.registry.register_on_missing(component)
            return component.ref
        return self.resolve_serializer(ErrorDetailSerializer(), "response").ref


def _model_field_allows_blank(field) -> bool:
    model = getattr(getattr(field.parent, "Meta", None), "model", None)
    if model is None or "." in field.source:
        return False
    try:
        return model._meta.get_field(field.source).blank
    except FieldDoesNotExist:
        return False
