"""API shapes of visits and weekly tracking. Serializers validate; services write."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from common.api import StrictSerializer
from common.files import MAX_FILES_PER_VISIT
from common.periods import IsoWeek
from enterprises.models import Enterprise
from fieldwork.models import TRACKING_REPORT_FIELDS, ContactMode, Trend, Visit, VisitAttachment, WeeklyTracking
from fieldwork.selectors import loggable_enterprises
from fieldwork.services import MAX_PROBLEMS
from issues.models import Category


@extend_schema_field(OpenApiTypes.INT)
class ScopedEnterpriseField(serializers.PrimaryKeyRelatedField):
    """An enterprise the requesting officer may log for; any other id is "does not exist"."""

    def get_queryset(self):
        request = self.context.get("request")
        if request is None:
            return Enterprise.objects.none()
        return loggable_enterprises(user=request.user)


class VisitAttachmentSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(help_text=_("下载地址（需登录，按权限校验）"))

    class Meta:
        model = VisitAttachment
        fields = ["id", "original_name", "size", "url"]

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, attachment: VisitAttachment) -> str:
        path = reverse("api-visit-attachment", args=[attachment.visit_id, attachment.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class VisitSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    grid = serializers.IntegerField(source="enterprise.grid_id", read_only=True)
    officer_name = serializers.CharField(source="officer.display_name", read_only=True)
    mode_display = serializers.CharField(source="get_mode_display", read_only=True)
    orders_trend_display = serializers.CharField(source="get_orders_trend_display", read_only=True)
    raised_issues = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    attachments = VisitAttachmentSerializer(many=True, read_only=True)

    class Meta:
        model = Visit
        fields = [
            "id",
            "enterprise",
            "enterprise_name",
            "grid",
            "officer",
            "officer_name",
            "visited_at",
            "mode",
            "mode_display",
            "met_with",
            "findings",
            "output_value",
            "orders_trend",
            "orders_trend_display",
            "employees",
            "capacity_use",
            "has_difficulties",
            "raised_issues",
            "attachments",
            "created_at",
        ]
        read_only_fields = fields


class ProblemInputSerializer(StrictSerializer):
    title = serializers.CharField(max_length=120, label=_("问题标题"))
    description = serializers.CharField(label=_("问题描述"))
    category = serializers.PrimaryKeyRelatedField(
        queryset=Category.objects.all(), required=False, allow_null=True, default=None, label=_("问题类别")
    )


class VisitCreateSerializer(StrictSerializer):
    reads_as = VisitSerializer

    enterprise = ScopedEnterpriseField(help_text=_("本人所在网格的企业 id"))
    visited_at = serializers.DateTimeField(required=False, help_text=_("默认为当前时间"))
    mode = serializers.ChoiceField(choices=ContactMode.choices, default=ContactMode.ON_SITE)
    met_with = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    findings = serializers.CharField(required=False, allow_blank=True, default="")
    output_value = serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=0, required=False, allow_null=True, default=None
    )
    orders_trend = serializers.ChoiceField(choices=Trend.choices, required=False, allow_blank=True, default="")
    employees = serializers.IntegerField(min_value=0, required=False, allow_null=True, default=None)
    capacity_use = serializers.IntegerField(min_value=0, max_value=100, required=False, allow_null=True, default=None)
    has_difficulties = serializers.BooleanField(required=False, default=False)
    problems = ProblemInputSerializer(many=True, required=False, max_length=MAX_PROBLEMS)
    attachments = serializers.ListField(
        child=serializers.FileField(),
        required=False,
        max_length=MAX_FILES_PER_VISIT,
        help_text=_("multipart 上传时使用"),
    )
    client_key = serializers.UUIDField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_("幂等键（UUID）：同一键重复提交只登记一次走访，返回已登记的那条"),
    )


class WeeklyTrackingSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    grid = serializers.IntegerField(source="enterprise.grid_id", read_only=True)
    week = serializers.CharField(source="week_code", read_only=True, help_text=_("ISO 周，如 2026-W48"))
    officer_name = serializers.CharField(source="officer.display_name", read_only=True)
    mode_display = serializers.CharField(source="get_mode_display", read_only=True)

    class Meta:
        model = WeeklyTracking
        fields = [
            "id",
            "enterprise",
            "enterprise_name",
            "grid",
            "week",
            "iso_year",
            "iso_week",
            "week_start",
            "officer",
            "officer_name",
            "tracked_at",
            "updated_at",
            "mode_display",
            *TRACKING_REPORT_FIELDS,
        ]
        read_only_fields = fields


class WeeklyTrackingWriteSerializer(StrictSerializer):
    reads_as = WeeklyTrackingSerializer

    enterprise = ScopedEnterpriseField(help_text=_("本人所在网格的企业 id"))
    week = serializers.CharField(required=False, max_length=10, help_text=_("ISO 周，如 2026-W48；默认为本周"))
    mode = serializers.ChoiceField(choices=ContactMode.choices, default=ContactMode.PHONE)
    output_value = serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=0, required=False, allow_null=True, default=None
    )
    orders_trend = serializers.ChoiceField(choices=Trend.choices, required=False, allow_blank=True, default="")
    employees = serializers.IntegerField(min_value=0, required=False, allow_null=True, default=None)
    capacity_use = serializers.IntegerField(min_value=0, max_value=100, required=False, allow_null=True, default=None)
    risk_orders = serializers.BooleanField(required=False, default=False)
    risk_funding = serializers.BooleanField(required=False, default=False)
    risk_labour = serializers.BooleanField(required=False, default=False)
    risk_safety = serializers.BooleanField(required=False, default=False)
    note = serializers.CharField(required=False, allow_blank=True, default="")

    def validate_week(self, value: str) -> IsoWeek:
        return IsoWeek.parse(value)
