"""What the zone and district dashboards show, assembled from snapshot rows.

The view resolves the user's scope (zone, or one district through
``selectors.dashboard_district_get``) and the month; this module turns the
month's rows into KPI cards, chart series with their tables, the comparison
tables with heat levels, and the rankings. The number of queries is fixed:
the month's rows, the trend rows, the overdue issues, the pending tier
suggestions and the latest weekly close.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import User
from analytics import evaluation
from analytics.metrics import (
    COMPARISON_KEYS,
    KPI_KEYS,
    METRICS,
    TIER_KEYS,
    TREND_KEYS,
    TREND_RATE_KEYS,
    Dimension,
    Metric,
)
from analytics.outcomes import cumulative_outcomes
from analytics.selectors import latest_close, pending_suggestions, report_rows_visible, weekly_statuses_visible
from analytics.snapshots import MonthData, month_data, trend
from common.periods import Month, local_today
from grids.models import District, Zone
from issues import figures
from issues.selectors import issues_visible

OVERDUE_LIMIT = 10
TOP_CATEGORIES = 10
HEAT_LEVELS = 5
# A province's zone has thousands of grid teams and officers: past this many, its dashboard shows
# the best and the worst ENDS_SHOWN of each by score (the whole lists are on the district
# dashboards and in the month's workbook) instead of loading them all into a page of megabytes.
FULL_LIST_MAX = 100
ENDS_SHOWN = 15


@dataclass
class Cell:
    metric: Metric
    value: object
    heat: int | None = None


@dataclass
class ComparisonRow:
    name: str
    parent: str
    url: str
    cells: list[Cell]


@dataclass
class Dashboard:
    month: Month
    data: MonthData
    title: str
    row: object | None
    kpis: list = field(default_factory=list)
    trend: dict = field(default_factory=dict)
    comparison_metrics: list = field(default_factory=list)
    districts: list = field(default_factory=list)
    districts_total: int = 0
    grids: list = field(default_factory=list)
    grids_total: int = 0
    tiers: list = field(default_factory=list)
    categories: list = field(default_factory=list)
    bureaus: list = field(default_factory=list)
    officers: list = field(default_factory=list)
    officers_total: int = 0
    ends_shown: int = 0
    overdue: list = field(default_factory=list)
    overdue_count: int = 0
    overdue_url: str = ""
    suggestions: list = field(default_factory=list)
    suggestion_count: int = 0
    weekly: dict | None = None
    weights: list = field(default_factory=list)
    outcomes: dict | None = None

    def charts(self) -> dict:
        """The series the ECharts code draws (the same numbers as the tables beside the charts)."""
        labels = {
            "opened": _("新增问题"),
            "resolved": _("办结问题"),
            "overdue": _("超期问题"),
            "open": _("未销号问题"),
        }

        def issues(items: list[dict]) -> dict:
            return {
                "names": [str(item["name"]) for item in items],
                "series": [
                    {"key": key, "name": str(labels[key]), "data": [item.get(f"issues_{key}") or 0 for item in items]}
                    for key in ("opened", "resolved", "overdue")
                ],
            }

        return {
            "trend": self.trend.get("chart", {}),
            "tiers": [{"name": tier["name"], "value": tier["value"]} for tier in self.tiers],
            "categories": issues(self.categories),
            "bureaus": issues(self.bureaus),
        }


def zone_dashboard(*, user: User, month: Month) -> Dashboard:
    data = month_data(month, leave_out=(Dimension.DISTRICT, Dimension.GRID, Dimension.OFFICER))
    zone = data.get(Dimension.ZONE, "zone")
    board = Dashboard(month=month, data=data, title=zone.scope_name if zone else _zone_name(), row=zone)
    _common(board, user=user, scope_type=Dimension.ZONE, scope_id="zone")
    board.ends_shown = ENDS_SHOWN
    best, worst, board.districts_total = data.ranked(Dimension.DISTRICT, whole_up_to=FULL_LIST_MAX, ends=ENDS_SHOWN)
    board.districts = comparison_rows(best + worst, link="analytics:district_detail")
    best, worst, board.grids_total = data.ranked(Dimension.GRID, whole_up_to=FULL_LIST_MAX, ends=ENDS_SHOWN)
    board.grids = comparison_rows(best + worst, link="analytics:grid_detail")
    board.tiers = _tiers(zone)
    board.categories = _top(
        [{"name": row.scope_name, **row.metrics} for row in data.of_type(Dimension.CATEGORY)], TOP_CATEGORIES
    )
    board.bureaus = _top([{"name": row.scope_name, **row.metrics} for row in data.of_type(Dimension.BUREAU)], None)
    best, worst, board.officers_total = data.ranked(Dimension.OFFICER, whole_up_to=FULL_LIST_MAX, ends=ENDS_SHOWN)
    board.officers = officer_ranking(best) + officer_ranking(worst, first_rank=board.officers_total - len(worst) + 1)
    board.overdue_url = reverse("issues:ledger") + "?overdue=true"
    _overdue(board, issues_visible(user=user))
    board.outcomes = cumulative_outcomes()
    return board


def _zone_name() -> str:
    """The zone's name when the month has no zone row to carry it (the name the monthly job stores)."""
    zone = Zone.current()
    return zone.name if zone else settings.PORTAL_ZONE_NAME


