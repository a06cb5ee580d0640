"""API shapes of the ledger. Serializers validate and present; services decide and write."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from common.api import StrictSerializer
from grids.models import Bureau, JointTaskForce
from issues.models import MAX_EXTENSION_DAYS, Attachment, Category, Issue, IssueEvent, Rating, Severity, State
from issues.selectors import sla_status


class IssueSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    grid = serializers.IntegerField(source="enterprise.grid_id", read_only=True)
    grid_name = serializers.CharField(source="enterprise.grid.name", read_only=True)
    district = serializers.IntegerField(source="enterprise.grid.district_id", read_only=True)
    category_name = serializers.CharField(source="category.name", read_only=True, default="")
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    level_label = serializers.CharField(source="get_level_display", read_only=True)
    source_label = serializers.CharField(source="get_source_display", read_only=True)
    handling_unit = serializers.SerializerMethodField()
    handler_name = serializers.SerializerMethodField()
    sla = serializers.SerializerMethodField()
    has_pending_extension = serializers.BooleanField(read_only=True, default=False)
    url = serializers.SerializerMethodField()

    class Meta:
        model = Issue
        fields = [
            "id",
            "url",
            "enterprise",
            "enterprise_name",
            "grid",
            "grid_name",
            "district",
            "title",
            "description",
            "source",
            "source_label",
            "category",
            "category_name",
            "severity",
            "level",
            "level_label",
            "bureau",
            "task_force",
            "handling_unit",
            "handler",
            "handler_name",
            "state",
            "state_label",
            "response_due_on",
            "due_on",
            "sla",
            "has_pending_extension",
            "accepted_at",
            "resolved_at",
            "closed_at",
            "resolution",
            "duplicate_of",
            "reopen_count",
            "rework_count",
            "extension_count",
            "escalation_count",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.STR)
    def get_handling_unit(self, issue: Issue) -> str:
        return issue.handling_unit_name

    @extend_schema_field(OpenApiTypes.STR)
    def get_handler_name(self, issue: Issue) -> str:
        return issue.handler.display_name if issue.handler_id else ""

    @extend_schema_field(serializers.ChoiceField(choices=["ok", "due_soon", "overdue"], allow_null=True))
    def get_sla(self, issue: Issue) -> str | None:
        return sla_status(issue)

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, issue: Issue) -> str:
        request = self.context.get("request")
        path = reverse("issues:detail", args=[issue.pk])
        return request.build_absolute_uri(path) if request else path


class IssueCreateSerializer(StrictSerializer):
    """A new issue; an enterprise user's own enterprise is implied."""

    reads_as = IssueSerializer

    enterprise = serializers.IntegerField(required=False, help_text=_("企业编号（企业用户可省略）"))
    title = serializers.CharField(max_length=120)
    description = serializers.CharField()
    category = serializers.PrimaryKeyRelatedField(queryset=Category.objects.all(), required=False, allow_null=True)


class AttachmentSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = ["id", "name", "size", "url"]

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, attachment: Attachment) -> str:
        request = self.context.get("request")
        path = reverse("issues:attachment", args=[attachment.pk])
        return request.build_absolute_uri(path) if request else path


class StateOrNullField(serializers.ChoiceField):
    """A state an event may not have (the first event starts from none): ``null``, never ``""``."""

    def to_representation(self, value):
        return value or None


class IssueEventSerializer(serializers.ModelSerializer):
    from_state = StateOrNullField(choices=State.choices, allow_null=True, read_only=True)
    action_label = serializers.CharField(source="get_action_display", read_only=True)
    actor_name = serializers.SerializerMethodField()
    attachments = AttachmentSerializer(many=True, read_only=True)

    class Meta:
        model = IssueEvent
        fields = [
            "id",
            "at",
            "action",
            "action_label",
            "actor",
            "actor_name",
            "from_state",
            "to_state",
            "reason",
            "note",
            "is_internal",
            "data",
            "attachments",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.STR)
    def get_actor_name(self, event: IssueEvent) -> str:
        return event.actor.display_name if event.actor_id else str(_("系统"))


# --- One input shape per action ---------------------------------------------------


class VersionedInput(StrictSerializer):
    version = serializers.IntegerField(
        required=False, min_value=0, help_text=_("读取时的版本号；若问题已被他人更新则返回 409")
    )


class AcceptInput(VersionedInput):
    category = serializers.PrimaryKeyRelatedField(queryset=Category.objects.all(), required=False, allow_null=True)
    severity = serializers.ChoiceField(choices=Severity.choices, required=False)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ReasonInput(VersionedInput):
    reason = serializers.CharField(required=False, allow_blank=True, default="", help_text=_("必填"))


class NoteInput(VersionedInput):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class EscalateInput(ReasonInput):
    bureau = serializers.PrimaryKeyRelatedField(queryset=Bureau.objects.all(), required=False, allow_null=True)
    task_force = serializers.PrimaryKeyRelatedField(
        queryset=JointTaskForce.objects.filter(is_active=True), required=False, allow_null=True
    )


class ExtendInput(ReasonInput):
    days = serializers.IntegerField(min_value=1, max_value=MAX_EXTENSION_DAYS)


class DecideExtensionInput(NoteInput):
    approve = serializers.BooleanField()


class ResolveInput(VersionedInput):
    resolution = serializers.CharField(required=False, allow_blank=True, default="", help_text=_("必填"))


class VerifyInput(NoteInput):
    passed = serializers.BooleanField()


class FeedbackInput(VersionedInput):
    rating = serializers.ChoiceField(choices=Rating.choices)
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class MergeInput(ReasonInput):
    into = serializers.IntegerField(help_text=_("目标问题编号"))
