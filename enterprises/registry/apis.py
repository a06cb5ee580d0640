"""``/api/enterprises/``: the scoped enterprise roster; administrators create and edit.

Reads go through ``enterprises.registry.selectors`` (out of scope → 404); writes through
``enterprises.registry.services``, the same functions the pages and the admin use.
"""

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.response import Response
from rest_framework.reverse import reverse

from accounts.apis import IsAdminOrReadOnly
from common.api import BoundedCountPagination, OrderingFilter, Router
from enterprises.registry import selectors, services
from enterprises.registry.filters import EnterpriseFilter
from enterprises.registry.models import Enterprise, Tier
from enterprises.registry.serializers import EnterpriseSerializer, EnterpriseWriteSerializer

WRITE_RESPONSES = {
    400: OpenApiResponse(description=_("字段校验失败：响应体按字段名列出原因（如 uscc、grid）。")),
    403: OpenApiResponse(description=_("仅系统管理员可新建或修改企业。")),
}
NOT_FOUND = OpenApiResponse(description=_("企业不存在或不在您的权限范围内。"))


@extend_schema_view(
    create=extend_schema(responses={201: EnterpriseSerializer, **WRITE_RESPONSES}),
    update=extend_schema(responses={200: EnterpriseSerializer, 404: NOT_FOUND, **WRITE_RESPONSES}),
    partial_update=extend_schema(responses={200: EnterpriseSerializer, 404: NOT_FOUND, **WRITE_RESPONSES}),
)
class EnterpriseViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """企业: the enterprises the user may see. No DELETE: an enterprise that
    leaves the zone keeps its history."""

    queryset = Enterprise.objects.none()  # names the model for the schema; rows come from the selector
    permission_classes = [IsAdminOrReadOnly]
    # 100,000 enterprises in a province: the count is exact up to 10,000 rows (as on the list page).
    pagination_class = BoundedCountPagination
    # Text search is EnterpriseFilter's ``q`` (name, USCC, address), shared with the list page.
    filter_backends = [DjangoFilterBackend, OrderingFilter]
    filterset_class = EnterpriseFilter
    ordering_fields = ["name", "uscc", "tier", "employees", "registered_capital", "founded_on", "updated_at"]

    def get_queryset(self):
        return selectors.enterprise_list(user=self.request.user)

    def get_serializer_class(self):
        if self.action in ("create", "update", "partial_update"):
            return EnterpriseWriteSerializer
        return EnterpriseSerializer

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        fields = dict(serializer.validated_data)
        enterprise = services.enterprise_create(
            actor=request.user,
            tier=fields.pop("tier", Tier.GROWTH),
            tier_reason=fields.pop("tier_reason", ""),
            **fields,
        )
        body = EnterpriseSerializer(enterprise, context=self.get_serializer_context()).data
        location = reverse("enterprise-detail", args=[enterprise.pk], request=request)
        return Response(body, status=status.HTTP_201_CREATED, headers={"Location": location})

    def update(self, request, *args, **kwargs):
        enterprise = self.get_object()  # 404 out of scope, then 403 for non-administrators
        # A profile edit and a tier change in one request stand or fall together, on the row as
        # stored now, locked until the save: a PATCH writes the fields it names and never puts
        # back the others as they were read above, before someone else's save.
        with transaction.atomic():
            Enterprise.objects.select_for_update().filter(pk=enterprise.pk).exists()
            enterprise.refresh_from_db()
            serializer = self.get_serializer(enterprise, data=request.data, partial=kwargs.pop("partial", False))
            serializer.is_valid(raise_exception=True)
            fields = dict(serializer.validated_data)
            tier = fields.pop("tier", enterprise.tier)
            tier_reason = fields.pop("tier_reason", "")
            if fields:
                services.enterprise_update(enterprise=enterprise, actor=request.user, **fields)
            if tier != enterprise.tier:
                services.enterprise_change_tier(
                    enterprise=enterprise, actor=request.user, tier=tier, reason=tier_reason
                )
        return Response(EnterpriseSerializer(enterprise, context=self.get_serializer_context()).data)


router = Router()
router.register("enterprises", EnterpriseViewSet, basename="enterprise")

urlpatterns = router.urls
