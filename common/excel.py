"""Excel files: the one writer, and the one look, of every export and report.

- **Streamed.** Workbooks are openpyxl write-only workbooks: each appended
  row goes straight to a temporary file, so memory stays flat however many
  rows the database hands over in chunks. A finished workbook is sent from
  that temporary file by ``FileResponse`` (or from bytes for the small
  reports), with the xlsx content type and an RFC 5987 file name that may be
  Chinese.
- **One look.** A sheet has Chinese headers (bold, on a light-blue fill; a
  column a person must fill in is red), set column widths, an optional
  title row above the header (``问题台账（导出时间 2026-12-01 10:00）``) and
  panes frozen below the header.
- **Units.** An amount's unit (万元, 亿元) is named once, in the column
  header (``产值（万元）``) or a summary's unit column, and never again in
  the number format: the cell shows a plain ``1,234.50``. A fraction is shown
  by the percentage format (``12.5%``), which is why its header names no
  unit.
- **Text is text.** Every string is written as a literal text cell, never
  as a formula, whoever wrote it (OWASP "CSV injection"): openpyxl would
  otherwise turn an issue titled ``=HYPERLINK(...)`` into a live formula in a
  manager's workbook. Strings that start with a character a spreadsheet
  reads as the start of a formula (``= + - @``, tab, carriage return) also
  carry Excel's quote prefix, so the text stays text when someone edits the
  cell. Characters XML cannot hold are dropped instead of failing the export.
"""

import contextlib
import datetime
import io
import os
import tempfile
from collections.abc import Iterable, Sequence
from copy import copy
from dataclasses import dataclass
from typing import IO, Any

from django.http import FileResponse, HttpResponse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# --- Number formats, stated once -----------------------------------------------------

INTEGER_FORMAT = "#,##0"
# Amounts in 万元 and in 亿元 alike: the unit is in the header, not in the format.
AMOUNT_FORMAT = "#,##0.00"
# A fraction between 0 and 1: 0.125 shows as 12.5%.
PERCENT_FORMAT = "0.0%"
# Working days, scores.
ONE_DECIMAL_FORMAT = "0.0"
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"

# What a spreadsheet reads as the start of a formula (OWASP "CSV injection").
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def with_unit(label: str, unit: str) -> str:
    """A column header naming its unit: ``产值（万元）``."""
    return f"{label}（{unit}）"


def local_naive(moment: datetime.datetime | None) -> datetime.datetime | None:
    """Excel has no time zones: the zone's wall-clock time of ``moment``."""
    return timezone.localtime(moment).replace(tzinfo=None) if moment else None


def choice_labels(choices: Iterable[tuple[Any, Any]]) -> dict[Any, str]:
    """Each stored value's label in the active language, translated once per export, not once per row."""
    return {value: str(label) for value, label in choices}


def yes_no(value: bool) -> str:
    """A yes/no cell: 是 or 否."""
    return str(_("是") if value else _("否"))


def export_heading(name: str, *, at: datetime.datetime | None = None) -> str:
    """The title row of an export: ``问题台账（导出时间 2026-12-01 10:00）``."""
    moment = timezone.localtime(at or timezone.now())
    return _("%(name)s（导出时间 %(time)s）") % {"name": name, "time": f"{moment:%Y-%m-%d %H:%M}"}


# --- The look ----------------------------------------------------------------------------

_THIN = Side(style="thin", color="BFBFBF")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_ALIGNMENT = Alignment(horizontal="center", vertical="center", wrap_text=True)
_TOTAL_FILL = PatternFill("solid", fgColor="F2F2F2")

TITLE_STYLE = NamedStyle(name="jk title", font=Font(bold=True, size=13))
HEADER_STYLE = NamedStyle(
    name="jk header",
    font=Font(bold=True),
    fill=PatternFill("solid", fgColor="DDEBF7"),
    border=_BORDER,
    alignment=_HEADER_ALIGNMENT,
)
REQUIRED_HEADER_STYLE = NamedStyle(
    name="jk header required",
    font=Font(bold=True, color="FFFFFF"),
    fill=PatternFill("solid", fgColor="C0392B"),
    border=_BORDER,
    alignment=_HEADER_ALIGNMENT,
)


TEXT_STYLE = NamedStyle(name="jk text")
NUMBER_STYLE = NamedStyle(name="jk number", alignment=Alignment(horizontal="right"))
TOTAL_TEXT_STYLE = NamedStyle(name="jk total text", font=Font(bold=True), fill=_TOTAL_FILL, border=_BORDER)
TOTAL_NUMBER_STYLE = NamedStyle(
    name="jk total number",
    font=Font(bold=True),
    fill=_TOTAL_FILL,
    border=_BORDER,
    alignment=Alignment(horizontal="right"),
)
NAMED_STYLES = {
    style.name: style
    for style in (
        TITLE_STYLE,
        HEADER_STYLE,
        REQUIRED_HEADER_STYLE,
        TEXT_STYLE,
        NUMBER_STYLE,
        TOTAL_TEXT_STYLE,
        TOTAL_NUMBER_STYLE,
    )
}


