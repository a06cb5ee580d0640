"""Admin of the ledger.

Categories (time limits per level) and response templates are edited here.
Issues are read-only: their state changes only through ``issues.services``
(the pages and the API), so that every change leaves an IssueEvent. Events are
append-only: nobody may add, change or delete one here, not even a superuser.
"""

from django.contrib import admin

from common.admin import ReadOnlyAdminMixin, ReadOnlyHistoryAdmin
from issues.models import Attachment, Category, ExtensionRequest, Feedback, Issue, IssueEvent, ResponseTemplate


class ResponseTemplateInline(admin.TabularInline):
    model = ResponseTemplate
    extra = 0
    fields = ["title", "body", "is_active"]


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "default_bureau", "grid_days", "bureau_days", "task_force_days"]
    list_editable = ["grid_days", "bureau_days", "task_force_days"]
    list_select_related = ["default_bureau"]
    search_fields = ["code", "name"]
    inlines = [ResponseTemplateInline]


@admin.register(ResponseTemplate)
class ResponseTemplateAdmin(admin.ModelAdmin):
    list_display = ["title", "category", "is_active", "updated_at"]
    list_filter = ["is_active", "category"]
    list_select_related = ["category"]
    search_fields = ["title", "body"]


class IssueEventInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = IssueEvent
    extra = 0
    fields = ["at", "actor", "action", "from_state", "to_state", "reason", "note", "is_internal"]
    readonly_fields = fields
    ordering = ["at", "id"]


class FeedbackInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Feedback
    extra = 0
    fields = ["at", "author", "rating", "comment"]
    readonly_fields = fields


class ExtensionInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = ExtensionRequest
    extra = 0
    fields = ["requested_at", "requested_by", "days", "reason", "state", "decided_by", "old_due_on", "new_due_on"]
    readonly_fields = fields


@admin.register(Issue)
class IssueAdmin(ReadOnlyAdminMixin, ReadOnlyHistoryAdmin):
    list_display = ["id", "title", "enterprise", "category", "level", "state", "due_on", "created_at"]
    list_filter = ["state", "level", "source", "category", "severity"]
    list_select_related = ["enterprise", "category"]
    search_fields = ["title", "enterprise__name"]
    date_hierarchy = "created_at"
    inlines = [IssueEventInline, ExtensionInline, FeedbackInline]


@admin.register(IssueEvent)
class IssueEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["id", "issue", "at", "actor", "action", "from_state", "to_state", "is_internal"]
    list_filter = ["action", "is_internal"]
    list_select_related = ["issue", "actor"]
    search_fields = ["issue__title", "reason", "note"]
    date_hierarchy = "at"


@admin.register(Feedback)
class FeedbackAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["issue", "rating", "author", "at"]
    list_filter = ["rating"]
    list_select_related = ["issue", "author"]


@admin.register(ExtensionRequest)
class ExtensionRequestAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["issue", "days", "state", "requested_by", "requested_at", "decided_by"]
    list_filter = ["state"]
    list_select_related = ["issue", "requested_by", "decided_by"]


@admin.register(Attachment)
class AttachmentAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["name", "issue", "size", "uploaded_by", "uploaded_at", "is_internal"]
    list_select_related = ["issue", "uploaded_by"]
    # Files are served only through the scope-checked view, never by a media URL.
    exclude = ["file"]
