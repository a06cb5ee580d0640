"""``/api/visits/`` and ``/api/weekly-tracking/``: the same scope and services as the pages.

Everyone with field-work scope reads (managers the zone, district leaders
their district, officers their grids); only grid officers create, and only
for their own grids' enterprises. An enterprise id outside that scope is
refused like one that does not exist (400); a visit outside the reader's
scope answers 404.
"""

import mimetypes

from django.http import FileResponse, Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.models import Role
from accounts.scoping import scope_for
from common.api import BoundedCountPagination, Router
from common.files import ALLOWED_TYPES
from fieldwork import selectors
from fieldwork.filters import VisitFilter, WeeklyTrackingFilter
from fieldwork.serializers import (
    VisitCreateSerializer,
    VisitSerializer,
    WeeklyTrackingSerializer,
    WeeklyTrackingWriteSerializer,
)
from fieldwork.services import RaisedProblem, visit_create, weekly_tracking_record

# What a download answers with: FileResponse names the type from the file's
# extension (one of the accepted uploads), or octet-stream if it knows none.
DOWNLOAD_MEDIA_TYPES = sorted(
    {mimetypes.guess_type(f"file{extension}")[0] or "application/octet-stream" for extension in ALLOWED_TYPES}
    | {"application/octet-stream"}
)


class IsGridOfficerToWrite(permissions.BasePermission):
    message = _("只有网格员可以登记走访和周跟踪。")

    def has_permission(self, request, view) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        return scope_for(request.user).role == Role.GRID_OFFICER


@extend_schema_view(
    list=extend_schema(summary=_("走访记录列表"), tags=["fieldwork"]),
    retrieve=extend_schema(summary=_("走访记录详情"), tags=["fieldwork"]),
)
class VisitViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = VisitSerializer
    permission_classes = [permissions.IsAuthenticated, IsGridOfficerToWrite]
    filterset_class = VisitFilter
    # Millions of visits: the count is exact up to 10,000 rows (common.api.BoundedCountPagination).
    pagination_class = BoundedCountPagination
    ordering_fields = ["visited_at", "id"]
    ordering = ["-visited_at", "-id"]

    def get_queryset(self):
        return (
            selectors.visits_visible(user=self.request.user)
            .select_related("enterprise", "officer")
            .prefetch_related("raised_issues", "attachments")
            .order_by("-visited_at", "-id")
        )

    @extend_schema(
        summary=_("登记走访（网格员）"),
        description=_("同时提交的问题（problems）进入问题台账，状态为“待受理”，来源为走访。附件需用 multipart 上传。"),
        request={"application/json": VisitCreateSerializer, "multipart/form-data": VisitCreateSerializer},
        responses={201: VisitSerializer, 400: OpenApiResponse(description=_("字段错误或企业不在本人网格"))},
        tags=["fieldwork"],
    )
    def create(self, request):
        serializer = VisitCreateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        problems = [RaisedProblem(**problem) for problem in data.pop("problems", [])]
        visit = visit_create(officer=request.user, problems=problems, **data)
        visit = self.get_queryset().get(pk=visit.pk)
        return Response(self.get_serializer(visit).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("下载走访附件"),
        responses={(200, media_type): OpenApiTypes.BINARY for media_type in DOWNLOAD_MEDIA_TYPES},
        tags=["fieldwork"],
    )
    # ASCII digits only: ``\d`` also matches other scripts' digits.
    @action(detail=True, methods=["get"], url_path=r"attachments/(?P<attachment_id>[0-9]+)", url_name="attachment")
    def attachment(self, request, pk=None, attachment_id=None):
        attachment = selectors.attachment_get(user=request.user, pk=int(attachment_id))
        visit_in_url = str(pk)  # any text the router let through: "abc", "²"
        if not (visit_in_url.isascii() and visit_in_url.isdigit()) or attachment.visit_id != int(visit_in_url):
            raise Http404
        try:
            handle = attachment.file.open("rb")
        except FileNotFoundError:
            raise Http404 from None
        return FileResponse(handle, as_attachment=True, filename=attachment.original_name)


@extend_schema_view(
    list=extend_schema(summary=_("周跟踪列表"), tags=["fieldwork"]),
    retrieve=extend_schema(summary=_("周跟踪详情"), tags=["fieldwork"]),
)
class WeeklyTrackingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = WeeklyTrackingSerializer
    permission_classes = [permissions.IsAuthenticated, IsGridOfficerToWrite]
    filterset_class = WeeklyTrackingFilter
    ordering_fields = ["week_start", "id"]
    ordering = ["-week_start", "id"]

    def get_queryset(self):
        return (
            selectors.trackings_visible(user=self.request.user)
            .select_related("enterprise", "officer")
            .order_by("-week_start", "id")
        )

    @extend_schema(
        summary=_("填报周跟踪（网格员）"),
        description=_("每家企业每个 ISO 周一条：同一周再次提交即更新该条（新建返回 201，更新返回 200）。"),
        request=WeeklyTrackingWriteSerializer,
        responses={201: WeeklyTrackingSerializer, 200: WeeklyTrackingSerializer},
        tags=["fieldwork"],
    )
    def create(self, request):
        serializer = WeeklyTrackingWriteSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        tracking, created = weekly_tracking_record(officer=request.user, **serializer.validated_data)
        tracking = self.get_queryset().get(pk=tracking.pk)
        return Response(
            self.get_serializer(tracking).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
        )


router = Router()
router.register("visits", VisitViewSet, basename="api-visit")
router.register("weekly-tracking", WeeklyTrackingViewSet, basename="api-weekly-tracking")

urlpatterns = router.urls
