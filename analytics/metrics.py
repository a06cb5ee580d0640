"""Every figure the dashboards, snapshots, API and Excel report show, defined once.

A metric has a key (the key in ``MonthlyReport.metrics``), a Chinese label, a
unit, and a sentence saying how it is computed; the aggregation itself lives in
``analytics.aggregates`` (enterprise, field-work and ledger figures) and
``analytics.evaluation`` (量化评价). Values are stored as plain JSON numbers:
counts as integers, rates as fractions between 0 and 1 (shown as percentages),
amounts in the unit named here. ``None`` means "no base this month" (for
example no issue fell due, so there is no on-time rate) and is shown as "—".

Metrics whose source app does not exist yet (policies, platforms) are marked
``available=False``: they show as 不可用 (not available), never as zero. The
issue that builds that app sets ``available=True`` and adds its aggregation.
"""

from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from common import excel


class Kind(StrEnum):
    COUNT = "count"
    RATIO = "ratio"
    AMOUNT = "amount"
    DAYS = "days"
    SCORE = "score"


class Better(StrEnum):
    """Which way a metric improves."""

    HIGHER = "higher"
    LOWER = "lower"


class Dimension(StrEnum):
    """What a MonthlyReport row is about (its ``scope_type``)."""

    ZONE = "zone"
    DISTRICT = "district"
    GRID = "grid"
    TIER = "tier"
    INDUSTRY = "industry"
    BUREAU = "bureau"
    CATEGORY = "category"
    OFFICER = "officer"


DIMENSION_LABELS = {
    Dimension.ZONE: _("园区"),
    Dimension.DISTRICT: _("片区"),
    Dimension.GRID: _("网格工作组"),
    Dimension.TIER: _("企业分类"),
    Dimension.INDUSTRY: _("行业"),
    Dimension.BUREAU: _("承办科室"),
    Dimension.CATEGORY: _("问题类别"),
    Dimension.OFFICER: _("网格员"),
}

ENTERPRISE_DIMENSIONS = frozenset(
    {Dimension.ZONE, Dimension.DISTRICT, Dimension.GRID, Dimension.TIER, Dimension.INDUSTRY}
)
ISSUE_DIMENSIONS = ENTERPRISE_DIMENSIONS | {Dimension.BUREAU, Dimension.CATEGORY}
AREA_DIMENSIONS = frozenset({Dimension.ZONE, Dimension.DISTRICT})
TEAM_DIMENSIONS = frozenset({Dimension.GRID, Dimension.OFFICER})


@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    unit: str
    kind: Kind
    how: str
    dimensions: frozenset
    # Which way is better (heat colouring and the trend arrows); None: neither.
    better: "Better | None" = None
    available: bool = True

    @property
    def higher_is_better(self) -> bool | None:
        return None if self.better is None else self.better == Better.HIGHER

    @property
    def excel_format(self) -> str:
        """Excel number format (``common.excel``): an amount's unit is in its heading, never in the format."""
        return EXCEL_FORMATS[self.kind]

    @property
    def shows_unit_in_format(self) -> bool:
        """A rate's percentage format shows its unit; every other value needs it named beside it."""
        return self.kind == Kind.RATIO

    @property
    def heading(self) -> str:
        """Column heading: the label with its unit (产值（万元）), except a rate's, whose cell shows it."""
        if self.shows_unit_in_format:
            return str(self.label)
        return excel.with_unit(str(self.label), str(self.unit))


EXCEL_FORMATS = {
    Kind.COUNT: excel.INTEGER_FORMAT,
    Kind.RATIO: excel.PERCENT_FORMAT,
    Kind.AMOUNT: excel.AMOUNT_FORMAT,
    Kind.DAYS: excel.ONE_DECIMAL_FORMAT,
    Kind.SCORE: excel.ONE_DECIMAL_FORMAT,
}


def _metric(key, label, unit, kind, how, dimensions, *, better=None, available=True) -> Metric:
    return Metric(key, label, unit, kind, how, frozenset(dimensions), better=better, available=available)


UNIT_ENTERPRISES, UNIT_TIMES, UNIT_ISSUES, UNIT_PERCENT = _("家"), _("次"), _("件"), "%"

