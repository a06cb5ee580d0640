"""Excel exports of visits and weekly tracking.

openpyxl's write-only mode writes each row to a temporary file as it is
appended, and the rows come from the database in chunks, so memory stays flat
however many rows there are; the finished workbook is then streamed to the
browser from a temporary file by ``FileResponse``.
"""

import datetime
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from enterprises.models import Tier
from fieldwork.models import ContactMode, Trend, Visit, WeeklyTracking

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CHUNK_SIZE = 2000
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
DATE_FORMAT = "yyyy-mm-dd"
MONEY_FORMAT = "#,##0.00"


@dataclass(frozen=True)
class Column:
    header: str
    width: int = 12
    number_format: str | None = None


def _local_naive(value: datetime.datetime | None) -> datetime.datetime | None:
    """Excel has no time zones: write the zone's wall-clock time."""
    return timezone.localtime(value).replace(tzinfo=None) if value else None


def _yes_no(value: bool) -> str:
    return str(_("是") if value else _("否"))


def write_workbook(*, sheet_title: str, columns: Sequence[Column], rows: Iterable[Sequence], target) -> None:
    """Write one sheet with a bold, frozen Chinese header row into ``target`` (a binary file)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=str(sheet_title))
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "A2"
    header_font = Font(bold=True)
    header_fill = PatternFill("solid", fgColor="DDEBF7")
    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=str(column.header))
        cell.font = header_font
        cell.fill = header_fill
        cell.alignment = Alignment(vertical="center")
        header.append(cell)
    sheet.append(header)
    formats = [column.number_format for column in columns]
    for row in rows:
        cells = []
        for value, number_format in zip(row, formats, strict=True):
            if number_format and value is not None:
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = number_format
                cells.append(cell)
            else:
                cells.append(value)
        sheet.append(cells)
    workbook.save(target)


def xlsx_response(*, filename: str, sheet_title: str, columns: Sequence[Column], rows: Iterable[Sequence]):
    target = tempfile.TemporaryFile()
    write_workbook(sheet_title=sheet_title, columns=columns, rows=rows, target=target)
    target.seek(0)
    # FileResponse reads the file in blocks and closes (so deletes) it when done.
    return FileResponse(target, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE)


# --- Visits ------------------------------------------------------------------

VISIT_COLUMNS = (
    Column(_("走访时间"), 17, DATETIME_FORMAT),
    Column(_("企业名称"), 30),
    Column(_("统一社会信用代码"), 21),
    Column(_("片区"), 10),
    Column(_("网格"), 14),
    Column(_("走访人"), 10),
    Column(_("走访方式"), 14),
    Column(_("接待人"), 14),
    Column(_("走访情况"), 40),
    Column(_("本月产值（万元）"), 16, MONEY_FORMAT),
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
    modes = {value: str(label) for value, label in ContactMode.choices}
    trends = {value: str(label) for value, label in Trend.choices}
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
            "mode",
            "met_with",
            "findings",
            "output_value",
            "orders_trend",
            "employees",
            "capacity_use",
            "has_difficulties",
            "problem_count",
        )
    )
    for row in rows.iterator(chunk_size=CHUNK_SIZE):
        (visited_at, name, uscc, district, grid, officer_name, username, mode, met_with, findings) = row[:10]
        output_value, trend, employees, capacity_use, difficulties, problems = row[10:]
        yield (
            _local_naive(visited_at),
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
            _yes_no(difficulties),
            problems,
        )


def visits_xlsx_response(visits: QuerySet[Visit]) -> FileResponse:
    return xlsx_response(
        filename=f"{_('走访记录')}_{timezone.localdate():%Y%m%d}.xlsx",
        sheet_title=_("走访记录"),
        columns=VISIT_COLUMNS,
        rows=visit_rows(visits),
    )


# --- Weekly tracking ---------------------------------------------------------

TRACKING_COLUMNS = (
    Column(_("ISO周"), 10),
    Column(_("周一日期"), 12, DATE_FORMAT),
    Column(_("企业名称"), 30),
    Column(_("统一社会信用代码"), 21),
    Column(_("企业分类"), 11),
    Column(_("片区"), 10),
    Column(_("网格"), 14),
    Column(_("跟踪人"), 10),
    Column(_("跟踪时间"), 17, DATETIME_FORMAT),
    Column(_("跟踪方式"), 14),
    Column(_("本周产值（万元）"), 16, MONEY_FORMAT),
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
    modes = {value: str(label) for value, label in ContactMode.choices}
    trends = {value: str(label) for value, label in Trend.choices}
    tiers = {value: str(label) for value, label in Tier.choices}
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
        "mode",
        "output_value",
        "orders_trend",
        "employees",
        "capacity_use",
        "risk_orders",
        "risk_funding",
        "risk_labour",
        "risk_safety",
        "note",
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
            _local_naive(tracked_at),
            modes.get(mode, mode),
            output_value,
            trends.get(trend, ""),
            employees,
            capacity_use,
            *(_yes_no(risk) for risk in risks),
            note,
        )


def trackings_xlsx_response(trackings: QuerySet[WeeklyTracking]) -> FileResponse:
    return xlsx_response(
        filename=f"{_('周跟踪')}_{timezone.localdate():%Y%m%d}.xlsx",
        sheet_title=_("周跟踪"),
        columns=TRACKING_COLUMNS,
        rows=tracking_rows(trackings),
    )
