"""API of the labour platform: ``/api/labour-postings/``, ``/api/labour-proposals/`` (actions), ``/api/transfers/``.

The same scope and services as the pages: an enterprise user sees and edits its own
postings and the proposals and transfers involving its firm; officers and district
leaders their grids'; managers the zone; bureau staff nothing. Out of scope is 404.
Only zone staff record transfers (403 for others), with the three rules confirmed.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers

from common.api import Router, StrictSerializer
from enterprises.models import Enterprise
from platforms.apis import (
    MatchReasonSerializer,
    PeriodInput,
    PlatformViewSet,
    ProposalViewSet,
    close_action,
    create_action,
    edit_action,
    read_docs,
)
from platforms.labour import selectors
from platforms.labour.models import LabourPosting, LabourProposal, PostingKind, Skill, Transfer
from platforms.labour.services import (
    labour_posting_close,
    labour_posting_create,
    labour_posting_update,
    labour_proposal_act,
    labour_transfer_record,
)

TAGS = ["labour"]


class LabourReasonSerializer(MatchReasonSerializer):
    pass


class LabourPostingSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    district = serializers.IntegerField(source="enterprise.grid.district_id", read_only=True)
    transferred = serializers.IntegerField(read_only=True, help_text=_("已调配人次"))
    remaining = serializers.IntegerField(read_only=True, help_text=_("尚余人数"))
    skills = serializers.ListField(child=serializers.ChoiceField(choices=Skill.choices))

    class Meta:
        model = LabourPosting
        fields = [
            "id",
            "enterprise",
            "enterprise_name",
            "district",
            "kind",
            "skills",
            "skills_note",
            "count",
            "transferred",
            "remaining",
            "starts_on",
            "ends_on",
            "note",
            "state",
            "version",
            "created_at",
        ]
        read_only_fields = fields


class LabourPostingCreateSerializer(PeriodInput):
    reads_as = LabourPostingSerializer

    enterprise = serializers.PrimaryKeyRelatedField(
        queryset=Enterprise.objects.all(), required=False, help_text=_("企业用户可省略（默认本企业）")
    )
    kind = serializers.ChoiceField(choices=PostingKind.choices)
    skills = serializers.ListField(child=serializers.ChoiceField(choices=Skill.choices), min_length=1, max_length=10)
    skills_note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    count = serializers.IntegerField(min_value=1, max_value=100000)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class LabourPostingUpdateSerializer(StrictSerializer):
    reads_as = LabourPostingSerializer

    skills = serializers.ListField(child=serializers.ChoiceField(choices=Skill.choices), min_length=1, max_length=10)
    skills_note = serializers.CharField(max_length=200, allow_blank=True)
    count = serializers.IntegerField(min_value=1, max_value=100000)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    note = serializers.CharField(max_length=500, allow_blank=True)
    expected_version = serializers.IntegerField(
        min_value=0, required=False, help_text=_("读取时的 version，防止覆盖他人修改")
    )


class LabourPostingBriefSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)

    class Meta:
        model = LabourPosting
        fields = ["id", "enterprise", "enterprise_name", "kind", "skills", "count", "starts_on", "ends_on"]
        read_only_fields = fields


class LabourProposalSerializer(serializers.ModelSerializer):
    surplus = LabourPostingBriefSerializer(read_only=True)
    demand = LabourPostingBriefSerializer(read_only=True)
    reasons = LabourReasonSerializer(many=True, read_only=True)

    class Meta:
        model = LabourProposal
        fields = [
            "id",
            "surplus",
            "demand",
            "state",
            "score",
            "reasons",
            "expires_on",
            "contacted_at",
            "decided_at",
            "decline_reason",
            "version",
            "created_at",
        ]
        read_only_fields = fields


class LabourEmptyInput(StrictSerializer):
    pass


class LabourTransferSerializer(serializers.ModelSerializer):
    from_enterprise_name = serializers.CharField(source="from_enterprise.name", read_only=True)
    to_enterprise_name = serializers.CharField(source="to_enterprise.name", read_only=True)

    class Meta:
        model = Transfer
        fields = [
            "id",
            "from_enterprise",
            "from_enterprise_name",
            "to_enterprise",
            "to_enterprise_name",
            "count",
            "starts_on",
            "ends_on",
            "proposal",
            "surplus_posting",
            "demand_posting",
            "workers_consent",
            "contract_unchanged",
            "no_fee",
            "note",
            "created_at",
        ]
        read_only_fields = fields


class LabourTransferCreateSerializer(PeriodInput):
    reads_as = LabourTransferSerializer

    from_enterprise = serializers.PrimaryKeyRelatedField(queryset=Enterprise.objects.all())
    to_enterprise = serializers.PrimaryKeyRelatedField(queryset=Enterprise.objects.all())
    count = serializers.IntegerField(min_value=1, max_value=100000, help_text=_("人次"))
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    proposal = serializers.PrimaryKeyRelatedField(
        queryset=LabourProposal.objects.all(), required=False, allow_null=True
    )
    surplus_posting = serializers.PrimaryKeyRelatedField(
        queryset=LabourPosting.objects.filter(kind=PostingKind.SURPLUS), required=False, allow_null=True
    )
    demand_posting = serializers.PrimaryKeyRelatedField(
        queryset=LabourPosting.objects.filter(kind=PostingKind.DEMAND), required=False, allow_null=True
    )
    workers_consent = serializers.BooleanField(help_text=_("员工本人同意"))
    contract_unchanged = serializers.BooleanField(help_text=_("与原企业劳动合同不变"))
    no_fee = serializers.BooleanField(help_text=_("不收取任何费用"))
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


@read_docs(_("用工信息列表"), _("用工信息详情"), tags=TAGS)
class LabourPostingViewSet(PlatformViewSet):
    serializer_class = LabourPostingSerializer
    selector = selectors.posting_list
    filterset_fields = ["kind", "state", "enterprise"]
    ordering_fields = ["starts_on", "count", "id"]
    ordering = ["-starts_on", "-id"]

    create = create_action(
        _("发布用工信息（富余员工或用工需求）"),
        LabourPostingCreateSerializer,
        labour_posting_create,
        enterprise_field="enterprise",
        tags=TAGS,
        description=_("发布后立即推荐匹配。企业用户只能为本企业发布；工作人员为本人范围内的企业发布。"),
    )
    partial_update = edit_action(
        _("修改用工信息"), LabourPostingUpdateSerializer, labour_posting_update, item_name="posting", tags=TAGS
    )
    close = close_action(
        _("关闭用工信息"),
        LabourEmptyInput,
        labour_posting_close,
        response=LabourPostingSerializer,
        item_name="posting",
        tags=TAGS,
    )


@extend_schema(tags=TAGS)
@read_docs(_("用工匹配列表（含得分与理由）"), _("用工匹配详情"))
class LabourProposalViewSet(ProposalViewSet):
    serializer_class = LabourProposalSerializer
    selector = selectors.proposal_list
    filterset_fields = ["state", "surplus", "demand"]

    def act(self, proposal, *, action, actor, reason, version):
        return labour_proposal_act(proposal=proposal, action=action, actor=actor, reason=reason)


@read_docs(_("员工调配列表"), _("员工调配详情"), tags=TAGS)
class TransferViewSet(PlatformViewSet):
    serializer_class = LabourTransferSerializer
    selector = selectors.transfer_list
    filterset_fields = ["from_enterprise", "to_enterprise", "proposal"]
    ordering_fields = ["starts_on", "count", "id"]
    ordering = ["-starts_on", "-id"]

    create = create_action(
        _("登记员工调配（工作人员）"),
        LabourTransferCreateSerializer,
        labour_transfer_record,
        tags=TAGS,
        description=_(
            "共享用工三项确认（员工本人同意、劳动合同不变、不收费）缺一不可；"
            "对同一条用工信息累计调配人次不得超过其人数。依据匹配登记时须为已达成的匹配。"
        ),
    )


router = Router()
router.register("labour-postings", LabourPostingViewSet, basename="api-labour-posting")
router.register("labour-proposals", LabourProposalViewSet, basename="api-labour-proposal")
router.register("transfers", TransferViewSet, basename="api-transfer")

urlpatterns = router.urls
