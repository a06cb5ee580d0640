"""The Excel roster (企业名册): its columns and the row-by-row reading and
parsing that the import (``enterprises.roster_import``) builds on; the
template and the export are written by ``enterprises.exports``.

The file is a contract with the people who fill it in, so its headers, choice
values and instructions are the Chinese ones whatever language the page is
shown in (they are not translated), and an export re-imports as it is (same
headers, same values). Messages about a file are translated as usual.
"""

import datetime
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import IO

from django.core.exceptions import ValidationError
from django.db.models import TextChoices
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from common.files import check_xlsx_archive
from enterprises.models import Enterprise, Industry, Ownership, Tier
from enterprises.uscc import validate_uscc
from grids.models import GridTeam

SHEET_TITLE = "企业名册"
YES, NO = "是", "否"


@dataclass(frozen=True)
class Column:
    header: str
    field: str
    kind: str  # text, uscc, choice, bool, grid, int, date, decimal
    required: bool = False
    choices: type[TextChoices] | None = None
    width: int = 14
    hint: str = ""


COLUMNS: tuple[Column, ...] = (
    Column("企业名称", "name", "text", required=True, width=32),
    Column("统一社会信用代码", "uscc", "uscc", required=True, width=22, hint="18位，含校验位"),
    Column("所有制", "ownership", "choice", required=True, choices=Ownership),
    Column("行业", "industry", "choice", required=True, choices=Industry, width=16),
    Column("规上企业", "above_scale", "bool", required=True, width=10, hint="填“是”或“否”"),
    Column("企业分类", "tier", "choice", required=True, choices=Tier, width=12),
    Column("网格编号", "grid", "grid", required=True, width=10, hint="网格工作组编号，如 01"),
    Column("地址", "address", "text", width=36),
    Column("法定代表人", "legal_representative", "text", width=12),
    Column("联系电话", "phone", "text", width=16),
    Column("从业人数", "employees", "int", width=10, hint="整数，不填视为0"),
    Column("成立日期", "founded_on", "date", width=12, hint="如 2015-06-30"),
    Column("注册资本（万元）", "registered_capital", "decimal", width=16, hint="数字，单位万元"),
    Column("主营产品", "main_products", "text", width=30),
)
HEADERS = tuple(column.header for column in COLUMNS)


class RosterFileError(Exception):
    """The file as a whole cannot be read as a roster (wrong type, headers, empty)."""


@dataclass(frozen=True)
class CellError:
    row: int
    column: str
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}


# --- Chinese labels, independent of the active language ----------------------


def chinese_labels(choices: type[TextChoices]) -> dict[str, str]:
    """value → Chinese label, even when the page is shown in English."""
    with translation.override("zh-hans"):
        return {value: str(label) for value, label in choices.choices}


def _choice_lookup(choices: type[TextChoices]) -> dict[str, str]:
    """What a cell may say → value: the Chinese label, the code, and for tiers
    the short form without 企业 (龙头, 骨干, 成长型, 困难)."""
    lookup = {}
    for value, label in chinese_labels(choices).items():
        lookup[label] = value
        lookup[value.lower()] = value
        lookup[label.removesuffix("企业")] = value
    if choices is Ownership:
        lookup["混合"] = Ownership.MIXED
    return lookup


BOOL_WORDS = {"是": True, "否": False, "y": True, "n": False, "yes": True, "no": False, "true": True, "false": False}
BOOL_WORDS |= {"1": True, "0": False, "√": True, "×": False}


def normalise_header(value) -> str:
    text = "" if value is None else str(value).strip()
    text = text.replace("(", "（").replace(")", "）").replace(" ", "")
    return text.rstrip("*＊")


# --- Reading a file ------------------------------------------------------------


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

    def _map_headers(self, header) -> dict[str, int]:
        if not header or not any(cell not in (None, "") for cell in header):
            raise RosterFileError(_("文件是空的：第1行应为列名（企业名称、统一社会信用代码……），请使用下载的模板。"))
        positions: dict[str, int] = {}
        unknown, repeated = [], []
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
        problems = []
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
            if all(_blank(value) for value in cells.values()):
                continue
            yield offset, cells

    def close(self) -> None:
        self.workbook.close()


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


# --- Turning cells into field values -------------------------------------------


