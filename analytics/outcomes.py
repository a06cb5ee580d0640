"""The outcomes of the policy and platform apps, as the monthly rows and the dashboards show them.

Each app states its own figures (``platforms.financing.figures``, ``platforms.labour.figures`` …:
which records count, by which date, in which district); this module only asks them, for a
period or to date, for the zone and for every district at once (one query per figure, whatever
the number of districts), and turns 万元 into 亿元 where the metric says 亿元. A record counts
by its own date, so a past month's outcomes never move when later records are added.
"""

import datetime
from decimal import Decimal

from django.core.cache import cache
from django.utils import timezone

from analytics.aggregates import Period
from analytics.metrics import Kind, metric
from common.periods import local_zone
from platforms.financing import figures as financing
from platforms.labour import figures as labour
from platforms.procurement import figures as procurement
from platforms.service_projects import figures as service_projects
from platforms.service_projects.models import Kind as ServiceKind
from platforms.space import figures as space
from policies.funding import figures as funding
from policies.models import PolicyLevel

# The metric keys filled here (analytics.metrics); the rest of UNAVAILABLE_KEYS stays 不可用.
OUTCOME_KEYS = (
    "support_funds",
    "support_funds_central",
    "support_funds_municipal",
    "support_funds_local",
    "financing_credit",
    "financing_loans",
    "financing_extensions",
    "financing_reloans",
    "worker_transfers",
    "space_leases",
    "in_zone_purchasing",
    "platform_proposals",
    "platform_agreed",
)


def period_dates(period: Period) -> tuple[datetime.date, datetime.date]:
    """The period's first and last day, both inclusive (the last is today for the month so far)."""
    if period.is_partial:
        return period.month.first_day, timezone.localdate(period.end, timezone=local_zone())
    return period.month.first_day, period.month.last_day


def _yi(amount) -> float:
    return float(financing.to_yi(amount or Decimal("0")))


def outcomes_by_district(*, date_from: datetime.date | None, date_to: datetime.date) -> dict:
    """``{district id or None (the zone): {metric key: value}}`` for the window."""
    money = financing.amounts_by_district(date_from=date_from, date_to=date_to)
    funds = funding.funds_by_district(start=date_from, end=date_to)
    transfers = labour.transfers_by_district(date_from=date_from, date_to=date_to)
    leases = space.leases_by_district(date_from=date_from, date_to=date_to)
    purchasing = procurement.purchasing_by_district(start=date_from, end=date_to)
    proposals = [
        labour.proposals_by_district(date_from=date_from, date_to=date_to),
        space.proposals_by_district(date_from=date_from, date_to=date_to),
        procurement.proposals_by_district(start=date_from, end=date_to),
    ]
    districts = set().union(*money.values(), funds, transfers, leases, purchasing, *proposals) - {None}

    def values(district_ids) -> dict:
        def total_amount(key):
            return sum((money[key][d].amount for d in district_ids if d in money[key]), Decimal("0"))

        def total(source, field):
            return sum(source[d][field] for d in district_ids if d in source)

        def paid(*levels):
            return float(sum((funds[d][level] for d in district_ids if d in funds for level in levels), Decimal("0")))

        return {
            "support_funds": paid(*PolicyLevel.values),
            "support_funds_central": paid(PolicyLevel.CENTRAL),
            "support_funds_municipal": paid(PolicyLevel.MUNICIPAL),
            "support_funds_local": paid(PolicyLevel.DISTRICT, PolicyLevel.ZONE),
            "financing_credit": _yi(total_amount("credit")),
            "financing_loans": _yi(total_amount("loans")),
            "financing_extensions": _yi(total_amount("extensions")),
            "financing_reloans": _yi(total_amount("reloans")),
            "worker_transfers": sum(transfers.get(d, 0) for d in district_ids),
            "space_leases": total(leases, "count"),
            "in_zone_purchasing": float(total(purchasing, "amount")),
            "platform_proposals": sum(total(source, "made") for source in proposals),
            "platform_agreed": sum(total(source, "agreed") for source in proposals),
        }

    everything = districts | {None}
    result = {None: values(everything)}
    for district_id in districts:
        result[district_id] = values({district_id})
    return result


def period_outcomes(period: Period) -> dict:
    """``outcomes_by_district`` for a month (or the month so far)."""
    first, last = period_dates(period)
    return outcomes_by_district(date_from=first, date_to=last)


def empty_outcomes() -> dict:
    """The outcomes of a district with no record in the period."""
    return {key: 0.0 if metric(key).kind == Kind.AMOUNT else 0 for key in OUTCOME_KEYS}


# --- The cumulative outcomes panel of the dashboards ------------------------------------------


def _column(*, date_from: datetime.date | None, date_to: datetime.date, district_id: int | None) -> dict:
    """Every outcome of the window as the panel shows it (万元 as recorded, 亿元 for financing)."""
    window = {"date_from": date_from, "date_to": date_to, "district_id": district_id}
    funds = funding.funds_disbursed(start=date_from, end=date_to, district_id=district_id)
    services = service_projects.service_figures(**window)
    return {
        "funds": {
            "total": funds.total,
            "enterprises": funds.enterprises,
            "central": funds.by_level[PolicyLevel.CENTRAL],
            "municipal": funds.by_level[PolicyLevel.MUNICIPAL],
            "local": funds.by_level[PolicyLevel.DISTRICT] + funds.by_level[PolicyLevel.ZONE],
        },
        "credit": financing.credit_granted(**window),
        "loans": financing.loans_granted(**window),
        "extensions": financing.extensions_granted(**window),
        "reloans": financing.reloans_granted(**window),
        "matchmaking": financing.matchmaking(**window),
        "services": [
            {"label": ServiceKind(kind).label, "figure": services[kind]}
            for kind in ServiceKind.values
            if kind in services
        ],
        "transfers": labour.transfer_person_times(**window),
        "purchasing": procurement.in_zone_purchasing(start=date_from, end=date_to, district_id=district_id),
        "leases": space.lease_totals(**window),
    }


def cumulative_outcomes(*, district_id: int | None = None, today: datetime.date | None = None) -> dict:
    """To date and this year, for the zone or one district: ``{"to_date": column, "this_year": column}``.

    Cached for ten minutes per district and day: the figures move only when a record is added,
    and the key names the scope it was computed for (the zone, or that one district).
    """
    today = today or timezone.localdate(timezone=local_zone())
    key = f"analytics:outcomes:{district_id or 'zone'}:{today.isoformat()}"
    found = cache.get(key)
    if found is None:
        found = {
            "today": today,
            "to_date": _column(date_from=None, date_to=today, district_id=district_id),
            "this_year": _column(date_from=today.replace(month=1, day=1), date_to=today, district_id=district_id),
        }
        cache.set(key, found, OUTCOMES_CACHE_SECONDS)
    return found


OUTCOMES_CACHE_SECONDS = 600
