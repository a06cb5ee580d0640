"""The outcomes of the policy and platform apps, as the monthly rows and the dashboards show them.

Each app states its own figures (``platforms.financing.figures``, ``platforms.labour.figures`` …:
which records count, by which date, in which district); this module only asks them, for a
period or to date, for the zone and for every district at once (one query per figure, whatever
the number of districts), and turns 万元 into 亿元 where the metric says 亿元. A record counts
by its own date, so a past month's outcomes never move when later records are added.

``OUTCOME_LINES`` is the one list of the article's outcome figures (累计成效) with their labels
and units: the dashboards' panel and the monthly workbook's sheet both print it.
"""

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from analytics.aggregates import Period
from analytics.metrics import Kind, metric
from common import excel
from common.periods import local_zone
from emergency.figures import IncidentFigures, incident_totals, incidents_declared
from emergency.models import AffectedEnterprise, Incident
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


# --- 累计成效: one registry of outcome lines, for the dashboards' panel and the workbook ----------


@dataclass(frozen=True)
class OutcomeLine:
    """One figure of the 累计成效 table: where it is read from a window's figures, and in what unit.

    ``read`` takes the figures of one window (``_window_figures``) and returns the value in
    ``unit``: 万元 as recorded, 亿元 for financing and savings (as officials write them).
    """

    key: str
    section: str
    label: str
    unit: str
    read: Callable[[dict], Decimal | int]
    is_amount: bool = False
    indent: bool = False
    strong: bool = False

    @property
    def digits(self) -> str:
        """The ``floatformat`` argument: 亿元 to two decimals, the rest whole with thousands grouped."""
        return "2g" if self.unit == YI else "0g"

    @property
    def excel_format(self) -> str:
        return excel.AMOUNT_FORMAT if self.is_amount else excel.INTEGER_FORMAT


YI, WAN = _("亿元"), _("万元")
FUNDS, FINANCE, SERVICES, PLATFORMS = _("支持资金"), _("金融服务"), _("纾困服务"), _("四大平台")


def _service(kind: str, field: str):
    return lambda figures: getattr(figures["services"][kind], field) or 0