_DEFINITIONS = [
    # --- Enterprises and field work -------------------------------------------------
    _metric(
        "enterprises",
        _("企业数"),
        UNIT_ENTERPRISES,
        Kind.COUNT,
        _("统计时在册的工业企业数。"),
        ENTERPRISE_DIMENSIONS | TEAM_DIMENSIONS,
    ),
    _metric(
        "visited_enterprises",
        _("已走访企业"),
        UNIT_ENTERPRISES,
        Kind.COUNT,
        _("当月至少有一条走访记录的企业数（网格员按本人登记计）。"),
        ENTERPRISE_DIMENSIONS | TEAM_DIMENSIONS,
        better=Better.HIGHER,
    ),
    _metric(
        "visit_coverage",
        _("走访覆盖率"),
        UNIT_PERCENT,
        Kind.RATIO,
        _("已走访企业 ÷ 企业数。"),
        ENTERPRISE_DIMENSIONS | TEAM_DIMENSIONS,
        better=Better.HIGHER,
    ),
    _metric(
        "visits",
        _("走访次数"),
        UNIT_TIMES,
        Kind.COUNT,
        _("当月（北京时间）登记的走访记录数。"),
        ENTERPRISE_DIMENSIONS | TEAM_DIMENSIONS,
        better=Better.HIGHER,
    ),
    _metric(
        "tracking_expected",
        _("应跟踪次数"),
        UNIT_TIMES,
        Kind.COUNT,
        _("重点企业（龙头、骨干、困难）每个ISO周一次（周一在当月的周），成长型企业每月一次。"),
        ENTERPRISE_DIMENSIONS | TEAM_DIMENSIONS,
    ),
    _metric(
        "tracking_done",
        _("已跟踪次数"),
        UNIT_TIMES,
        Kind.COUNT,
        _("重点企业当月各周已填报的周跟踪数，加上当月有周跟踪的成长型企业数。"),
        ENTERPRISE_DIMENSIONS | TEAM_DIMENSIONS,
        better=Better.HIGHER,
    ),
    _metric(
        "tracking_completion",
        _("跟踪完成率"),
        UNIT_PERCENT,
        Kind.RATIO,
        _("已跟踪次数 ÷ 应跟踪次数。"),
        ENTERPRISE_DIMENSIONS | TEAM_DIMENSIONS,
        better=Better.HIGHER,
    ),
    _metric(
        "tracking_timely",
        _("按时跟踪次数"),
        UNIT_TIMES,
        Kind.COUNT,
        _("已跟踪次数中，在所跟踪的ISO周结束前（北京时间周日24时前）填报的。"),
        ENTERPRISE_DIMENSIONS | TEAM_DIMENSIONS,
        better=Better.HIGHER,
    ),
    _metric(
        "tracking_timeliness",
        _("跟踪及时率"),
        UNIT_PERCENT,
        Kind.RATIO,
        _("按时跟踪次数 ÷ 应跟踪次数。"),
        ENTERPRISE_DIMENSIONS | TEAM_DIMENSIONS,
        better=Better.HIGHER,
    ),
    _metric("headcount", _("在岗人数"), _("人"), Kind.COUNT, _("当月用工情况中在岗人数之和。"), ENTERPRISE_DIMENSIONS),
    _metric(
        "employment_change",
        _("用工变化"),
        _("人"),
        Kind.COUNT,
        _("当月与上月均有用工数据的企业，在岗人数之差的合计。"),
        ENTERPRISE_DIMENSIONS,
        better=Better.HIGHER,
    ),
    _metric(
        "output_value",
        _("产值"),
        _("万元"),
        Kind.AMOUNT,
        _("当月经营指标中产值之和。"),
        ENTERPRISE_DIMENSIONS,
        better=Better.HIGHER,
    ),
    _metric(
        "tier_leading",
        _("龙头企业"),
        UNIT_ENTERPRISES,
        Kind.COUNT,
        _("当前分类为龙头企业的企业数。"),
        ENTERPRISE_DIMENSIONS,
    ),
    _metric(
        "tier_backbone",
        _("骨干企业"),
        UNIT_ENTERPRISES,
        Kind.COUNT,
        _("当前分类为骨干企业的企业数。"),
        ENTERPRISE_DIMENSIONS,
    ),
    _metric(
        "tier_growth",
        _("成长型企业"),
        UNIT_ENTERPRISES,
        Kind.COUNT,
        _("当前分类为成长型企业的企业数。"),
        ENTERPRISE_DIMENSIONS,
    ),
    _metric(
        "tier_struggling",
        _("困难企业"),
        UNIT_ENTERPRISES,
        Kind.COUNT,
        _("当前分类为困难企业的企业数。"),
        ENTERPRISE_DIMENSIONS,
        better=Better.LOWER,
    ),
    _metric(
        "tier_changes",
        _("分类调整"),
        UNIT_TIMES,
        Kind.COUNT,
        _("当月的企业分类调整次数（不含建档）。"),
        ENTERPRISE_DIMENSIONS,
    ),
    # --- The issue ledger --------------------------------------------------------------
    _metric(
        "issues_opened",
        _("新增问题"),
        UNIT_ISSUES,
        Kind.COUNT,
        _("当月登记的问题数（不含合并的重复件）。"),
        ISSUE_DIMENSIONS,
    ),
    _metric(
        "issues_resolved",
        _("办结问题"),
        UNIT_ISSUES,
        Kind.COUNT,
        _("当月办结的问题数。"),
        ISSUE_DIMENSIONS,
        better=Better.HIGHER,
    ),
    _metric(
        "issues_closed",
        _("销号问题"),
        UNIT_ISSUES,
        Kind.COUNT,
        _("当月销号的问题数。"),
        ISSUE_DIMENSIONS,
        better=Better.HIGHER,
    ),
    _metric(
        "issues_open",
        _("未销号问题"),
        UNIT_ISSUES,
        Kind.COUNT,
        _("月末（或此刻）已登记、尚未销号的问题数（不含不予立案和合并件）。"),
        ISSUE_DIMENSIONS,
        better=Better.LOWER,
    ),
    _metric(
        "issues_overdue",
        _("超期问题"),
        UNIT_ISSUES,
        Kind.COUNT,
        _("月末（或此刻）已过办结时限仍未办结的问题数。"),
        ISSUE_DIMENSIONS,
        better=Better.LOWER,
    ),
    _metric("issues_due", _("到期问题"), UNIT_ISSUES, Kind.COUNT, _("办结时限落在当月的问题数。"), ISSUE_DIMENSIONS),
    _metric(
        "issues_closed_due",
        _("到期已销号"),
        UNIT_ISSUES,
        Kind.COUNT,
        _("到期问题中已销号的。"),
        ISSUE_DIMENSIONS,
        better=Better.HIGHER,
    ),
    _metric(
        "issues_on_time",
        _("按期办结"),
        UNIT_ISSUES,
        Kind.COUNT,
        _("到期问题中已销号、且在办结时限当日或之前办结的。"),
        ISSUE_DIMENSIONS,
        better=Better.HIGHER,
    ),
    _metric(
        "closure_rate",
        _("结案率"),
        UNIT_PERCENT,
        Kind.RATIO,
        _("到期问题中已销号的 ÷ 到期问题（与问题台账口径一致）。"),
        ISSUE_DIMENSIONS,
        better=Better.HIGHER,
    ),
    _metric(
        "on_time_rate",
        _("按期结案率"),
        UNIT_PERCENT,
        Kind.RATIO,
        _("到期问题中已销号、且在办结时限当日或之前办结的 ÷ 到期问题（与问题台账口径一致）。"),
        ISSUE_DIMENSIONS,
        better=Better.HIGHER,
    ),
    _metric(
        "avg_days_to_resolve",
        _("平均办结用时"),
        _("工作日"),
        Kind.DAYS,
        _("当月销号问题从立案到办结的工作日数（按法定节假日和调休）的平均值。"),
        ISSUE_DIMENSIONS,
        better=Better.LOWER,
    ),
    _metric(
        "issues_reopened",
        _("重新办理问题"),
        UNIT_ISSUES,
        Kind.COUNT,
        _("到期问题中曾因企业不满意而重新办理的。"),
        ISSUE_DIMENSIONS,
        better=Better.LOWER,
    ),
    _metric(
        "reopen_rate",
        _("重新办理率"),
        UNIT_PERCENT,
        Kind.RATIO,
        _("到期问题中曾因企业不满意而重新办理的 ÷ 到期问题。"),
        ISSUE_DIMENSIONS,
        better=Better.LOWER,
    ),
    _metric(
        "feedback_count",
        _("企业评价"),
        UNIT_ISSUES,
        Kind.COUNT,
        _("当月企业提交的办理评价数。"),
        ISSUE_DIMENSIONS | TEAM_DIMENSIONS,
    ),
    _metric(
        "feedback_satisfied",
        _("满意评价"),
        UNIT_ISSUES,
        Kind.COUNT,
        _("当月评价中“满意”和“基本满意”的。"),
        ISSUE_DIMENSIONS | TEAM_DIMENSIONS,
        better=Better.HIGHER,
    ),
    _metric(
        "satisfaction_rate",
        _("满意率"),
        UNIT_PERCENT,
        Kind.RATIO,
        _("当月评价中“满意”和“基本满意”的 ÷ 当月评价数。"),
        ISSUE_DIMENSIONS | TEAM_DIMENSIONS,
        better=Better.HIGHER,
    ),
    _metric(
        "grid_issues_due",
        _("网格级到期问题"),
        UNIT_ISSUES,
        Kind.COUNT,
        _("由网格办理、办结时限落在当月的问题数（网格员按本人经办计）。"),
        ISSUE_DIMENSIONS | TEAM_DIMENSIONS,
    ),
    _metric(
        "grid_issues_on_time",
        _("网格级按期办结"),
        UNIT_ISSUES,
        Kind.COUNT,
        _("网格级到期问题中已销号且按期办结的。"),
        ISSUE_DIMENSIONS | TEAM_DIMENSIONS,
        better=Better.HIGHER,
    ),
    _metric(
        "grid_on_time_rate",
        _("网格级按期结案率"),
        UNIT_PERCENT,
        Kind.RATIO,
        _("网格级到期问题中已销号且按期办结的 ÷ 网格级到期问题。"),
        ISSUE_DIMENSIONS | TEAM_DIMENSIONS,
        better=Better.HIGHER,
    ),
    # --- Policies and platforms: not built yet, shown as 不可用 -------------------------
    _metric(
        "support_funds",
        _("争取支持资金"),
        _("万元"),
        Kind.AMOUNT,
        _("当月拨付到位的各级扶持资金，按拨付日期计（资金申报模块）。"),
        AREA_DIMENSIONS,
        better=Better.HIGHER,
    ),
    _metric(
        "support_funds_central",
        _("中央资金"),
        _("万元"),
        Kind.AMOUNT,
        _("中央财政专项资金，按拨付日期计。"),
        AREA_DIMENSIONS,
        better=Better.HIGHER,
    ),
    _metric(
        "support_funds_municipal",
        _("市级资金"),
        _("万元"),
        Kind.AMOUNT,
        _("市级政策资金（如企业信息化专项资金），按拨付日期计。"),
        AREA_DIMENSIONS,
        better=Better.HIGHER,
    ),
    _metric(
        "support_funds_local",
        _("区级及园区资金"),
        _("万元"),
        Kind.AMOUNT,
        _("区级和园区扶持资金，按拨付日期计。"),
        AREA_DIMENSIONS,
        better=Better.HIGHER,
    ),
    _metric(
        "financing_credit",
        _("授信"),
        _("亿元"),
        Kind.AMOUNT,
        _("银企对接获得的授信，按获批日期计（银企对接平台）。"),
        AREA_DIMENSIONS,
        better=Better.HIGHER,
    ),
    _metric(
        "financing_loans",
        _("贷款"),
        _("亿元"),
        Kind.AMOUNT,
        _("发放的贷款，按发放日期计，不含人民银行专项再贷款（银企对接平台）。"),
        AREA_DIMENSIONS,
        better=Better.HIGHER,
    ),
    _metric(
        "financing_extensions",
        _("续贷展期"),
        _("亿元"),
        Kind.AMOUNT,
        _("获批的续贷和展期金额，按获批日期计（银企对接平台）。"),
        AREA_DIMENSIONS,
        better=Better.HIGHER,
    ),
    _metric(
        "financing_reloans",
        _("专项再贷款"),
        _("亿元"),
        Kind.AMOUNT,
        _("人民银行专项再贷款，按发放日期计，单独统计（银企对接平台）。"),
        AREA_DIMENSIONS,
        better=Better.HIGHER,
    ),
    _metric(
        "worker_transfers",
        _("人员调剂"),
        _("人次"),
        Kind.COUNT,
        _("共享用工调剂的员工人次，按调剂开始日期计，计入用工企业所在片区（人力资源平台）。"),
        AREA_DIMENSIONS,
        better=Better.HIGHER,
    ),
    _metric(
        "space_leases",
        _("载体租赁"),
        _("宗"),
        Kind.COUNT,
        _("租用闲置厂房、土地的租赁，按起租日期计，计入载体所在片区（产业载体平台）。"),
        AREA_DIMENSIONS,
        better=Better.HIGHER,
    ),
    _metric(
        "in_zone_purchasing",
        _("园区内配采购"),
        _("万元"),
        Kind.AMOUNT,
        _("园区企业之间的内配成交金额，按成交日期计，计入采购企业所在片区（企业内配平台）。"),
        AREA_DIMENSIONS,
        better=Better.HIGHER,
    ),
    _metric(
        "platform_proposals",
        _("平台推荐匹配"),
        _("条"),
        Kind.COUNT,
        _("企业内配、人力资源和产业载体平台新推荐的供需匹配。"),
        AREA_DIMENSIONS,
        better=Better.HIGHER,
    ),
    _metric(
        "platform_agreed",
        _("匹配达成"),
        _("条"),
        Kind.COUNT,
        _("确认达成的供需匹配（企业内配、人力资源和产业载体平台）。"),
        AREA_DIMENSIONS,
        better=Better.HIGHER,
    ),
    # --- 量化评价 (see analytics.evaluation) ------------------------------------------------
    _metric(
        "evaluation_score",
        _("量化评价得分"),
        _("分"),
        Kind.SCORE,
        _("走访覆盖、跟踪及时、网格级按期结案和企业满意四项的加权得分（百分制），公式和权重见看板的评价说明。"),
        TEAM_DIMENSIONS | AREA_DIMENSIONS,
        better=Better.HIGHER,
    ),
]