def header_style(*, required: bool = False) -> NamedStyle:
    return REQUIRED_HEADER_STYLE if required else HEADER_STYLE


def style_header_cell(cell: Cell, *, required: bool = False) -> Cell:
    """Give a cell of an ordinary (not write-only) workbook the header look: the roster template,
    which needs drop-down lists that write-only sheets cannot hold."""
    name = header_style(required=required).name
    _register_named_style(cell.parent.parent, name)
    cell.style = name
    return cell


def _register_named_style(book: Workbook, name: str) -> None:
    # A copy per workbook: adding a NamedStyle binds it to that workbook.
    if name not in book.named_styles:
        book.add_named_style(copy(NAMED_STYLES[name]))


@dataclass(frozen=True)
class Column:
    """One column of a sheet: its Chinese header, width (in characters) and number format.

    ``required`` marks a column a person must fill in (an import template): its header is red.
    """

    header: str
    width: float = 12
    number_format: str | None = None
    required: bool = False


@dataclass(frozen=True)
class Formatted:
    """A value with its own number format, for a column whose rows differ (a summary's value column)."""

    value: Any
    number_format: str | None


# --- Writing -----------------------------------------------------------------------------


def _clean_text(value: str) -> str:
    return ILLEGAL_CHARACTERS_RE.sub("", value)


class ExcelWorkbook:
    """A write-only workbook whose sheets share the portal's styles.

    Cells are given prebuilt style arrays (one copy per cell) instead of fonts and
    formats set one by one, which keeps a 100,000-row export fast.
    """

    def __init__(self, *, title: str | None = None, creator: str | None = None):
        self.book = Workbook(write_only=True)
        if title:
            self.book.properties.title = str(title)
        if creator:
            self.book.properties.creator = str(creator)
        self._styles: dict[tuple[str, str | None, bool], Any] = {}

    def add_sheet(
        self,
        title: str,
        columns: Sequence[Column],
        *,
        heading: str | None = None,
        freeze_columns: int = 0,
    ) -> "Sheet":
        """A new sheet with ``columns``' widths, the optional ``heading`` row, the header row,
        and panes frozen below the header (and right of the first ``freeze_columns`` columns)."""
        return Sheet(self, title=str(title), columns=columns, heading=heading, freeze_columns=freeze_columns)

    def style_array(self, sheet, *, base: str, number_format: str | None = None, quote_prefix: bool = False):
        """The style array of a cell styled ``base`` (a named style), built once per kind of cell
        and copied into each cell: setting a named style and a format cell by cell costs a lookup
        of each in the workbook's style tables."""
        key = (base, number_format, quote_prefix)
        if key not in self._styles:
            self._register(base)
            probe = Cell(sheet, row=1, column=1)
            probe.style = base
            if number_format:
                probe.number_format = number_format
            if quote_prefix:
                probe.quotePrefix = True
            self._styles[key] = probe._style
        return self._styles[key]

    def _register(self, name: str) -> None:
        _register_named_style(self.book, name)

    def save(self, target: IO[bytes]) -> None:
        self.book.save(target)

    def discard(self) -> None:
        """Drop a workbook that will not be saved (its export failed): finish each sheet's stream and
        remove its temporary file, which openpyxl otherwise removes only on save or at the process's
        exit — a long-lived worker would keep every failed export's rows on disk."""
        for worksheet in self.book.worksheets:
            writer = getattr(worksheet, "_writer", None)
            if writer is None:
                continue
            with contextlib.suppress(Exception):
                worksheet.close()
            if isinstance(writer.out, str) and os.path.exists(writer.out):
                writer.cleanup()

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        self.save(buffer)
        return buffer.getvalue()

    def to_temporary_file(self) -> IO[bytes]:
        """The workbook in a temporary file, rewound (deleted when closed, as ``FileResponse`` does)."""
        handle = tempfile.TemporaryFile()
        self.save(handle)
        handle.seek(0)
        return handle


