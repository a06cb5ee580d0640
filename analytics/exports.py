"""The monthly Excel report (openpyxl): one workbook for the zone and one per district, built
here, stored by the monthly run (``workbooks_store``) and sent by the page and the API alike
(``workbook_response``).

Sheets of the zone workbook: 园区汇总 (every metric with unit and how it is
computed), 片区, 网格工作组, 企业分类, 行业, 问题类别, 承办科室, 网格员排名,
累计成效 (the lines of ``analytics.outcomes.OUTCOME_LINES``, as the dashboards'
panel shows them: the month, the year and to date) and 应急事件 (each incident
declared in the month with its totals). A district workbook has the same shape
limited to the district (its summary, its grid teams, its issues by category
and bureau, its officers, its outcomes, its share of each incident): a district
leader's report holds nothing of the other districts.

Every table is written by ``common.excel``: Chinese headers, a frozen header
row (and first column), set column widths, the shared number formats (an
amount's unit, 万元 or 亿元, named once: in its heading or the summary's unit
column), names as literal text, and where it adds up a 合计 row that is the
zone's (or district's) own snapshot row, so the totals equal the snapshot by
construction and the rows above can be checked against them.
"""

from collections.abc import Iterable, Sequence

from django.core.files.base import ContentFile
from django.db import transaction
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from analytics.aggregates import Period
from analytics.metrics import BUREAU_BREAKDOWN_KEYS, CATEGORY_BREAKDOWN_KEYS, METRICS, Dimension, metrics_for
from analytics.models import ReportWorkbook
from analytics.monthly import district_tier_metrics
from analytics.outcomes import month_incidents, month_outcomes
from analytics.selectors import report_rows_visible, workbook_get
from analytics.snapshots import month_data
from common.excel import INTEGER_FORMAT, Column, ExcelWorkbook, Formatted, xlsx_response
from common.periods import Month
from emergency.models import Kind as IncidentKind
from grids.models import District

# The ledger's figures: the 问题类别 and 承办科室 sheets, and the middle of every area sheet.
ISSUE_COLUMNS = (
    "issues_opened",
    "issues_resolved",
    "issues_closed",
    "issues_open",
    "issues_overdue",
    "issues_due",
    "closure_rate",
    "on_time_rate",
    "avg_days_to_resolve",
    "reopen_rate",
    "satisfaction_rate",
)
AREA_COLUMNS = (
    "enterprises",
    "visited_enterprises",
    "visit_coverage",
    "visits",
    "tracking_expected",
    "tracking_done",
    "tracking_completion",
    "tracking_timeliness",
    *ISSUE_COLUMNS,
    "headcount",
    "employment_change",
    "output_value",
    "evaluation_score",
)
# The outcomes of the policies and platforms (analytics.outcomes): counted per district, not per grid.
DISTRICT_OUTCOME_COLUMNS = (
    "support_funds",
    "financing_credit",
    "financing_loans",
    "financing_extensions",
    "financing_reloans",
    "worker_transfers",
)
SEGMENT_COLUMNS = (
    "enterprises",
    "visit_coverage",
    "visits",
    "tracking_completion",
    "issues_opened",
    "issues_resolved",
    "issues_open",
    "issues_overdue",
    "on_time_rate",
    "satisfaction_rate",
    "headcount",
    "employment_change",
    "output_value",
)
OFFICER_COLUMNS = (
    "evaluation_score",
    "visit_coverage",
    "tracking_timeliness",
    "grid_on_time_rate",
    "satisfaction_rate",
    "enterprises",
    "visits",
    "tracking_done",
    "grid_issues_due",
    "feedback_count",
)

NO_BASE = "—"
LEADING_WIDTH, SECOND_WIDTH = 22, 16


def _rows_of(rows: Iterable, scope_type: str) -> list:
    return [row for row in rows if row.scope_type == scope_type]


