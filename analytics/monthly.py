"""The monthly analysis: every scope's metrics for a month, stored as snapshots, plus the Excel reports.

``monthly_rows`` computes the rows (one per zone, district, grid team, tier,
industry, bureau, issue category and officer) for a whole month or for the
month so far; ``monthly_analysis_run`` stores them for a finished month. The
rows are upserted on (month, scope type, scope id) and rows of scopes that
no longer exist are removed, so a rerun leaves exactly the same rows.
"""

import datetime
import logging
from collections.abc import Callable
from dataclasses import asdict, dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from analytics.aggregates import (
    ISSUE_GROUP,
    Period,
    empty_enterprise_metrics,
    empty_issue_metrics,
    enterprise_metrics,
    enterprise_metrics_by,
    issue_metrics,
    issue_metrics_by,
)
from analytics.evaluation import officer_metrics, score
from analytics.metrics import BUREAU_BREAKDOWN_KEYS, CATEGORY_BREAKDOWN_KEYS, UNAVAILABLE_KEYS, Dimension
from analytics.models import ZONE_SCOPE_ID, MonthlyReport
from analytics.outcomes import empty_outcomes, period_outcomes
from common.periods import Month
from enterprises.models import Enterprise, Industry, Tier
from grids.models import Bureau, District, GridTeam, Zone
from issues.models import Category, Issue

logger = logging.getLogger(__name__)

Progress = Callable[[str], None]
UNCATEGORISED = "none"


@dataclass
class ReportRow:
    scope_type: str
    scope_id: str
    scope_name: str
    metrics: dict
    parent_name: str = ""
    district_id: int | None = None

    def as_dict(self) -> dict:
        return asdict(self)


def _silent(message: str) -> None:
    logger.debug("monthly analysis: %s", message)


