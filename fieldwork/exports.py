"""Excel exports of visits and weekly tracking, written by ``common.excel``.

Both run as background jobs (``common.export_jobs``): the rows come from the
database in chunks and the write-only workbook streams each one to a
temporary file, so memory stays flat however many rows there are.
Findings and notes are what officers typed: ``common.excel`` writes them as
literal text, never as formulas.
"""

from collections.abc import Iterator

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, QueryDict
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from common.excel import AMOUNT_FORMAT, DATE_FORMAT, DATETIME_FORMAT, Column, choice_labels, local_naive, yes_no
from common.export_jobs import ExportKind, filtered
from enterprises.models import Tier
from fieldwork import selectors
from fieldwork.filters import VisitFilter, WeeklyTrackingFilter
from fieldwork.models import TRACKING_REPORT_FIELDS, VISIT_REPORT_FIELDS, ContactMode, Trend, Visit, WeeklyTracking

CHUNK_SIZE = 2000


def _require_reader(user: User) -> None:
    """Bureau staff and enterprise users have no field-work lists, nor their exports (404, as the pages)."""
    if not selectors.may_read_fieldwork(user=user):
        raise Http404


# Who the row is about and where it lies, as both exports show it.
ENTERPRISE_COLUMNS = (Column(_("企业名称"), 30), Column(_("统一社会信用代码"), 21))
PLACE_COLUMNS = (Column(_("片区"), 10), Column(_("网格"), 14))


# --- Visits ------------------------------------------------------------------

VISIT_COLUMNS = (
    Column(_("走访时间"), 17, DATETIME_FORMAT),
    *ENTERPRISE_COLUMNS,
    *PLACE_COLUMNS,
    Column(_("走访人"), 10),
    Column(_("走访方式"), 14),
    Column(_("接待人"), 14),
    Column(_("走访情况"), 40),
    Column(_("本月产值（万元）"), 16, AMOUNT_FORMAT),
    Column(_("订单趋势"), 9),
    Column(_("在岗人数"), 9),
    Column(_("产能利用率（%）"), 14),
    Column(_("存在困难"), 9),
    Column(_("发现问题数"), 10),
)


def visit_rows(visits: QuerySet[Visit]) -> Iterator[tuple]:
    """One tuple per visit, in the order of ``VISIT_COLUMNS``; read in chunks."""
    problem_count = (
        Visit.raised_issues.through.objects.filter(visit_id=OuterRef("pk"))
        .order_by()
        .values("visit_id")
        .annotate(count=Count("pk"))
        .values("count")
    )
    modes = choice_labels(ContactMode.choices)
    trends = choice_labels(Trend.choices)
    rows = (
        visits.order_by("-visited_at", "-id")
        .annotate(problem_count=Coalesce(Subquery(problem_count, output_field=IntegerField()), 0))
        .values_list(
            "visited_at",
            "enterprise__name",
            "enterprise__uscc",
            "enterprise__grid__district__name",
            "enterprise__grid__name",
            "officer__name",
            "officer__username",
            *VISIT_REPORT_FIELDS,
            "problem_count",
        )
    )
    for row in rows.iterator(chunk_size=CHUNK_SIZE):
        (visited_at, name, uscc, district, grid, officer_name, username, mode, met_with, findings) = row[:10]
        output_value, trend, employees, capacity_use, difficulties, problems = row[10:]
        yield (
            local_naive(visited_at),
            name,
            uscc,
            district,
            grid,
            officer_name or username,
            modes.get(mode, mode),
            met_with,
            findings,
            output_value,
            trends.get(trend, ""),
            employees,
            capacity_use,
            yes_no(difficulties),
            problems,
        )


def visits_select(*, user: User, params: QueryDict) -> QuerySet[Visit]:
    _require_reader(user)
    filterset = VisitFilter(params, queryset=selectors.visits_visible(user=user), user=user)
    return filtered(filterset)


VISITS_EXPORT = ExportKind(
    path=f"{__name__}.VISITS_EXPORT",
    label=_("走访记录"),
    columns=VISIT_COLUMNS,
    select=visits_select,
    rows=visit_rows,
)


# --- Weekly tracking ---------------------------------------------------------

TRACKING_COLUMNS = (
    Column(_("ISO周"), 10),
    Column(_("周一日期"), 12, DATE_FORMAT),
    *ENTERPRISE_COLUMNS,
    Column(_("企业分类"), 11),
    *PLACE_COLUMNS,
    Column(_("跟踪人"), 10),
    Column(_("跟踪时间"), 17, DATETIME_FORMAT),
    Column(_("跟踪方式"), 14),
    Column(_("本周产值（万元）"), 16, AMOUNT_FORMAT),
    Column(_("订单趋势"), 9),
    Column(_("在岗人数"), 9),
    Column(_("产能利用率（%）"), 14),
    Column(_("订单风险"), 9),
    Column(_("资金风险"), 9),
    Column(_("用工风险"), 9),
    Column(_("安全风险"), 9),
    Column(_("备注"), 40),
)


def tracking_rows(trackings: QuerySet[WeeklyTracking]) -> Iterator[tuple]:
    modes = choice_labels(ContactMode.choices)
    trends = choice_labels(Trend.choices)
    tiers = choice_labels(Tier.choices)
    rows = trackings.order_by("-week_start", "enterprise__name", "id").values_list(
        "iso_year",
        "iso_week",
        "week_start",
        "enterprise__name",
        "enterprise__uscc",
        "enterprise__tier",
        "enterprise__grid__district__name",
        "enterprise__grid__name",
        "officer__name",
        "officer__username",
        "tracked_at",
        *TRACKING_REPORT_FIELDS,
    )
    for row in rows.iterator(chunk_size=CHUNK_SIZE):
        (iso_year, iso_week, week_start, name, uscc, tier, district, grid, officer_name, username) = row[:10]
        tracked_at, mode, output_value, trend, employees, capacity_use = row[10:16]
        risks, note = row[16:20], row[20]
        yield (
            f"{iso_year}-W{iso_week:02d}",
            week_start,
            name,
            uscc,
            tiers.get(tier, tier),
            district,
            grid,
            officer_name or username,
            local_naive(tracked_at),
            modes.get(mode, mode),
            output_value,
            trends.get(trend, ""),
            employees,
            capacity_use,
            *(yes_no(risk) for risk in risks),
            note,
        )


def trackings_select(*, user: User, params: QueryDict) -> QuerySet[WeeklyTracking]:
    _require_reader(user)
    filterset = WeeklyTrackingFilter(params, queryset=selectors.trackings_visible(user=user), user=user)
    return filtered(filterset)


TRACKING_EXPORT = ExportKind(
    path=f"{__name__}.TRACKING_EXPORT",
    label=_("周跟踪"),
    columns=TRACKING_COLUMNS,
    select=trackings_select,
    rows=tracking_rows,
)