def district_dashboard(*, user: User, district: District, month: Month) -> Dashboard:
    stored = report_rows_visible(user=user).filter(district=district)
    data = month_data(month, stored=stored)
    row = data.get(Dimension.DISTRICT, district.pk)
    board = Dashboard(month=month, data=data, title=district.name, row=row)
    _common(board, user=user, scope_type=Dimension.DISTRICT, scope_id=district.pk, district=district)
    board.grids = comparison_rows(data.of_type(Dimension.GRID), link="analytics:grid_detail")
    board.tiers = _tiers(row)
    metrics = row.metrics if row else {}
    board.categories = _top(metrics.get("by_category", []), TOP_CATEGORIES)
    board.bureaus = _top(metrics.get("by_bureau", []), None)
    board.officers = officer_ranking(data.of_type(Dimension.OFFICER))
    board.overdue_url = reverse("issues:ledger") + f"?overdue=true&district={district.pk}"
    _overdue(board, issues_visible(user=user).filter(enterprise__grid__district=district))
    board.outcomes = cumulative_outcomes(district_id=district.pk)
    return board


def _common(board: Dashboard, *, user: User, scope_type: str, scope_id, district: District | None = None) -> None:
    points = trend(scope_type=scope_type, scope_id=scope_id, month=board.month, current=board.data)
    board.trend = _trend_chart(points)
    previous = points[-2][1] if len(points) > 1 else None
    metrics = board.row.metrics if board.row else {}
    board.kpis = [
        {"metric": METRICS[key], "value": metrics.get(key), "previous": (previous or {}).get(key)} for key in KPI_KEYS
    ]
    board.comparison_metrics = [METRICS[key] for key in COMPARISON_KEYS]
    suggestions = pending_suggestions(user=user)
    if district is not None:
        suggestions = suggestions.filter(enterprise__grid__district=district)
    board.suggestions = list(suggestions[:5])
    board.suggestion_count = suggestions.count()
    board.weekly = _weekly(user=user, district=district)
    board.weights = evaluation.weights_table()


def _trend_chart(points: list) -> dict:
    labels = [str(point) for point, _metrics in points]
    counts = [
        {"key": key, "name": str(METRICS[key].label), "data": [(m or {}).get(key) for _p, m in points]}
        for key in TREND_KEYS
    ]
    rates = [
        {
            "key": key,
            "name": str(METRICS[key].label),
            "data": [None if (m or {}).get(key) is None else round(m[key] * 100, 1) for _p, m in points],
        }
        for key in TREND_RATE_KEYS
    ]
    table = [
        {"month": point, "metrics": metrics or {}, "missing": metrics is None} for point, metrics in reversed(points)
    ]
    return {
        "chart": {"months": labels, "counts": counts, "rates": rates},
        "table": table,
        "metrics": [METRICS[key] for key in (*TREND_KEYS, *TREND_RATE_KEYS)],
    }


