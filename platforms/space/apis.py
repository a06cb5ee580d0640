"""API of the space platform: listings, demands, proposals (actions), leases, custom-built plants.

The same scope and services as the pages (out of scope is 404; bureau staff see
nothing). Listings and demands are posted by their firm or zone staff; leases and
custom-build cases are recorded by zone staff only (403 for others).
"""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers

from common.api import Router, StrictSerializer
from enterprises.models import Enterprise, Industry
from grids.models import District
from platforms.apis import (
    MatchReasonSerializer,
    PeriodInput,
    PlatformViewSet,
    ProposalViewSet,
    close_action,
    create_action,
    edit_action,
    read_docs,
    step_action,
)
from platforms.space import selectors
from platforms.space.models import (
    AREA_RANGE_WRONG,
    LEASE_ENDS_BEFORE_STARTS,
    BuildState,
    CustomBuildCase,
    Lease,
    SpaceDemand,
    SpaceKind,
    SpaceListing,
    SpaceProposal,
    area_range_wrong,
)
from platforms.space.services import (
    custom_build_advance,
    custom_build_create,
    space_close,
    space_demand_create,
    space_lease_record,
    space_listing_create,
    space_listing_update,
    space_proposal_act,
)

TAGS = ["space"]
AREA = {"max_digits": 12, "decimal_places": 2, "min_value": Decimal("0.01")}
# A plant's height, floor load and power, as a listing offers them and a demand asks for them: optional.
OPTIONAL = {"required": False, "allow_null": True}
HEIGHT_M = {"max_digits": 5, "decimal_places": 2, "min_value": Decimal("0.01"), **OPTIONAL}
LOAD_T_M2 = {"max_digits": 6, "decimal_places": 2, "min_value": Decimal("0.01"), **OPTIONAL}
POWER_KVA = {"min_value": 0, "max_value": 10_000_000, **OPTIONAL}


class SpaceListingSerializer(serializers.ModelSerializer):
    owner_name = serializers.CharField(source="owner.name", read_only=True)
    leased_area = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True, help_text=_("已租面积"))
    industries_allowed = serializers.ListField(child=serializers.ChoiceField(choices=Industry.choices), read_only=True)

    class Meta:
        model = SpaceListing
        fields = [
            "id",
            "owner",
            "owner_name",
            "kind",
            "title",
            "area_m2",
            "leased_area",
            "floor_height_m",
            "floor_load_t_m2",
            "power_kva",
            "address",
            "district",
            "rent_yuan_m2_month",
            "available_from",
            "industries_allowed",
            "note",
            "state",
            "version",
            "created_at",
        ]
        read_only_fields = fields


class SpaceListingCreateSerializer(StrictSerializer):
    reads_as = SpaceListingSerializer

    owner = serializers.PrimaryKeyRelatedField(queryset=Enterprise.objects.all(), required=False)
    kind = serializers.ChoiceField(choices=SpaceKind.choices)
    title = serializers.CharField(max_length=100)
    area_m2 = serializers.DecimalField(**AREA)
    floor_height_m = serializers.DecimalField(**HEIGHT_M)
    floor_load_t_m2 = serializers.DecimalField(**LOAD_T_M2)
    power_kva = serializers.IntegerField(**POWER_KVA)
    address = serializers.CharField(max_length=200)
    district = serializers.PrimaryKeyRelatedField(queryset=District.objects.all())
    rent_yuan_m2_month = serializers.DecimalField(
        max_digits=8, decimal_places=2, min_value=0, required=False, allow_null=True
    )
    available_from = serializers.DateField()
    industries_allowed = serializers.ListField(
        child=serializers.ChoiceField(choices=Industry.choices), required=False, max_length=20
    )
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class SpaceListingUpdateSerializer(SpaceListingCreateSerializer):
    """A change to an open listing by its owner (or zone staff in scope); owner and kind stay."""

    expected_version = serializers.IntegerField(
        min_value=0, required=False, help_text=_("读取时的 version，防止覆盖他人修改")
    )

    def get_fields(self):
        fields = super().get_fields()
        del fields["owner"], fields["kind"]
        return fields


class SpaceDemandSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    preferred_districts = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = SpaceDemand
        fields = [
            "id",
            "enterprise",
            "enterprise_name",
            "kind",
            "area_min_m2",
            "area_max_m2",
            "min_height_m",
            "min_load_t_m2",
            "min_power_kva",
            "preferred_districts",
            "needed_from",
            "industry",
            "note",
            "state",
            "created_at",
        ]
        read_only_fields = fields


