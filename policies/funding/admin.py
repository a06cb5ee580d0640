from django.contrib import admin

from common.admin import ReadOnlyAdminMixin, ReadOnlyHistoryAdmin
from policies.funding.models import Disbursement, FundingApplication, FundingEvent, FundingGrant


class ReadOnlyInline(admin.TabularInline):
    """An application's grants and events, shown under it: only the services add or remove them."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class GrantInline(ReadOnlyInline):
    model = FundingGrant
    readonly_fields = ["level", "granted_amount", "disbursed_amount"]


class EventInline(ReadOnlyInline):
    model = FundingEvent
    readonly_fields = ["at", "actor", "action", "from_state", "to_state", "amount", "level", "reason"]


@admin.register(FundingApplication)
class FundingApplicationAdmin(ReadOnlyAdminMixin, ReadOnlyHistoryAdmin):
    """Read-only here: every change goes through the services (events, splits, locks)."""

    list_display = ["id", "enterprise", "clause", "state", "amount_requested", "approved_amount", "reviewing_bureau"]
    list_filter = ["state", "reviewing_bureau"]
    search_fields = ["enterprise__name", "clause__title", "clause__policy__title"]
    list_select_related = ["enterprise", "clause__policy", "reviewing_bureau"]
    inlines = [GrantInline, EventInline]


@admin.register(Disbursement)
class DisbursementAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["disbursed_on", "application", "level", "amount", "recorded_by"]
    list_filter = ["level"]
    date_hierarchy = "disbursed_on"
    list_select_related = ["application__enterprise", "recorded_by"]
