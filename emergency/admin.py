from django.contrib import admin

from common.admin import ReadOnlyAdminMixin, ReadOnlyHistoryAdmin
from emergency.models import AffectedEnterprise, CallTask, Incident, Notice, ResponseEntry


class ReadOnlyAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Incidents are written through emergency.services (the rules, the append-only log); the admin reads."""


@admin.register(Incident)
class IncidentAdmin(ReadOnlyAdminMixin, ReadOnlyHistoryAdmin):
    list_display = ("title", "kind", "is_exercise", "district", "declared_at", "state")
    list_filter = ("kind", "state", "is_exercise")
    search_fields = ("title",)


@admin.register(AffectedEnterprise)
class AffectedEnterpriseAdmin(ReadOnlyAdmin):
    list_display = ("incident", "enterprise", "grid", "notified_at", "acknowledged_at", "ack_method")
    list_filter = ("ack_method",)
    exclude = ("token",)


@admin.register(Notice)
class NoticeAdmin(ReadOnlyAdmin):
    list_display = ("incident", "channel", "address", "claimed_at", "sent_at", "attempts")
    list_filter = ("channel",)


@admin.register(ResponseEntry)
class ResponseEntryAdmin(ReadOnlyAdmin):
    list_display = ("affected", "kind", "at", "author", "evacuated", "on_site", "restored_on")
    list_filter = ("kind",)


@admin.register(CallTask)
class CallTaskAdmin(ReadOnlyAdmin):
    list_display = ("affected", "level", "assignee", "created_at", "done_at")
    list_filter = ("level",)
