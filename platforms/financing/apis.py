"""API of financing: banks, matchmaking events, needs, referrals (one POST action per step),
credit lines, loans and extensions — the same scope and services as the pages.

Reading: managers the zone, district leaders their district, grid officers their
grids, the 金融服务办公室 everything, an enterprise user its own records; other
bureaus see nothing (empty lists, 404 on any id). Writing: the same staff in the
same scope (an enterprise id outside it is "does not exist", 400); enterprise
users and other bureaus get 403. A step answers 409 in the wrong state or on a
stale ``version``, 403 when the user may not take it, 400 on a bad value.
"""

from django.db.models import Count, Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, permissions, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from common.api import FILTER_BACKENDS, Router
from platforms.apis import PlatformViewSet, create_action, read_docs, row_action
from platforms.financing import access, policy, selectors, services
from platforms.financing.serializers import (
    STEP_INPUTS,
    BankSerializer,
    CreditLineInput,
    CreditLineSerializer,
    EventInput,
    EventSerializer,
    LoanExtensionInput,
    LoanExtensionSerializer,
    LoanInput,
    LoanSerializer,
    NeedInput,
    NeedSerializer,
    ReferralEventSerializer,
    ReferralInput,
    ReferralSerializer,
)

TAGS = ["financing"]


class RecordsFinancing(permissions.BasePermission):
    message = _("只有网格员、片区负责人、金融服务办公室或管委会领导可以登记融资信息。")

    def has_permission(self, request, view) -> bool:
        # Only creating is gated here: a step on a row first finds the row in scope (404 outside
        # it, so ids do not leak) and then asks the rules table (403 for who may not move it).
        if getattr(view, "action", None) != "create":
            return True
        return access.records_financing(request.user)


class SeesAllFinancing(permissions.BasePermission):
    message = _("只有管委会领导或金融服务办公室可以登记银企对接会。")

    def has_permission(self, request, view) -> bool:
        return request.method in permissions.SAFE_METHODS or access.sees_all_financing(request.user)


class _Base(PlatformViewSet):
    permission_classes = [permissions.IsAuthenticated, RecordsFinancing]


@read_docs(_("银行列表"), _("银行详情"), tags=TAGS)
class BankViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = BankSerializer
    filter_backends = FILTER_BACKENDS
    search_fields = ["name", "short_name"]
    ordering_fields = ["name", "id"]

    def get_queryset(self):
        return selectors.banks_visible(user=self.request.user).order_by("name", "id")


@read_docs(_("银企对接会列表"), _("银企对接会详情"), tags=TAGS)
class EventViewSet(_Base):
    serializer_class = EventSerializer
    permission_classes = [permissions.IsAuthenticated, SeesAllFinancing]
    filterset_fields = {"held_on": ["gte", "lte"]}
    ordering_fields = ["held_on", "id"]
    create = create_action(_("登记银企对接会"), EventInput, services.event_create, tags=TAGS)

    def get_queryset(self):
        visible = selectors.enterprises_in_scope(user=self.request.user).only("pk").order_by("pk")
        return (
            selectors.events_visible(user=self.request.user)
            .annotate(enterprise_count=Count("enterprises", distinct=True))
            .prefetch_related("banks", Prefetch("enterprises", queryset=visible, to_attr="visible_enterprises"))
            .order_by("-held_on", "-id")
        )


@read_docs(_("融资需求列表"), _("融资需求详情"), tags=TAGS)
class NeedViewSet(_Base):
    serializer_class = NeedSerializer
    filterset_fields = {"enterprise": ["exact"], "event": ["exact"], "raised_on": ["gte", "lte"]}
    ordering_fields = ["raised_on", "amount", "id"]
    create = create_action(_("登记融资需求"), NeedInput, services.need_create, tags=TAGS)

    def get_queryset(self):
        return (
            selectors.needs_visible(user=self.request.user).select_related("enterprise").order_by("-raised_on", "-id")
        )


STEP_RESPONSES = {
    200: ReferralSerializer,
    400: OpenApiResponse(description=_("缺少原因或取值有误")),
    403: OpenApiResponse(description=_("当前角色无权执行此操作")),
    404: OpenApiResponse(description=_("对接不存在或不在权限范围内")),
    409: OpenApiResponse(description=_("当前状态不允许此操作，或对接已被他人更新")),
}


