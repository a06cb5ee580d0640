"""API plumbing shared by every app: pagination, filter backends and error shape."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import exceptions, filters, pagination, routers, status
from rest_framework.views import exception_handler as drf_exception_handler


class Pagination(pagination.PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


class Router(routers.DefaultRouter):
    """Each app's router. The one API root at ``/api/`` (``jingkai_portal.api_urls``)
    lists every app's collections, so the apps add none of their own."""

    include_root_view = False


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


# What every list in the API filters with: django-filter, ``?search=`` and a strict ``?ordering=``.
FILTER_BACKENDS = [DjangoFilterBackend, filters.SearchFilter, OrderingFilter]


def exception_handler(exc, context):
    """Map what services and the database raise to 4xx answers, never a 500.

    A model ``ValidationError`` from a service is a 400 with the fields named; an
    ``IntegrityError`` is a write that lost a race against another (say two
    requests creating the same USCC at once) and answers 409.
    """
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            exc = exceptions.ValidationError(exc.message_dict)
        else:
            exc = exceptions.ValidationError({"detail": exc.messages})
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, IntegrityError):
        exc = Conflict()
    return drf_exception_handler(exc, context)


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("数据已被其他操作修改，请刷新后重试。")
    default_code = "conflict"
