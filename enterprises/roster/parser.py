"""Turning a roster row's cells into an enterprise's field values, every problem of the row collected."""

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Field, TextChoices
from django.utils import timezone
from django.utils.translation import gettext as _

from enterprises.registry.models import Enterprise, Ownership
from enterprises.registry.uscc import validate_uscc
from enterprises.roster.columns import COLUMNS, Column, chinese_labels, is_blank
from grids.models import GridTeam


@dataclass(frozen=True)
class CellError:
    row: int
    column: str
    message: str

    def as_dict(self) -> dict[str, object]:
        return {"row": self.row, "column": self.column, "message": self.message}


def _choice_lookup(choices: type[TextChoices]) -> dict[str, str]:
    """What a cell may say → value: the Chinese label, the code, and for tiers
    the short form without 企业 (龙头, 骨干, 成长型, 困难)."""
    lookup: dict[str, str] = {}
    for value, label in chinese_labels(choices).items():
        lookup[label] = value
        lookup[value.lower()] = value
        lookup[label.removesuffix("企业")] = value
    if choices is Ownership:
        lookup["混合"] = Ownership.MIXED
    return lookup


BOOL_WORDS = {"是": True, "否": False, "y": True, "n": False, "yes": True, "no": False, "true": True, "false": False}
BOOL_WORDS |= {"1": True, "0": False, "√": True, "×": False}


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
        self.max_lengths: dict[str, int] = {}
        for column in COLUMNS:
            if column.kind in ("text", "uscc"):
                # Every text column is one of the enterprise's CharFields.
                model_field = Enterprise._meta.get_field(column.field)
                assert isinstance(model_field, Field) and model_field.max_length is not None
                self.max_lengths[column.header] = model_field.max_length
        self.today = timezone.localdate()

    def parse(self, row: int, cells: dict[str, object]) -> tuple[dict[str, Any], list[CellError]]:
        values: dict[str, Any] = {}
        errors: list[CellError] = []
        for column in COLUMNS:
            raw = cells.get(column.header)
            if is_blank(raw):
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

    def _empty(self, column: Column) -> int | str | None:
        if column.kind == "int":
            return 0
        if column.kind in ("date", "decimal"):
            return None
        return ""

    def _text(self, column: Column, raw: object) -> str:
        if isinstance(raw, float) and raw.is_integer():
            raw = int(raw)  # a phone number typed into a number cell
        text = str(raw).strip()
        limit = self.max_lengths[column.header]
        if len(text) > limit:
            raise ValidationError(_("超过%(limit)d个字符。") % {"limit": limit})
        return text

    def _uscc(self, column: Column, raw: object) -> str:
        code = str(raw).strip().upper()
        validate_uscc(code)
        return code

    def _choice(self, column: Column, raw: object) -> str:
        text = str(raw).strip()
        value = self.lookups[column.header].get(text) or self.lookups[column.header].get(text.lower())
        if value is None:
            assert column.choices is not None  # only a choice column is read as a choice
            allowed = "、".join(chinese_labels(column.choices).values())
            raise ValidationError(_("无法识别“%(value)s”，可填：%(allowed)s。") % {"value": text, "allowed": allowed})
        return value

    def _bool(self, column: Column, raw: object) -> bool:
        if isinstance(raw, bool):
            return raw
        text = str(raw).strip().lower()
        if text.endswith(".0"):
            text = text[:-2]
        if text not in BOOL_WORDS:
            raise ValidationError(_("应填“是”或“否”，不能是“%(value)s”。") % {"value": raw})
        return BOOL_WORDS[text]

    def _grid(self, column: Column, raw: object) -> GridTeam:
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

    def _int(self, column: Column, raw: object) -> int:
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

    def _decimal(self, column: Column, raw: object) -> Decimal:
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

    def _date(self, column: Column, raw: object) -> datetime.date:
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
    lookup: dict[str, GridTeam] = {}
    for grid in GridTeam.objects.only("id", "code", "name"):
        lookup[grid.code] = grid
        lookup.setdefault(grid.name, grid)
    return lookup