def _step_action(name: str, summary, *, url_path: str | None = None):
    """The POST of one step of a referral, named as the step; its input is the step's (``STEP_INPUTS``)."""
    return row_action(
        name,
        lambda view, request: view.take_step(request, name),
        url_path=url_path,
        summary=summary,
        request=STEP_INPUTS[name],
        responses=STEP_RESPONSES,
        tags=TAGS,
    )


@read_docs(_("银行推荐（对接）列表"), _("银行推荐（对接）详情"), tags=TAGS)
class ReferralViewSet(_Base):
    serializer_class = ReferralSerializer
    selector = selectors.referral_list
    filterset_fields = {"state": ["exact"], "bank": ["exact"], "need": ["exact"], "referred_on": ["gte", "lte"]}
    ordering_fields = ["referred_on", "id"]
    create = create_action(_("将融资需求推荐给银行"), ReferralInput, services.referral_create, tags=TAGS)

    def get_serializer_class(self):
        if self.action == "events":
            return ReferralEventSerializer
        return ReferralSerializer

    def take_step(self, request, name: str):
        """Take the step ``name`` (``services.STEPS``), its input checked and the version read as ``version``."""
        referral = self.get_object()
        payload = STEP_INPUTS[name](data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        seen_version = data.pop("version", None)
        if seen_version is not None:
            referral.version = seen_version
        services.STEPS[name](referral=referral, actor=request.user, **data)
        return self.answer(referral)

    visit = _step_action(policy.VISIT, _("银行已走访"))
    intent = _step_action(policy.INTENT, _("达成融资意向"))
    approve_credit = _step_action(policy.APPROVE_CREDIT, _("登记授信（同时生成授信记录）"), url_path="approve-credit")
    disburse = _step_action(policy.DISBURSE, _("登记放款（同时生成贷款记录）"))
    decline = _step_action(policy.DECLINE, _("标记未成功（需原因）"))

    @extend_schema(summary=_("对接进展（时间线）"), responses={200: ReferralEventSerializer(many=True)}, tags=TAGS)
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def events(self, request, pk=None):
        referral = self.get_object()
        return Response(ReferralEventSerializer(selectors.referral_events(referral=referral), many=True).data)


@read_docs(_("贷款授信列表"), _("贷款授信详情"), tags=TAGS)
class CreditLineViewSet(_Base):
    serializer_class = CreditLineSerializer
    selector = selectors.credit_lines_visible
    filterset_fields = {"enterprise": ["exact"], "bank": ["exact"], "granted_on": ["gte", "lte"]}
    ordering_fields = ["granted_on", "amount", "id"]
    ordering = ["-granted_on", "-id"]
    create = create_action(_("登记贷款授信"), CreditLineInput, services.credit_line_record, tags=TAGS)


@read_docs(_("贷款列表"), _("贷款详情"), tags=TAGS)
class LoanViewSet(_Base):
    serializer_class = LoanSerializer
    selector = selectors.loans_visible
    filterset_fields = {
        "enterprise": ["exact"],
        "bank": ["exact"],
        "central_bank_reloan": ["exact"],
        "granted_on": ["gte", "lte"],
    }
    ordering_fields = ["granted_on", "amount", "id"]
    ordering = ["-granted_on", "-id"]
    create = create_action(_("登记贷款"), LoanInput, services.loan_record, tags=TAGS)


@read_docs(_("贷款展期续贷列表"), _("贷款展期续贷详情"), tags=TAGS)
class LoanExtensionViewSet(_Base):
    serializer_class = LoanExtensionSerializer
    filterset_fields = {"loan": ["exact"], "kind": ["exact"], "approved_on": ["gte", "lte"]}
    ordering_fields = ["approved_on", "amount", "id"]
    create = create_action(_("登记贷款展期或续贷"), LoanExtensionInput, services.loan_extension_record, tags=TAGS)

    def get_queryset(self):
        return (
            selectors.extensions_visible(user=self.request.user).select_related("loan").order_by("-approved_on", "-id")
        )


router = Router()
router.register("banks", BankViewSet, basename="api-bank")
router.register("financing-events", EventViewSet, basename="api-financing-event")
router.register("financing-needs", NeedViewSet, basename="api-financing-need")
router.register("referrals", ReferralViewSet, basename="api-referral")
router.register("credit-lines", CreditLineViewSet, basename="api-credit-line")
router.register("loans", LoanViewSet, basename="api-loan")
router.register("loan-extensions", LoanExtensionViewSet, basename="api-loan-extension")

urlpatterns = router.urls