class RowParser:
    """Checks and converts one row's cells; collects every problem of the row.

    ``grids`` maps what a 网格编号 cell may say (code or name) to the grid;
    ``allowed_grid_ids`` is None for importers who may use every grid.
    """

    def __init__(self, *, grids: dict[str, GridTeam], allowed_grid_ids: frozenset[int] | None):
        self.grids = grids
        self.allowed_grid_ids = allowed_grid_ids
        self.lookups = {column.header: _choice_lookup(column.choices) for column in COLUMNS if column.choices}
        self.max_lengths = {
            column.header: Enterprise._meta.get_field(column.field).max_length
            for column in COLUMNS
            if column.kind in ("text", "uscc")
        }
        self.today = timezone.localdate()

    def parse(self, row: int, cells: dict[str, object]) -> tuple[dict, list[CellError]]:
        values, errors = {}, []
        for column in COLUMNS:
            raw = cells.get(column.header)
            if _blank(raw):
                if column.required:
                    errors.append(CellError(row, column.header, _("必填项为空。")))
                else:
                    values[column.field] = self._empty(column)
                continue
            try:
                values[column.field] = getattr(self, f"_{column.kind}")(column, raw)
            except ValidationError as error:
                errors.append(CellError(row, column.header, " ".join(error.messages)))
        return values, errors

    def _empty(self, column: Column):
        if column.kind == "int":
            return 0
        if column.kind in ("date", "decimal"):
            return None
        return ""

    def _text(self, column: Column, raw) -> str:
        if isinstance(raw, float) and raw.is_integer():
            raw = int(raw)  # a phone number typed into a number cell
        text = str(raw).strip()
        limit = self.max_lengths[column.header]
        if len(text) > limit:
            raise ValidationError(_("超过%(limit)d个字符。") % {"limit": limit})
        return text

    def _uscc(self, column: Column, raw) -> str:
        code = str(raw).strip().upper()
        validate_uscc(code)
        return code

    def _choice(self, column: Column, raw) -> str:
        text = str(raw).strip()
        value = self.lookups[column.header].get(text) or self.lookups[column.header].get(text.lower())
        if value is None:
            allowed = "、".join(chinese_labels(column.choices).values())
            raise ValidationError(_("无法识别“%(value)s”，可填：%(allowed)s。") % {"value": text, "allowed": allowed})
        return value

    def _bool(self, column: Column, raw) -> bool:
        if isinstance(raw, bool):
            return raw
        text = str(raw).strip().lower()
        if text.endswith(".0"):
            text = text[:-2]
        if text not in BOOL_WORDS:
            raise ValidationError(_("应填“是”或“否”，不能是“%(value)s”。") % {"value": raw})
        return BOOL_WORDS[text]

    def _grid(self, column: Column, raw) -> GridTeam:
        if isinstance(raw, float) and raw.is_integer():
            raw = int(raw)
        text = str(raw).strip()
        grid = self.grids.get(text)
        if grid is None and text.isascii() and text.isdigit():
            grid = self.grids.get(f"{int(text):02d}")  # 01 typed into a number cell arrives as 1
        if grid is None:
            raise ValidationError(_("网格编号“%(code)s”不存在。") % {"code": text})
        if self.allowed_grid_ids is not None and grid.pk not in self.allowed_grid_ids:
            raise ValidationError(_("网格“%(code)s”不在您负责的片区，不能导入。") % {"code": grid.code})
        return grid

    def _int(self, column: Column, raw) -> int:
        if isinstance(raw, bool):
            raise ValidationError(_("应为整数。"))
        if isinstance(raw, int):
            number = raw
        elif isinstance(raw, float) and raw.is_integer():
            number = int(raw)
        else:
            text = str(raw).strip().replace(",", "").replace("，", "")
            if not re.fullmatch(r"-?\d+", text):
                raise ValidationError(_("应为整数，不能是“%(value)s”。") % {"value": raw})
            number = int(text)
        if number < 0:
            raise ValidationError(_("不能为负数。"))
        if number > 2_147_483_647:
            raise ValidationError(_("数值过大。"))
        return number

    def _decimal(self, column: Column, raw) -> Decimal:
        if isinstance(raw, bool):
            raise ValidationError(_("应为数字。"))
        text = str(raw).strip().replace(",", "").replace("，", "")
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValidationError(_("应为数字，不能是“%(value)s”。") % {"value": raw}) from None
        if not number.is_finite():
            raise ValidationError(_("应为数字，不能是“%(value)s”。") % {"value": raw})
        if number < 0:
            raise ValidationError(_("不能为负数。"))
        number = number.quantize(Decimal("0.01"))
        if len(number.as_tuple().digits) > 14:
            raise ValidationError(_("数值过大。"))
        return number

    def _date(self, column: Column, raw) -> datetime.date:
        if isinstance(raw, datetime.datetime):
            value = raw.date()
        elif isinstance(raw, datetime.date):
            value = raw
        else:
            value = _parse_date_text(str(raw).strip())
        if value > self.today:
            raise ValidationError(_("日期不能晚于今天。"))
        return value


DATE_PATTERN = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


def _parse_date_text(text: str) -> datetime.date:
    match = DATE_PATTERN.match(text) or re.match(r"^(\d{4})(\d{2})(\d{2})$", text)
    try:
        if match:
            return datetime.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        pass
    raise ValidationError(_("日期格式不正确（“%(value)s”），应如 2015-06-30。") % {"value": text})


def grid_lookup() -> dict[str, GridTeam]:
    """Every grid by its code and by its name."""
    lookup = {}
    for grid in GridTeam.objects.only("id", "code", "name"):
        lookup[grid.code] = grid
        lookup.setdefault(grid.name, grid)
    return lookup
