"""Celery tasks for the weekly close and the monthly analysis.

Beat runs them (``CELERY_BEAT_SCHEDULE`` in settings, copied into
django-celery-beat's tables so that an admin can move or pause them):
``run_weekly`` on Monday 08:00 for the previous ISO week and ``run_monthly``
on the 1st at 06:00 for the previous month, Asia/Shanghai. Both take the
period as text so that a retry or a manual run names it exactly; both are
idempotent, so ``acks_late`` redelivery after a lost worker and the
automatic retries on a database hiccup are safe.
"""

from celery import shared_task
from django.db import DatabaseError

from analytics.monthly import monthly_analysis_run
from analytics.weekly import weekly_close_run
from common.periods import IsoWeek, Month, previous_month, previous_week

RETRY = {
    "bind": True,
    "acks_late": True,
    "autoretry_for": (DatabaseError,),
    "retry_backoff": 30,
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "max_retries": 5,
}


@shared_task(**RETRY)
def run_weekly(self, week: str | None = None) -> dict:
    """Close ``week`` (e.g. ``2026-W45``), by default the ISO week before this one."""
    period = IsoWeek.parse(week) if week else previous_week()
    result = weekly_close_run(week=period)
    return {
        "week": period.code,
        "expected": result.close.expected,
        "missed": result.close.missed,
        "suggestions": result.suggestions_created,
        "notifications": result.notifications_sent,
    }


@shared_task(**RETRY)
def run_monthly(self, month: str | None = None) -> dict:
    """Analyse ``month`` (e.g. ``2026-10``), by default the month before this one."""
    period = Month.parse(month) if month else previous_month()
    result = monthly_analysis_run(month=period)
    return {"month": str(period), "rows": result.rows, "removed": result.removed, "workbooks": result.workbooks}