class SpaceDemandCreateSerializer(StrictSerializer):
    reads_as = SpaceDemandSerializer

    enterprise = serializers.PrimaryKeyRelatedField(queryset=Enterprise.objects.all(), required=False)
    kind = serializers.ChoiceField(choices=SpaceKind.choices)
    area_min_m2 = serializers.DecimalField(**AREA)
    area_max_m2 = serializers.DecimalField(**AREA)
    min_height_m = serializers.DecimalField(**HEIGHT_M)
    min_load_t_m2 = serializers.DecimalField(**LOAD_T_M2)
    min_power_kva = serializers.IntegerField(**POWER_KVA)
    preferred_districts = serializers.PrimaryKeyRelatedField(queryset=District.objects.all(), many=True, required=False)
    needed_from = serializers.DateField()
    industry = serializers.ChoiceField(choices=Industry.choices, required=False)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")

    def validate(self, data):
        if area_range_wrong(data.get("area_min_m2"), data.get("area_max_m2")):
            raise serializers.ValidationError({"area_max_m2": [AREA_RANGE_WRONG]})
        return data


class SpaceReasonSerializer(MatchReasonSerializer):
    pass


class SpaceProposalSerializer(serializers.ModelSerializer):
    demand_enterprise = serializers.IntegerField(source="demand.enterprise_id", read_only=True)
    demand_enterprise_name = serializers.CharField(source="demand.enterprise.name", read_only=True)
    listing_title = serializers.CharField(source="listing.title", read_only=True)
    listing_owner_name = serializers.CharField(source="listing.owner.name", read_only=True)
    reasons = SpaceReasonSerializer(many=True, read_only=True)

    class Meta:
        model = SpaceProposal
        fields = [
            "id",
            "demand",
            "demand_enterprise",
            "demand_enterprise_name",
            "listing",
            "listing_title",
            "listing_owner_name",
            "state",
            "score",
            "reasons",
            "expires_on",
            "decline_reason",
            "version",
            "created_at",
        ]
        read_only_fields = fields


class SpaceEmptyInput(StrictSerializer):
    pass


class SpaceLeaseSerializer(serializers.ModelSerializer):
    tenant_name = serializers.CharField(source="tenant.name", read_only=True)
    listing_title = serializers.CharField(source="listing.title", read_only=True)

    class Meta:
        model = Lease
        fields = [
            "id",
            "listing",
            "listing_title",
            "tenant",
            "tenant_name",
            "area_m2",
            "starts_on",
            "ends_on",
            "rent_yuan_m2_month",
            "proposal",
            "created_at",
        ]
        read_only_fields = fields


class SpaceLeaseCreateSerializer(PeriodInput):
    reads_as = SpaceLeaseSerializer
    ends_before_starts_message = LEASE_ENDS_BEFORE_STARTS

    listing = serializers.PrimaryKeyRelatedField(queryset=SpaceListing.objects.all())
    tenant = serializers.PrimaryKeyRelatedField(queryset=Enterprise.objects.all())
    area_m2 = serializers.DecimalField(**AREA)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    rent_yuan_m2_month = serializers.DecimalField(max_digits=8, decimal_places=2, min_value=0)
    proposal = serializers.PrimaryKeyRelatedField(queryset=SpaceProposal.objects.all(), required=False, allow_null=True)


class SpaceCustomBuildSerializer(serializers.ModelSerializer):
    land_title = serializers.CharField(source="land.title", read_only=True)
    builder_name = serializers.CharField(source="builder.name", read_only=True)
    tenant_name = serializers.CharField(source="tenant.name", read_only=True)

    class Meta:
        model = CustomBuildCase
        fields = [
            "id",
            "land",
            "land_title",
            "builder",
            "builder_name",
            "tenant",
            "tenant_name",
            "plant_area_m2",
            "state",
            "signed_on",
            "construction_started_on",
            "delivered_on",
            "note",
            "version",
            "created_at",
        ]
        read_only_fields = fields


class SpaceCustomBuildCreateSerializer(StrictSerializer):
    reads_as = SpaceCustomBuildSerializer

    land = serializers.PrimaryKeyRelatedField(queryset=SpaceListing.objects.all())
    builder = serializers.PrimaryKeyRelatedField(queryset=Enterprise.objects.all())
    tenant = serializers.PrimaryKeyRelatedField(queryset=Enterprise.objects.all())
    plant_area_m2 = serializers.DecimalField(**AREA)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class SpaceAdvanceInput(StrictSerializer):
    to_state = serializers.ChoiceField(choices=[c for c in BuildState.choices if c[0] != BuildState.NEGOTIATING])
    on = serializers.DateField()
    expected_version = serializers.IntegerField(min_value=0, required=False)


