"""Admin of the labour platform: for reading and correcting; writes with rules go through the pages and API."""

from django.contrib import admin

from common.admin import ReadOnlyHistoryAdmin
from platforms.admin import ProposalAdmin
from platforms.labour.models import LabourPosting, LabourProposal, Transfer


@admin.register(LabourPosting)
class LabourPostingAdmin(ReadOnlyHistoryAdmin):
    list_display = ["enterprise", "kind", "count", "starts_on", "ends_on", "state"]
    list_filter = ["kind", "state"]
    search_fields = ["enterprise__name"]
    raw_id_fields = ["enterprise", "created_by"]


@admin.register(LabourProposal)
class LabourProposalAdmin(ProposalAdmin):
    sides = ["surplus", "demand"]


@admin.register(Transfer)
class TransferAdmin(ReadOnlyHistoryAdmin):
    list_display = ["from_enterprise", "to_enterprise", "count", "starts_on", "ends_on"]
    date_hierarchy = "starts_on"
    search_fields = ["from_enterprise__name", "to_enterprise__name"]
    raw_id_fields = ["from_enterprise", "to_enterprise", "proposal", "surplus_posting", "demand_posting", "recorded_by"]
