"""API shapes of the policy library, pushes and eligibility. Every input is strict."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from common.api import StrictModelSerializer, StrictSerializer
from enterprises.models import Industry, Ownership, Tier
from policies import facts as fact_registry
from policies.models import (
    Answer,
    ClauseCriterion,
    ClauseMode,
    EligibilityResult,
    EnterpriseFact,
    FactSource,
    Policy,
    PolicyClause,
    PolicyLevel,
    PolicyPush,
    PolicyState,
    PushState,
)
from policies.services import POLICY_FIELDS


def inline_choice(choices, **kwargs) -> serializers.ChoiceField:
    """A choice field documented inline rather than as a shared enum component: ``level``,
    ``mode``, ``source`` and ``state`` are names other apps' enums use too, and drf-spectacular
    warns on every such collision."""
    values = [value for value, _label in choices]
    # A pattern, not an ``enum``: drf-spectacular's enum post-processing names every ``enum``
    # by its property name and warns when two apps' ``state`` differ.
    schema = {
        "type": "string",
        "pattern": "^(" + "|".join(values) + ")$",
        "description": "；".join(f"{value}：{label}" for value, label in choices),
    }
    field_class = extend_schema_field(schema)(type("InlineChoiceField", (serializers.ChoiceField,), {}))
    return field_class(choices=choices, **kwargs)


class ClauseCriterionSerializer(serializers.ModelSerializer):
    text = serializers.CharField(source="describe", read_only=True)
    value = serializers.JSONField(read_only=True)

    class Meta:
        model = ClauseCriterion
        fields = ["id", "fact", "operator", "value", "is_hard", "article", "text"]
        read_only_fields = fields


class PolicyClauseSerializer(serializers.ModelSerializer):
    criteria = ClauseCriterionSerializer(many=True, read_only=True)
    mode = inline_choice(ClauseMode.choices, read_only=True)

    class Meta:
        model = PolicyClause
        fields = [
            "id",
            "number",
            "title",
            "article",
            "mode",
            "amount_rule",
            "max_amount",
            "share_central",
            "share_municipal",
            "share_district",
            "share_zone",
            "criteria",
        ]
        read_only_fields = fields


class PolicySerializer(serializers.ModelSerializer):
    target_industries = serializers.ListField(child=inline_choice(Industry.choices), read_only=True)
    clause_count = serializers.IntegerField(read_only=True)
    level = inline_choice(PolicyLevel.choices, read_only=True)
    state = inline_choice(PolicyState.choices, read_only=True)

    class Meta:
        model = Policy
        fields = ["id", *POLICY_FIELDS, "state", "published_at", "expired_at", "version", "clause_count"]
        read_only_fields = fields


class PolicyDetailSerializer(PolicySerializer):
    clauses = PolicyClauseSerializer(many=True, read_only=True)

    class Meta(PolicySerializer.Meta):
        fields = [*PolicySerializer.Meta.fields, "clauses"]
        read_only_fields = fields


class PolicyInputSerializer(StrictModelSerializer):
    reads_as = PolicyDetailSerializer
    target_industries = serializers.ListField(
        child=inline_choice(Industry.choices), required=False, max_length=len(Industry.choices)
    )
    version = serializers.IntegerField(required=False, min_value=1, help_text=_("修改时：读取时的版本号"))
    level = inline_choice(PolicyLevel.choices)

    class Meta:
        model = Policy
        fields = [*POLICY_FIELDS, "version"]


class PolicyVersionInput(StrictSerializer):
    version = serializers.IntegerField(required=False, min_value=1, help_text=_("读取时的版本号"))


class PolicyPushInput(StrictSerializer):
    """Whom to push to: one enterprise, a filtered set (EnterpriseFilter terms) or the eligible not yet told."""

    target = serializers.ChoiceField(
        choices=[("one", _("指定企业")), ("filtered", _("按条件筛选")), ("eligible", _("匹配为符合"))]
    )
    enterprise = serializers.IntegerField(required=False, min_value=1)
    district = serializers.IntegerField(required=False, min_value=1)
    grid = serializers.IntegerField(required=False, min_value=1)
    tier = serializers.ChoiceField(choices=Tier.choices, required=False)
    industry = serializers.ChoiceField(choices=Industry.choices, required=False)
    ownership = serializers.ChoiceField(choices=Ownership.choices, required=False)
    above_scale = serializers.BooleanField(required=False, allow_null=True, default=None)
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)

    FILTER_FIELDS = ("district", "grid", "tier", "industry", "ownership", "above_scale")

    def validate(self, data):
        if data["target"] == "one" and "enterprise" not in data:
            raise serializers.ValidationError({"enterprise": [_("请指定企业。")]})
        if data["target"] == "filtered" and not any(data.get(name) is not None for name in self.FILTER_FIELDS):
            raise serializers.ValidationError({"district": [_("请至少选择一个筛选条件。")]})
        return data


class PolicyPushOutcomeSerializer(serializers.Serializer):
    created = serializers.IntegerField(help_text=_("本次新推送的企业数"))
    already_told = serializers.IntegerField(help_text=_("此前已推送过、未重复推送的企业数"))
    push_ids = serializers.ListField(child=serializers.IntegerField())


class PolicyPushSerializer(serializers.ModelSerializer):
    policy_title = serializers.CharField(source="policy.title", read_only=True)
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    state = inline_choice(PushState.choices, read_only=True)

    class Meta:
        model = PolicyPush
        fields = [
            "id",
            "policy",
            "policy_title",
            "enterprise",
            "enterprise_name",
            "note",
            "pushed_at",
            "state",
            "opened_at",
            "acknowledged_at",
            "in_person",
            "in_person_note",
            "visit",
            "version",
        ]
        read_only_fields = fields


class PolicyExplainInput(StrictSerializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=500)
    visit = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, help_text=_("解读时的走访（本人对该企业的走访，选填）")
    )


class PolicyEmptyInput(StrictSerializer):
    pass


class EligibilityResultSerializer(serializers.ModelSerializer):
    policy = serializers.IntegerField(source="clause.policy_id", read_only=True)
    policy_title = serializers.CharField(source="clause.policy.title", read_only=True)
    clause_number = serializers.IntegerField(source="clause.number", read_only=True)
    clause_title = serializers.CharField(source="clause.title", read_only=True)
    missing_facts = serializers.ListField(child=serializers.CharField(), read_only=True)
    trace = serializers.ListField(child=serializers.DictField(), read_only=True)
    answer = inline_choice(Answer.choices, read_only=True)

    class Meta:
        model = EligibilityResult
        fields = [
            "id",
            "enterprise",
            "clause",
            "policy",
            "policy_title",
            "clause_number",
            "clause_title",
            "answer",
            "missing_facts",
            "trace",
            "score",
            "evaluated_at",
        ]
        read_only_fields = fields


class EnterpriseFactSerializer(serializers.ModelSerializer):
    value = serializers.JSONField(read_only=True)
    source = inline_choice(FactSource.choices, read_only=True)

    class Meta:
        model = EnterpriseFact
        fields = ["id", "enterprise", "key", "value", "source", "recorded_at"]
        read_only_fields = fields


class EnterpriseFactInput(StrictSerializer):
    reads_as = EnterpriseFactSerializer
    enterprise = serializers.IntegerField(min_value=1)
    key = serializers.ChoiceField(choices=fact_registry.recorded_fact_choices())
    value = serializers.CharField(max_length=30, help_text=_("金额为万元；是/否类填 true/false"))
    source = inline_choice(FactSource.choices, required=False, default=FactSource.VISIT)

    def validate(self, data):
        try:
            data["value"] = fact_registry.parse_recorded_value(data["key"], data["value"])
        except ValueError as error:
            raise serializers.ValidationError({"value": [str(error)]}) from error
        return data
