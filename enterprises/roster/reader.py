"""Reading a roster file: the header map and the data rows, streamed (format in ``enterprises.roster.columns``)."""

from collections.abc import Iterator
from typing import IO

from django.utils.translation import gettext as _
from openpyxl import load_workbook

from common.files import check_xlsx_archive
from enterprises.roster.columns import HEADERS, is_blank


class RosterFileError(Exception):
    """The file as a whole cannot be read as a roster (wrong type, headers, empty)."""


def normalise_header(value: object) -> str:
    text = "" if value is None else str(value).strip()
    text = text.replace("(", "（").replace(")", "）").replace(" ", "")
    return text.rstrip("*＊")


class RosterReader:
    """An opened roster: the header map and an iterator over data rows.

    Cells are read with openpyxl's read-only mode, row by row, so a large
    file is never held in memory whole.
    """

    def __init__(self, file: IO[bytes]):
        check_xlsx_archive(file, error=RosterFileError)  # a zip bomb is refused before it is inflated
        try:
            self.workbook = load_workbook(file, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises zip, XML and key errors for non-xlsx input
            raise RosterFileError(_("无法读取该文件，请上传 Excel 2007 及以上版本的 .xlsx 文件。")) from exc
        if not self.workbook.worksheets:
            raise RosterFileError(_("文件中没有工作表。"))
        self.sheet = self.workbook.worksheets[0]
        self._rows = self.sheet.iter_rows(values_only=True)
        header = next(self._rows, None)
        self.positions = self._map_headers(header)
        dimension_rows = self.sheet.max_row if isinstance(self.sheet.max_row, int) else None
        self.estimated_rows = max(0, dimension_rows - 1) if dimension_rows else None

    def _map_headers(self, header: tuple[object, ...] | None) -> dict[str, int]:
        if not header or not any(cell not in (None, "") for cell in header):
            raise RosterFileError(_("文件是空的：第1行应为列名（企业名称、统一社会信用代码……），请使用下载的模板。"))
        positions: dict[str, int] = {}
        unknown: list[str] = []
        repeated: list[str] = []
        for index, cell in enumerate(header):
            name = normalise_header(cell)
            if not name:
                continue
            if name not in HEADERS:
                unknown.append(name)
            elif name in positions:
                repeated.append(name)
            else:
                positions[name] = index
        missing = [name for name in HEADERS if name not in positions]
        problems: list[str] = []
        if missing:
            problems.append(_("缺少列：%(names)s") % {"names": "、".join(missing)})
        if unknown:
            problems.append(_("无法识别的列：%(names)s") % {"names": "、".join(unknown)})
        if repeated:
            problems.append(_("重复的列：%(names)s") % {"names": "、".join(repeated)})
        if problems:
            raise RosterFileError("；".join(problems) + _("。请使用下载的模板，不要修改第1行的列名。"))
        return positions

    def count_rows(self, *, limit: int) -> int:
        """Data rows (blank ones included), counting no further than ``limit + 1``:
        for files whose writer left the sheet's size out (openpyxl's write-only mode does)."""
        count = 0
        for _values in self.sheet.iter_rows(min_row=2, values_only=True):
            count += 1
            if count > limit:
                break
        return count

    def rows(self) -> Iterator[tuple[int, dict[str, object]]]:
        """(Excel row number, {header: raw cell}) for each non-blank data row."""
        for offset, values in enumerate(self._rows, start=2):
            cells = {
                header: (values[index] if index < len(values) else None) for header, index in self.positions.items()
            }
            if all(is_blank(value) for value in cells.values()):
                continue
            yield offset, cells

    def close(self) -> None:
        self.workbook.close()
