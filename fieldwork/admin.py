from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from fieldwork.models import Visit, VisitAttachment, WeeklyTracking


class VisitAttachmentInline(admin.TabularInline):
    """Files come in through the visit form (type and size checked there); here
    they can be opened, through the permission-checked view, or removed."""

    model = VisitAttachment
    extra = 0
    fields = ["download", "size", "uploaded_by", "created_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("文件"))
    def download(self, attachment: VisitAttachment) -> str:
        return format_html('<a href="{}">{}</a>', attachment.get_absolute_url(), attachment.original_name)


@admin.register(Visit)
class VisitAdmin(admin.ModelAdmin):
    list_display = ["visited_at", "enterprise", "officer", "mode", "has_difficulties"]
    list_filter = ["mode", "has_difficulties", "orders_trend", "enterprise__grid__district", "visited_at"]
    search_fields = ["enterprise__name", "enterprise__uscc", "officer__name", "officer__username", "findings"]
    date_hierarchy = "visited_at"
    list_select_related = ["enterprise", "officer"]
    raw_id_fields = ["enterprise", "officer", "raised_issues"]
    inlines = [VisitAttachmentInline]
    fieldsets = [
        (None, {"fields": ["enterprise", "officer", "visited_at", "mode", "met_with", "findings"]}),
        (
            _("经营快照"),
            {"fields": ["output_value", "orders_trend", "employees", "capacity_use", "has_difficulties"]},
        ),
        (_("发现问题"), {"fields": ["raised_issues"]}),
    ]


@admin.register(WeeklyTracking)
class WeeklyTrackingAdmin(admin.ModelAdmin):
    list_display = [
        "enterprise",
        "week_code",
        "week_start",
        "officer",
        "mode",
        "output_value",
        "risk_orders",
        "risk_funding",
        "risk_labour",
        "risk_safety",
    ]
    list_filter = ["iso_year", "mode", "risk_orders", "risk_funding", "risk_labour", "risk_safety", "enterprise__tier"]
    search_fields = ["enterprise__name", "enterprise__uscc", "officer__name", "officer__username"]
    date_hierarchy = "week_start"
    list_select_related = ["enterprise", "officer"]
    raw_id_fields = ["enterprise", "officer"]
    readonly_fields = ["iso_year", "iso_week", "week_start"]

    def has_add_permission(self, request) -> bool:
        # New weeks go through weekly_tracking_record (one row per enterprise per week).
        return False

    @admin.display(description=_("ISO周"), ordering="week_start")
    def week_code(self, tracking: WeeklyTracking) -> str:
        return tracking.week_code
