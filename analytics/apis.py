"""``/api/reports/monthly/``: the monthly snapshot rows, their Excel report, and the metric definitions.

Scoped like the dashboards (``analytics.selectors``): managers and admins read
every row; a district leader only the rows of his district (the district, its
grid teams, its officers) and his district's workbook; other roles read
nothing. Bad input answers 400, an unknown or out-of-scope report 404.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.exceptions import ValidationError as BadRequest
from rest_framework.response import Response

from accounts.scoping import scope_for
from analytics.exports import workbook_response
from analytics.metrics import METRICS, Dimension
from analytics.models import MonthlyReport
from analytics.selectors import dashboard_district_get, dashboard_districts, report_rows_visible
from common.api import FILTER_BACKENDS, Router
from common.excel import XLSX_CONTENT_TYPE
from common.periods import Month


class MonthField(forms.CharField):
    """``YYYY-MM`` read by the parser the dashboards and the download use; empty is no month."""

    def to_python(self, value):
        value = super().to_python(value)
        if not value and not self.required:
            return None
        return Month.requested(value, required=True)


class MonthFilter(filters.CharFilter):
    field_class = MonthField

    def filter(self, qs, value):
        return qs if value is None else qs.filter(month=value.first_day)


class MonthlyReportFilter(filters.FilterSet):
    month = MonthFilter(label=_("月份（YYYY-MM）"))
    month_from = filters.CharFilter(label=_("起始月份（YYYY-MM）"), method="filter_month_from")
    scope_type = filters.ChoiceFilter(
        label=_("统计维度"), choices=[(dimension.value, dimension.value) for dimension in Dimension]
    )
    scope_id = filters.CharFilter(label=_("统计对象"))
    district = filters.NumberFilter(label=_("片区"), field_name="district_id")

    class Meta:
        model = MonthlyReport
        fields = ["month", "month_from", "scope_type", "scope_id", "district"]

    def filter_month_from(self, qs, name, value):
        try:
            return qs.filter(month__gte=Month.parse(value).first_day)
        except ValidationError as error:
            raise BadRequest({"month_from": error.messages}) from None


class MonthlyReportSerializer(serializers.ModelSerializer):
    month = serializers.SerializerMethodField()
    scope_type_display = serializers.CharField(source="get_scope_type_display", read_only=True)

    class Meta:
        model = MonthlyReport
        fields = [
            "id",
            "month",
            "scope_type",
            "scope_type_display",
            "scope_id",
            "scope_name",
            "parent_name",
            "district",
            "metrics",
            "computed_at",
        ]

    def get_month(self, report: MonthlyReport) -> str:
        return f"{report.month:%Y-%m}"


class MetricSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    unit = serializers.CharField()
    kind = serializers.CharField()
    how = serializers.CharField()
    available = serializers.BooleanField()
    dimensions = serializers.ListField(child=serializers.CharField())


WORKBOOK_PARAMETERS = [
    OpenApiParameter("month", str, required=True, description="YYYY-MM"),
    OpenApiParameter("district", int, required=False, description=str(_("片区编号；片区负责人可省略"))),
]


@extend_schema_view(
    list=extend_schema(summary=str(_("月度分析快照（按权限范围）"))),
    retrieve=extend_schema(summary=str(_("一条月度分析快照"))),
)
class MonthlyReportViewSet(viewsets.ReadOnlyModelViewSet):
    """月度分析: one row per month and scope (zone, district, grid team, tier, industry, bureau, category, officer)."""

    queryset = MonthlyReport.objects.none()  # names the model for the schema; rows come from the selector
    serializer_class = MonthlyReportSerializer
    filter_backends = FILTER_BACKENDS
    filterset_class = MonthlyReportFilter
    search_fields = ["scope_name", "parent_name"]
    ordering_fields = ["month", "scope_type", "scope_name", "position"]

    def get_queryset(self):
        # The stored snapshots of finished months; the running month's provisional rows are the dashboards'.
        rows = report_rows_visible(user=self.request.user).filter(provisional=False)
        return rows.order_by("-month", "scope_type", "position", "pk")

    @extend_schema(
        summary=str(_("下载月度分析报告 Excel")),
        parameters=WORKBOOK_PARAMETERS,
        responses={
            (200, XLSX_CONTENT_TYPE): OpenApiTypes.BINARY,
            400: OpenApiResponse(description=str(_("月份或片区参数有误"))),
            404: OpenApiResponse(description=str(_("该月尚未分析，或片区不在权限范围内"))),
        },
    )
    @action(detail=False, methods=["get"], url_path="workbook", filter_backends=[], pagination_class=None)
    def workbook(self, request):
        field = MonthField(required=True)
        try:
            month = field.clean(request.query_params.get("month", ""))
        except ValidationError as error:
            raise BadRequest({"month": error.messages}) from None
        district = None
        if request.query_params.get("district"):
            try:
                district_id = int(request.query_params["district"])
            except ValueError:
                raise BadRequest({"district": [_("片区编号应为整数。")]}) from None
            district = dashboard_district_get(user=request.user, pk=district_id)
        elif not scope_for(request.user).sees_zone:
            district = dashboard_districts(user=request.user).first()
            if district is None:
                raise NotFound
        return workbook_response(user=request.user, month=month, district=district)

    @extend_schema(summary=str(_("指标定义（名称、单位、口径）")), responses=MetricSerializer(many=True))
    @action(detail=False, methods=["get"], url_path="metrics", filter_backends=[], pagination_class=None)
    def metrics(self, request):
        data = [
            {
                "key": metric.key,
                "label": str(metric.label),
                "unit": str(metric.unit),
                "kind": str(metric.kind),
                "how": str(metric.how),
                "available": metric.available,
                "dimensions": sorted(str(dimension) for dimension in metric.dimensions),
            }
            for metric in METRICS.values()
        ]
        return Response(MetricSerializer(data, many=True).data)


router = Router()
router.register("reports/monthly", MonthlyReportViewSet, basename="monthly-report")
urlpatterns = router.urls
