"""``/api/incidents/``: declare, close, the board data; ``/api/incidents/{id}/enterprises/``: the
roll-call rows, with the acknowledge and response-entry actions.

Scoped as the pages: a manager sees every incident, a district leader and an officer those
touching their grids, an enterprise user only its own row. Answers: 404 outside the scope,
403 when the role may not act, 409 when the incident is closed (or changed since read),
400 naming the field on bad input. Every action calls the same service as the pages.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from accounts.scoping import scope_for
from common.api import Router, refusal_docs
from emergency import policy, selectors, services
from emergency.figures import incident_totals
from emergency.models import AffectedEnterprise, Incident
from emergency.serializers import (
    AcknowledgeInput,
    AffectedSerializer,
    CloseInput,
    DeclareInput,
    EntryInput,
    EntrySerializer,
    IncidentSerializer,
    ReliefOfferSerializer,
)
from enterprises.registry.selectors import enterprises_visible
from grids.models import District, GridTeam

REFUSALS = refusal_docs(
    missing=_("事件或企业不存在，或不在权限范围内"), conflict=_("事件已结束（记录只读），或已被他人更新")
)
INCIDENT_PARAMETER = OpenApiParameter(
    "incident_pk", OpenApiTypes.INT, OpenApiParameter.PATH, description=_("应急事件 ID")
)


def _ids(model, ids: list[int], field: str, queryset=None):
    """The rows of ``ids``, or a 400 naming ``field`` and the ids that are unknown (or out of scope)."""
    rows = list((queryset if queryset is not None else model.objects.all()).filter(pk__in=ids))
    missing = sorted(set(ids) - {row.pk for row in rows})
    if missing:
        raise serializers.ValidationError(
            {field: [_("不存在或不在您的权限范围内：%(ids)s。") % {"ids": "、".join(map(str, missing))}]}
        )
    return rows


def _staff_totals(request, incident: Incident) -> dict:
    if not scope_for(request.user).is_staff_side:
        return {}
    rows = selectors.affected_visible(user=request.user, incident=incident)
    return {incident.pk: incident_totals(incident=incident, rows=rows)}


@extend_schema_view(
    list=extend_schema(summary=str(_("应急事件（按权限范围）；列表中 totals 为空"))),
    retrieve=extend_schema(summary=str(_("应急事件及点名表合计"))),
    create=extend_schema(
        summary=str(_("发布应急事件（管委会领导；片区负责人仅限本片区）")),
        request=DeclareInput,
        responses={201: IncidentSerializer, 403: REFUSALS[403]},
    ),
)
class IncidentViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    queryset = Incident.objects.none()  # names the model for the schema; rows come from the selector
    serializer_class = IncidentSerializer

    def get_queryset(self):
        return selectors.incident_list(user=self.request.user).prefetch_related("grids")

    def retrieve(self, request, *args, **kwargs):
        incident = self.get_object()
        context = {**self.get_serializer_context(), "totals": _staff_totals(request, incident)}
        return Response(IncidentSerializer(incident, context=context).data)

    def create(self, request, *args, **kwargs):
        user = request.user
        if not policy.may_declare(user):
            raise PermissionDenied(_("只有管委会领导和片区负责人可以发布应急事件。"))
        payload = DeclareInput(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        district = _ids(District, [data["district"]], "district")[0] if data["district"] else None
        visible = enterprises_visible(user=user)
        incident = services.incident_declare(
            actor=user,
            kind=data["kind"],
            title=data["title"],
            description=data["description"],
            is_exercise=data["is_exercise"],
            district=district,
            whole_district=data["whole_district"],
            grids=_ids(GridTeam, data["grids"], "grids"),
            enterprises=_ids(None, data["enterprises"], "enterprises", visible.select_related("grid")),
        )
        incident = selectors.incident_list(user=user).get(pk=incident.pk)
        context = {**self.get_serializer_context(), "totals": _staff_totals(request, incident)}
        return Response(IncidentSerializer(incident, context=context).data, status=201)

    @extend_schema(
        summary=str(_("结束事件：记录转为只读，未解决的需求登记到问题台账")),
        request=CloseInput,
        responses={200: IncidentSerializer, **REFUSALS},
    )
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        incident = self.get_object()
        payload = CloseInput(data=request.data)
        payload.is_valid(raise_exception=True)
        incident = services.incident_close(
            incident=incident,
            actor=request.user,
            note=payload.validated_data["note"],
            seen_version=payload.validated_data.get("version"),
        )
        incident = selectors.incident_list(user=request.user).get(pk=incident.pk)
        context = {**self.get_serializer_context(), "totals": _staff_totals(request, incident)}
        return Response(IncidentSerializer(incident, context=context).data)


@extend_schema_view(
    list=extend_schema(summary=str(_("点名表：受影响企业（未联系上的在前）")), parameters=[INCIDENT_PARAMETER]),
    retrieve=extend_schema(summary=str(_("一家受影响企业的情况")), parameters=[INCIDENT_PARAMETER]),
)
class AffectedViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = AffectedEnterprise.objects.none()
    serializer_class = AffectedSerializer

    def incident(self) -> Incident:
        if not hasattr(self, "_incident"):
            self._incident = selectors.incident_get(user=self.request.user, pk=self.kwargs["incident_pk"])
        return self._incident

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return AffectedEnterprise.objects.none()
        return selectors.roll_call(user=self.request.user, incident=self.incident())

    @extend_schema(
        summary=str(_("确认收到：企业本身，或网格员电话联系后代为确认（标记为代为确认）")),
        parameters=[INCIDENT_PARAMETER],
        request=AcknowledgeInput,
        responses={200: AffectedSerializer, **REFUSALS},
    )
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, incident_pk=None, pk=None):
        row = self.get_object()
        payload = AcknowledgeInput(data=request.data)
        payload.is_valid(raise_exception=True)
        services.incident_acknowledge(affected=row, actor=request.user, note=payload.validated_data["note"])
        return Response(AffectedSerializer(self.get_queryset().get(pk=row.pk)).data)

    @extend_schema(
        methods=["GET"],
        summary=str(_("该企业的处置记录（时间线，新的在前）")),
        parameters=[INCIDENT_PARAMETER],
        responses={200: EntrySerializer(many=True)},
    )
    @extend_schema(
        methods=["POST"],
        summary=str(_("登记现场情况（追加一条带时间的记录，不覆盖）")),
        parameters=[INCIDENT_PARAMETER],
        request=EntryInput,
        responses={201: EntrySerializer, **REFUSALS},
    )
    @action(detail=True, methods=["get", "post"])
    def entries(self, request, incident_pk=None, pk=None):
        row = self.get_object()
        if request.method == "GET":
            page = self.paginate_queryset(selectors.entries_of(affected=row))
            return self.get_paginated_response(EntrySerializer(page, many=True).data)
        payload = EntryInput(data=request.data)
        payload.is_valid(raise_exception=True)
        entry = services.response_entry_add(affected=row, actor=request.user, report=payload.report())
        return Response(EntrySerializer(entry).data, status=201)

    @extend_schema(
        summary=str(_("灾后支持清单：事件结束时为该企业匹配的政策条款、可续贷展期的贷款、园区用工需求")),
        parameters=[INCIDENT_PARAMETER],
        responses={
            200: ReliefOfferSerializer,
            404: OpenApiResponse(description=_("事件或企业不存在、不在权限范围内，或事件尚未结束")),
        },
    )
    @action(detail=True, methods=["get"])
    def relief(self, request, incident_pk=None, pk=None):
        row = self.get_object()
        offer = selectors.relief_offer_get(user=request.user, incident=self.incident(), row=row.pk)
        return Response(ReliefOfferSerializer(offer).data)


router = Router()
router.register("incidents", IncidentViewSet, basename="incident")
router.register(r"incidents/(?P<incident_pk>\d+)/enterprises", AffectedViewSet, basename="incident-enterprise")

urlpatterns = router.urls
