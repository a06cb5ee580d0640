"""API plumbing shared by every app: pagination, filter backends, strict input, body limits and error shape."""

import re
from collections.abc import Mapping
from typing import Any

from django.apps import apps
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.paginator import Paginator as DjangoPaginator
from django.core.validators import MaxLengthValidator
from django.db import IntegrityError
from django.db.models import Q
from django.http import Http404
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiResponse
from rest_framework import exceptions, filters, pagination, routers, serializers, status
from rest_framework.response import Response
from rest_framework.utils import html
from rest_framework.views import exception_handler as drf_exception_handler

from accounts.scoping import scope_for
from common.errors import TransitionError
from common.parsers import RequestTooLarge


class Pagination(pagination.PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


# How far a bounded count counts (``BoundedPaginator``: the ledger, the enterprise list and the
# big API lists). Read when a page is counted, so a test may set it smaller.
COUNT_BOUND = 10_000
# No list reaches this many rows: a page asked for beyond it is counted only this far, found past the
# end and answered 404 (``?page=99999999999999999999999`` would overflow the database's LIMIT).
MAX_COUNTED_ROWS = 10**12


class BoundedPaginator(DjangoPaginator):
    """A Django paginator that counts the rows up to a bound only: an exact ``COUNT(*)`` of a
    province's 500,000 issues read them all on every page.

    The bound is ``COUNT_BOUND`` rows, or the end of the page asked for if that is further, plus one.
    Up to it ``count`` is exact; beyond it ``count`` is the bound plus one and
    ``count_is_lower_bound`` is true ("at least this many"): the page asked for is full, the next
    page is offered whenever there is one, and the last page is not named, since it is not known.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.asked = 1

    def validate_number(self, number):
        # The page asked for is known before the count is needed (``page()``/``get_page()`` ask
        # for it here first): the count reaches at least to that page's end.
        if "count" not in self.__dict__:
            try:
                self.asked = max(1, int(number))
            except (TypeError, ValueError):
                self.asked = 1
        return super().validate_number(number)

    @cached_property
    def bound(self) -> int:
        return min(max(COUNT_BOUND, self.asked * self.per_page), MAX_COUNTED_ROWS) + 1

    @cached_property
    def count(self) -> int:
        rows = self.object_list
        if hasattr(rows, "query"):
            # How many rows there are up to the bound depends neither on the list's order nor on what
            # each row carries: the count reads the filter alone, in primary-key order, so the bound
            # stops an index scan, never a read of the table (``?state=closed`` on a province: 4 ms,
            # where counting in the ledger's order with the rows' annotations took 560 ms).
            return rows.order_by("pk").values("pk")[: self.bound].count()
        return len(rows[: self.bound])

    @property
    def count_is_lower_bound(self) -> bool:
        """Whether ``count`` only says "at least" (more rows than the bound)."""
        return self.count >= self.bound

    @property
    def count_at_least(self) -> int:
        """What "N+ rows" says when the count is a lower bound: the rows known to be there."""
        return self.bound - 1

    def get_elided_page_range(self, number=1, *, on_each_side=3, on_ends=2):
        """Django's page links, without the last pages when the count is only a lower bound."""
        if not self.count_is_lower_bound:
            yield from super().get_elided_page_range(number, on_each_side=on_each_side, on_ends=on_ends)
            return
        number = self.validate_number(number)
        first = max(1, number - on_each_side)
        if first > on_ends + 2:
            yield from range(1, on_ends + 1)
            yield self.ELLIPSIS
        else:
            first = 1
        yield from range(first, min(self.num_pages, number + on_each_side) + 1)
        yield self.ELLIPSIS


class BoundedCountPagination(Pagination):
    """The same pages and the same response, for lists of millions of rows (``/api/visits/``,
    ``/api/issues/``, ``/api/enterprises/``): ``count`` is exact up to 10,000 rows, or up to the end
    of the page asked for if that is further; beyond it ``count`` is that bound plus one, a lower
    limit, and ``next`` still leads on page by page (``BoundedPaginator``, as on the pages).
    """

    django_paginator_class = BoundedPaginator

    def get_paginated_response_schema(self, schema):
        response = super().get_paginated_response_schema(schema)
        response["properties"]["count"]["description"] = str(
            _("不超过 10000 条（或到所请求页末）时为准确条数；更多时为该上限加一，表示“至少这么多”。")
        )
        return response


class Router(routers.DefaultRouter):
    """Each app's router. The one API root at ``/api/`` (``jingkai_portal.api_urls``)
    lists every app's collections, so the apps add none of their own.

    No ``.json`` format-suffix routes: they reached only some views (the
    actions and the hand-written routes had none, or answered 500), and
    ``?format=json`` or an ``Accept`` header does the same everywhere. A
    suffixed URL is simply not an API address and answers 404.
    """

    include_root_view = False
    include_format_suffixes = False


class OrderingFilter(filters.OrderingFilter):
    """``?ordering=`` that answers 400 on a field it does not offer (DRF drops
    them silently, so a typo returned a differently sorted list with no hint),
    and always ends on the primary key so pages never overlap or skip rows."""

    def remove_invalid_fields(self, queryset, fields, view, request):
        valid_fields = {item[0] for item in self.get_valid_fields(queryset, view, {"request": request})}
        invalid = [term for term in fields if term.removeprefix("-") not in valid_fields]
        if invalid:
            raise exceptions.ValidationError(
                {
                    self.ordering_param: [
                        _("不支持按“%(field)s”排序，可选：%(choices)s。")
                        % {"field": term, "choices": "、".join(sorted(valid_fields))}
                        for term in invalid
                    ]
                }
            )
        return fields

    def get_schema_operation_parameters(self, view):
        offered = [item if isinstance(item, str) else item[0] for item in getattr(view, "ordering_fields", None) or []]
        [parameter] = super().get_schema_operation_parameters(view)
        parameter["description"] = str(_("排序字段，逗号分隔，前加“-”为倒序。可选：%(choices)s。")) % {
            "choices": "、".join(offered)
        }
        return [parameter]

    def filter_queryset(self, request, queryset, view):
        ordering = self.get_ordering(request, queryset, view)
        if not ordering:
            return queryset
        if not {"pk", "-pk", "id", "-id"} & set(ordering):
            ordering = [*ordering, "pk"]
        return queryset.order_by(*ordering)


class ScopedFilterBackend(DjangoFilterBackend):
    """django-filter, with every filter whose choices are enterprises (``?enterprise=``, ``?owner=``,
    ``?buyer=`` …) offering only those in the caller's scope (``Scope.enterprise_filter``) or named
    by a row the caller may read (the other side of a transfer, say).

    Any other id answers 400 naming the field, as an id that does not exist does, instead of an
    empty page that tells the enterprise exists.
    """

    def get_filterset(self, request, queryset, view):
        filterset = super().get_filterset(request, queryset, view)
        if filterset is None:
            return None
        enterprise_model = apps.get_model("enterprises", "Enterprise")
        condition = scope_for(request.user).enterprise_filter()
        if condition is None:
            return filterset
        in_scope = enterprise_model.objects.filter(condition).values("pk")
        for name, choice_filter in filterset.filters.items():
            field = filterset.form.fields.get(name)
            choices = getattr(field, "queryset", None)
            if choices is None or choices.model is not enterprise_model:
                continue
            named_by_rows = queryset.order_by().values(choice_filter.field_name)
            field.queryset = choices.filter(Q(pk__in=in_scope) | Q(pk__in=named_by_rows))
        return filterset


# What every list in the API filters with: django-filter (enterprises offered in scope only),
# ``?search=`` and a strict ``?ordering=``.
FILTER_BACKENDS = [ScopedFilterBackend, filters.SearchFilter, OrderingFilter]


def exception_handler(exc, context):
    """Map what services and the database raise to 4xx answers, never a 500.

    A service's refusal answers as ``refusal_response`` says.
    A model ``ValidationError`` from a service is a 400 with the fields named; an
    ``IntegrityError`` is a write that lost a race against another (say two
    requests creating the same USCC at once) and answers 409.
    """
    if isinstance(exc, TransitionError):
        # A service's refusal (``common.errors``): the actions let it rise instead of catching it each.
        return refusal_response(exc)
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            exc = exceptions.ValidationError(exc.message_dict)
        else:
            exc = exceptions.ValidationError({"detail": exc.messages})
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, IntegrityError):
        exc = Conflict()
    elif isinstance(exc, RequestDataTooBig):  # Django's own cap, met while parsing a multipart form
        exc = RequestTooLarge()
    return drf_exception_handler(exc, context)