OUTCOME_LINES: tuple[OutcomeLine, ...] = (
    OutcomeLine("funds-total", FUNDS, _("争取支持资金"), WAN, lambda f: f["funds"].total, True, strong=True),
    OutcomeLine("funds-enterprises", FUNDS, _("获得资金企业"), _("家"), lambda f: f["funds"].enterprises, indent=True),
    OutcomeLine(
        "funds-municipal",
        FUNDS,
        _("其中：市级信息化政策资金"),
        WAN,
        lambda f: f["funds"].by_level[PolicyLevel.MUNICIPAL],
        True,
        indent=True,
    ),
    OutcomeLine(
        "funds-local",
        FUNDS,
        _("区级及园区扶持资金"),
        WAN,
        lambda f: f["funds"].by_level[PolicyLevel.DISTRICT] + f["funds"].by_level[PolicyLevel.ZONE],
        True,
        indent=True,
    ),
    OutcomeLine(
        "funds-central",
        FUNDS,
        _("中央财政专项资金"),
        WAN,
        lambda f: f["funds"].by_level[PolicyLevel.CENTRAL],
        True,
        indent=True,
    ),
    OutcomeLine("matchmaking-banks", FINANCE, _("银企对接银行"), _("家"), lambda f: f["matchmaking"].banks),
    OutcomeLine("matchmaking-enterprises", FINANCE, _("银企对接企业"), _("家"), lambda f: f["matchmaking"].enterprises),
    OutcomeLine("credit", FINANCE, _("授信"), YI, lambda f: f["credit"].amount_yi, True),
    OutcomeLine("loans", FINANCE, _("贷款"), YI, lambda f: f["loans"].amount_yi, True),
    OutcomeLine("extensions", FINANCE, _("续贷展期"), _("笔"), lambda f: f["extensions"].count),
    OutcomeLine("extensions-amount", FINANCE, _("续贷展期金额"), YI, lambda f: f["extensions"].amount_yi, True),
    OutcomeLine("reloans-enterprises", FINANCE, _("央行专项再贷款企业"), _("家"), lambda f: f["reloans"].enterprises),
    OutcomeLine("reloans", FINANCE, _("央行专项再贷款"), YI, lambda f: f["reloans"].amount_yi, True),
    OutcomeLine("cloud", SERVICES, _("工业互联网上云企业"), _("家"), _service(ServiceKind.CLOUD, "enterprises")),
    OutcomeLine(
        "smart-upgrades", SERVICES, _("智能化改造项目"), _("项"), _service(ServiceKind.SMART_UPGRADE, "projects")
    ),
    OutcomeLine(
        "cost-saving",
        SERVICES,
        _("能源智管等节约成本"),
        YI,
        lambda f: financing.to_yi(f["services"][ServiceKind.COST_SAVING].value),
        True,
    ),
    OutcomeLine(
        "tax-confirmations",
        SERVICES,
        _("西部大开发鼓励类产业确认企业"),
        _("家"),
        _service(ServiceKind.TAX_CONFIRMATION, "enterprises"),
    ),
    OutcomeLine("tax-reduced", SERVICES, _("减少税费"), WAN, _service(ServiceKind.TAX_CONFIRMATION, "value"), True),
    OutcomeLine("live-stream-units", SERVICES, _("直播带货销量"), _("套"), _service(ServiceKind.LIVE_STREAM, "units")),
    OutcomeLine(
        "live-stream-sales", SERVICES, _("直播带货销售额"), WAN, _service(ServiceKind.LIVE_STREAM, "value"), True
    ),
    OutcomeLine(
        "schooling", SERVICES, _("解决高管子女入学企业"), _("家"), _service(ServiceKind.SCHOOLING, "enterprises")
    ),
    OutcomeLine("transfers", PLATFORMS, _("共享用工调剂"), _("人次"), lambda f: f["transfers"]),
    OutcomeLine("purchasing", PLATFORMS, _("园区内配成交"), WAN, lambda f: f["purchasing"]["amount"], True),
    OutcomeLine("purchasing-deals", PLATFORMS, _("园区内配成交笔数"), _("笔"), lambda f: f["purchasing"]["deals"]),
    OutcomeLine("leases", PLATFORMS, _("闲置载体租赁"), _("宗"), lambda f: f["leases"]["count"]),
    OutcomeLine("proposals", PLATFORMS, _("平台推荐匹配"), _("条"), lambda f: f["proposals"]["made"]),
    OutcomeLine("proposals-agreed", PLATFORMS, _("匹配达成"), _("条"), lambda f: f["proposals"]["agreed"]),
)


def _window_figures(*, date_from: datetime.date | None, date_to: datetime.date, district_id: int | None) -> dict:
    """Every figure the lines read, for one window (each app's own function: one or two queries each)."""
    window = {"date_from": date_from, "date_to": date_to, "district_id": district_id}
    proposals = [
        labour.labour_proposal_counts(**window),
        space.space_proposal_counts(**window),
        procurement.proposal_figures(start=date_from, end=date_to, district_id=district_id),
    ]
    return {
        "funds": funding.funds_disbursed(start=date_from, end=date_to, district_id=district_id),
        "credit": financing.credit_granted(**window),
        "loans": financing.loans_granted(**window),
        "extensions": financing.extensions_granted(**window),
        "reloans": financing.reloans_granted(**window),
        "matchmaking": financing.matchmaking(**window),
        "services": service_projects.service_figures(**window),
        "transfers": labour.transfer_person_times(**window),
        "purchasing": procurement.in_zone_purchasing(start=date_from, end=date_to, district_id=district_id),
        "leases": space.lease_totals(**window),
        "proposals": {key: sum(source[key] for source in proposals) for key in ("made", "agreed")},
    }