def build_workbook(
    *, month: Month, rows: Sequence, district_id: int | None = None, period: Period | None = None
) -> bytes:
    """The report for the zone (``district_id`` None) or one district, from snapshot rows.

    ``period`` is the part of ``month`` the rows cover (the whole month unless given): a district
    report computes its tier table for it, which the snapshot rows do not hold.
    """
    book = ExcelWorkbook(
        title=_("月度分析报告 %(month)s") % {"month": month},
        creator=_("经开区网格化企业服务平台"),
    )
    period = period or Period.whole(month)
    if district_id is None:
        _zone_sheets(book, month, rows)
    else:
        _district_sheets(book, month, rows, district_id, period)
    _outcomes_sheet(book, month, period, district_id)
    _incidents_sheet(book, month, period, district_id)
    return book.to_bytes()


def _zone_sheets(book: ExcelWorkbook, month: Month, rows: Sequence) -> None:
    zone = _rows_of(rows, Dimension.ZONE)[0]
    _summary_sheet(book, _("园区汇总"), month, zone, Dimension.ZONE)
    _table_sheet(
        book,
        _("片区"),
        [_("片区")],
        AREA_COLUMNS + DISTRICT_OUTCOME_COLUMNS,
        [([row.scope_name], row.metrics) for row in _rows_of(rows, Dimension.DISTRICT)],
        total=zone.metrics,
    )
    _table_sheet(
        book,
        _("网格工作组"),
        [_("网格工作组"), _("所属片区")],
        AREA_COLUMNS,
        [([row.scope_name, row.parent_name], row.metrics) for row in _rows_of(rows, Dimension.GRID)],
        total=zone.metrics,
    )
    _table_sheet(
        book,
        _("企业分类"),
        [_("企业分类")],
        SEGMENT_COLUMNS,
        [([row.scope_name], row.metrics) for row in _rows_of(rows, Dimension.TIER)],
        total=zone.metrics,
    )
    _table_sheet(
        book,
        _("行业"),
        [_("行业")],
        SEGMENT_COLUMNS,
        [([row.scope_name], row.metrics) for row in _rows_of(rows, Dimension.INDUSTRY)],
        total=zone.metrics,
    )
    _table_sheet(
        book,
        _("问题类别"),
        [_("问题类别")],
        ISSUE_COLUMNS,
        _by_opened([([row.scope_name], row.metrics) for row in _rows_of(rows, Dimension.CATEGORY)]),
        total=zone.metrics,
    )
    # Grid-level issues have no bureau: this sheet does not add up to the zone, so it has no 合计.
    _table_sheet(
        book,
        _("承办科室"),
        [_("承办科室")],
        ISSUE_COLUMNS,
        _by_opened([([row.scope_name], row.metrics) for row in _rows_of(rows, Dimension.BUREAU)]),
    )
    _officer_sheet(book, _rows_of(rows, Dimension.OFFICER))


def _district_sheets(book: ExcelWorkbook, month: Month, rows: Sequence, district_id: int, period: Period) -> None:
    district = next(row for row in _rows_of(rows, Dimension.DISTRICT) if str(row.scope_id) == str(district_id))
    _summary_sheet(book, _("片区汇总"), month, district, Dimension.DISTRICT)
    _table_sheet(
        book,
        _("网格工作组"),
        [_("网格工作组")],
        AREA_COLUMNS,
        [
            ([row.scope_name], row.metrics)
            for row in _rows_of(rows, Dimension.GRID)
            if row.district_id == district.district_id
        ],
        total=district.metrics,
    )
    # The same table as the zone's 企业分类 sheet, limited to the district.
    _table_sheet(
        book,
        _("企业分类"),
        [_("企业分类")],
        SEGMENT_COLUMNS,
        [([item["name"]], item) for item in district_tier_metrics(period, district.district_id)],
        total=district.metrics,
    )
    _table_sheet(
        book,
        _("问题类别"),
        [_("问题类别")],
        CATEGORY_BREAKDOWN_KEYS,
        [([item["name"]], item) for item in district.metrics.get("by_category", [])],
    )
    _table_sheet(
        book,
        _("承办科室"),
        [_("承办科室")],
        BUREAU_BREAKDOWN_KEYS,
        [([item["name"]], item) for item in district.metrics.get("by_bureau", [])],
    )
    _officer_sheet(book, [row for row in _rows_of(rows, Dimension.OFFICER) if row.district_id == district.district_id])


