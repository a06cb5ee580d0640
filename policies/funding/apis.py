"""``/api/funding-applications/``: the scoped applications, one POST action per transition, the timeline.

Answers: 404 outside the scope; 409 on a wrong state or a stale ``version``;
400 on a bad value or a missing reason (naming the field); 403 when the role may
not take the action. Every action calls the same service as the pages.
"""

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.response import Response

from common.api import Router, action_doc, action_input, refusal_docs
from enterprises.registry.serializers import enterprise_acted_for
from policies.api_shared import CollectionViewSet, collection_docs
from policies.funding import policy
from policies.funding.filters import FundingApplicationFilter
from policies.funding.models import FundingApplication, FundingGrant
from policies.funding.selectors import application_events, application_list
from policies.funding.serializers import (
    FundingApplicationCreateInput,
    FundingApplicationSerializer,
    FundingApproveInput,
    FundingDisburseInput,
    FundingEventSerializer,
    FundingNoteInput,
    FundingRejectInput,
    FundingVersionInput,
)
from policies.funding.services import ACTIONS, funding_application_create

ERROR_RESPONSES = refusal_docs(
    bad_input=_("取值有误或缺少理由"),
    missing=_("申报不存在或不在权限范围内"),
    conflict=_("当前状态不允许此操作，或申报已被他人更新"),
)


def _transition_doc(summary: str, request_serializer) -> dict:
    return action_doc(summary, request_serializer, response=FundingApplicationSerializer, errors=ERROR_RESPONSES)


@collection_docs(
    list_summary=_("资金申报（按权限范围）"),
    retrieve_summary=_("资金申报详情"),
    create_summary=_("新建申报（草稿）"),
    create_input=FundingApplicationCreateInput,
    created=FundingApplicationSerializer,
    errors={400: ERROR_RESPONSES[400], 403: ERROR_RESPONSES[403]},
)
class FundingApplicationViewSet(CollectionViewSet):
    """资金申报: applications in the user's scope (an enterprise its own, a bureau those it reviews)."""

    queryset = FundingApplication.objects.none()  # names the model for the schema; rows come from the selector
    serializer_class = FundingApplicationSerializer
    create_input = FundingApplicationCreateInput
    filterset_class = FundingApplicationFilter
    search_fields = ["enterprise__name", "clause__title", "clause__policy__title"]
    ordering_fields = ["created_at", "submitted_at", "amount_requested", "id"]

    def get_queryset(self):
        return application_list(user=self.request.user).prefetch_related(
            Prefetch("grants", queryset=FundingGrant.objects.order_by("level"))
        )

    def get_serializer_class(self):
        return FundingEventSerializer if self.action == "events" else super().get_serializer_class()

    def filter_queryset(self, queryset):
        if self.action == "events":
            return queryset
        return super().filter_queryset(queryset)

    def _present(self, request, pk: int, status: int = 200) -> Response:
        fresh = self.get_queryset().get(pk=pk)
        return Response(FundingApplicationSerializer(fresh, context={"request": request}).data, status=status)

    def create(self, request, *args, **kwargs):
        data = self.create_data(request)
        user = request.user
        enterprise = enterprise_acted_for(user=user, data=data)
        application = funding_application_create(
            enterprise=enterprise,
            clause=data["clause"],
            amount_requested=data["amount_requested"],
            reviewing_bureau=data["reviewing_bureau"],
            purpose=data.get("purpose", ""),
            actor=user,
        )
        return self._present(request, application.pk, status=201)

    def _transition(self, request, name: str, input_serializer):
        application = self.get_object()
        data = action_input(input_serializer, request, application)
        ACTIONS[name](application=application, actor=request.user, **data)
        return self._present(request, application.pk)

    @extend_schema(**_transition_doc(str(_("提交申报（须在申报期内）")), FundingVersionInput))
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._transition(request, policy.SUBMIT, FundingVersionInput)

    @extend_schema(**_transition_doc(str(_("受理审核")), FundingNoteInput))
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        return self._transition(request, policy.REVIEW, FundingNoteInput)

    @extend_schema(**_transition_doc(str(_("批准（核定金额按各级比例分解）")), FundingApproveInput))
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._transition(request, policy.APPROVE, FundingApproveInput)

    @extend_schema(**_transition_doc(str(_("不予通过（需理由）")), FundingRejectInput))
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        return self._transition(request, policy.REJECT, FundingRejectInput)

    @extend_schema(**_transition_doc(str(_("登记拨付（可分批，不超过核定金额）")), FundingDisburseInput))
    @action(detail=True, methods=["post"])
    def disburse(self, request, pk=None):
        return self._transition(request, policy.DISBURSE, FundingDisburseInput)

    @extend_schema(
        summary=str(_("申报过程（只读）")),
        responses={200: FundingEventSerializer(many=True), 404: ERROR_RESPONSES[404]},
    )
    @action(detail=True, methods=["get"])
    def events(self, request, pk=None):
        application = self.get_object()
        page = self.paginate_queryset(application_events(application=application))
        return self.get_paginated_response(FundingEventSerializer(page, many=True).data)


router = Router()
router.register("funding-applications", FundingApplicationViewSet, basename="funding-application")

urlpatterns = router.urls
