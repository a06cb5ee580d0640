"""API of platforms.supply_chain: ``/api/recommendations/`` (with the ``outcome`` action).

The same scope and services as the pages: a recommendation is visible to whoever
may see the firm recommended to, the firm recommended or the recommender.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action

from common.api import Router
from platforms.apis import PlatformViewSet, read_docs, write_doc
from platforms.supply_chain import selectors, services
from platforms.supply_chain.serializers import (
    OutcomeWriteSerializer,
    RecommendationSerializer,
    RecommendationWriteSerializer,
)

TAG = "supply-chain"


@read_docs(_("供应链互助推荐列表"), _("供应链互助推荐详情"), tags=[TAG])
class RecommendationViewSet(PlatformViewSet):
    serializer_class = RecommendationSerializer
    filterset_fields = ["for_enterprise", "recommended", "direction", "outcome"]
    search_fields = ["product"]
    ordering_fields = ["recommended_on", "id"]
    ordering = ["-recommended_on", "-id"]

    def get_queryset(self):
        return selectors.recommendation_list(user=self.request.user)

    @extend_schema(
        **write_doc(
            _("登记互助推荐"),
            RecommendationWriteSerializer,
            RecommendationSerializer,
            created=True,
            tags=[TAG],
            description=_("企业用户以本企业名义推荐；网格人员为本人范围内的企业登记。"),
        )
    )
    def create(self, request):
        return self.create_with(request, RecommendationWriteSerializer, services.recommendation_record)

    @extend_schema(
        **write_doc(
            _("记录推荐结果（已对接 / 已成交 / 未成交）"), OutcomeWriteSerializer, RecommendationSerializer, tags=[TAG]
        )
    )
    @action(detail=True, methods=["post"], url_path="outcome", url_name="outcome")
    def outcome(self, request, pk=None):
        return self.edit(
            request,
            OutcomeWriteSerializer,
            services.recommendation_record_outcome,
            item_name="recommendation",
            partial=False,
        )


router = Router()
router.register("recommendations", RecommendationViewSet, basename="api-recommendation")

urlpatterns = router.urls