def _by_opened(items: list) -> list:
    return sorted(items, key=lambda item: -(item[1].get("issues_opened") or 0))


def _officer_sheet(book: ExcelWorkbook, officers: list) -> None:
    ranked = sorted(
        officers,
        key=lambda row: (row.metrics.get("evaluation_score") is None, -(row.metrics.get("evaluation_score") or 0)),
    )
    _table_sheet(
        book,
        _("网格员排名"),
        [_("排名"), _("网格员"), _("网格工作组")],
        OFFICER_COLUMNS,
        [([index, row.scope_name, row.parent_name], row.metrics) for index, row in enumerate(ranked, start=1)],
    )


def _summary_sheet(book: ExcelWorkbook, title: str, month: Month, row, dimension: str) -> None:
    columns = (
        Column(_("指标"), 20),
        Column(_("数值"), 16),
        Column(_("单位"), 8),
        Column(_("口径说明"), 70),
    )
    heading = _("%(name)s %(month)s 月度分析") % {"name": row.scope_name, "month": month.label}
    sheet = book.add_sheet(title, columns, heading=heading, freeze_columns=1)
    for metric in metrics_for(dimension):
        sheet.append(
            [
                str(metric.label),
                Formatted(_value(metric, row.metrics.get(metric.key)), metric.excel_format),
                # Named once: a rate's percentage format already shows its unit.
                "" if metric.shows_unit_in_format else str(metric.unit),
                str(metric.how),
            ]
        )


def _outcomes_sheet(book: ExcelWorkbook, month: Month, period: Period, district_id: int | None) -> None:
    """累计成效: the dashboards' lines, for the month (so far), the year to its end and to date."""
    outcomes = month_outcomes(period=period, district_id=district_id)
    columns = (
        Column(_("成效"), 28),
        Column(_("单位"), 8),
        Column(_("本月"), 14),
        Column(_("本年累计"), 14),
        Column(_("累计"), 14),
        Column(_("类别"), 10),
    )
    heading = _("累计成效 截至 %(day)s（按拨付、获批、发放、成交等日期计）") % {"day": outcomes["last"].isoformat()}
    sheet = book.add_sheet(_("累计成效"), columns, heading=heading, freeze_columns=1)
    for row in outcomes["rows"]:
        line = row.line
        sheet.append(
            [
                str(line.label),
                str(line.unit),
                *(Formatted(value, line.excel_format) for value in row.values),
                str(line.section),
            ]
        )


INCIDENT_COLUMNS = (
    ("affected", gettext_lazy("受影响企业")),
    ("acknowledged", gettext_lazy("已确认")),
    ("acknowledged_on_behalf", gettext_lazy("其中代为确认")),
    ("unreached", gettext_lazy("未联系上")),
    ("evacuated", gettext_lazy("撤离人数")),
    ("on_site", gettext_lazy("仍在现场人数")),
    ("restored", gettext_lazy("已恢复生产")),
)


def _incidents_sheet(book: ExcelWorkbook, month: Month, period: Period, district_id: int | None) -> None:
    """应急事件: each incident declared in the month (drills left out) with its totals as reported."""
    columns = (
        Column(_("应急事件"), LEADING_WIDTH),
        Column(_("事件类型"), 10),
        Column(_("宣布日期"), 12),
        Column(_("状态"), 8),
        *(Column(label, 12, INTEGER_FORMAT) for _key, label in INCIDENT_COLUMNS),
    )
    heading = _("%(month)s 应急事件（按宣布日期计，不含演练）") % {"month": month.label}
    sheet = book.add_sheet(_("应急事件"), columns, heading=heading, freeze_columns=1)
    for incident in month_incidents(period=period, district_id=district_id):
        sheet.append(
            [
                incident.title,
                str(IncidentKind(incident.kind).label),
                incident.declared_on,
                str(_("已结束") if incident.closed else _("处置中")),
                *(getattr(incident.totals, key) for key, _label in INCIDENT_COLUMNS),
            ]
        )


def _value(metric, value):
    if not metric.available:
        return _("不可用")
    if value is None:
        return NO_BASE
    return value


