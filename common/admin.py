"""The admin's shared pieces: the read-only history pages of the audited records, and the
working-day calendar, where a 系统管理员 enters each year's State Council arrangement."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from common.models import SpecialDay, WorkdayArrangement


class ReadOnlyAdminMixin:
    """View-only for everyone, superusers included: rows that only a service writes
    (the ledger, the tier history, enterprises' reports) are read in the admin, never edited there."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ReadOnlyHistoryAdmin(SimpleHistoryAdmin):
    """simple-history's 历史 pages, to read only: the list of changes and each past version,
    never "revert to this version".

    The audit trail is never edited from the UI, and a revert is a back door past the
    privilege rules: it saves the old version whole, the fields the form does not show
    included, so a 系统管理员 could make a former superuser one again
    (tests/security/test_admin_privileges.py). Every admin with history uses this class.
    """

    def revert_disabled(self, request, obj=None) -> bool:
        return True

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method != "GET":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


class SpecialDayFormSet(BaseInlineFormSet):
    def get_unique_error_message(self, unique_check) -> str:
        # Django's message names the field by its code name ("date"); say it in Chinese.
        return _("同一日期只能录入一次。")


class SpecialDayInline(admin.TabularInline):
    model = SpecialDay
    formset = SpecialDayFormSet
    fields = ("date", "kind", "name")
    extra = 3


@admin.register(WorkdayArrangement)
class WorkdayArrangementAdmin(admin.ModelAdmin):
    list_display = ("year", "is_complete", "holiday_count", "workday_count", "source", "entered_by", "created_at")
    list_filter = ("is_complete",)
    search_fields = ("year", "source")
    fields = ("year", "is_complete", "source", "entered_by", "created_at", "updated_at")
    readonly_fields = ("entered_by", "created_at", "updated_at")
    list_select_related = ("entered_by",)
    inlines = [SpecialDayInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                holiday_total=Count("days", filter=Q(days__kind=SpecialDay.Kind.HOLIDAY)),
                workday_total=Count("days", filter=Q(days__kind=SpecialDay.Kind.WORKDAY)),
            )
        )

    @admin.display(description=_("放假天数"), ordering="holiday_total")
    def holiday_count(self, arrangement: WorkdayArrangement) -> int:
        return arrangement.holiday_total

    @admin.display(description=_("调休上班天数"), ordering="workday_total")
    def workday_count(self, arrangement: WorkdayArrangement) -> int:
        return arrangement.workday_total

    def save_model(self, request, obj: WorkdayArrangement, form, change: bool) -> None:
        if not change:
            obj.entered_by = request.user
        super().save_model(request, obj, form, change)
