"""API shapes of the procurement platform. Serializers validate; services write."""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from common.api import StrictSerializer
from enterprises.models import Industry
from platforms.apis import EnterpriseField, MatchReasonSerializer
from platforms.procurement.models import Deal, PurchaseNeed, PurchaseProposal, RetoolingCase, RetoolingState


class ReasonSerializer(MatchReasonSerializer):
    pass


class PurchaseNeedSerializer(serializers.ModelSerializer):
    buyer_name = serializers.CharField(source="buyer.name", read_only=True)
    category_display = serializers.CharField(source="get_category_display", read_only=True)

    class Meta:
        model = PurchaseNeed
        fields = [
            "id",
            "buyer",
            "buyer_name",
            "item",
            "category",
            "category_display",
            "quantity",
            "unit",
            "needed_by",
            "description",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class PurchaseNeedWriteSerializer(StrictSerializer):
    reads_as = PurchaseNeedSerializer

    buyer = EnterpriseField(required=False, help_text=_("采购企业 id；企业用户省略（即本企业）"))
    item = serializers.CharField(max_length=100)
    category = serializers.ChoiceField(choices=Industry.choices)
    quantity = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=Decimal("0.01"))
    unit = serializers.CharField(max_length=20)
    needed_by = serializers.DateField()
    description = serializers.CharField(required=False, allow_blank=True, default="")


class PurchaseNeedUpdateSerializer(StrictSerializer):
    reads_as = PurchaseNeedSerializer

    item = serializers.CharField(max_length=100, required=False)
    category = serializers.ChoiceField(choices=Industry.choices, required=False)
    quantity = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=Decimal("0.01"), required=False)
    unit = serializers.CharField(max_length=20, required=False)
    needed_by = serializers.DateField(required=False)
    description = serializers.CharField(required=False, allow_blank=True)
    expected_version = serializers.IntegerField(
        min_value=0, required=False, help_text=_("读取时的 version；不一致则拒绝（防止覆盖他人修改）")
    )


class PurchaseProposalSerializer(serializers.ModelSerializer):
    need_item = serializers.CharField(source="need.item", read_only=True)
    buyer = serializers.IntegerField(source="need.buyer_id", read_only=True)
    buyer_name = serializers.CharField(source="need.buyer.name", read_only=True)
    supplier_name = serializers.CharField(source="supplier.name", read_only=True)
    product_name = serializers.CharField(source="product.name", read_only=True)
    state_display = serializers.CharField(source="get_state_display", read_only=True)
    reasons = ReasonSerializer(many=True, read_only=True)
    reason_summary = serializers.CharField(read_only=True)

    class Meta:
        model = PurchaseProposal
        fields = [
            "id",
            "need",
            "need_item",
            "buyer",
            "buyer_name",
            "supplier",
            "supplier_name",
            "product",
            "product_name",
            "score",
            "reasons",
            "reason_summary",
            "state",
            "state_display",
            "expires_on",
            "contacted_at",
            "decided_at",
            "decline_reason",
            "version",
            "created_at",
        ]
        read_only_fields = fields


class DealSerializer(serializers.ModelSerializer):
    buyer_name = serializers.CharField(source="buyer.name", read_only=True)
    seller_name = serializers.CharField(source="seller.name", read_only=True)

    class Meta:
        model = Deal
        fields = [
            "id",
            "buyer",
            "buyer_name",
            "seller",
            "seller_name",
            "item",
            "amount",
            "deal_on",
            "proposal",
            "note",
            "created_at",
        ]
        read_only_fields = fields


@extend_schema_field(OpenApiTypes.INT)
class ProposalField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        return PurchaseProposal.objects.select_related("need__buyer", "supplier", "product")


class DealWriteSerializer(StrictSerializer):
    reads_as = DealSerializer

    proposal = ProposalField(
        required=False, allow_null=True, default=None, help_text=_("来源推荐 id；填写则同时确认达成")
    )
    buyer = EnterpriseField(required=False, allow_null=True, default=None)
    seller = EnterpriseField(required=False, allow_null=True, default=None)
    item = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=Decimal("0.01"), help_text=_("万元"))
    deal_on = serializers.DateField()
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class RetoolingCaseSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    leader_name = serializers.CharField(source="leader.name", read_only=True)
    state_display = serializers.CharField(source="get_state_display", read_only=True)

    class Meta:
        model = RetoolingCase
        fields = [
            "id",
            "enterprise",
            "enterprise_name",
            "leader",
            "leader_name",
            "from_products",
            "to_products",
            "started_on",
            "state",
            "state_display",
            "note",
            "version",
            "created_at",
        ]
        read_only_fields = fields


class RetoolingCaseWriteSerializer(StrictSerializer):
    reads_as = RetoolingCaseSerializer

    enterprise = EnterpriseField(help_text=_("转产的困难企业 id"))
    leader = EnterpriseField(help_text=_("配套的龙头企业 id"))
    from_products = serializers.CharField(max_length=200)
    to_products = serializers.CharField(max_length=200)
    started_on = serializers.DateField()
    state = serializers.ChoiceField(choices=RetoolingState.choices, default=RetoolingState.NEGOTIATING)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class RetoolingAdvanceSerializer(StrictSerializer):
    state = serializers.ChoiceField(choices=RetoolingState.choices)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)
    expected_version = serializers.IntegerField(min_value=0, required=False)
