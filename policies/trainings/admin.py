from django.contrib import admin

from policies.trainings.models import Registration, TrainingSession


@admin.register(TrainingSession)
class TrainingSessionAdmin(admin.ModelAdmin):
    list_display = ["topic", "starts_at", "place", "capacity", "organiser"]
    search_fields = ["topic", "place"]
    filter_horizontal = ["policies"]
    readonly_fields = ["checkin_token"]


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    """Read-only: seats and the waitlist change through the services only."""

    list_display = ["attendee_name", "enterprise", "session", "state", "registered_at", "checked_in_at"]
    list_filter = ["state"]
    search_fields = ["attendee_name", "attendee_phone", "enterprise__name"]
    list_select_related = ["enterprise", "session"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
