"""Formatting of metric values for the dashboards (Chinese conventions, 不可用 vs —)."""

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.html import format_html
from django.utils.translation import gettext as _

from analytics.metrics import Kind, Metric

register = template.Library()


def _number(metric: Metric, value) -> str:
    if metric.kind == Kind.RATIO:
        return f"{value * 100:.1f}%"
    if metric.kind == Kind.COUNT:
        return intcomma(int(value))
    if metric.kind == Kind.AMOUNT:
        return intcomma(f"{value:.2f}")
    return f"{value:.1f}"


@register.simple_tag
def metric_value(metric: Metric, value, with_unit: bool = True) -> str:
    """``85.3%`` / ``1,234 家`` / 不可用 (source not built) / — (no base this month)."""
    if not metric.available:
        return format_html(
            '<span class="badge text-bg-light text-muted border" title="{}">{}</span>', metric.how, _("不可用")
        )
    if value is None:
        return format_html('<span class="text-muted" title="{}">—</span>', _("本月无统计基数"))
    text = _number(metric, value)
    if with_unit and metric.kind not in (Kind.RATIO,):
        return format_html('{}<small class="text-muted ms-1">{}</small>', text, metric.unit)
    return text


@register.simple_tag
def metric_delta(metric: Metric, value, previous) -> str:
    """The change against the month before, coloured by whether it is good."""
    if not metric.available or value is None or previous is None:
        return ""
    change = value - previous
    if metric.kind == Kind.RATIO:
        text = _("%(sign)s%(value).1f 个百分点") % {"sign": "+" if change >= 0 else "−", "value": abs(change) * 100}
    elif metric.kind == Kind.COUNT:
        text = f"{'+' if change >= 0 else '−'}{intcomma(abs(int(change)))}"
    else:
        text = f"{'+' if change >= 0 else '−'}{abs(change):.1f}"
    if not change or metric.higher_is_better is None:
        tone = "text-muted"
    else:
        tone = "text-success" if (change > 0) == metric.higher_is_better else "text-danger"
    return format_html('<span class="{}">{}</span> <span class="text-muted">{}</span>', tone, text, _("较上月"))


@register.filter
def sort_value(value) -> str:
    """The raw number for client-side sorting ("" sorts last)."""
    if value is None or isinstance(value, str):
        return ""
    return f"{value:.6f}"


@register.filter
def percent(value) -> str:
    if value is None:
        return "—"
    return f"{value * 100:.0f}%"


@register.filter
def lookup(mapping, key):
    if not mapping:
        return None
    return mapping.get(key)


@register.filter
def change_percent(value) -> str:
    """A change as a signed percentage: +12.5% / −25.0% / —."""
    if value is None:
        return "—"
    return f"{'+' if value >= 0 else '−'}{abs(value) * 100:.1f}%"
