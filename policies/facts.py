"""The facts eligibility criteria speak of: key, Chinese label, type, and how each is read.

A fact comes from one of three places:

* the enterprise's standard profile (industry, tier, ownership, employees, district, 规上 …),
  and what follows from it (企业规模 大型 / 中型 / 小型 / 微型 from employees and revenue);
* its latest operating indicators (``enterprises.OperatingIndicator``: the newest month in
  which that figure was filled in);
* ``policies.EnterpriseFact``, for what the profile does not hold yet (研发投入, 上年营收,
  高新技术企业认定 …), recorded by the grid officer, usually at a visit.

A fact nobody has recorded is ``MISSING``: criteria on it answer *unknown*, never "zero" or
"no". ``facts_for()`` reads everything for a whole queryset of enterprises in two queries.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils.translation import gettext_lazy as _

from enterprises.models import Enterprise, Industry, OperatingIndicator, Ownership, Tier


class _Missing:
    """The value of a fact nobody has recorded (falsy, and equal only to itself)."""

    def __repr__(self) -> str:
        return "MISSING"

    def __bool__(self) -> bool:
        return False


MISSING: Any = _Missing()

CHOICE = "choice"
NUMBER = "number"
BOOL = "bool"

# Which operators a criterion may use on a fact of each type.
OPERATORS: dict[str, tuple[str, ...]] = {
    CHOICE: ("eq", "ne", "in", "not_in"),
    NUMBER: ("gte", "gt", "lte", "lt", "eq"),
    BOOL: ("eq",),
}
OPERATOR_LABELS = {
    "eq": _("等于"),
    "ne": _("不等于"),
    "in": _("属于"),
    "not_in": _("不属于"),
    "gte": _("不低于"),
    "gt": _("高于"),
    "lte": _("不高于"),
    "lt": _("低于"),
}

INDICATOR_FIELDS = ("output_value", "orders_value", "capacity_use", "energy_use")


@dataclass
class EnterpriseFacts:
    """What is known about one enterprise, as criteria read it."""

    enterprise: Enterprise
    indicators: dict[str, Any] = field(default_factory=dict)
    recorded: dict[str, Any] = field(default_factory=dict)

    def value(self, key: str) -> Any:
        return FACTS[key].read(self)


@dataclass(frozen=True)
class Fact:
    key: str
    label: str
    type: str
    read: Callable[[EnterpriseFacts], Any]
    unit: str = ""
    choices: Callable[[], list[tuple[str, str]]] | None = None
    # Kept in ``EnterpriseFact`` (the profile lacks it): the officer collects it.
    recorded: bool = False
    # Worked out from other facts (企业规模 from 从业人数 and 上年营业收入): when it cannot be told,
    # those of them that are missing are what the officer is asked to collect.
    derived_from: tuple[str, ...] = ()

    def display(self, value: Any) -> str:
        """The value as a person reads it (a choice's label, 是/否, a number with its unit)."""
        if value is MISSING or value is None:
            return str(_("未知"))
        if self.type == BOOL:
            return str(_("是") if value else _("否"))
        if self.type == CHOICE:
            labels = dict(self.choices()) if self.choices else {}
            if isinstance(value, list):
                return "、".join(str(labels.get(item, item)) for item in value)
            return str(labels.get(value, value))
        number = as_number(value)
        text = f"{number.normalize():f}" if number is not None else str(value)
        return f"{text} {self.unit}".strip()


def as_number(value: Any) -> Decimal | None:
    if isinstance(value, bool) or value is None or value is MISSING:
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def _profile(attribute: str, *, zero_is_missing: bool = False) -> Callable[[EnterpriseFacts], Any]:
    def read(facts: EnterpriseFacts) -> Any:
        value = getattr(facts.enterprise, attribute)
        if value is None or value == "" or (zero_is_missing and value == 0):
            return MISSING
        return value

    return read


def _district(facts: EnterpriseFacts) -> Any:
    return facts.enterprise.grid.district.code


def _indicator(name: str) -> Callable[[EnterpriseFacts], Any]:
    def read(facts: EnterpriseFacts) -> Any:
        value = facts.indicators.get(name)
        return MISSING if value is None else value

    return read


def _recorded(key: str) -> Callable[[EnterpriseFacts], Any]:
    def read(facts: EnterpriseFacts) -> Any:
        return facts.recorded.get(key, MISSING)

    return read


SIZE_CHOICES = [("large", _("大型")), ("medium", _("中型")), ("small", _("小型")), ("micro", _("微型"))]

# 《统计上大中小微型企业划分办法（2017）》, 工业: (class, 从业人员 lower bound, 营业收入 lower bound in
# 万元). A class needs both of its lower bounds, otherwise the enterprise falls to the class below;
# 微型 is what is left.
INDUSTRIAL_SIZE_BOUNDS = (("large", 1000, 40000), ("medium", 300, 2000), ("small", 20, 300))


def _size(facts: EnterpriseFacts) -> Any:
    """大型 / 中型 / 小型 / 微型 by the national rule, or MISSING when a missing figure could change it
    (20 employees with the revenue unknown might be 小型 or 微型; 10 employees are 微型 whatever it is)."""
    employees = as_number(facts.value("employees"))
    revenue = as_number(facts.value("last_year_revenue"))
    for size, least_employees, least_revenue in INDUSTRIAL_SIZE_BOUNDS:
        meets = [
            None if employees is None else employees >= least_employees,
            None if revenue is None else revenue >= least_revenue,
        ]
        if False in meets:
            continue  # falls to the class below
        return size if all(meets) else MISSING
    return "micro"


def _district_choices() -> list[tuple[str, str]]:
    from grids.models import District

    return list(District.objects.values_list("code", "name"))


_FACT_LIST = [
    Fact("industry", _("行业"), CHOICE, _profile("industry"), choices=lambda: Industry.choices),
    Fact("tier", _("企业分类"), CHOICE, _profile("tier"), choices=lambda: Tier.choices),
    Fact("ownership", _("所有制"), CHOICE, _profile("ownership"), choices=lambda: Ownership.choices),
    Fact("district", _("所在片区"), CHOICE, _district, choices=_district_choices),
    Fact("above_scale", _("规上企业"), BOOL, _profile("above_scale")),
    # The profile's default of 0 employees means "not filled in": no enterprise runs with nobody.
    Fact("employees", _("从业人数"), NUMBER, _profile("employees", zero_is_missing=True), unit=_("人")),
    Fact(
        "size",
        _("企业规模"),
        CHOICE,
        _size,
        choices=lambda: SIZE_CHOICES,
        derived_from=("employees", "last_year_revenue"),
    ),
    Fact("registered_capital", _("注册资本"), NUMBER, _profile("registered_capital"), unit=_("万元")),
    Fact("output_value", _("最近月产值"), NUMBER, _indicator("output_value"), unit=_("万元")),
    Fact("orders_value", _("最近月订单额"), NUMBER, _indicator("orders_value"), unit=_("万元")),
    Fact("capacity_use", _("最近月产能利用率"), NUMBER, _indicator("capacity_use"), unit="%"),
    Fact("energy_use", _("最近月用电量"), NUMBER, _indicator("energy_use"), unit=_("万千瓦时")),
    Fact("rd_spend", _("研发投入（上年）"), NUMBER, _recorded("rd_spend"), unit=_("万元"), recorded=True),
    Fact("last_year_revenue", _("上年营业收入"), NUMBER, _recorded("last_year_revenue"), unit=_("万元"), recorded=True),
    Fact("high_tech_certified", _("高新技术企业认定"), BOOL, _recorded("high_tech_certified"), recorded=True),
    Fact(
        "informatization_investment",
        _("信息化项目投资"),
        NUMBER,
        _recorded("informatization_investment"),
        unit=_("万元"),
        recorded=True,
    ),
]

FACTS: dict[str, Fact] = {fact.key: fact for fact in _FACT_LIST}
RECORDED_FACTS: dict[str, Fact] = {key: fact for key, fact in FACTS.items() if fact.recorded}


def fact_choices() -> list[tuple[str, str]]:
    return [(fact.key, fact.label) for fact in _FACT_LIST]


def recorded_fact_choices() -> list[tuple[str, str]]:
    return [(fact.key, fact.label) for fact in RECORDED_FACTS.values()]


def with_latest_indicators(enterprises: QuerySet[Enterprise]) -> QuerySet[Enterprise]:
    """Annotate each enterprise with the newest filled-in month of each indicator (one query)."""
    annotations = {}
    for name in INDICATOR_FIELDS:
        newest = (
            OperatingIndicator.objects.filter(enterprise=OuterRef("pk"), **{f"{name}__isnull": False})
            .order_by("-month")
            .values(name)[:1]
        )
        annotations[f"latest_{name}"] = Subquery(newest)
    return enterprises.select_related("grid__district").annotate(**annotations)


def facts_for(
    enterprises: Iterable[Enterprise], recorded_rows: Iterable[tuple[int, str, Any]]
) -> list[EnterpriseFacts]:
    """Facts of enterprises loaded through ``with_latest_indicators``, with their recorded rows
    ``(enterprise_id, key, value)``."""
    recorded: dict[int, dict[str, Any]] = {}
    for enterprise_id, key, value in recorded_rows:
        if key in RECORDED_FACTS:
            recorded.setdefault(enterprise_id, {})[key] = value
    return [
        EnterpriseFacts(
            enterprise=enterprise,
            indicators={name: getattr(enterprise, f"latest_{name}", None) for name in INDICATOR_FIELDS},
            recorded=recorded.get(enterprise.pk, {}),
        )
        for enterprise in enterprises
    ]


def parse_recorded_value(key: str, raw: Any) -> Any:
    """A recorded fact's value from a form or API input; raises ValueError with a message."""
    fact = RECORDED_FACTS[key]
    if fact.type == BOOL:
        if isinstance(raw, bool):
            return raw
        text = str(raw).strip().lower()
        if text in ("1", "true", "yes", "是", "y"):
            return True
        if text in ("0", "false", "no", "否", "n"):
            return False
        raise ValueError(_("请填写“是”或“否”。"))
    number = as_number(raw if not isinstance(raw, str) else raw.strip())
    if number is None or not number.is_finite():
        raise ValueError(_("请填写数字。"))
    if number < 0:
        raise ValueError(_("不能为负数。"))
    if number > Decimal("1e9"):
        raise ValueError(_("数值过大。"))
    # Stored as JSON: an int when whole, else a string keeps the decimals exact.
    return int(number) if number == number.to_integral_value() else str(number.quantize(Decimal("0.01")))