def refusal_response(error: TransitionError) -> Response:
    """A service's refusal as the API answers it: a 400 naming its field when it has one,
    else ``detail`` and ``code`` with the refusal's status (403, 409 …)."""
    if error.http_status == 400 and error.field:
        return Response({error.field: [str(error.message)]}, status=400)
    return Response({"detail": str(error.message), "code": error.code}, status=error.http_status)


# --- A state machine's POST actions (the ledger's, the funding applications') ----------


def refusal_docs(*, missing: Any, conflict: Any, bad_input: Any = None) -> dict[int, OpenApiResponse]:
    """The refusals an app's actions document: a bad value (400, when they take input), a role
    that may not act (403, said alike everywhere), out of scope (404) and a wrong state (409)."""
    docs = {} if bad_input is None else {400: OpenApiResponse(description=bad_input)}
    docs[403] = OpenApiResponse(description=_("当前角色无权执行此操作"))
    docs[404] = OpenApiResponse(description=missing)
    docs[409] = OpenApiResponse(description=conflict)
    return docs


def action_doc(summary: str, request_serializer: Any, *, response: Any, errors: Mapping[int, Any]) -> dict:
    """The schema of one POST action: its summary, its input, the object it answers with, its refusals."""
    return {"summary": summary, "request": request_serializer, "responses": {200: response, **errors}}


