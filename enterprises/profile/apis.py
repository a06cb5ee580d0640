"""The profile under each enterprise in the API:

``/api/enterprises/{enterprise_id}/products/``, ``…/supply-links/``,
``…/employment/`` and ``…/indicators/`` (each with ``{id}/``).

The enterprise is looked up through the user's scope (404 outside it; bureau
staff see only the basic profile, so 404 here too); writes need the right to
edit the profile (403 for those who may only read). The views validate and
call ``enterprises.profile.services``, the same functions the pages use.
"""

from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, generics, status
from rest_framework.response import Response

from accounts.scoping import scope_for
from enterprises.profile import services
from enterprises.profile.models import Product, SupplyDirection, SupplyLink
from enterprises.profile.selectors import (
    employment_list,
    indicator_list,
    product_list,
    supply_link_direction,
    supply_link_list,
    supply_link_partner,
)
from enterprises.profile.serializers import (
    EmploymentRecordSerializer,
    MonthField,
    OperatingIndicatorSerializer,
    ProductSerializer,
    SupplyLinkSerializer,
)
from enterprises.registry.models import Enterprise
from enterprises.registry.selectors import enterprise_get

ENTERPRISE_ID = OpenApiParameter(
    "enterprise_id", OpenApiTypes.INT, OpenApiParameter.PATH, description=gettext_lazy("企业ID")
)
MONTH_RANGE = [
    OpenApiParameter("month_from", OpenApiTypes.STR, description=gettext_lazy("起始月份（含），如 2025-01")),
    OpenApiParameter("month_to", OpenApiTypes.STR, description=gettext_lazy("截止月份（含），如 2025-12")),
]


class EnterpriseProfileMixin:
    """The enterprise in the URL, through the user's scope."""

    filter_backends: list = []

    @cached_property
    def enterprise(self) -> Enterprise:
        enterprise = enterprise_get(user=self.request.user, pk=self.kwargs["enterprise_id"])
        if not scope_for(self.request.user).sees_full_profile:
            raise exceptions.NotFound()
        return enterprise

    def check_edit(self) -> None:
        services.ensure_can_edit_profile(user=self.request.user, enterprise=self.enterprise)

    def get_serializer_context(self) -> dict:
        context = super().get_serializer_context()
        if not getattr(self, "swagger_fake_view", False):
            context["enterprise"] = self.enterprise
        return context


class MonthRangeMixin:
    def filter_months(self, queryset):
        field = MonthField()
        for param, lookup in (("month_from", "month__gte"), ("month_to", "month__lte")):
            value = self.request.query_params.get(param)
            if value:
                try:
                    queryset = queryset.filter(**{lookup: field.to_internal_value(value)})
                except exceptions.ValidationError:
                    raise exceptions.ValidationError({param: [_("请按“年-月”填写月份，例如 2025-03。")]}) from None
        return queryset


# --- Products --------------------------------------------------------------------


