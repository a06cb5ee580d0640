"""Figures of the space platform for the dashboards: database aggregates by date window.

A lease counts on its start date, a proposal on the day it was made (agreed: the day
it was agreed), so a past month never moves. Windows are inclusive; ``date_from=None``
means to date. ``district_id`` is the district where the space lies.
"""

import datetime
from decimal import Decimal

from django.db.models import Count, F, Sum
from django.db.models.functions import Coalesce

from common.periods import date_window
from platforms.matching import proposals_made_and_agreed
from platforms.space.models import CustomBuildCase, Lease, SpaceProposal


def lease_totals(
    *, date_from: datetime.date | None = None, date_to: datetime.date | None = None, district_id: int | None = None
) -> dict:
    """``{"count": int, "area_m2": Decimal}``: leases starting in the window."""
    leases = Lease.objects.filter(date_window("starts_on", date_from, date_to))
    if district_id is not None:
        leases = leases.filter(listing__district_id=district_id)
    return leases.aggregate(count=Count("pk"), area_m2=Coalesce(Sum("area_m2"), Decimal("0")))


def space_proposal_counts(
    *, date_from: datetime.date | None = None, date_to: datetime.date | None = None, district_id: int | None = None
) -> dict[str, int]:
    """``{"made": …, "agreed": …}``: proposals made in the window, and proposals agreed in it."""
    proposals = SpaceProposal.objects.all()
    if district_id is not None:
        proposals = proposals.filter(listing__district_id=district_id)
    return proposals.aggregate(
        **proposals_made_and_agreed(date_from, date_to),
    )


def custom_builds_delivered(
    *, date_from: datetime.date | None = None, date_to: datetime.date | None = None, district_id: int | None = None
) -> int:
    """Custom-built plants delivered in the window (by delivery date)."""
    cases = CustomBuildCase.objects.filter(delivered_on__isnull=False).filter(
        date_window("delivered_on", date_from, date_to)
    )
    if district_id is not None:
        cases = cases.filter(land__district_id=district_id)
    return cases.count()


def leases_by_district(*, date_from: datetime.date | None = None, date_to: datetime.date | None = None) -> dict:
    """``{district id: {"count", "area_m2"}}`` as ``lease_totals``, every district in one query."""
    rows = (
        Lease.objects.filter(date_window("starts_on", date_from, date_to))
        .order_by()
        .values(district=F("listing__district_id"))
        .annotate(count=Count("pk"), area_m2=Coalesce(Sum("area_m2"), Decimal("0")))
    )
    return {row["district"]: {"count": row["count"], "area_m2": row["area_m2"]} for row in rows}


def proposals_by_district(*, date_from: datetime.date | None = None, date_to: datetime.date | None = None) -> dict:
    """``{district id: {"made", "agreed"}}`` as ``space_proposal_counts``, every district in one query."""
    rows = (
        SpaceProposal.objects.order_by()
        .values(district=F("listing__district_id"))
        .annotate(
            **proposals_made_and_agreed(date_from, date_to),
        )
    )
    return {row["district"]: {"made": row["made"], "agreed": row["agreed"]} for row in rows}
