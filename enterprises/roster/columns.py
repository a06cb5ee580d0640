"""The Excel roster (企业名册): its file format — sheet, columns, Chinese labels.

The reader (``enterprises.roster.reader``) opens a file in this format, the parser
(``enterprises.roster.parser``) checks and converts its cells, the import job
(``enterprises.roster.imports``) builds on both; the template and the export are
written by ``enterprises.roster.exports``.

The file is a contract with the people who fill it in, so its headers, choice
values and instructions are the Chinese ones whatever language the page is
shown in (they are not translated), and an export re-imports as it is (same
headers, same values). Messages about a file are translated as usual.
"""

from dataclasses import dataclass

from django.db.models import TextChoices
from django.utils import translation

from common.excel import choice_labels
from enterprises.registry.models import Industry, Ownership, Tier

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


# --- Chinese labels, independent of the active language ----------------------


def chinese_labels(choices: type[TextChoices]) -> dict[str, str]:
    """value → Chinese label, even when the page is shown in English."""
    with translation.override("zh-hans"):
        return choice_labels(choices.choices)


def is_blank(value: object) -> bool:
    """An empty cell, or one with only spaces."""
    return value is None or (isinstance(value, str) and not value.strip())
