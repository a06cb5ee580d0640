"""API shapes of incidents. Serializers validate and present; services decide and write."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from common.api import StrictSerializer
from emergency.models import (
    REPORT_FIELDS,
    AffectedEnterprise,
    EntryKind,
    Incident,
    Kind,
    RecoveryStep,
    ResponseEntry,
)
from emergency.services import Report

TEXT = 500


class TotalsSerializer(serializers.Serializer):
    affected = serializers.IntegerField(help_text=_("受影响企业数"))
    acknowledged = serializers.IntegerField(help_text=_("已确认企业数"))
    acknowledged_on_behalf = serializers.IntegerField(help_text=_("其中网格员代为确认"))
    unreached = serializers.IntegerField(help_text=_("尚未联系上的企业数"))
    evacuated = serializers.IntegerField(help_text=_("已撤离人数（各企业最新一次填报之和）"))
    on_site = serializers.IntegerField(help_text=_("仍在现场人数（各企业最新一次填报之和）"))
    restored = serializers.IntegerField(help_text=_("已恢复生产企业数"))


class IncidentSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    declared_by_name = serializers.CharField(source="declared_by.display_name", read_only=True)
    grids = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    totals = serializers.SerializerMethodField(help_text=_("点名表合计（企业用户为空）"))

    class Meta:
        model = Incident
        fields = [
            "id",
            "kind",
            "kind_label",
            "is_exercise",
            "title",
            "description",
            "district",
            "grids",
            "declared_at",
            "declared_by",
            "declared_by_name",
            "state",
            "state_label",
            "closed_at",
            "closed_by",
            "closing_note",
            "version",
            "totals",
        ]
        read_only_fields = fields

    @extend_schema_field(TotalsSerializer(allow_null=True))
    def get_totals(self, incident: Incident) -> dict | None:
        totals = self.context.get("totals", {}).get(incident.pk)
        return vars(totals) if totals is not None else None


class DeclareInput(StrictSerializer):
    kind = serializers.ChoiceField(choices=Kind.choices)
    is_exercise = serializers.BooleanField(required=False, default=False)
    title = serializers.CharField(max_length=100)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    district = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1)
    whole_district = serializers.BooleanField(required=False, default=False, help_text=_("该片区全部企业"))
    grids = serializers.ListField(
        child=serializers.IntegerField(min_value=1), required=False, default=list, max_length=500
    )
    enterprises = serializers.ListField(
        child=serializers.IntegerField(min_value=1), required=False, default=list, max_length=5000
    )


class CloseInput(StrictSerializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")
    version = serializers.IntegerField(required=False, min_value=1, help_text=_("读取时的版本号；不一致时 409"))


class LatestSerializer(serializers.Serializer):
    arrived_at = serializers.DateTimeField(allow_null=True)
    evacuated = serializers.IntegerField(allow_null=True)
    on_site = serializers.IntegerField(allow_null=True)
    goods_moved = serializers.CharField(allow_null=True)
    damage = serializers.CharField(allow_null=True)
    needs = serializers.CharField(allow_null=True)
    recovery_steps = serializers.ListField(child=serializers.ChoiceField(choices=RecoveryStep.choices))
    restored_on = serializers.DateField(allow_null=True)


class AffectedSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    grid_name = serializers.CharField(source="grid.name", read_only=True)
    acknowledged_by_name = serializers.SerializerMethodField()
    ack_method_label = serializers.CharField(source="get_ack_method_display", read_only=True)
    latest = serializers.SerializerMethodField(help_text=_("各项最新一次填报的值"))

    class Meta:
        model = AffectedEnterprise
        fields = [
            "id",
            "incident",
            "enterprise",
            "enterprise_name",
            "grid",
            "grid_name",
            "notified_at",
            "acknowledged_at",
            "acknowledged_by",
            "acknowledged_by_name",
            "ack_method",
            "ack_method_label",
            "follow_up_issue",
            "latest",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_acknowledged_by_name(self, row: AffectedEnterprise) -> str | None:
        return row.acknowledged_by.display_name if row.acknowledged_by_id else None

    @extend_schema_field(LatestSerializer)
    def get_latest(self, row: AffectedEnterprise) -> dict:
        values = {field: getattr(row, f"latest_{field}", None) for field in REPORT_FIELDS}
        steps = [step for step in RecoveryStep.values if values.pop(step)]
        return LatestSerializer({**values, "recovery_steps": steps}).data


class AcknowledgeInput(StrictSerializer):
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=TEXT)


class EntryInput(StrictSerializer):
    arrived_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    evacuated = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=0, max_value=100000)
    on_site = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=0, max_value=100000)
    goods_moved = serializers.CharField(required=False, allow_blank=True, default="", max_length=TEXT)
    damage = serializers.CharField(required=False, allow_blank=True, default="", max_length=TEXT)
    needs = serializers.CharField(required=False, allow_blank=True, default="", max_length=TEXT)
    recovery_steps = serializers.ListField(
        child=serializers.ChoiceField(choices=RecoveryStep.choices), required=False, default=list, max_length=4
    )
    restored_on = serializers.DateField(required=False, allow_null=True, default=None)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=TEXT)

    def report(self) -> Report:
        return Report(**self.validated_data)


class EntrySerializer(serializers.ModelSerializer):
    # Not ``kind``: an incident's kind has other choices, and the schema names enums by field name.
    entry_kind = serializers.ChoiceField(source="kind", choices=EntryKind.choices, read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    author_name = serializers.SerializerMethodField()
    recovery_steps = serializers.ListField(child=serializers.ChoiceField(choices=RecoveryStep.choices), read_only=True)

    class Meta:
        model = ResponseEntry
        fields = [
            "id",
            "affected",
            "entry_kind",
            "kind_label",
            "at",
            "author",
            "author_name",
            "call_outcome",
            "arrived_at",
            "evacuated",
            "on_site",
            "goods_moved",
            "damage",
            "needs",
            "recovery_steps",
            "restored_on",
            "note",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_author_name(self, entry: ResponseEntry) -> str | None:
        return entry.author.display_name if entry.author_id else None


class ReliefClauseSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    policy = serializers.IntegerField(source="policy_id")
    policy_title = serializers.CharField(source="policy.title")
    number = serializers.IntegerField()
    title = serializers.CharField()


class ReliefLoanSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    bank_name = serializers.CharField(source="bank.name")
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, help_text=_("万元"))
    granted_on = serializers.DateField()
    term_months = serializers.IntegerField()


class ReliefVacancySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    enterprise_name = serializers.CharField(source="enterprise.name")
    skills = serializers.ListField(child=serializers.CharField())
    count = serializers.IntegerField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()


class ReliefOfferSerializer(serializers.Serializer):
    """灾后支持清单 as offered when the incident closed (``emergency.relief``)."""

    enterprise = serializers.IntegerField(source="affected.enterprise_id")
    enterprise_name = serializers.CharField(source="affected.enterprise.name")
    created_at = serializers.DateTimeField()
    follow_up_issue = serializers.IntegerField(
        source="affected.follow_up_issue_id", allow_null=True, help_text=_("为其未解决需求建立的问题台账记录")
    )
    policy_clauses = ReliefClauseSerializer(many=True)
    loans = ReliefLoanSerializer(many=True)
    vacancies = ReliefVacancySerializer(many=True)
