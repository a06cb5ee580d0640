from django.contrib import admin

from common.admin import ReadOnlyHistoryAdmin
from platforms.supply_chain.models import Recommendation


@admin.register(Recommendation)
class RecommendationAdmin(ReadOnlyHistoryAdmin):
    list_display = ["recommended", "for_enterprise", "direction", "product", "recommended_on", "outcome"]
    list_filter = ["direction", "outcome", "from_suggestion"]
    search_fields = ["product", "for_enterprise__name", "recommended__name"]
    raw_id_fields = ["for_enterprise", "recommended", "by_enterprise", "recommended_by"]