class Sheet:
    """One sheet of an ``ExcelWorkbook``; rows are appended and streamed out at once."""

    def __init__(self, workbook: ExcelWorkbook, *, title: str, columns, heading, freeze_columns: int):
        self.workbook = workbook
        self.columns = tuple(columns)
        self.sheet = workbook.book.create_sheet(title=title)
        # Widths and panes must be set before the first row is written.
        for index, column in enumerate(self.columns, start=1):
            self.sheet.column_dimensions[get_column_letter(index)].width = column.width
        header_row = 2 if heading else 1
        self.sheet.freeze_panes = f"{get_column_letter(freeze_columns + 1)}{header_row + 1}"
        if heading:
            self.sheet.append([self._cell(str(heading), base=TITLE_STYLE.name)])
        self.sheet.append(
            [
                self._cell(str(column.header), base=header_style(required=column.required).name)
                for column in self.columns
            ]
        )

    def append(self, values: Sequence, *, total: bool = False) -> None:
        """One row, in the order of the columns; strings are literal text, numbers get the column's format.

        ``total`` styles it as a 合计 row. A value may be ``Formatted`` to override the column's format.
        """
        cells = []
        for value, column in zip(values, self.columns, strict=True):
            number_format = column.number_format
            if isinstance(value, Formatted):
                value, number_format = value.value, value.number_format
            cells.append(self._value_cell(value, number_format, total=total))
        self.sheet.append(cells)

    def extend(self, rows: Iterable[Sequence]) -> None:
        for row in rows:
            self.append(row)

    def _value_cell(self, value, number_format: str | None, *, total: bool):
        if value is None:
            return None
        if isinstance(value, Promise):
            value = str(value)
        if isinstance(value, str):
            # Text in a number column ("—", "不可用") keeps the column's alignment and format.
            if total:
                base = TOTAL_NUMBER_STYLE if number_format else TOTAL_TEXT_STYLE
            else:
                base = NUMBER_STYLE if number_format else None
            return self._cell(value, base=base.name if base else None, number_format=number_format)
        if isinstance(value, datetime.datetime):
            number_format = number_format or DATETIME_FORMAT
        elif isinstance(value, datetime.date):
            number_format = number_format or DATE_FORMAT
        if not number_format and not total:
            return value  # openpyxl writes a bare number with the default style
        base = TOTAL_NUMBER_STYLE if total else NUMBER_STYLE
        # Row and column are placeholders: the write-only sheet sets them as it writes the row.
        cell = Cell(self.sheet, row=1, column=1, style_array=copy(self._style(base.name, number_format)))
        cell.value = value
        return cell

    def _cell(self, value, *, base: str | None, number_format: str | None = None):
        """A cell for ``value``; a string becomes a literal text cell (data type "s"), never a formula."""
        if not isinstance(value, str):
            cell = Cell(self.sheet, row=1, column=1, style_array=copy(self._style(base or TEXT_STYLE.name, None)))
            cell.value = value
            return cell
        text = _clean_text(value)
        risky = text.startswith(FORMULA_TRIGGERS)
        if base is None and not risky:
            return text  # plain text needs no cell of its own: openpyxl writes it inline, as text
        style = self._style(base or TEXT_STYLE.name, number_format, risky)
        cell = Cell(self.sheet, row=1, column=1, style_array=copy(style))
        cell.value = text
        # openpyxl takes a string starting with "=" for a formula; the data type says it is text.
        cell.data_type = "s"
        return cell

    def _style(self, base: str, number_format: str | None, quote_prefix: bool = False):
        return self.workbook.style_array(self.sheet, base=base, number_format=number_format, quote_prefix=quote_prefix)


def literal_text(cell: Cell, value: str) -> Cell:
    """Put ``value`` into a cell of an ordinary (not write-only) workbook as text, never a formula."""
    text = _clean_text(str(value))
    cell.value = text
    cell.data_type = "s"
    if text.startswith(FORMULA_TRIGGERS):
        cell.quotePrefix = True
    return cell


# --- Sending -----------------------------------------------------------------------------


def xlsx_response(content: bytes | IO[bytes], *, filename: str) -> HttpResponse:
    """A download of ``content`` (bytes, or a rewound binary file streamed and then closed) named
    ``filename``; a Chinese name is sent RFC 5987-encoded (``filename*=utf-8''…``)."""
    if isinstance(content, bytes):
        response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
        return response
    # FileResponse reads the file in blocks and closes (so deletes) a temporary file when done.
    return FileResponse(content, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE)


def export_response(
    *,
    filename: str,
    sheet_title: str,
    columns: Sequence[Column],
    rows: Iterable[Sequence],
    heading: str | None = None,
) -> FileResponse:
    """A one-sheet export of ``rows`` (any iterable; read lazily), streamed from a temporary file."""
    workbook = ExcelWorkbook()
    workbook.add_sheet(sheet_title, columns, heading=heading).extend(rows)
    return xlsx_response(workbook.to_temporary_file(), filename=filename)
