from django.contrib import admin

from common.admin import ReadOnlyHistoryAdmin
from platforms.service_projects.models import ServiceProject


@admin.register(ServiceProject)
class ServiceProjectAdmin(ReadOnlyHistoryAdmin):
    list_display = ["title", "enterprise", "kind", "state", "bureau", "completed_on"]
    list_filter = ["kind", "state", "bureau"]
    search_fields = ["title", "enterprise__name"]
    raw_id_fields = ["enterprise", "recorded_by"]
    list_select_related = ["enterprise", "bureau"]
