"""Small display helpers for the field-work pages."""

import datetime

from django import template

from common.periods import IsoWeek, local_today

register = template.Library()


@register.filter
def last_day(due_before: datetime.date | None) -> datetime.date | None:
    """The last day to do it: ``due_before`` is the first day it is late."""
    return due_before - datetime.timedelta(days=1) if due_before else None


@register.filter
def days_overdue(due_before: datetime.date | None) -> int:
    """Whole days past the last day (1 on the first late day)."""
    if not due_before:
        return 0
    return max((local_today() - due_before).days + 1, 0)


@register.filter
def iso_week_label(monday: datetime.date | None) -> str:
    return IsoWeek.of(monday).label() if monday else ""


@register.filter
def iso_week_short(monday: datetime.date | None) -> str:
    return IsoWeek.of(monday).short_label() if monday else ""


@register.filter
def label_parts(label) -> tuple[str, str]:
    """ "点对点（上门）" → ("点对点", "上门"): the note goes on a second, smaller line."""
    text = str(label)
    if text.endswith("）") and "（" in text:
        main, note = text[:-1].split("（", 1)
        return main, note
    return text, ""