@extend_schema_view(
    get=extend_schema(tags=["enterprise-profile"], summary=gettext_lazy("产品结构列表"), parameters=[ENTERPRISE_ID]),
    post=extend_schema(tags=["enterprise-profile"], summary=gettext_lazy("添加产品"), parameters=[ENTERPRISE_ID]),
)
class ProductListApi(EnterpriseProfileMixin, generics.ListCreateAPIView):
    serializer_class = ProductSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Product.objects.none()
        return product_list(enterprise=self.enterprise)

    def create(self, request, *args, **kwargs):
        self.check_edit()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        product = services.product_create(enterprise=self.enterprise, actor=request.user, **serializer.validated_data)
        return Response(self.get_serializer(product).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    get=extend_schema(tags=["enterprise-profile"], summary=gettext_lazy("产品详情"), parameters=[ENTERPRISE_ID]),
    put=extend_schema(tags=["enterprise-profile"], summary=gettext_lazy("修改产品"), parameters=[ENTERPRISE_ID]),
    patch=extend_schema(
        tags=["enterprise-profile"], summary=gettext_lazy("修改产品（部分字段）"), parameters=[ENTERPRISE_ID]
    ),
    delete=extend_schema(tags=["enterprise-profile"], summary=gettext_lazy("删除产品"), parameters=[ENTERPRISE_ID]),
)
class ProductDetailApi(EnterpriseProfileMixin, generics.RetrieveUpdateDestroyAPIView):
    serializer_class = ProductSerializer

    def get_object(self):
        return get_object_or_404(product_list(enterprise=self.enterprise), pk=self.kwargs["pk"])

    def update(self, request, *args, **kwargs):
        product = self.get_object()
        self.check_edit()
        serializer = self.get_serializer(product, data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        product = services.product_update(product=product, actor=request.user, **serializer.validated_data)
        return Response(self.get_serializer(product).data)

    def destroy(self, request, *args, **kwargs):
        product = self.get_object()
        self.check_edit()
        services.product_delete(product=product, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- Supply links ------------------------------------------------------------------


@extend_schema_view(
    get=extend_schema(
        tags=["enterprise-profile"],
        summary=gettext_lazy("上下游配套列表"),
        parameters=[
            ENTERPRISE_ID,
            OpenApiParameter(
                "direction", OpenApiTypes.STR, enum=SupplyDirection.values, description=gettext_lazy("上游或下游")
            ),
        ],
    ),
    post=extend_schema(tags=["enterprise-profile"], summary=gettext_lazy("添加上下游配套"), parameters=[ENTERPRISE_ID]),
)
class SupplyLinkListApi(EnterpriseProfileMixin, generics.ListCreateAPIView):
    serializer_class = SupplyLinkSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return SupplyLink.objects.none()
        links = supply_link_list(enterprise=self.enterprise)
        direction = self.request.query_params.get("direction")
        if direction == SupplyDirection.UPSTREAM:
            links = links.filter(customer=self.enterprise)
        elif direction == SupplyDirection.DOWNSTREAM:
            links = links.filter(supplier=self.enterprise)
        elif direction:
            raise exceptions.ValidationError({"direction": [_("应为 upstream 或 downstream。")]})
        return links

    def create(self, request, *args, **kwargs):
        self.check_edit()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        link = services.supply_link_create(enterprise=self.enterprise, actor=request.user, **serializer.validated_data)
        return Response(self.get_serializer(link).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    get=extend_schema(tags=["enterprise-profile"], summary=gettext_lazy("配套关系详情"), parameters=[ENTERPRISE_ID]),
    put=extend_schema(tags=["enterprise-profile"], summary=gettext_lazy("修改配套关系"), parameters=[ENTERPRISE_ID]),
    patch=extend_schema(
        tags=["enterprise-profile"], summary=gettext_lazy("修改配套关系（部分字段）"), parameters=[ENTERPRISE_ID]
    ),
    delete=extend_schema(tags=["enterprise-profile"], summary=gettext_lazy("删除配套关系"), parameters=[ENTERPRISE_ID]),
)
class SupplyLinkDetailApi(EnterpriseProfileMixin, generics.RetrieveUpdateDestroyAPIView):
    serializer_class = SupplyLinkSerializer

    def get_object(self):
        return get_object_or_404(supply_link_list(enterprise=self.enterprise), pk=self.kwargs["pk"])

    def update(self, request, *args, **kwargs):
        link = self.get_object()
        self.check_edit()
        serializer = self.get_serializer(link, data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        values = {
            "direction": supply_link_direction(link=link, enterprise=self.enterprise),
            "partner": supply_link_partner(link=link, enterprise=self.enterprise),
            "outside_name": link.outside_name,
            "product": link.product,
            "annual_amount": link.annual_amount,
        }
        values.update(serializer.validated_data)
        link = services.supply_link_update(link=link, enterprise=self.enterprise, actor=request.user, **values)
        return Response(self.get_serializer(link).data)

    def destroy(self, request, *args, **kwargs):
        link = self.get_object()
        self.check_edit()
        services.supply_link_delete(link=link, enterprise=self.enterprise, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- Monthly employment and indicators ------------------------------------------------


class MonthlyListApi(EnterpriseProfileMixin, MonthRangeMixin, generics.ListCreateAPIView):
    """List by month (newest first); POST enters a month, and a month entered
    again is updated (201 when created, 200 when updated)."""

    # Set by each subclass: the selector of its rows and the upsert service.
    selector = None
    save_month = None

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.serializer_class.Meta.model.objects.none()
        return self.filter_months(self.selector(enterprise=self.enterprise))

    def create(self, request, *args, **kwargs):
        self.check_edit()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        record, created = self.save_month(enterprise=self.enterprise, actor=request.user, **serializer.validated_data)
        return Response(
            self.get_serializer(record).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
        )


class MonthlyDetailApi(EnterpriseProfileMixin, generics.RetrieveUpdateDestroyAPIView):
    selector = None
    save_month = None

    def get_object(self):
        return get_object_or_404(self.selector(enterprise=self.enterprise), pk=self.kwargs["pk"])

    def update(self, request, *args, **kwargs):
        record = self.get_object()
        self.check_edit()
        serializer = self.get_serializer(record, data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        fields = [name for name in serializer.fields if not serializer.fields[name].read_only]
        values = {name: getattr(record, name) for name in fields}
        values.update(serializer.validated_data)
        if values["month"] != record.month:
            raise exceptions.ValidationError({"month": [_("不能修改月份；请删除后重新填报该月。")]})
        record, _created = self.save_month(enterprise=self.enterprise, actor=request.user, **values)
        return Response(self.get_serializer(record).data)

    def destroy(self, request, *args, **kwargs):
        record = self.get_object()
        self.check_edit()
        services.monthly_record_delete(record=record, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    get=extend_schema(
        tags=["enterprise-profile"], summary=gettext_lazy("用工情况（按月）"), parameters=[ENTERPRISE_ID, *MONTH_RANGE]
    ),
    post=extend_schema(
        tags=["enterprise-profile"],
        summary=gettext_lazy("填报某月用工情况（同月再次填报即更新）"),
        parameters=[ENTERPRISE_ID],
        responses={201: EmploymentRecordSerializer, 200: EmploymentRecordSerializer},
    ),
)
class EmploymentListApi(MonthlyListApi):
    serializer_class = EmploymentRecordSerializer
    selector = staticmethod(employment_list)
    save_month = staticmethod(services.employment_record_save)


@extend_schema_view(
    get=extend_schema(tags=["enterprise-profile"], summary=gettext_lazy("某月用工情况"), parameters=[ENTERPRISE_ID]),
    put=extend_schema(
        tags=["enterprise-profile"], summary=gettext_lazy("修改某月用工情况"), parameters=[ENTERPRISE_ID]
    ),
    patch=extend_schema(
        tags=["enterprise-profile"], summary=gettext_lazy("修改某月用工情况（部分字段）"), parameters=[ENTERPRISE_ID]
    ),
    delete=extend_schema(
        tags=["enterprise-profile"], summary=gettext_lazy("删除某月用工情况"), parameters=[ENTERPRISE_ID]
    ),
)
class EmploymentDetailApi(MonthlyDetailApi):
    serializer_class = EmploymentRecordSerializer
    selector = staticmethod(employment_list)
    save_month = staticmethod(services.employment_record_save)


@extend_schema_view(
    get=extend_schema(
        tags=["enterprise-profile"], summary=gettext_lazy("经营指标（按月）"), parameters=[ENTERPRISE_ID, *MONTH_RANGE]
    ),
    post=extend_schema(
        tags=["enterprise-profile"],
        summary=gettext_lazy("填报某月经营指标（同月再次填报即更新）"),
        parameters=[ENTERPRISE_ID],
        responses={201: OperatingIndicatorSerializer, 200: OperatingIndicatorSerializer},
    ),
)
class IndicatorListApi(MonthlyListApi):
    serializer_class = OperatingIndicatorSerializer
    selector = staticmethod(indicator_list)
    save_month = staticmethod(services.indicator_save)


@extend_schema_view(
    get=extend_schema(tags=["enterprise-profile"], summary=gettext_lazy("某月经营指标"), parameters=[ENTERPRISE_ID]),
    put=extend_schema(
        tags=["enterprise-profile"], summary=gettext_lazy("修改某月经营指标"), parameters=[ENTERPRISE_ID]
    ),
    patch=extend_schema(
        tags=["enterprise-profile"], summary=gettext_lazy("修改某月经营指标（部分字段）"), parameters=[ENTERPRISE_ID]
    ),
    delete=extend_schema(
        tags=["enterprise-profile"], summary=gettext_lazy("删除某月经营指标"), parameters=[ENTERPRISE_ID]
    ),
)
class IndicatorDetailApi(MonthlyDetailApi):
    serializer_class = OperatingIndicatorSerializer
    selector = staticmethod(indicator_list)
    save_month = staticmethod(services.indicator_save)


base = "enterprises/<int:enterprise_id>"
urlpatterns = [
    path(f"{base}/products/", ProductListApi.as_view(), name="api-enterprise-products"),
    path(f"{base}/products/<int:pk>/", ProductDetailApi.as_view(), name="api-enterprise-product"),
    path(f"{base}/supply-links/", SupplyLinkListApi.as_view(), name="api-enterprise-supply-links"),
    path(f"{base}/supply-links/<int:pk>/", SupplyLinkDetailApi.as_view(), name="api-enterprise-supply-link"),
    path(f"{base}/employment/", EmploymentListApi.as_view(), name="api-enterprise-employment"),
    path(f"{base}/employment/<int:pk>/", EmploymentDetailApi.as_view(), name="api-enterprise-employment-month"),
    path(f"{base}/indicators/", IndicatorListApi.as_view(), name="api-enterprise-indicators"),
    path(f"{base}/indicators/<int:pk>/", IndicatorDetailApi.as_view(), name="api-enterprise-indicator"),
]
