"""API of policies: the library, pushes with their receipts, eligibility results and recorded facts.

Answers: 404 outside the scope, 403 when the role may not act, 409 on a wrong state or a stale
version, 400 naming the field on bad input. Every write calls the same service as the pages.
"""

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from common.api import FILTER_BACKENDS, Router, action_doc, refusal_docs
from enterprises.models import Industry
from enterprises.registry.filters import EnterpriseFilter
from enterprises.registry.selectors import enterprises_visible
from enterprises.registry.serializers import enterprise_in_scope
from policies import selectors, services
from policies.api_shared import collection_docs, read_docs
from policies.forms import filter_industry
from policies.models import (
    Answer,
    EligibilityResult,
    EnterpriseFact,
    Policy,
    PolicyLevel,
    PolicyPush,
    PolicyState,
    PushState,
)
from policies.serializers import (
    EligibilityResultSerializer,
    EnterpriseFactInput,
    EnterpriseFactSerializer,
    PolicyDetailSerializer,
    PolicyEmptyInput,
    PolicyExplainInput,
    PolicyInputSerializer,
    PolicyPushInput,
    PolicyPushOutcomeSerializer,
    PolicyPushSerializer,
    PolicySerializer,
    PolicyVersionInput,
)

ERRORS = refusal_docs(
    bad_input=_("取值有误"), missing=_("对象不存在或不在权限范围内"), conflict=_("当前状态不允许此操作，或已被他人更新")
)


def _action_doc(summary: str, request_serializer, response) -> dict:
    return action_doc(summary, request_serializer, response=response, errors=ERRORS)


class PolicyFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("搜索（中文分词）"), method="keep", max_length=100)
    level = django_filters.ChoiceFilter(choices=PolicyLevel.choices)
    state = django_filters.ChoiceFilter(choices=PolicyState.choices)
    industry = django_filters.ChoiceFilter(choices=Industry.choices, method="filter_industry", label=_("行业"))

    class Meta:
        model = Policy
        fields = ["q", "level", "state", "industry"]

    def keep(self, queryset, name, value):
        return queryset  # the search itself runs in ``selectors.policy_search`` (get_queryset)

    def filter_industry(self, queryset, name, value):
        return filter_industry(queryset, value)