def action_input(input_serializer: type[serializers.Serializer], request: Any, target: Any) -> dict:
    """An action's validated input (400 naming the field otherwise), as the service's arguments.

    The ``version`` the user saw goes onto ``target`` instead, so that the service's lock
    refuses the action (409) when someone changed the row since.
    """
    payload = input_serializer(data=request.data)
    payload.is_valid(raise_exception=True)
    data = dict(payload.validated_data)
    seen_version = data.pop("version", None)
    if seen_version is not None:
        target.version = seen_version
    return data


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("数据已被其他操作修改，请刷新后重试。")
    default_code = "conflict"


# --- Strict input serializers -------------------------------------------------------

# The longest text any free-text field accepts when its model column has no
# max_length (a TextField: descriptions, reasons, notes, findings).
TEXT_MAX_LENGTH = 5000

# Keys a browser form adds to a body that are not data.
TRANSPORT_KEYS = frozenset({"csrfmiddlewaretoken"})


class StrictInputMixin:
    """Input that says what is wrong instead of dropping it.

    * A key the serializer does not take answers 400 naming it: "未知字段。"
      (a misspelt ``categroy`` used to create an issue with no category), and
      a key that is only ever read (``id``, ``state``, ``created_at`` …) answers
      400 naming it: "只读字段，不能提交。". Set ``reads_as`` to the output
      serializer so that its fields count as read-only rather than unknown.
    * Every writable text field has a maximum length: the model's where the
      column has one (ModelSerializer maps it; plain serializers declare it),
      else ``TEXT_MAX_LENGTH``.
    """

    reads_as: type[serializers.Serializer] | None = None
    text_max_length = TEXT_MAX_LENGTH

    def get_fields(self):
        fields = super().get_fields()
        for field in fields.values():
            _cap_text(field, self.text_max_length)
        return fields

    def to_internal_value(self, data):
        extra = self._unexpected_keys(data)
        try:
            value = super().to_internal_value(data)
        except exceptions.ValidationError as error:
            if extra and isinstance(error.detail, dict):
                raise exceptions.ValidationError({**error.detail, **extra}) from None
            raise
        if extra:
            raise exceptions.ValidationError(extra)
        return value

    def _unexpected_keys(self, data) -> dict:
        if not isinstance(data, Mapping):
            return {}  # DRF answers "expected a dictionary" for this
        writable = {field.field_name for field in self._writable_fields}
        read_only = {name for name, field in self.fields.items() if field.read_only}
        if self.reads_as is not None:
            read_only |= set(self.reads_as().fields)
        errors = {}
        for key in data:
            # A form sends a list of objects as ``problems[0]title``: the field is ``problems``.
            name = _form_field_name(key) if html.is_html_input(data) else key
            if name in writable or key in TRANSPORT_KEYS:
                continue
            message = _("只读字段，不能提交。") if key in read_only else _("未知字段。")
            errors[str(key)] = [exceptions.ErrorDetail(str(message), code="unexpected_field")]
        return errors


def _form_field_name(key: str) -> str:
    return re.split(r"[\[.]", key, maxsplit=1)[0]


def _cap_text(field, limit: int) -> None:
    """Give a writable text field (or a list of them) a maximum length if it has none."""
    if field.read_only:
        return
    if isinstance(field, serializers.ListField):
        _cap_text(field.child, limit)
    elif isinstance(field, serializers.CharField) and field.max_length is None:
        field.max_length = limit
        message = field.error_messages["max_length"].format(max_length=limit)
        field.validators.append(MaxLengthValidator(limit, message=message))


class StrictSerializer(StrictInputMixin, serializers.Serializer):
    """The base of every input shape that is not a model's."""


class StrictModelSerializer(StrictInputMixin, serializers.ModelSerializer):
    """The base of every model serializer that takes input."""
