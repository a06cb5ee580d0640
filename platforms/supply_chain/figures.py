"""The supply-chain platform's figures for the dashboards: database aggregates over a date window.

A recommendation counts on the day it was made, its deal on the day of the
outcome, so a past month never moves. ``start=None`` counts from the
beginning, ``end=None`` up to today; ``district_id`` is the district of the
firm recommended to.
"""

import datetime

from django.db.models import Count, Q

from platforms.procurement.figures import date_window, in_district
from platforms.supply_chain.models import Outcome, Recommendation


def recommendation_figures(
    *, start: datetime.date | None = None, end: datetime.date | None = None, district_id: int | None = None
) -> dict:
    """``{"made": int, "deals": int, "no_deals": int}`` — recommendations made, and outcomes reached, in the window."""
    totals = Recommendation.objects.filter(in_district("for_enterprise", district_id)).aggregate(
        made=Count("id", filter=date_window("recommended_on", start, end)),
        deals=Count("id", filter=Q(outcome=Outcome.DEAL) & date_window("outcome_on", start, end)),
        no_deals=Count("id", filter=Q(outcome=Outcome.NO_DEAL) & date_window("outcome_on", start, end)),
    )
    return {"made": totals["made"], "deals": totals["deals"], "no_deals": totals["no_deals"]}
