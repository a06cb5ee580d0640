"""Admin for what the jobs store: read-only, since only the jobs write these rows.

The schedules themselves (Monday 08:00, the 1st at 06:00) are django-celery-beat's
``PeriodicTask`` rows under 定时任务 in the admin: move or pause them there.
"""

from django.contrib import admin

from analytics.models import (
    MonthlyReport,
    ReportWorkbook,
    ScheduledRun,
    TierSuggestion,
    WeeklyClose,
    WeeklyEnterpriseStatus,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(MonthlyReport)
class MonthlyReportAdmin(ReadOnlyAdmin):
    list_display = ["month", "scope_type", "scope_name", "parent_name", "computed_at"]
    list_filter = ["scope_type", "month"]
    search_fields = ["scope_name", "parent_name"]
    date_hierarchy = "month"


@admin.register(ReportWorkbook)
class ReportWorkbookAdmin(ReadOnlyAdmin):
    list_display = ["month", "scope_type", "district", "size", "generated_at"]
    list_filter = ["scope_type"]
    exclude = ["file"]


class WeeklyEnterpriseStatusInline(admin.TabularInline):
    model = WeeklyEnterpriseStatus
    fields = ["enterprise", "grid", "tier", "rhythm", "tracked", "output_value", "previous_output_value", "risk_count"]
    readonly_fields = fields
    can_delete = False
    extra = 0

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(WeeklyClose)
class WeeklyCloseAdmin(ReadOnlyAdmin):
    list_display = ["week_code", "week_start", "expected", "tracked", "missed", "output_down", "closed_at"]
    inlines = [WeeklyEnterpriseStatusInline]


@admin.register(TierSuggestion)
class TierSuggestionAdmin(ReadOnlyAdmin):
    list_display = ["enterprise", "reference_month", "from_tier", "to_tier", "status", "decided_by", "decided_at"]
    list_filter = ["status", "to_tier"]
    search_fields = ["enterprise__name"]


@admin.register(ScheduledRun)
class ScheduledRunAdmin(ReadOnlyAdmin):
    """When each scheduled period of the weekly and monthly jobs ran and finished (analytics.tasks).

    Deleting a row lets the next scheduled run compute that period again."""

    list_display = ["job", "period", "started_at", "finished_at", "attempts"]
    list_filter = ["job"]
