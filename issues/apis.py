"""``/api/issues/``: the scoped ledger, one POST action per transition, and the read-only timeline.

Answers: 404 outside the scope, 409 on a state conflict or a lost race
(``IssueChanged``), 400 on a missing reason or bad value, 403 when the role may
not take the action. Every action calls the same service as the pages.
"""

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from common.api import (
    FILTER_BACKENDS,
    BoundedCountPagination,
    Router,
    action_doc,
    action_input,
    refusal_docs,
)
from enterprises.registry.serializers import enterprise_acted_for
from issues import policy
from issues.filters import IssueFilter
from issues.models import Issue
from issues.selectors import issue_events, issue_list, issues_visible
from issues.serializers import (
    AcceptInput,
    DecideExtensionInput,
    EscalateInput,
    ExtendInput,
    FeedbackInput,
    IssueCreateSerializer,
    IssueEventSerializer,
    IssueSerializer,
    MergeInput,
    NoteInput,
    ReasonInput,
    ResolveInput,
    VerifyInput,
)
from issues.services import ACTIONS, issue_submit

ERROR_RESPONSES = refusal_docs(
    bad_input=_("缺少理由或取值有误"),
    missing=_("问题不存在或不在权限范围内"),
    conflict=_("当前状态不允许此操作，或问题已被他人更新"),
)


def _transition_doc(summary: str, request_serializer) -> dict:
    return action_doc(summary, request_serializer, response=IssueSerializer, errors=ERROR_RESPONSES)


@extend_schema_view(
    list=extend_schema(summary=str(_("问题台账（按权限范围）"))),
    retrieve=extend_schema(summary=str(_("问题详情"))),
    create=extend_schema(
        summary=str(_("提交问题")),
        request=IssueCreateSerializer,
        responses={201: IssueSerializer, 400: ERROR_RESPONSES[400], 403: ERROR_RESPONSES[403]},
    ),
)
class IssueViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """问题台账: issues in the user's scope, with the ledger filters."""

    queryset = Issue.objects.none()  # names the model for the schema; rows come from the selector
    serializer_class = IssueSerializer
    filter_backends = FILTER_BACKENDS
    filterset_class = IssueFilter
    # Half a million issues in a province: the count is exact up to 10,000 rows (as on the ledger page).
    pagination_class = BoundedCountPagination
    search_fields = ["title", "enterprise__name"]
    ordering_fields = ["due_on", "created_at", "id"]

    def get_queryset(self):
        return issue_list(user=self.request.user)

    def get_serializer_class(self):
        if self.action == "create":
            return IssueCreateSerializer
        if self.action == "events":
            return IssueEventSerializer
        return IssueSerializer

    def create(self, request, *args, **kwargs):
        user = request.user
        source = policy.submit_source(user)
        if source is None:
            raise PermissionDenied(_("您的角色不能登记问题。"))
        payload = IssueCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        enterprise = enterprise_acted_for(user=user, data=data)
        issue = issue_submit(
            enterprise=enterprise,
            actor=user,
            title=data["title"],
            description=data["description"],
            source=source,
            category=data.get("category"),
        )
        issue = issue_list(user=user).get(pk=issue.pk)
        return Response(IssueSerializer(issue, context={"request": request}).data, status=201)

    # --- transitions -------------------------------------------------------------

    def _transition(self, request, name: str, input_serializer, **extra):
        issue = self.get_object()
        data = action_input(input_serializer, request, issue)
        data.update(extra)
        ACTIONS[name](issue=issue, actor=request.user, **data)
        fresh = issue_list(user=request.user).filter(pk=issue.pk).first()
        if fresh is None:  # e.g. a bureau that returned the issue still sees it (held before); defensive
            return Response(status=status.HTTP_204_NO_CONTENT)
        return Response(IssueSerializer(fresh, context={"request": request}).data)

    @extend_schema(**_transition_doc(str(_("受理立案")), AcceptInput))
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        return self._transition(request, policy.ACCEPT, AcceptInput)

    @extend_schema(**_transition_doc(str(_("不予立案（需理由）")), ReasonInput))
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        return self._transition(request, policy.REJECT, ReasonInput)

    @extend_schema(**_transition_doc(str(_("签收办理")), NoteInput))
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        return self._transition(request, policy.START, NoteInput)

    @extend_schema(**_transition_doc(str(_("升级转办（需理由）")), EscalateInput))
    @action(detail=True, methods=["post"])
    def escalate(self, request, pk=None):
        return self._transition(request, policy.ESCALATE, EscalateInput)

    @extend_schema(**_transition_doc(str(_("退回网格（需理由）")), ReasonInput))
    @action(detail=True, methods=["post"], url_path="return")
    def return_to_grid(self, request, pk=None):
        return self._transition(request, policy.RETURN, ReasonInput)

    @extend_schema(**_transition_doc(str(_("申请延期（需理由）")), ExtendInput))
    @action(detail=True, methods=["post"])
    def extend(self, request, pk=None):
        return self._transition(request, policy.EXTEND, ExtendInput)

    @extend_schema(**_transition_doc(str(_("审批延期")), DecideExtensionInput))
    @action(detail=True, methods=["post"], url_path="approve-extension")
    def approve_extension(self, request, pk=None):
        return self._transition(request, policy.APPROVE_EXTENSION, DecideExtensionInput)

    @extend_schema(**_transition_doc(str(_("办结（需办理结果）")), ResolveInput))
    @action(detail=True, methods=["post"])
    def resolve(self, request, pk=None):
        return self._transition(request, policy.RESOLVE, ResolveInput)

    @extend_schema(**_transition_doc(str(_("核查")), VerifyInput))
    @action(detail=True, methods=["post"])
    def verify(self, request, pk=None):
        return self._transition(request, policy.VERIFY, VerifyInput)

    @extend_schema(**_transition_doc(str(_("企业评价")), FeedbackInput))
    @action(detail=True, methods=["post"])
    def feedback(self, request, pk=None):
        return self._transition(request, policy.FEEDBACK, FeedbackInput)

    @extend_schema(**_transition_doc(str(_("销号")), NoteInput))
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        return self._transition(request, policy.CLOSE, NoteInput)

    @extend_schema(**_transition_doc(str(_("合并重复问题")), MergeInput))
    @action(detail=True, methods=["post"])
    def merge(self, request, pk=None):
        issue = self.get_object()
        data = action_input(MergeInput, request, issue)
        target = issues_visible(user=request.user).filter(pk=data["into"]).first()
        if target is None:
            raise Http404
        ACTIONS[policy.MERGE](issue=issue, actor=request.user, into=target, reason=data.get("reason", ""))
        fresh = issue_list(user=request.user).get(pk=issue.pk)
        return Response(IssueSerializer(fresh, context={"request": request}).data)

    @extend_schema(
        summary=str(_("办理过程（只读）")),
        responses={200: IssueEventSerializer(many=True), 404: ERROR_RESPONSES[404]},
    )
    @action(detail=True, methods=["get"])
    def events(self, request, pk=None):
        issue = self.get_object()
        events = issue_events(user=request.user, issue=issue)
        page = self.paginate_queryset(events)
        serializer = IssueEventSerializer(page, many=True, context={"request": request})
        return self.get_paginated_response(serializer.data)

    def filter_queryset(self, queryset):
        # The timeline is not the ledger: the ledger filters do not apply to it.
        if self.action == "events":
            return queryset
        return super().filter_queryset(queryset)


router = Router()
router.register("issues", IssueViewSet, basename="issue")

urlpatterns = router.urls
