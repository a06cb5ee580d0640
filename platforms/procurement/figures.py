"""The procurement platform's figures for the dashboards: database aggregates over a date window.

Each record counts on its own date (a deal on its ``deal_on``, a proposal on the
day it was made or decided, a retooling case on ``started_on``), so a past
month's figures never move. ``start=None`` counts from the beginning ("to
date"), ``end=None`` up to today; ``district_id`` limits to one district (the
buyer's for purchasing and proposals, the retooled firm's for cases). These are
zone figures: the dashboard decides who sees which district.
"""

import datetime
from decimal import Decimal

from django.db.models import Count, F, Q, Sum
from django.utils import timezone

from common import periods
from platforms.matching import proposals_made_and_agreed
from platforms.procurement.models import Deal, PurchaseProposal, RetoolingCase


def date_window(field: str, start: datetime.date | None, end: datetime.date | None) -> Q:
    """``common.periods.date_window``, except that a window without an end ends today."""
    return periods.date_window(field, start, end or timezone.localdate())


def in_district(field: str, district_id: int | None) -> Q:
    return Q(**{f"{field}__grid__district_id": district_id}) if district_id is not None else Q()


def in_zone_purchasing(
    *, start: datetime.date | None = None, end: datetime.date | None = None, district_id: int | None = None
) -> dict:
    """``{"deals": int, "amount": Decimal}`` — in-zone deals and their amount in 万元, by deal date."""
    totals = Deal.objects.filter(date_window("deal_on", start, end) & in_district("buyer", district_id)).aggregate(
        deals=Count("id"), amount=Sum("amount")
    )
    return {"deals": totals["deals"], "amount": totals["amount"] or Decimal("0.00")}


def proposal_figures(
    *, start: datetime.date | None = None, end: datetime.date | None = None, district_id: int | None = None
) -> dict:
    """``{"made": int, "agreed": int}`` — proposals made (by the day made) and agreed (by the day agreed)."""
    totals = PurchaseProposal.objects.filter(in_district("need__buyer", district_id)).aggregate(
        **proposals_made_and_agreed(start, end or timezone.localdate())
    )
    return {"made": totals["made"], "agreed": totals["agreed"]}


def retooling_figures(
    *, start: datetime.date | None = None, end: datetime.date | None = None, district_id: int | None = None
) -> dict:
    """``{"cases": int, "leaders": int}`` — retooling cases started in the window and the leaders they supply."""
    totals = RetoolingCase.objects.filter(
        date_window("started_on", start, end) & in_district("enterprise", district_id)
    ).aggregate(cases=Count("id"), leaders=Count("leader", distinct=True))
    return {"cases": totals["cases"], "leaders": totals["leaders"]}


def purchasing_by_district(*, start: datetime.date | None = None, end: datetime.date | None = None) -> dict:
    """``{district id: {"deals", "amount"}}`` as ``in_zone_purchasing`` (the buyer's district), in one query."""
    rows = (
        Deal.objects.filter(date_window("deal_on", start, end))
        .order_by()
        .values(district=F("buyer__grid__district_id"))
        .annotate(deals=Count("id"), amount=Sum("amount"))
    )
    return {row["district"]: {"deals": row["deals"], "amount": row["amount"] or Decimal("0.00")} for row in rows}


def proposals_by_district(*, start: datetime.date | None = None, end: datetime.date | None = None) -> dict:
    """``{district id: {"made", "agreed"}}`` as ``proposal_figures`` (the buyer's district), in one query."""
    rows = (
        PurchaseProposal.objects.order_by()
        .values(district=F("need__buyer__grid__district_id"))
        .annotate(**proposals_made_and_agreed(start, end or timezone.localdate()))
    )
    return {row["district"]: {"made": row["made"], "agreed": row["agreed"]} for row in rows}
