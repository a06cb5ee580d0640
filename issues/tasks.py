"""Celery entry points of the ledger; schedules live in settings (CELERY_BEAT_SCHEDULE)."""

from celery import shared_task
from django.utils.dateparse import parse_datetime

from common.jobs import RETRY_TRANSIENT, job_lock
from issues.sweep import deadline_sweep as run_sweep


@shared_task(acks_late=True, **RETRY_TRANSIENT)
def deadline_sweep(at: str | None = None) -> dict:
    """Hourly (beat, on the hour): due-soon warnings, overdue flags, auto-escalation.

    ``at`` (ISO 8601) runs it for another moment; safe to run twice.
    """
    with job_lock("issues.deadline_sweep") as held:
        if not held:
            return {"skipped": "running"}
        return vars(run_sweep(now=parse_datetime(at) if at else None))