@read_docs(_("闲置厂房与土地列表"), _("载体详情"), tags=TAGS)
class SpaceListingViewSet(PlatformViewSet):
    serializer_class = SpaceListingSerializer
    selector = selectors.listing_list
    filterset_fields = ["kind", "state", "district", "owner"]
    ordering_fields = ["available_from", "area_m2", "id"]
    ordering = ["-available_from", "-id"]

    create = create_action(
        _("发布闲置厂房或土地"), SpaceListingCreateSerializer, space_listing_create, enterprise_field="owner", tags=TAGS
    )
    partial_update = edit_action(
        _("修改载体信息（仅权属企业或所属网格工作人员）"),
        SpaceListingUpdateSerializer,
        space_listing_update,
        item_name="listing",
        tags=TAGS,
        description=_("权属企业和类型不可修改；面积不能小于在租面积；expected_version 与当前版本不符时拒绝。"),
    )
    close = close_action(
        _("关闭载体信息"), SpaceEmptyInput, space_close, response=SpaceListingSerializer, item_name="item", tags=TAGS
    )


@read_docs(_("载体需求列表"), _("载体需求详情"), tags=TAGS)
class SpaceDemandViewSet(PlatformViewSet):
    serializer_class = SpaceDemandSerializer
    selector = selectors.demand_list
    filterset_fields = ["kind", "state", "enterprise"]
    ordering_fields = ["needed_from", "id"]
    ordering = ["-needed_from", "-id"]

    create = create_action(
        _("发布载体需求"), SpaceDemandCreateSerializer, space_demand_create, enterprise_field="enterprise", tags=TAGS
    )
    close = close_action(
        _("关闭载体需求"), SpaceEmptyInput, space_close, response=SpaceDemandSerializer, item_name="item", tags=TAGS
    )


@extend_schema(tags=TAGS)
@read_docs(_("载体匹配列表（含得分与理由）"), _("载体匹配详情"))
class SpaceProposalViewSet(ProposalViewSet):
    serializer_class = SpaceProposalSerializer
    selector = selectors.proposal_list
    filterset_fields = ["state", "demand", "listing"]

    def act(self, proposal, *, action, actor, reason, version):
        return space_proposal_act(proposal=proposal, action=action, actor=actor, reason=reason)


@read_docs(_("租赁列表"), _("租赁详情"), tags=TAGS)
class LeaseViewSet(PlatformViewSet):
    serializer_class = SpaceLeaseSerializer
    selector = selectors.lease_list
    filterset_fields = ["listing", "tenant"]
    ordering_fields = ["starts_on", "area_m2", "id"]
    ordering = ["-starts_on", "-id"]

    create = create_action(
        _("登记租赁（工作人员）"),
        SpaceLeaseCreateSerializer,
        space_lease_record,
        tags=TAGS,
        description=_("同一时期内租赁面积之和不得超过载体面积。"),
    )


@read_docs(_("定制厂房案例列表"), _("定制厂房案例详情"), tags=TAGS)
class CustomBuildViewSet(PlatformViewSet):
    serializer_class = SpaceCustomBuildSerializer
    selector = selectors.custom_build_list
    filterset_fields = ["state", "land"]
    ordering_fields = ["created_at", "id"]
    ordering = ["-created_at", "-id"]

    create = create_action(
        _("登记定制厂房（工作人员）"), SpaceCustomBuildCreateSerializer, custom_build_create, tags=TAGS
    )
    advance = step_action(
        "advance",
        _("推进定制厂房状态（签约 → 建设中 → 已交付，或终止）"),
        SpaceAdvanceInput,
        custom_build_advance,
        response=SpaceCustomBuildSerializer,
        item_name="case",
        tags=TAGS,
    )


router = Router()
router.register("space-listings", SpaceListingViewSet, basename="api-space-listing")
router.register("space-demands", SpaceDemandViewSet, basename="api-space-demand")
router.register("space-proposals", SpaceProposalViewSet, basename="api-space-proposal")
router.register("leases", LeaseViewSet, basename="api-lease")
router.register("custom-builds", CustomBuildViewSet, basename="api-custom-build")

urlpatterns = router.urls
