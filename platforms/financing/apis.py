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
from platforms.apis import PlatformViewSet, read_docs, write_doc
from platforms.financing import access, policy, selectors, services
from platforms.financing.serializers import (
    STEP_INPUTS,
    ApproveCreditStepInput,
    BankSerializer,
    CreditLineInput,
    CreditLineSerializer,
    DeclineStepInput,
    DisburseStepInput,
    EventInput,
    EventSerializer,
    LoanExtensionInput,
    LoanExtensionSerializer,
    LoanInput,
    LoanSerializer,
    NeedInput,
    NeedSerializer,
    NoteStepInput,
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
    input_serializer = None
    service = None

    def create(self, request):
        return self.create_with(request, self.input_serializer, type(self).service)


def _create_doc(summary, input_serializer, output_shape):
    return extend_schema(**write_doc(summary, input_serializer, output_shape, created=True, tags=TAGS))


@read_docs(_("银行列表"), _("银行详情"), tags=TAGS)
class BankViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = BankSerializer
    filter_backends = FILTER_BACKENDS
    search_fields = ["name", "short_name"]
    ordering_fields = ["name", "id"]

    def get_queryset(self):
        return selectors.banks_visible(user=self.request.user).order_by("name", "id")


@read_docs(
    _("银企对接会列表"),
    _("银企对接会详情"),
    tags=TAGS,
    create=_create_doc(_("登记银企对接会"), EventInput, EventSerializer),
)
class EventViewSet(_Base):
    serializer_class = EventSerializer
    permission_classes = [permissions.IsAuthenticated, SeesAllFinancing]
    input_serializer = EventInput
    service = services.event_create
    filterset_fields = {"held_on": ["gte", "lte"]}
    ordering_fields = ["held_on", "id"]

    def get_queryset(self):
        visible = selectors.enterprises_in_scope(user=self.request.user).only("pk").order_by("pk")
        return (
            selectors.events_visible(user=self.request.user)
            .annotate(enterprise_count=Count("enterprises", distinct=True))
            .prefetch_related("banks", Prefetch("enterprises", queryset=visible, to_attr="visible_enterprises"))
            .order_by("-held_on", "-id")
        )


@read_docs(
    _("融资需求列表"), _("融资需求详情"), tags=TAGS, create=_create_doc(_("登记融资需求"), NeedInput, NeedSerializer)
)
class NeedViewSet(_Base):
    serializer_class = NeedSerializer
    input_serializer = NeedInput
    service = services.need_create
    filterset_fields = {"enterprise": ["exact"], "event": ["exact"], "raised_on": ["gte", "lte"]}
    ordering_fields = ["raised_on", "amount", "id"]

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


def _step_doc(summary) -> dict:
    return {"summary": summary, "responses": STEP_RESPONSES, "tags": TAGS}


@read_docs(
    _("银行推荐（对接）列表"),
    _("银行推荐（对接）详情"),
    tags=TAGS,
    create=_create_doc(_("将融资需求推荐给银行"), ReferralInput, ReferralSerializer),
)
class ReferralViewSet(_Base):
    serializer_class = ReferralSerializer
    input_serializer = ReferralInput
    service = services.referral_create
    filterset_fields = {"state": ["exact"], "bank": ["exact"], "need": ["exact"], "referred_on": ["gte", "lte"]}
    ordering_fields = ["referred_on", "id"]

    def get_queryset(self):
        return selectors.referral_list(user=self.request.user)

    def get_serializer_class(self):
        if self.action == "events":
            return ReferralEventSerializer
        return ReferralSerializer

    def _step(self, request, name: str):
        referral = self.get_object()
        payload = STEP_INPUTS[name](data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        seen_version = data.pop("version", None)
        if seen_version is not None:
            referral.version = seen_version
        services.STEPS[name](referral=referral, actor=request.user, **data)
        return self.answer(referral)

    @extend_schema(request=NoteStepInput, **_step_doc(_("银行已走访")))
    @action(detail=True, methods=["post"])
    def visit(self, request, pk=None):
        return self._step(request, policy.VISIT)

    @extend_schema(request=NoteStepInput, **_step_doc(_("达成融资意向")))
    @action(detail=True, methods=["post"])
    def intent(self, request, pk=None):
        return self._step(request, policy.INTENT)

    @extend_schema(request=ApproveCreditStepInput, **_step_doc(_("登记授信（同时生成授信记录）")))
    @action(detail=True, methods=["post"], url_path="approve-credit")
    def approve_credit(self, request, pk=None):
        return self._step(request, policy.APPROVE_CREDIT)

    @extend_schema(request=DisburseStepInput, **_step_doc(_("登记放款（同时生成贷款记录）")))
    @action(detail=True, methods=["post"])
    def disburse(self, request, pk=None):
        return self._step(request, policy.DISBURSE)

    @extend_schema(request=DeclineStepInput, **_step_doc(_("标记未成功（需原因）")))
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        return self._step(request, policy.DECLINE)

    @extend_schema(summary=_("对接进展（时间线）"), responses={200: ReferralEventSerializer(many=True)}, tags=TAGS)
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def events(self, request, pk=None):
        referral = self.get_object()
        return Response(ReferralEventSerializer(selectors.referral_events(referral=referral), many=True).data)


@read_docs(
    _("贷款授信列表"),
    _("贷款授信详情"),
    tags=TAGS,
    create=_create_doc(_("登记贷款授信"), CreditLineInput, CreditLineSerializer),
)
class CreditLineViewSet(_Base):
    serializer_class = CreditLineSerializer
    input_serializer = CreditLineInput
    service = services.credit_line_record
    filterset_fields = {"enterprise": ["exact"], "bank": ["exact"], "granted_on": ["gte", "lte"]}
    ordering_fields = ["granted_on", "amount", "id"]

    def get_queryset(self):
        return selectors.credit_lines_visible(user=self.request.user).order_by("-granted_on", "-id")


@read_docs(_("贷款列表"), _("贷款详情"), tags=TAGS, create=_create_doc(_("登记贷款"), LoanInput, LoanSerializer))
class LoanViewSet(_Base):
    serializer_class = LoanSerializer
    input_serializer = LoanInput
    service = services.loan_record
    filterset_fields = {
        "enterprise": ["exact"],
        "bank": ["exact"],
        "central_bank_reloan": ["exact"],
        "granted_on": ["gte", "lte"],
    }
    ordering_fields = ["granted_on", "amount", "id"]

    def get_queryset(self):
        return selectors.loans_visible(user=self.request.user).order_by("-granted_on", "-id")


@read_docs(
    _("贷款展期续贷列表"),
    _("贷款展期续贷详情"),
    tags=TAGS,
    create=_create_doc(_("登记贷款展期或续贷"), LoanExtensionInput, LoanExtensionSerializer),
)
class LoanExtensionViewSet(_Base):
    serializer_class = LoanExtensionSerializer
    input_serializer = LoanExtensionInput
    service = services.loan_extension_record
    filterset_fields = {"loan": ["exact"], "kind": ["exact"], "approved_on": ["gte", "lte"]}
    ordering_fields = ["approved_on", "amount", "id"]

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