def outcome_values(*, date_from: datetime.date | None, date_to: datetime.date, district_id: int | None) -> dict:
    """``{line key: value}`` of every line in ``OUTCOME_LINES`` for the window (both ends inclusive)."""
    figures = _window_figures(date_from=date_from, date_to=date_to, district_id=district_id)
    return {line.key: line.read(figures) for line in OUTCOME_LINES}


@dataclass(frozen=True)
class OutcomeRow:
    line: OutcomeLine
    values: tuple  # one value per window, in the order the windows were asked for


def outcome_table(*, windows: Sequence[tuple[datetime.date | None, datetime.date]], district_id: int | None) -> list:
    """The lines with their value in each ``(date_from, date_to)`` window, for the zone or a district."""
    columns = [outcome_values(date_from=start, date_to=end, district_id=district_id) for start, end in windows]
    return [OutcomeRow(line, tuple(column[line.key] for column in columns)) for line in OUTCOME_LINES]


def cumulative_outcomes(*, district_id: int | None = None, today: datetime.date | None = None) -> dict:
    """The dashboards' panel, for the zone or one district: ``{"today", "rows", "funnel"}``, each
    row's ``values`` being (to date, this year), ``funnel`` the policy push funnel to date
    (``policies.funding.figures.policy_funnel``).

    The values are cached for ten minutes per district and day (the labels are not: they follow
    the reader's language): the figures move only when a record is added, and the key names the
    scope it was computed for (the zone, or that one district).
    """
    today = today or timezone.localdate(timezone=local_zone())
    key = f"analytics:outcome-lines:{district_id or 'zone'}:{today.isoformat()}"
    found = cache.get(key)
    if found is None:
        windows = ((None, today), (today.replace(month=1, day=1), today))
        found = {
            "values": {row.line.key: row.values for row in outcome_table(windows=windows, district_id=district_id)},
            "funnel": funding.policy_funnel(district_id=district_id),
        }
        cache.set(key, found, OUTCOMES_CACHE_SECONDS)
    funnel = found["funnel"]
    return {
        "today": today,
        "rows": [OutcomeRow(line, found["values"][line.key]) for line in OUTCOME_LINES],
        "funnel": [{"key": key, "label": label, "value": getattr(funnel, key)} for key, label in FUNNEL_STAGES],
    }


# The stages of the policy funnel as the panel labels them, in order.
FUNNEL_STAGES = (
    ("pushed", _("已推送")),
    ("read", _("已查看")),
    ("eligible", _("符合条件")),
    ("applied", _("已申报")),
    ("won", _("获支持")),
)


OUTCOMES_CACHE_SECONDS = 600


def month_outcomes(*, period: Period, district_id: int | None = None) -> dict:
    """The workbook's 累计成效 sheet: each line for the month (so far), the year to its end and to date.

    Every record counts by its own date, so a past month's sheet computed again gives the same figures.
    """
    first, last = period_dates(period)
    windows = ((first, last), (first.replace(month=1), last), (None, last))
    return {"last": last, "rows": outcome_table(windows=windows, district_id=district_id)}


# --- 应急事件: the incidents of the month, for the workbook -------------------------------------


def month_incidents(*, period: Period, district_id: int | None = None) -> list[IncidentFigures]:
    """Incidents declared in the month (drills left out) with their totals; for a district, the totals
    of its affected enterprises only, and only the incidents that touched it."""
    first, last = period_dates(period)
    declared = incidents_declared(start=first, end=last)
    if district_id is None:
        return declared
    affected = AffectedEnterprise.objects.filter(grid__district_id=district_id)
    touched = set(
        affected.filter(incident_id__in=[item.incident_id for item in declared]).values_list("incident_id", flat=True)
    )
    incidents = Incident.objects.in_bulk(touched)
    return [
        replace(
            item,
            totals=incident_totals(
                incident=incidents[item.incident_id], rows=affected.filter(incident_id=item.incident_id)
            ),
        )
        for item in declared
        if item.incident_id in touched
    ]
