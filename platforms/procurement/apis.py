"""API of platforms.procurement: ``/api/purchase-needs/``, ``/api/purchase-proposals/`` (the
shared actions contact / agree / decline of ``platforms.apis.ProposalViewSet``), ``/api/deals/``
and ``/api/retooling-cases/``.

The same scope and services as the pages: managers the zone, district leaders
and officers their grids' enterprises, enterprise users their own postings and
the proposals addressed to them; anything else answers 404.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from accounts.models import Role
from accounts.scoping import scope_for
from common.api import Router
from enterprises.models import Enterprise
from platforms.apis import (
    PlatformViewSet,
    ProposalViewSet,
    create_action,
    edit_action,
    read_docs,
    step_action,
    write_doc,
)
from platforms.procurement import selectors, services
from platforms.procurement.serializers import (
    DealSerializer,
    DealWriteSerializer,
    PurchaseNeedSerializer,
    PurchaseNeedUpdateSerializer,
    PurchaseNeedWriteSerializer,
    PurchaseProposalSerializer,
    RetoolingAdvanceSerializer,
    RetoolingCaseSerializer,
    RetoolingCaseWriteSerializer,
)

TAG = "procurement"


class ReadsPlatforms(permissions.IsAuthenticated):
    """Bureau staff have no platform data: their lists are empty and every object answers 404."""


class _ProcurementViewSet(PlatformViewSet):
    permission_classes = [ReadsPlatforms]


@read_docs(_("采购需求列表"), _("采购需求详情"), tags=[TAG])
class PurchaseNeedViewSet(_ProcurementViewSet):
    serializer_class = PurchaseNeedSerializer
    filterset_fields = ["buyer", "category"]
    search_fields = ["item"]
    ordering_fields = ["created_at", "needed_by", "id"]
    ordering = ["-created_at", "-id"]

    def get_queryset(self):
        return selectors.needs_visible(user=self.request.user).select_related("buyer").order_by("-created_at", "-id")

    @extend_schema(
        **write_doc(
            _("发布采购需求"),
            PurchaseNeedWriteSerializer,
            PurchaseNeedSerializer,
            created=True,
            tags=[TAG],
            description=_(
                "企业用户为本企业发布（省略 buyer），网格员、片区负责人为本人范围内企业发布；发布后即匹配园区供应企业。"
            ),
        )
    )
    def create(self, request):
        serializer = PurchaseNeedWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        buyer = data.pop("buyer", None)
        if buyer is None:
            scope = scope_for(request.user)
            if scope.role != Role.ENTERPRISE_USER or not scope.enterprise_id:
                return Response({"buyer": [_("请填写采购企业。")]}, status=status.HTTP_400_BAD_REQUEST)
            buyer = Enterprise.objects.select_related("grid").get(pk=scope.enterprise_id)
        need = services.purchase_need_post(actor=request.user, buyer=buyer, **data)
        return self.answer(need, created=True)

    partial_update = edit_action(
        _("修改采购需求（仅发布方）"),
        PurchaseNeedUpdateSerializer,
        services.purchase_need_update,
        item_name="need",
        tags=[TAG],
    )

    def get_object(self):
        # An edit finds the need among those the caller may edit (404 otherwise), not among those it sees.
        if self.action == "partial_update":
            return self._editable(self.kwargs["pk"])
        return super().get_object()

    def _editable(self, pk):
        if not str(pk).isascii() or not str(pk).isdigit():
            raise NotFound()
        return selectors.need_get_editable(user=self.request.user, pk=int(pk))


@extend_schema(tags=[TAG])
@read_docs(_("内配推荐列表"), _("内配推荐详情（含匹配理由）"))
class PurchaseProposalViewSet(ProposalViewSet):
    serializer_class = PurchaseProposalSerializer
    permission_classes = [ReadsPlatforms]
    filterset_fields = ["need", "supplier", "state"]
    ordering = ["-created_at", "-id"]

    selector = selectors.proposal_list

    def act(self, proposal, *, action, actor, reason, version):
        return services.purchase_proposal_act(
            proposal=proposal, actor=actor, action=action, reason=reason, version=version
        )


@read_docs(_("内配成交列表"), _("内配成交详情"), tags=[TAG])
class DealViewSet(_ProcurementViewSet):
    serializer_class = DealSerializer
    filterset_fields = ["buyer", "seller", "deal_on"]
    ordering_fields = ["deal_on", "amount", "id"]
    ordering = ["-deal_on", "-id"]
    selector = selectors.deal_list

    create = create_action(
        _("登记内配成交"),
        DealWriteSerializer,
        services.deal_record,
        tags=[TAG],
        description=_("金额单位万元。填写 proposal 时买卖双方取自该推荐，并在同一事务中确认达成。"),
    )


@read_docs(_("转产配套列表"), _("转产配套详情"), tags=[TAG])
class RetoolingCaseViewSet(_ProcurementViewSet):
    serializer_class = RetoolingCaseSerializer
    filterset_fields = ["enterprise", "leader", "state"]
    ordering_fields = ["started_on", "id"]
    ordering = ["-started_on", "-id"]
    selector = selectors.retooling_list

    create = create_action(
        _("登记转产配套（网格人员）"),
        RetoolingCaseWriteSerializer,
        services.retooling_case_record,
        tags=[TAG],
        description=_("困难企业转产为园区龙头企业配套：enterprise 须为困难企业，leader 须为龙头企业。"),
    )
    advance = step_action(
        "advance",
        _("更新转产配套进展"),
        RetoolingAdvanceSerializer,
        services.retooling_case_advance,
        response=RetoolingCaseSerializer,
        item_name="case",
        tags=[TAG],
    )


router = Router()
router.register("purchase-needs", PurchaseNeedViewSet, basename="api-purchase-need")
router.register("purchase-proposals", PurchaseProposalViewSet, basename="api-purchase-proposal")
router.register("deals", DealViewSet, basename="api-deal")
router.register("retooling-cases", RetoolingCaseViewSet, basename="api-retooling-case")

urlpatterns = router.urls