def comparison_rows(rows: list, *, link: str | None = None) -> list[ComparisonRow]:
    """Rows × comparison metrics, each cell with a heat level 0 (worst) … 4 (best) within its column."""
    result = [
        ComparisonRow(
            name=row.scope_name,
            parent=row.parent_name,
            url=reverse(link, args=[row.scope_id]) if link else "",
            cells=[Cell(METRICS[key], row.metrics.get(key)) for key in COMPARISON_KEYS],
        )
        for row in rows
    ]
    for index, key in enumerate(COMPARISON_KEYS):
        metric = METRICS[key]
        if metric.higher_is_better is None:
            continue
        values = [item.cells[index].value for item in result if item.cells[index].value is not None]
        if len(values) < 2 or max(values) == min(values):
            continue
        low, high = min(values), max(values)
        for item in result:
            cell = item.cells[index]
            if cell.value is None:
                continue
            position = (cell.value - low) / (high - low)
            if not metric.higher_is_better:
                position = 1 - position
            cell.heat = min(HEAT_LEVELS - 1, int(position * HEAT_LEVELS))
    return result


def _tiers(row) -> list[dict]:
    metrics = row.metrics if row else {}
    return [{"key": key, "name": str(METRICS[key].label), "value": metrics.get(key) or 0} for key in TIER_KEYS]


def _top(items: list[dict], limit: int | None) -> list[dict]:
    ranked = sorted(items, key=lambda item: (-(item.get("issues_opened") or 0), -(item.get("issues_open") or 0)))
    ranked = [item for item in ranked if item.get("issues_opened") or item.get("issues_open")]
    return ranked[:limit] if limit else ranked


def officer_ranking(rows: list, *, first_rank: int = 1) -> list[dict]:
    """Best evaluation score first, the unscored last, then by name; ranked from ``first_rank``."""
    scored = sorted(
        rows,
        key=lambda row: (
            row.metrics.get("evaluation_score") is None,
            -(row.metrics.get("evaluation_score") or 0),
            row.scope_name,
        ),
    )
    return [
        {"rank": index, "row": row, "url": reverse("analytics:officer_detail", args=[row.scope_id])}
        for index, row in enumerate(scored, start=first_rank)
    ]


def _overdue(board: Dashboard, issues) -> None:
    today = local_today()
    # ``figures.behind`` reads the ledger-order index (``issue_ledger_order``), soonest deadline first.
    overdue = issues.filter(figures.behind(today=today))
    board.overdue_count = overdue.count()
    # The deadline that was missed: the response clock for a submitted issue, else the handling clock.
    board.overdue = list(
        overdue.select_related("enterprise__grid", "bureau", "handler", "category")
        .annotate(deadline=F("running_deadline"))
        .order_by("running_deadline", "pk")[:OVERDUE_LIMIT]
    )


def _weekly(*, user: User, district: District | None) -> dict | None:
    close = latest_close()
    if close is None:
        return None
    statuses = weekly_statuses_visible(user=user, close=close)
    if district is not None:
        statuses = statuses.filter(grid__district=district)
    counts = statuses.aggregate(expected=Count("pk"), tracked=Count("pk", filter=Q(tracked=True)))
    counts["missed"] = counts["expected"] - counts["tracked"]
    return {"close": close, **counts}


def months_with_snapshots(*, user: User) -> list[Month]:
    """Months that have a stored analysis the user may read, newest first (for the month picker)."""
    dates = (
        report_rows_visible(user=user)
        .filter(provisional=False)
        .values_list("month", flat=True)
        .distinct()
        .order_by("-month")[:36]
    )
    return [Month.of(day) for day in dates]
