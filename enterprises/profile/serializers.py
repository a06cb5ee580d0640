"""Serializers of the profile API: they validate shapes; the services decide."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from common.api import StrictModelSerializer, StrictSerializer
from enterprises.profile.forms import MonthField as MonthFormField
from enterprises.profile.models import EmploymentRecord, OperatingIndicator, Product, SupplyDirection, SupplyLink
from enterprises.profile.selectors import supply_link_direction, supply_link_partner, zone_enterprise_by_uscc


@extend_schema_field({"type": "string", "pattern": r"^\d{4}-\d{2}$", "example": "2025-03"})
class MonthField(serializers.Field):
    """A month as ``YYYY-MM`` (``YYYY-MM-DD`` is accepted and means its month)."""

    default_error_messages = {"invalid": _("请按“年-月”填写月份，例如 2025-03。")}

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        try:
            month = MonthFormField().clean(data)
        except Exception:  # noqa: BLE001 - a form ValidationError: report our own message
            self.fail("invalid")
        if month is None:
            self.fail("invalid")
        return month

    def to_representation(self, value):
        return f"{value:%Y-%m}"


class ProductSerializer(StrictModelSerializer):
    share_percent = serializers.IntegerField(
        label=_("占比（%）"), min_value=0, max_value=100, required=False, allow_null=True
    )
    annual_output = serializers.DecimalField(
        label=_("年产值（万元）"), max_digits=14, decimal_places=2, min_value=0, required=False, allow_null=True
    )

    class Meta:
        model = Product
        fields = ["id", "name", "category", "annual_output", "share_percent", "is_main", "created_at", "updated_at"]
        read_only_fields = ["id", "created_at", "updated_at"]


class SupplyLinkSerializer(StrictSerializer):
    """A supply link as seen from the enterprise in the URL: ``upstream`` means
    the partner supplies it, ``downstream`` that the partner buys from it.
    The partner is a zone enterprise (``partner_uscc``) or an outside name."""

    id = serializers.IntegerField(read_only=True)
    direction = serializers.ChoiceField(label=_("配套关系"), choices=SupplyDirection.choices)
    partner_uscc = serializers.CharField(
        label=_("区内企业统一社会信用代码"), required=False, allow_blank=True, max_length=18
    )
    partner_name = serializers.SerializerMethodField(label=_("配套企业名称"))
    is_zone_partner = serializers.SerializerMethodField(label=_("是否区内企业"))
    outside_name = serializers.CharField(label=_("区外单位名称"), required=False, allow_blank=True, max_length=100)
    product = serializers.CharField(label=_("配套产品"), required=False, allow_blank=True, max_length=100)
    annual_amount = serializers.DecimalField(
        label=_("年配套额（万元）"), max_digits=14, decimal_places=2, min_value=0, required=False, allow_null=True
    )
    created_at = serializers.DateTimeField(read_only=True)

    def _partner(self, link: SupplyLink):
        return supply_link_partner(link=link, enterprise=self.context["enterprise"])

    def to_representation(self, link: SupplyLink) -> dict:
        partner = self._partner(link)
        amount = link.annual_amount
        return {
            "id": link.pk,
            "direction": supply_link_direction(link=link, enterprise=self.context["enterprise"]),
            "partner_uscc": partner.uscc if partner else "",
            "partner_name": partner.name if partner else link.outside_name,
            "is_zone_partner": partner is not None,
            "outside_name": link.outside_name,
            "product": link.product,
            "annual_amount": None if amount is None else self.fields["annual_amount"].to_representation(amount),
            "created_at": self.fields["created_at"].to_representation(link.created_at),
        }

    @extend_schema_field(OpenApiTypes.STR)
    def get_partner_name(self, link: SupplyLink) -> str:
        partner = self._partner(link)
        return partner.name if partner else link.outside_name

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_is_zone_partner(self, link: SupplyLink) -> bool:
        return self._partner(link) is not None

    def validate_partner_uscc(self, value: str):
        value = (value or "").strip()
        if not value:
            return None
        partner = zone_enterprise_by_uscc(value)
        if partner is None:
            raise serializers.ValidationError(_("区内没有该统一社会信用代码的企业。"))
        return partner

    def validate(self, attrs: dict) -> dict:
        if "partner_uscc" in attrs:
            attrs["partner"] = attrs.pop("partner_uscc")
        return attrs


class EmploymentRecordSerializer(StrictModelSerializer):
    month = MonthField(label=_("月份"))

    class Meta:
        model = EmploymentRecord
        fields = ["id", "month", "headcount", "vacancies", "surplus", "updated_at"]
        read_only_fields = ["id", "updated_at"]
        # A month entered twice updates that month (see the service), so the
        # model's unique (enterprise, month) must not refuse it here.
        validators: list = []


class OperatingIndicatorSerializer(StrictModelSerializer):
    month = MonthField(label=_("月份"))
    capacity_use = serializers.IntegerField(
        label=_("产能利用率（%）"), min_value=0, max_value=100, required=False, allow_null=True
    )

    class Meta:
        model = OperatingIndicator
        fields = ["id", "month", "output_value", "orders_value", "capacity_use", "energy_use", "updated_at"]
        read_only_fields = ["id", "updated_at"]
        validators: list = []
