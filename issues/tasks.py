"""Celery entry points of the ledger; schedules live in settings (CELERY_BEAT_SCHEDULE)."""

from celery import shared_task
from django.utils.dateparse import parse_datetime

from issues.sweep import deadline_sweep as run_sweep


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=3)
def deadline_sweep(at: str | None = None) -> dict:
    """Hourly (beat, on the hour): due-soon warnings, overdue flags, auto-escalation.

    ``at`` (ISO 8601) runs it for another moment; safe to run twice.
    """
    result = run_sweep(now=parse_datetime(at) if at else None)
    return vars(result)
