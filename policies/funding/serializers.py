"""API shapes of funding applications. Serializers validate and present; services decide and write."""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from common.api import StrictSerializer
from grids.models import Bureau
from policies.funding.models import Disbursement, FundingApplication, FundingEvent, FundingGrant
from policies.models import PolicyClause, PolicyLevel

AMOUNT = {"max_digits": 12, "decimal_places": 2, "min_value": Decimal("0.01")}


class GrantSerializer(serializers.ModelSerializer):
    level_label = serializers.CharField(source="get_level_display", read_only=True)

    class Meta:
        model = FundingGrant
        fields = ["level", "level_label", "granted_amount", "disbursed_amount"]
        read_only_fields = fields


class DisbursementSerializer(serializers.ModelSerializer):
    class Meta:
        model = Disbursement
        fields = ["id", "level", "amount", "disbursed_on", "note", "recorded_at"]
        read_only_fields = fields


class FundingApplicationSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    grid = serializers.IntegerField(source="enterprise.grid_id", read_only=True)
    district = serializers.IntegerField(source="enterprise.grid.district_id", read_only=True)
    policy = serializers.IntegerField(source="clause.policy_id", read_only=True)
    policy_title = serializers.CharField(source="clause.policy.title", read_only=True)
    clause_title = serializers.CharField(source="clause.title", read_only=True)
    reviewing_bureau_name = serializers.CharField(source="reviewing_bureau.name", read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    disbursed_total = serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True)
    grants = GrantSerializer(many=True, read_only=True)

    class Meta:
        model = FundingApplication
        fields = [
            "id",
            "enterprise",
            "enterprise_name",
            "grid",
            "district",
            "policy",
            "policy_title",
            "clause",
            "clause_title",
            "amount_requested",
            "purpose",
            "guided_by",
            "reviewing_bureau",
            "reviewing_bureau_name",
            "state",
            "state_label",
            "approved_amount",
            "disbursed_total",
            "grants",
            "rejection_reason",
            "submitted_at",
            "decided_at",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class FundingEventSerializer(serializers.ModelSerializer):
    actor_name = serializers.CharField(source="actor.display_name", read_only=True, default="")

    class Meta:
        model = FundingEvent
        fields = ["id", "at", "action", "from_state", "to_state", "actor", "actor_name", "reason", "amount", "level"]
        read_only_fields = fields


class FundingApplicationCreateInput(StrictSerializer):
    """A new draft; an enterprise user's own enterprise is implied."""

    reads_as = FundingApplicationSerializer

    enterprise = serializers.IntegerField(required=False, min_value=1, help_text=_("企业编号（企业用户可省略）"))
    clause = serializers.PrimaryKeyRelatedField(queryset=PolicyClause.objects.select_related("policy"))
    amount_requested = serializers.DecimalField(**AMOUNT, help_text=_("申请金额（万元）"))
    reviewing_bureau = serializers.PrimaryKeyRelatedField(queryset=Bureau.objects.all())
    purpose = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class FundingVersionInput(StrictSerializer):
    version = serializers.IntegerField(
        required=False, min_value=0, help_text=_("客户端看到的版本号（防止覆盖他人的修改）")
    )


class FundingNoteInput(FundingVersionInput):
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class FundingApproveInput(FundingNoteInput):
    amount = serializers.DecimalField(**AMOUNT, help_text=_("核定金额（万元），不超过申请金额"))


class FundingRejectInput(FundingVersionInput):
    reason = serializers.CharField(max_length=2000, help_text=_("未通过原因（必填）"))


class FundingDisburseInput(FundingVersionInput):
    level = serializers.ChoiceField(choices=PolicyLevel.choices)
    amount = serializers.DecimalField(**AMOUNT, help_text=_("拨付金额（万元）"))
    on = serializers.DateField(required=False, help_text=_("拨付日期，默认今天"))
    note = serializers.CharField(required=False, allow_blank=True, max_length=200)