def monthly_rows(period: Period, *, progress: Progress | None = None) -> list[ReportRow]:
    """Every scope's metrics for ``period`` (a constant number of queries, whatever the data)."""
    step = progress or _silent
    weeks = len(period.tracking_weeks)
    unavailable = dict.fromkeys(UNAVAILABLE_KEYS)
    outcomes = period_outcomes(period)
    rows: list[ReportRow] = []

    def area(enterprise: dict | None, issues: dict | None, *, area_outcomes: dict | None = None) -> dict:
        """A row's metrics; the zone and district rows (``area_outcomes`` given) also carry the outcomes."""
        metrics = {**(enterprise or empty_enterprise_metrics(weeks=weeks)), **(issues or empty_issue_metrics())}
        if area_outcomes is not None:
            metrics.update(unavailable)
            metrics.update(area_outcomes)
        metrics["evaluation_score"] = score(metrics)
        return metrics

    # Each scan of the month's facts serves several rows (``_rolled_up``): the enterprises once for the
    # areas and tiers and once for the grid teams; the ledger once for the areas and tiers, once per
    # district, category and bureau, once for the grid teams. A grain of grid × tier × industry would
    # do it in one scan each but return tens of thousands of groups to add up in Python.
    step(_("园区汇总"))
    areas = (Dimension.ZONE, Dimension.DISTRICT, Dimension.TIER, Dimension.INDUSTRY)
    enterprises = {
        **enterprise_metrics_by(period, areas),
        **enterprise_metrics_by(period, (Dimension.GRID,)),
    }
    district_field = ISSUE_GROUP[Dimension.DISTRICT]
    bureau_field, category_field = ISSUE_GROUP[Dimension.BUREAU], ISSUE_GROUP[Dimension.CATEGORY]
    issues = {
        **issue_metrics_by(period, {dimension: ISSUE_GROUP[dimension] for dimension in areas}),
        **issue_metrics_by(
            period,
            {
                "district_category": (district_field, category_field),
                "district_bureau": (district_field, bureau_field),
                Dimension.BUREAU: bureau_field,
                Dimension.CATEGORY: category_field,
            },
        ),
        **issue_metrics_by(period, {Dimension.GRID: ISSUE_GROUP[Dimension.GRID]}),
    }
    zone = Zone.current()
    rows.append(
        ReportRow(
            Dimension.ZONE,
            ZONE_SCOPE_ID,
            zone.name if zone else settings.PORTAL_ZONE_NAME,
            area(
                enterprises[Dimension.ZONE].get(None),
                issues[Dimension.ZONE].get(None),
                area_outcomes=outcomes[None],
            ),
        )
    )

    step(_("片区"))
    by_district = enterprises[Dimension.DISTRICT]
    issues_by_district = issues[Dimension.DISTRICT]
    by_district_category = issues["district_category"]
    by_district_bureau = issues["district_bureau"]
    categories = dict(Category.objects.values_list("id", "name"))
    bureaus = dict(Bureau.objects.values_list("id", "name"))
    districts = list(District.objects.order_by("code").values("id", "name"))
    for district in districts:
        metrics = area(
            by_district.get(district["id"]),
            issues_by_district.get(district["id"]),
            area_outcomes=outcomes.get(district["id"]) or empty_outcomes(),
        )
        metrics["by_category"] = _breakdown(
            by_district_category, district["id"], categories, CATEGORY_BREAKDOWN_KEYS, keep_none=True
        )
        metrics["by_bureau"] = _breakdown(by_district_bureau, district["id"], bureaus, BUREAU_BREAKDOWN_KEYS)
        rows.append(
            ReportRow(Dimension.DISTRICT, str(district["id"]), district["name"], metrics, district_id=district["id"])
        )

    step(_("网格工作组"))
    by_grid = enterprises[Dimension.GRID]
    issues_by_grid = issues[Dimension.GRID]
    for grid in GridTeam.objects.order_by("code").values("id", "name", "district_id", "district__name"):
        rows.append(
            ReportRow(
                Dimension.GRID,
                str(grid["id"]),
                grid["name"],
                area(by_grid.get(grid["id"]), issues_by_grid.get(grid["id"])),
                parent_name=grid["district__name"],
                district_id=grid["district_id"],
            )
        )

    step(_("企业分类与行业"))
    for dimension, choices, keep_empty in (
        (Dimension.TIER, Tier.choices, True),
        (Dimension.INDUSTRY, Industry.choices, False),
    ):
        by_value = enterprises[dimension]
        issues_by_value = issues[dimension]
        for value, label in choices:
            if not keep_empty and value not in by_value and value not in issues_by_value:
                continue
            metrics = area(by_value.get(value), issues_by_value.get(value))
            del metrics["evaluation_score"]
            rows.append(ReportRow(dimension, value, str(label), metrics))

    step(_("承办科室与问题类别"))
    issues_by_bureau = issues[Dimension.BUREAU]
    for bureau_id, name in sorted(bureaus.items(), key=lambda item: item[1]):
        rows.append(
            ReportRow(Dimension.BUREAU, str(bureau_id), name, issues_by_bureau.get(bureau_id) or empty_issue_metrics())
        )
    issues_by_category = issues[Dimension.CATEGORY]
    for category_id, name in sorted(categories.items(), key=lambda item: item[1]):
        rows.append(
            ReportRow(
                Dimension.CATEGORY,
                str(category_id),
                name,
                issues_by_category.get(category_id) or empty_issue_metrics(),
            )
        )
    if None in issues_by_category:
        rows.append(ReportRow(Dimension.CATEGORY, UNCATEGORISED, _("未分类"), issues_by_category[None]))

    step(_("网格员量化评价"))
    for officer_id, officer in sorted(officer_metrics(period).items(), key=lambda item: item[1]["name"]):
        rows.append(
            ReportRow(
                Dimension.OFFICER,
                str(officer_id),
                officer["name"],
                officer["metrics"],
                parent_name=officer["grid_name"] or "",
                district_id=officer["district_id"],
            )
        )
    return rows


def district_tier_metrics(period: Period, district_id: int) -> list[dict]:
    """One district's figures per enterprise tier, every tier in order (the district report's
    企业分类 sheet, with the columns of the zone's): three queries, whatever the data.

    Asked for by the district workbook only, so the dashboards' live rows do not pay for it.
    """
    enterprises = enterprise_metrics(
        period, Dimension.TIER, enterprises=Enterprise.objects.filter(grid__district_id=district_id)
    )
    issues = issue_metrics(
        period, ISSUE_GROUP[Dimension.TIER], issues=Issue.objects.filter(enterprise__grid__district_id=district_id)
    )
    weeks = len(period.tracking_weeks)
    return [
        {
            "code": tier,
            "name": str(label),
            **(enterprises.get(tier) or empty_enterprise_metrics(weeks=weeks)),
            **(issues.get(tier) or empty_issue_metrics()),
        }
        for tier, label in Tier.choices
    ]


