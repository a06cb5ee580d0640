"""The monthly Excel report (openpyxl): one workbook for the zone and one per district.

Sheets of the zone workbook: 园区汇总 (every metric with unit and how it is
computed), 片区, 网格工作组, 企业分类, 行业, 问题类别, 承办科室, 网格员排名. A
district workbook has the same shape limited to the district (its summary,
its grid teams, its issues by category and bureau, its officers): a district
leader's report holds nothing of the other districts.

Every table has Chinese headers, a frozen header row (and first column),
set column widths, 万元/亿元 number formats, and where it adds up a 合计 row
that is the zone's (or district's) own snapshot row, so the totals equal the
snapshot by construction and the rows above can be checked against them.
"""

import io
from collections.abc import Iterable, Sequence

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter

from analytics.metrics import METRICS, Dimension, metrics_for
from analytics.models import ReportWorkbook
from analytics.periods import Month
from grids.models import District

AREA_COLUMNS = (
    "enterprises",
    "visited_enterprises",
    "visit_coverage",
    "visits",
    "tracking_expected",
    "tracking_done",
    "tracking_completion",
    "tracking_timeliness",
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
    "headcount",
    "employment_change",
    "output_value",
    "evaluation_score",
)
UNAVAILABLE_COLUMNS = (
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
BREAKDOWN_CATEGORY_COLUMNS = ("issues_opened", "issues_resolved", "issues_open", "issues_overdue")
BREAKDOWN_BUREAU_COLUMNS = (
    "issues_opened",
    "issues_resolved",
    "issues_open",
    "issues_overdue",
    "issues_due",
    "on_time_rate",
    "avg_days_to_resolve",
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

HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")
TOTAL_FILL = PatternFill("solid", fgColor="F2F2F2")
THIN = Side(style="thin", color="BFBFBF")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
NO_BASE = "—"


def _rows_of(rows: Iterable, scope_type: str) -> list:
    return [row for row in rows if row.scope_type == scope_type]


def build_workbook(*, month: Month, rows: Sequence, district_id: int | None = None) -> bytes:
    """The report for the zone (``district_id`` None) or one district, from snapshot rows."""
    # Write-only mode: rows stream to the file, several times faster than the cell-by-cell model.
    book = Workbook(write_only=True)
    _add_styles(book)
    if district_id is None:
        _zone_sheets(book, month, rows)
    else:
        _district_sheets(book, month, rows, district_id)
    book.properties.title = _("月度分析报告 %(month)s") % {"month": month}
    book.properties.creator = _("经开区网格化企业服务平台")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _zone_sheets(book: Workbook, month: Month, rows: Sequence) -> None:
    zone = _rows_of(rows, Dimension.ZONE)[0]
    _summary_sheet(book, _("园区汇总"), month, zone, Dimension.ZONE)
    _table_sheet(
        book,
        _("片区"),
        [_("片区")],
        AREA_COLUMNS + UNAVAILABLE_COLUMNS,
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


def _district_sheets(book: Workbook, month: Month, rows: Sequence, district_id: int) -> None:
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
    _table_sheet(
        book,
        _("企业分类"),
        [_("企业分类"), _("企业数（家）")],
        (),
        [([label, district.metrics.get(f"tier_{code}", 0)], {}) for code, label in _tier_labels()],
    )
    _table_sheet(
        book,
        _("问题类别"),
        [_("问题类别")],
        BREAKDOWN_CATEGORY_COLUMNS,
        [([item["name"]], item) for item in district.metrics.get("by_category", [])],
    )
    _table_sheet(
        book,
        _("承办科室"),
        [_("承办科室")],
        BREAKDOWN_BUREAU_COLUMNS,
        [([item["name"]], item) for item in district.metrics.get("by_bureau", [])],
    )
    _officer_sheet(book, [row for row in _rows_of(rows, Dimension.OFFICER) if row.district_id == district.district_id])


def _tier_labels() -> list[tuple[str, str]]:
    from enterprises.models import Tier

    return [(code, str(label)) for code, label in Tier.choices]


def _by_opened(items: list) -> list:
    return sorted(items, key=lambda item: -(item[1].get("issues_opened") or 0))


def _officer_sheet(book: Workbook, officers: list) -> None:
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


def _summary_sheet(book: Workbook, title: str, month: Month, row, dimension: str) -> None:
    sheet = book.create_sheet(title)
    sheet.freeze_panes = "B3"
    for column, width in zip("ABCD", (20, 16, 8, 70), strict=True):
        sheet.column_dimensions[column].width = width
    heading = _("%(name)s %(month)s 月度分析") % {"name": row.scope_name, "month": month.label}
    sheet.append([_cell(sheet, heading, "jk title")])
    sheet.append([_cell(sheet, text, "jk header") for text in (_("指标"), _("数值"), _("单位"), _("口径说明"))])
    for metric in metrics_for(dimension):
        sheet.append(
            [
                _cell(sheet, str(metric.label), "jk text"),
                _cell(sheet, _value(metric, row.metrics.get(metric.key)), _number_style(metric)),
                _cell(sheet, str(metric.unit), "jk text"),
                _cell(sheet, str(metric.how), "jk text"),
            ]
        )


def _value(metric, value):
    if not metric.available:
        return _("不可用")
    if value is None:
        return NO_BASE
    return value


def _table_sheet(
    book: Workbook,
    title: str,
    leading: list[str],
    columns: Sequence[str],
    items: list[tuple[list, dict]],
    *,
    total: dict | None = None,
) -> None:
    sheet = book.create_sheet(title)
    metrics = [METRICS[key] for key in columns]
    sheet.freeze_panes = "B2"
    for index in range(1, len(leading) + 1):
        sheet.column_dimensions[get_column_letter(index)].width = 22 if index == 1 else 16
    for index, metric in enumerate(metrics, start=len(leading) + 1):
        sheet.column_dimensions[get_column_letter(index)].width = max(12, min(24, len(metric.heading) * 2 + 2))
    sheet.append([_cell(sheet, text, "jk header") for text in (*leading, *(metric.heading for metric in metrics))])
    for lead, values in items:
        sheet.append(_row(sheet, lead, metrics, values))
    if total is not None:
        lead = [_("合计")] + [""] * (len(leading) - 1)
        sheet.append(_row(sheet, lead, metrics, total, prefix="jk total"))


def _row(sheet, lead: list, metrics: list, values: dict, *, prefix: str = "jk") -> list[WriteOnlyCell]:
    return [
        *(_cell(sheet, value, f"{prefix} text") for value in lead),
        *(_cell(sheet, _value(metric, values.get(metric.key)), _number_style(metric, prefix)) for metric in metrics),
    ]


def _cell(sheet, value, style: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    cell.style = style
    return cell


def _number_style(metric, prefix: str = "jk") -> str:
    return f"{prefix} {metric.excel_format}"


def _add_styles(book: Workbook) -> None:
    """Named styles: one assignment per cell (much faster than setting font, border and format apiece)."""
    right = Alignment(horizontal="right")
    bold = Font(bold=True)
    formats = {metric.excel_format for metric in METRICS.values()}
    styles = [
        NamedStyle(name="jk title", font=Font(bold=True, size=13)),
        NamedStyle(
            name="jk header",
            font=bold,
            fill=HEADER_FILL,
            border=BORDER,
            alignment=Alignment(horizontal="center", vertical="center", wrap_text=True),
        ),
        NamedStyle(name="jk text", border=BORDER),
        NamedStyle(name="jk total text", border=BORDER, font=bold, fill=TOTAL_FILL),
    ]
    for number_format in sorted(formats):
        styles.append(
            NamedStyle(name=f"jk {number_format}", border=BORDER, alignment=right, number_format=number_format)
        )
        styles.append(
            NamedStyle(
                name=f"jk total {number_format}",
                border=BORDER,
                alignment=right,
                number_format=number_format,
                font=bold,
                fill=TOTAL_FILL,
            )
        )
    for style in styles:
        book.add_named_style(style)


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