METRICS: dict[str, Metric] = {metric.key: metric for metric in _DEFINITIONS}


def metric(key: str) -> Metric:
    return METRICS[key]


def metrics_for(dimension: str) -> list[Metric]:
    return [m for m in _DEFINITIONS if dimension in m.dimensions]


# The KPI cards on the dashboards, in display order.
KPI_KEYS = (
    "enterprises",
    "visit_coverage",
    "visits",
    "tracking_completion",
    "issues_opened",
    "issues_resolved",
    "issues_overdue",
    "on_time_rate",
    "avg_days_to_resolve",
    "satisfaction_rate",
    "employment_change",
    "support_funds",
    "financing_loans",
    "worker_transfers",
)

# Columns of the district and grid comparison tables.
COMPARISON_KEYS = (
    "enterprises",
    "visit_coverage",
    "visits",
    "tracking_completion",
    "issues_opened",
    "issues_overdue",
    "on_time_rate",
    "satisfaction_rate",
    "evaluation_score",
)

# The 12-month trend chart.
TREND_KEYS = ("visits", "issues_opened", "issues_resolved", "issues_overdue")
TREND_RATE_KEYS = ("visit_coverage", "tracking_completion", "on_time_rate")

# What a district row keeps of its issues per category and per handling bureau
# (the monthly snapshot stores them, the workbook shows them).
CATEGORY_BREAKDOWN_KEYS = ("issues_opened", "issues_resolved", "issues_open", "issues_overdue")
BUREAU_BREAKDOWN_KEYS = (
    "issues_opened",
    "issues_resolved",
    "issues_open",
    "issues_overdue",
    "issues_due",
    "on_time_rate",
    "avg_days_to_resolve",
)

TIER_KEYS = ("tier_leading", "tier_backbone", "tier_growth", "tier_struggling")
UNAVAILABLE_KEYS = tuple(m.key for m in _DEFINITIONS if not m.available)


def ratio(numerator, denominator) -> float | None:
    """A rate rounded for storage; None when there is no base."""
    if not denominator:
        return None
    return round(min(numerator or 0, denominator) / denominator, 4)
