from django.contrib import admin

from common.admin import ReadOnlyHistoryAdmin
from platforms.admin import ProposalAdmin
from platforms.procurement.models import Deal, PurchaseNeed, PurchaseProposal, RetoolingCase


@admin.register(PurchaseNeed)
class PurchaseNeedAdmin(ReadOnlyHistoryAdmin):
    list_display = ["item", "buyer", "category", "quantity", "unit", "needed_by", "created_at"]
    list_filter = ["category"]
    search_fields = ["item", "buyer__name"]
    raw_id_fields = ["buyer", "posted_by"]


@admin.register(PurchaseProposal)
class PurchaseProposalAdmin(ProposalAdmin):
    sides = ["need", "supplier", "product"]
    search_fields = ["need__item", "supplier__name"]


@admin.register(Deal)
class DealAdmin(ReadOnlyHistoryAdmin):
    list_display = ["deal_on", "seller", "buyer", "item", "amount"]
    date_hierarchy = "deal_on"
    search_fields = ["item", "buyer__name", "seller__name"]
    raw_id_fields = ["buyer", "seller", "proposal", "recorded_by"]


@admin.register(RetoolingCase)
class RetoolingCaseAdmin(ReadOnlyHistoryAdmin):
    list_display = ["enterprise", "leader", "from_products", "to_products", "started_on", "state"]
    list_filter = ["state"]
    raw_id_fields = ["enterprise", "leader", "recorded_by"]
