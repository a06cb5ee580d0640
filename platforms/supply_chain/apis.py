"""API of platforms.supply_chain: ``/api/recommendations/`` (with the ``outcome`` action).

The same scope and services as the pages: a recommendation is visible to whoever
may see the firm recommended to, the firm recommended or the recommender.
"""

from django.utils.translation import gettext_lazy as _

from common.api import Router
from platforms.apis import PlatformViewSet, create_action, read_docs, step_action
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

    selector = selectors.recommendation_list

    create = create_action(
        _("登记互助推荐"),
        RecommendationWriteSerializer,
        services.recommendation_record,
        tags=[TAG],
        description=_("企业用户以本企业名义推荐；网格人员为本人范围内的企业登记。"),
    )
    outcome = step_action(
        "outcome",
        _("记录推荐结果（已对接 / 已成交 / 未成交）"),
        OutcomeWriteSerializer,
        services.recommendation_record_outcome,
        response=RecommendationSerializer,
        item_name="recommendation",
        tags=[TAG],
    )


router = Router()
router.register("recommendations", RecommendationViewSet, basename="api-recommendation")

urlpatterns = router.urls
