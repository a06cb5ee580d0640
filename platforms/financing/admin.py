"""Admin: banks and events are maintained here too; the pipeline's rows are read-only history."""

from django.contrib import admin

from common.admin import ReadOnlyAdminMixin, ReadOnlyHistoryAdmin
from platforms.financing.models import Bank, CreditLine, FinancingNeed, Loan, LoanExtension, MatchmakingEvent, Referral


@admin.register(Bank)
class BankAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "branch", "contact_name", "contact_phone"]
    search_fields = ["name", "short_name"]


@admin.register(MatchmakingEvent)
class MatchmakingEventAdmin(admin.ModelAdmin):
    list_display = ["title", "held_on", "place"]
    date_hierarchy = "held_on"
    filter_horizontal = ["banks"]
    raw_id_fields = ["enterprises"]


@admin.register(FinancingNeed)
class FinancingNeedAdmin(ReadOnlyHistoryAdmin):
    list_display = ["enterprise", "amount", "term_months", "raised_on", "event"]
    raw_id_fields = ["enterprise", "event", "created_by"]
    list_select_related = ["enterprise", "event"]


@admin.register(Referral)
class ReferralAdmin(ReadOnlyAdminMixin, ReadOnlyHistoryAdmin):
    """States change only through the services (each step an event): read-only here."""

    list_display = ["need", "bank", "state", "referred_on"]
    list_filter = ["state", "bank"]
    list_select_related = ["need__enterprise", "bank"]


@admin.register(CreditLine, Loan)
class GrantedAdmin(admin.ModelAdmin):
    list_display = ["enterprise", "bank", "amount", "granted_on"]
    date_hierarchy = "granted_on"
    raw_id_fields = ["enterprise", "referral", "recorded_by"]
    list_select_related = ["enterprise", "bank"]


@admin.register(LoanExtension)
class LoanExtensionAdmin(admin.ModelAdmin):
    list_display = ["loan", "kind", "amount", "approved_on", "new_maturity_on"]
    date_hierarchy = "approved_on"
    raw_id_fields = ["loan", "recorded_by"]
    list_select_related = ["loan__enterprise", "loan__bank"]
