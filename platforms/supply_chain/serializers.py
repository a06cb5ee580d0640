"""API shapes of the supply-chain platform. Serializers validate; services write."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from common.api import StrictSerializer
from platforms.apis import EnterpriseField
from platforms.supply_chain.models import Direction, Outcome, Recommendation


class RecommendationSerializer(serializers.ModelSerializer):
    for_enterprise_name = serializers.CharField(source="for_enterprise.name", read_only=True)
    recommended_name = serializers.CharField(source="recommended.name", read_only=True)
    recommender_name = serializers.CharField(read_only=True)
    direction_display = serializers.CharField(source="get_direction_display", read_only=True)
    outcome_display = serializers.CharField(source="get_outcome_display", read_only=True)

    class Meta:
        model = Recommendation
        fields = [
            "id",
            "for_enterprise",
            "for_enterprise_name",
            "recommended",
            "recommended_name",
            "direction",
            "direction_display",
            "product",
            "reason",
            "by_enterprise",
            "recommender_name",
            "recommended_on",
            "from_suggestion",
            "outcome",
            "outcome_display",
            "outcome_on",
            "outcome_note",
            "version",
            "created_at",
        ]
        read_only_fields = fields


class RecommendationWriteSerializer(StrictSerializer):
    reads_as = RecommendationSerializer

    for_enterprise = EnterpriseField(help_text=_("受推荐企业 id"))
    recommended = EnterpriseField(help_text=_("被推荐的采购商或供应商 id"))
    direction = serializers.ChoiceField(choices=Direction.choices)
    product = serializers.CharField(max_length=100)
    reason = serializers.CharField(max_length=500)
    by_enterprise = EnterpriseField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_("推荐企业 id；企业用户即本企业，网格人员本人推荐时省略"),
    )
    recommended_on = serializers.DateField(required=False, allow_null=True, default=None)


class OutcomeWriteSerializer(StrictSerializer):
    outcome = serializers.ChoiceField(choices=[c for c in Outcome.choices if c[0] != Outcome.PENDING])
    outcome_on = serializers.DateField(required=False, allow_null=True, default=None, help_text=_("默认为今天"))
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    expected_version = serializers.IntegerField(min_value=0, required=False)
