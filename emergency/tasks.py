"""Celery entry points of emergency incidents; the schedule lives in settings (CELERY_BEAT_SCHEDULE)."""

from celery import shared_task
from django.utils.dateparse import parse_datetime

from common.jobs import RETRY_TRANSIENT, job_lock
from emergency.notices import notices_send


class NoticesFailed(Exception):
    """Some notices did not arrive; the retry sends those (and only those)."""


@shared_task(acks_late=True, autoretry_for=(NoticesFailed,), retry_backoff=True, max_retries=6)
def send_incident_notices(incident_id: int) -> dict:
    """Tell every affected enterprise's users, their grid officers and the group robots.

    Queued after the declaration commits; safe to run twice or after a crash (a claimed
    notice is never sent again, see ``emergency.notices``).
    """
    result = notices_send(incident_id=incident_id)
    if result.failed:
        raise NoticesFailed("; ".join(result.errors)[:500])
    return {"sent": result.sent, "failed": result.failed, "skipped": result.skipped}


@shared_task(acks_late=True, **RETRY_TRANSIENT)
def escalate_unacknowledged(at: str | None = None) -> dict:
    """Every 5 minutes (beat): unacknowledged enterprises become call tasks; safe to run twice."""
    from emergency.services import escalate_unacknowledged as run

    with job_lock("emergency.escalate_unacknowledged") as held:
        if not held:
            return {"skipped": "running"}
        return vars(run(now=parse_datetime(at) if at else None))