def _breakdown(grouped: dict, district_id: int, names: dict, keys: tuple, *, keep_none: bool = False) -> list[dict]:
    """One district's issues per category (or bureau), largest first, zero rows left out."""
    items = []
    for (row_district, item_id), metrics in grouped.items():
        if row_district != district_id or (item_id is None and not keep_none):
            continue
        if not any(metrics[key] for key in ("issues_opened", "issues_resolved", "issues_open")):
            continue
        name = names.get(item_id, _("未分类")) if item_id is not None else _("未分类")
        items.append({"id": item_id, "name": name, **{key: metrics[key] for key in keys}})
    return sorted(items, key=lambda item: (-item["issues_opened"], -item["issues_open"], item["name"]))


# --- Storing a finished month ---------------------------------------------------------


@dataclass
class MonthlyRunResult:
    month: Month
    rows: int
    removed: int
    workbooks: int


def monthly_analysis_run(*, month: Month, progress: Progress | None = None) -> MonthlyRunResult:
    """Compute and store ``month``'s snapshots and Excel reports; safe to run again.

    Only a finished month is stored: the current month is shown live ("so far").
    """
    from analytics.exports import workbooks_store

    if not month.has_ended():
        raise ValidationError(
            _("%(month)s 尚未结束，只能分析已结束的月份；本月数据见看板的“本月至今”。") % {"month": month},
            code="month_not_ended",
        )
    step = progress or _silent
    rows = monthly_rows(Period.whole(month), progress=step)
    step(_("保存快照"))
    with transaction.atomic():
        stored, removed = _store(month, rows)
    step(_("生成 Excel 报表"))
    workbooks = workbooks_store(month=month, rows=rows)
    return MonthlyRunResult(month=month, rows=stored, removed=removed, workbooks=workbooks)


def running_month_store(*, now: datetime.datetime | None = None) -> int | None:
    """Compute the running month so far and store it as provisional rows, for the dashboards to read.

    Returns the number of rows stored, or None when the month ended while they were computed (its
    final rows belong to the monthly job, which never finds a provisional row it did not replace).
    Provisional rows of earlier months (a month whose final run has not happened yet) are removed.
    """
    now = now or timezone.now()
    month = Month.of(timezone.localtime(now).date())
    rows = monthly_rows(Period.so_far(month, now))
    with transaction.atomic():
        final = MonthlyReport.objects.filter(month=month.first_day, provisional=False)
        if month.has_ended() or final.exists():
            return None
        stored, _removed = _store(month, rows, provisional=True, computed_at=now)
        MonthlyReport.objects.filter(provisional=True).exclude(month=month.first_day).delete()
    return stored


def _store(
    month: Month, rows: list[ReportRow], *, provisional: bool = False, computed_at: datetime.datetime | None = None
) -> tuple[int, int]:
    now = computed_at or timezone.now()
    objects = [
        MonthlyReport(
            month=month.first_day,
            scope_type=row.scope_type,
            scope_id=row.scope_id,
            scope_name=row.scope_name[:200],
            parent_name=row.parent_name[:200],
            district_id=row.district_id,
            metrics=row.metrics,
            position=position,
            computed_at=now,
            provisional=provisional,
        )
        for position, row in enumerate(rows)
    ]
    for report in objects:
        # The district ids were read from District in this run: not asked for again row by row.
        report.full_clean(exclude=["district"], validate_unique=False, validate_constraints=False)
    # An upsert on the natural key: a rerun updates the same rows (same ids), never adds.
    MonthlyReport.objects.bulk_create(
        objects,
        update_conflicts=True,
        unique_fields=["month", "scope_type", "scope_id"],
        update_fields=["scope_name", "parent_name", "district", "metrics", "position", "computed_at", "provisional"],
    )
    current = {(row.scope_type, row.scope_id) for row in rows}
    stale = [
        pk
        for pk, scope_type, scope_id in MonthlyReport.objects.filter(month=month.first_day).values_list(
            "pk", "scope_type", "scope_id"
        )
        if (scope_type, scope_id) not in current
    ]
    removed, _by_model = MonthlyReport.objects.filter(pk__in=stale).delete()
    return len(objects), removed
