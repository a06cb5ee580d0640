"""Reads of the space platform, always through the user's scope.

The same rule as the labour platform: managers the zone; district leaders and grid
officers the listings and demands of their grids' firms and every proposal, lease or
custom-build case with one firm there; an enterprise user its own listings and demands
and what involves its firm. Bureau staff: nothing.
"""

from decimal import Decimal

from django.db.models import DecimalField, OuterRef, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from accounts.models import User
from platforms.scoping import scoped as _scoped
from platforms.space.models import CustomBuildCase, Lease, SpaceDemand, SpaceListing, SpaceProposal


def leased_area_subquery() -> Coalesce:
    return Coalesce(
        Subquery(
            Lease.objects.filter(listing=OuterRef("pk"))
            .order_by()
            .values("listing")
            .annotate(total=Sum("area_m2"))
            .values("total")[:1],
            output_field=DecimalField(max_digits=14, decimal_places=2),
        ),
        Decimal("0"),
        output_field=DecimalField(max_digits=14, decimal_places=2),
    )


def listings_visible(*, user: User) -> QuerySet[SpaceListing]:
    return _scoped(SpaceListing.objects.all(), user, "owner")


def listing_list(*, user: User, kind: str | None = None) -> QuerySet[SpaceListing]:
    qs = listings_visible(user=user).select_related("owner", "district").annotate(leased_area=leased_area_subquery())
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("-available_from", "-id")


def listing_get(*, user: User, pk: int) -> SpaceListing:
    return get_object_or_404(listing_list(user=user), pk=pk)


def demands_visible(*, user: User) -> QuerySet[SpaceDemand]:
    return _scoped(SpaceDemand.objects.all(), user, "enterprise")


def demand_list(*, user: User) -> QuerySet[SpaceDemand]:
    return (
        demands_visible(user=user)
        .select_related("enterprise__grid__district")
        .prefetch_related("preferred_districts")
        .order_by("-needed_from", "-id")
    )


def demand_get(*, user: User, pk: int) -> SpaceDemand:
    return get_object_or_404(demand_list(user=user), pk=pk)


def proposals_visible(*, user: User) -> QuerySet[SpaceProposal]:
    return _scoped(SpaceProposal.objects.all(), user, "demand__enterprise", "listing__owner")


def proposal_list(
    *, user: User, demand: SpaceDemand | None = None, listing: SpaceListing | None = None
) -> QuerySet[SpaceProposal]:
    qs = proposals_visible(user=user).select_related("demand__enterprise", "listing__owner", "listing__district")
    if demand is not None:
        qs = qs.filter(demand=demand)
    if listing is not None:
        qs = qs.filter(listing=listing)
    return qs.order_by("-score", "id")


def proposal_get(*, user: User, pk: int) -> SpaceProposal:
    return get_object_or_404(proposal_list(user=user), pk=pk)


def leases_visible(*, user: User) -> QuerySet[Lease]:
    return _scoped(Lease.objects.all(), user, "tenant", "listing__owner")


def lease_list(*, user: User) -> QuerySet[Lease]:
    return (
        leases_visible(user=user)
        .select_related("listing__owner", "listing__district", "tenant")
        .order_by("-starts_on", "-id")
    )


def lease_get(*, user: User, pk: int) -> Lease:
    return get_object_or_404(lease_list(user=user), pk=pk)


def custom_builds_visible(*, user: User) -> QuerySet[CustomBuildCase]:
    return _scoped(CustomBuildCase.objects.all(), user, "builder", "tenant", "land__owner")


def custom_build_list(*, user: User) -> QuerySet[CustomBuildCase]:
    return (
        custom_builds_visible(user=user)
        .select_related("land__owner", "land__district", "builder", "tenant")
        .order_by("-created_at", "-id")
    )


def custom_build_get(*, user: User, pk: int) -> CustomBuildCase:
    return get_object_or_404(custom_build_list(user=user), pk=pk)