def _table_sheet(
    book: ExcelWorkbook,
    title: str,
    leading: list[str],
    columns: Sequence[str],
    items: list[tuple[list, dict]],
    *,
    total: dict | None = None,
) -> None:
    metrics = [METRICS[key] for key in columns]
    sheet_columns = [
        *(Column(text, LEADING_WIDTH if index == 0 else SECOND_WIDTH) for index, text in enumerate(leading)),
        *(
            Column(metric.heading, max(12, min(24, len(metric.heading) * 2 + 2)), metric.excel_format)
            for metric in metrics
        ),
    ]
    sheet = book.add_sheet(title, sheet_columns, freeze_columns=1)
    for lead, values in items:
        sheet.append([*lead, *(_value(metric, values.get(metric.key)) for metric in metrics)])
    if total is not None:
        lead = [_("合计")] + [""] * (len(leading) - 1)
        sheet.append([*lead, *(_value(metric, total.get(metric.key)) for metric in metrics)], total=True)


# --- Stored by the monthly job --------------------------------------------------------


def workbooks_store(*, month: Month, rows: Sequence) -> int:
    """Write the zone's and each district's workbook for ``month``, replacing earlier ones."""
    scopes = [(Dimension.ZONE, "zone", None)] + [
        (Dimension.DISTRICT, str(row.scope_id), int(row.scope_id)) for row in _rows_of(rows, Dimension.DISTRICT)
    ]
    district_ids = {district_id for _type, _id, district_id in scopes if district_id}
    existing_districts = set(District.objects.filter(pk__in=district_ids).values_list("pk", flat=True))
    now = timezone.now()
    written = 0
    for scope_type, scope_id, district_id in scopes:
        if district_id is not None and district_id not in existing_districts:
            continue
        content = build_workbook(month=month, rows=rows, district_id=district_id)
        _save_workbook(month, scope_type, scope_id, district_id, content, now)
        written += 1
    stale = (
        ReportWorkbook.objects.filter(month=month.first_day)
        .exclude(scope_type=Dimension.DISTRICT, scope_id__in=[scope_id for _t, scope_id, _d in scopes])
        .exclude(scope_type=Dimension.ZONE)
    )
    for workbook in stale:
        workbook.file.delete(save=False)
        workbook.delete()
    return written


def _save_workbook(month: Month, scope_type: str, scope_id: str, district_id, content: bytes, now) -> None:
    with transaction.atomic():
        workbook, _created = ReportWorkbook.objects.select_for_update().get_or_create(
            month=month.first_day,
            scope_type=scope_type,
            scope_id=scope_id,
            defaults={"district_id": district_id, "generated_at": now},
        )
        if workbook.file:
            # The same name is reused: delete first so the storage does not add a suffix.
            workbook.file.delete(save=False)
        workbook.file.save("report.xlsx", ContentFile(content), save=False)
        workbook.size = len(content)
        workbook.generated_at = now
        workbook.district_id = district_id
        workbook.save()


def workbook_response(*, user: User, month: Month, district: District | None) -> HttpResponse:
    """The stored workbook of a finished month, or one built from the live rows for this month.

    ``district`` has been resolved in the user's scope by the caller (None: the zone's
    report, for the zone roles only). 404 when the month was never analysed.
    """
    stored = workbook_get(user=user, month=month, district=district)
    suffix = f"-{district.name}" if district else ""
    filename = f"月度分析报告-{month}{suffix}.xlsx"
    if stored is not None and stored.file.storage.exists(stored.file.name):
        return xlsx_response(stored.file.open("rb"), filename=filename)
    data = month_data(month, stored=report_rows_visible(user=user))
    if district is not None and data.get(Dimension.DISTRICT, district.pk) is None:
        raise Http404
    if district is None and data.get(Dimension.ZONE, "zone") is None:
        raise Http404
    if data.is_live:
        filename = f"月度分析报告-{month}-本月至今{suffix}.xlsx"
    # The month so far: the district's tier table is computed up to the moment the rows were.
    period = Period.so_far(month, data.computed_at) if data.is_live else Period.whole(month)
    content = build_workbook(month=month, rows=data.rows, district_id=district.pk if district else None, period=period)
    return xlsx_response(content, filename=filename)
