"""Excel files of the roster (企业名册): the export and its import template.

Both are written in the roster's format (``enterprises.roster.columns``: its columns,
Chinese labels and yes/no words), so an export re-imports as it is; the look
and the streaming are ``common.excel``'s.
"""

from collections.abc import Callable, Iterator
from typing import IO, Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from accounts.models import User
from accounts.scoping import scope_for
from common import excel
from common.export_jobs import ExportKind, filtered
from enterprises.registry.forms import EnterpriseListFilter
from enterprises.registry.models import Enterprise, Industry, Ownership, Tier
from enterprises.registry.selectors import enterprises_visible
from enterprises.roster.columns import COLUMNS, HEADERS, NO, SHEET_TITLE, YES, Column, chinese_labels
from grids.models import GridTeam

# The roster has no title row: the file is an import format whose first row is
# the header ("第1行应为列名", the guide's "请勿修改第1行列名"), and the row
# numbers in an import's error report are those people see in the template.
NUMBER_FORMATS = {"date": excel.DATE_FORMAT, "decimal": excel.AMOUNT_FORMAT}
EXCEL_COLUMNS = tuple(
    excel.Column(column.header, column.width, NUMBER_FORMATS.get(column.kind), required=column.required)
    for column in COLUMNS
)


# The field behind each of the roster's columns, in their order; the grid is written by its code.
EXPORT_FIELDS = tuple("grid__code" if column.kind == "grid" else column.field for column in COLUMNS)


def _cell_writer(column: Column) -> Callable[[Any], Any]:
    """How a stored value is written in ``column``: a choice by its Chinese label, a yes/no as 是/否."""
    if column.choices is not None:
        labels = chinese_labels(column.choices)
        return lambda value: labels.get(value, value)
    if column.kind == "bool":
        return lambda value: YES if value else NO
    return lambda value: value


def roster_rows(queryset: QuerySet[Enterprise], *, chunk_size: int = 2000) -> Iterator[list[Any]]:
    """One row per enterprise in the roster's columns, Chinese labels and yes/no words; read in chunks."""
    writers = [_cell_writer(column) for column in COLUMNS]
    rows = queryset.order_by("grid__code", "name", "id").values_list(*EXPORT_FIELDS).iterator(chunk_size=chunk_size)
    for row in rows:
        yield [write(value) for write, value in zip(writers, row, strict=True)]


def write_roster(queryset: QuerySet[Enterprise], target: IO[bytes], *, chunk_size: int = 2000) -> int:
    """Write ``queryset`` as a roster to ``target``; returns the row count.

    ``common.excel``'s write-only workbook streams each row to a temporary file
    and the rows come from the database in chunks, so memory stays flat however
    many enterprises there are. Text is written as text, never as a formula,
    so a name such as ``=1+1`` reads back (and re-imports) as it is.
    """
    workbook = excel.ExcelWorkbook()
    sheet = workbook.add_sheet(SHEET_TITLE, EXCEL_COLUMNS)
    count = 0
    for row in roster_rows(queryset, chunk_size=chunk_size):
        sheet.append(row)
        count += 1
    workbook.save(target)
    return count


def roster_select(*, user: User, params: QueryDict) -> QuerySet[Enterprise]:
    """The enterprises ``user`` may see, narrowed by the list's filters; staff only."""
    if not scope_for(user).is_staff_side:
        raise PermissionDenied(_("企业名册仅供园区工作人员使用。"))
    filterset = EnterpriseListFilter(params or None, queryset=enterprises_visible(user=user), user=user)
    return filtered(filterset)


# The roster export as a background job (common.export_jobs); no title row (see above).
ROSTER_EXPORT = ExportKind(
    path=f"{__name__}.ROSTER_EXPORT",
    label=SHEET_TITLE,
    columns=EXCEL_COLUMNS,
    select=roster_select,
    rows=roster_rows,
    heading=False,
)


def write_template(target: IO[bytes], *, grids: QuerySet[GridTeam]) -> None:
    """The empty roster with drop-down lists and a sheet of instructions."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_TITLE
    # An ordinary workbook, not write-only: drop-down lists need it, and the template has no rows.
    for index, excel_column in enumerate(EXCEL_COLUMNS, start=1):
        cell = sheet.cell(row=1, column=index, value=excel_column.header)
        excel.style_header_cell(cell, required=excel_column.required)
        sheet.column_dimensions[get_column_letter(index)].width = excel_column.width
    sheet.freeze_panes = "A2"

    grid_list = list(grids.select_related("district").order_by("code"))
    options = workbook.create_sheet("可选值")
    lists = {
        "所有制": list(chinese_labels(Ownership).values()),
        "行业": list(chinese_labels(Industry).values()),
        "企业分类": list(chinese_labels(Tier).values()),
        "规上企业": [YES, NO],
        "网格编号": [grid.code for grid in grid_list],
    }
    for index, (header, values) in enumerate(lists.items(), start=1):
        excel.style_header_cell(options.cell(row=1, column=index, value=header))
        for offset, value in enumerate(values, start=2):
            excel.literal_text(options.cell(row=offset, column=index), value)
        letter = get_column_letter(index)
        column_index = HEADERS.index(header) + 1
        if not values:
            continue
        validation = DataValidation(
            type="list",
            formula1=f"'可选值'!${letter}$2:${letter}${len(values) + 1}",
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="输入有误",
            error=f"请从下拉列表中选择{header}。",
        )
        validation.add(f"{get_column_letter(column_index)}2:{get_column_letter(column_index)}5000")
        sheet.add_data_validation(validation)
    excel.style_header_cell(options.cell(row=1, column=len(lists) + 2, value="网格名称"))
    for offset, grid in enumerate(grid_list, start=2):
        excel.literal_text(
            options.cell(row=offset, column=len(lists) + 2), f"{grid.code} {grid.name}（{grid.district.name}）"
        )

    guide = workbook.create_sheet("填写说明")
    guide.append(["列名", "是否必填", "填写说明"])
    for cell in guide[1]:
        excel.style_header_cell(cell)
    for column in COLUMNS:
        hint = column.hint
        if column.choices:
            hint = "可填：" + "、".join(chinese_labels(column.choices).values())
        guide.append([column.header, "必填" if column.required else "选填", hint])
    guide.append([])
    guide.append(["说明", "", "从第2行起每行一家企业；红色列名为必填项。请勿修改第1行列名。"])
    guide.append(["", "", "任何一行有错误时整个文件都不会导入，系统会列出出错的行、列和原因。"])
    guide.append(["", "", "选择“新增并更新”时，信用代码已存在的企业按文件内容更新；与系统一致的行不做任何修改。"])
    guide.column_dimensions["A"].width = 18
    guide.column_dimensions["B"].width = 10
    guide.column_dimensions["C"].width = 80
    workbook.save(target)
