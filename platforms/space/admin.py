"""Admin of the space platform: for reading and correcting; writes with rules go through the pages and API."""

from django.contrib import admin

from common.admin import ReadOnlyHistoryAdmin
from platforms.admin import ProposalAdmin
from platforms.space.models import CustomBuildCase, Lease, SpaceDemand, SpaceListing, SpaceProposal


@admin.register(SpaceListing)
class SpaceListingAdmin(ReadOnlyHistoryAdmin):
    list_display = ["title", "owner", "kind", "area_m2", "district", "state"]
    list_filter = ["kind", "state", "district"]
    search_fields = ["title", "owner__name"]
    raw_id_fields = ["owner", "created_by"]


@admin.register(SpaceDemand)
class SpaceDemandAdmin(ReadOnlyHistoryAdmin):
    list_display = ["enterprise", "kind", "area_min_m2", "area_max_m2", "needed_from", "state"]
    list_filter = ["kind", "state"]
    raw_id_fields = ["enterprise", "created_by"]


@admin.register(SpaceProposal)
class SpaceProposalAdmin(ProposalAdmin):
    sides = ["listing", "demand"]


@admin.register(Lease)
class LeaseAdmin(ReadOnlyHistoryAdmin):
    list_display = ["listing", "tenant", "area_m2", "starts_on", "ends_on"]
    date_hierarchy = "starts_on"
    raw_id_fields = ["listing", "tenant", "proposal", "recorded_by"]


@admin.register(CustomBuildCase)
class CustomBuildCaseAdmin(ReadOnlyHistoryAdmin):
    list_display = ["land", "builder", "tenant", "state", "delivered_on"]
    list_filter = ["state"]
    raw_id_fields = ["land", "builder", "tenant"]
    readonly_fields = ["state", "version"]