@collection_docs(
    list_summary=_("政策库（可按中文关键词搜索）"),
    retrieve_summary=_("政策详情及条款"),
    create_summary=_("录入政策（草稿）"),
    create_input=PolicyInputSerializer,
    created=PolicyDetailSerializer,
    errors=ERRORS,
    partial_update=extend_schema(
        summary=str(_("修改政策")),
        request=PolicyInputSerializer,
        responses={200: PolicyDetailSerializer, **ERRORS},
    ),
)
class PolicyViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    queryset = Policy.objects.none()
    serializer_class = PolicySerializer
    filter_backends = FILTER_BACKENDS
    filterset_class = PolicyFilter
    ordering_fields = ["effective_from", "apply_to", "id"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        query = str(self.request.query_params.get("q", ""))[:100]
        policies = selectors.policy_search(user=self.request.user, query=query)
        if self.action != "list":
            policies = policies.prefetch_related("clauses__criteria")
        return policies

    def get_serializer_class(self):
        if self.action in ("create", "partial_update"):
            return PolicyInputSerializer
        if self.action == "list":
            return PolicySerializer
        return PolicyDetailSerializer

    def _fresh(self, policy: Policy, status: int = 200) -> Response:
        fresh = self.get_queryset().prefetch_related("clauses__criteria").get(pk=policy.pk)
        return Response(PolicyDetailSerializer(fresh, context={"request": self.request}).data, status=status)

    def create(self, request, *args, **kwargs):
        payload = PolicyInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        data.pop("version", None)
        policy = services.policy_create(actor=request.user, **data)
        return self._fresh(policy, status=201)

    def partial_update(self, request, *args, **kwargs):
        policy = self.get_object()
        payload = PolicyInputSerializer(data=request.data, partial=True)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        version = data.pop("version", None)
        policy = services.policy_update(policy=policy, actor=request.user, version=version, **data)
        return self._fresh(policy)

    def update(self, request, *args, **kwargs):  # PUT is not offered; PATCH only
        return self.partial_update(request, *args, **kwargs)

    def _transition(self, request, service):
        policy = self.get_object()
        payload = PolicyVersionInput(data=request.data)
        payload.is_valid(raise_exception=True)
        policy = service(policy=policy, actor=request.user, version=payload.validated_data.get("version"))
        return self._fresh(policy)

    @extend_schema(**_action_doc(str(_("发布政策")), PolicyVersionInput, PolicyDetailSerializer))
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        return self._transition(request, services.policy_publish)

    @extend_schema(**_action_doc(str(_("设为失效")), PolicyVersionInput, PolicyDetailSerializer))
    @action(detail=True, methods=["post"])
    def expire(self, request, pk=None):
        return self._transition(request, services.policy_expire)

    @extend_schema(
        **_action_doc(str(_("一对一推送政策（不会重复推送）")), PolicyPushInput, PolicyPushOutcomeSerializer)
    )
    @action(detail=True, methods=["post"])
    def push(self, request, pk=None):
        policy = self.get_object()
        payload = PolicyPushInput(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        visible = enterprises_visible(user=request.user)
        if data["target"] == "one":
            targets = list(visible.filter(pk=data["enterprise"]))
            if not targets:
                raise serializers.ValidationError({"enterprise": [_("企业不存在或不在您的权限范围内。")]})
        elif data["target"] == "filtered":
            params = {name: data[name] for name in PolicyPushInput.FILTER_FIELDS if data.get(name) is not None}
            if "above_scale" in params:
                params["above_scale"] = "true" if params["above_scale"] else "false"
            found = EnterpriseFilter(params, queryset=visible)
            if not found.is_valid():
                raise serializers.ValidationError(found.errors)
            targets = list(found.qs)
        else:
            targets = list(services.push_targets_eligible(policy=policy, actor=request.user))
        if not targets:
            # Nobody matches the filter, or every eligible enterprise has been told already.
            raise serializers.ValidationError({"target": [_("没有符合条件的推送对象。")]})
        outcome = services.push_send(policy=policy, actor=request.user, enterprises=targets, note=data.get("note", ""))
        return Response(
            {
                "created": len(outcome.created),
                "already_told": outcome.already_told,
                "push_ids": [push.pk for push in outcome.created],
            }
        )


class PushFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(choices=PushState.choices)

    class Meta:
        model = PolicyPush
        fields = ["policy", "enterprise", "state"]


@read_docs(_("政策推送（企业只见本企业的推送）"), _("推送详情"))
class PolicyPushViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = PolicyPush.objects.none()
    serializer_class = PolicyPushSerializer
    filter_backends = FILTER_BACKENDS
    filterset_class = PushFilter
    ordering_fields = ["pushed_at", "id"]

    def get_queryset(self):
        return selectors.push_list(user=self.request.user)

    def _answer(self, push: PolicyPush) -> Response:
        return Response(PolicyPushSerializer(self.get_queryset().get(pk=push.pk)).data)

    @extend_schema(**_action_doc(str(_("查看回执（仅被推送企业的用户）")), PolicyEmptyInput, PolicyPushSerializer))
    @action(detail=True, methods=["post"])
    def open(self, request, pk=None):
        push = self.get_object()
        PolicyEmptyInput(data=request.data).is_valid(raise_exception=True)
        if request.user.role != "enterprise_user":
            return Response({"detail": str(_("只有被推送企业的用户才能回执。")), "code": "not_permitted"}, status=403)
        services.push_open(push=push, actor=request.user)
        return self._answer(push)

    @extend_schema(**_action_doc(str(_("确认收到")), PolicyEmptyInput, PolicyPushSerializer))
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        push = self.get_object()
        PolicyEmptyInput(data=request.data).is_valid(raise_exception=True)
        services.push_acknowledge(push=push, actor=request.user)
        return self._answer(push)

    @extend_schema(**_action_doc(str(_("登记当面解读（代企业确认）")), PolicyExplainInput, PolicyPushSerializer))
    @action(detail=True, methods=["post"])
    def explain(self, request, pk=None):
        push = self.get_object()
        payload = PolicyExplainInput(data=request.data)
        payload.is_valid(raise_exception=True)
        visit = None
        if visit_id := payload.validated_data.get("visit"):
            from fieldwork.selectors import visits_visible

            # Outside the user's scope reads as unknown: the same 400, nothing told about it.
            visit = visits_visible(user=request.user).filter(pk=visit_id).first()
            if visit is None:
                return Response({"visit": [str(_("没有这条走访记录。"))]}, status=400)
        services.push_explain_in_person(
            push=push, actor=request.user, note=payload.validated_data.get("note", ""), visit=visit
        )
        return self._answer(push)


class ResultFilter(django_filters.FilterSet):
    answer = django_filters.ChoiceFilter(choices=Answer.choices)

    class Meta:
        model = EligibilityResult
        fields = ["enterprise", "clause", "answer"]


@read_docs(_("政策匹配结果（按企业、条款）"), _("匹配结果及判定过程"))
class EligibilityResultViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = EligibilityResult.objects.none()
    serializer_class = EligibilityResultSerializer
    filter_backends = FILTER_BACKENDS
    filterset_class = ResultFilter
    ordering_fields = ["evaluated_at", "score", "id"]

    def get_queryset(self):
        return selectors.result_list(user=self.request.user)


@extend_schema_view(
    list=extend_schema(summary=str(_("企业补充信息（研发投入、上年营收等）"))),
    create=extend_schema(
        summary=str(_("采集企业补充信息并重新匹配")),
        request=EnterpriseFactInput,
        responses={201: EnterpriseFactSerializer, **ERRORS},
    ),
)
class EnterpriseFactViewSet(mixins.CreateModelMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    queryset = EnterpriseFact.objects.none()
    serializer_class = EnterpriseFactSerializer
    filter_backends = FILTER_BACKENDS
    filterset_fields = ["enterprise", "key"]
    ordering_fields = ["recorded_at", "id"]

    def get_queryset(self):
        visible = enterprises_visible(user=self.request.user)
        if self.request.user.role in ("bureau_staff", "enterprise_user"):
            return EnterpriseFact.objects.none()
        return EnterpriseFact.objects.filter(enterprise__in=visible).order_by("-recorded_at", "-id")

    def create(self, request, *args, **kwargs):
        payload = EnterpriseFactInput(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        enterprise = enterprise_in_scope(user=request.user, pk=data["enterprise"])
        fact = services.fact_record(
            enterprise=enterprise, actor=request.user, key=data["key"], value=data["value"], source=data["source"]
        )
        return Response(EnterpriseFactSerializer(fact).data, status=201)


router = Router()
router.register("policies", PolicyViewSet, basename="policy")
router.register("policy-pushes", PolicyPushViewSet, basename="policy-push")
router.register("eligibility-results", EligibilityResultViewSet, basename="eligibility-result")
router.register("enterprise-facts", EnterpriseFactViewSet, basename="enterprise-fact")

urlpatterns = router.urls
