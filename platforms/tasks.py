"""Jobs of the matchmaking platforms."""

from celery import shared_task

from common.jobs import RETRY_TRANSIENT, job_lock
from platforms.matching import proposals_expire


@shared_task(name="platforms.tasks.expire_proposals", acks_late=True, **RETRY_TRANSIENT)
def expire_proposals() -> int | None:
    """Expire the open proposals of every platform whose time has passed (idempotent)."""
    with job_lock("platforms.expire_proposals") as held:
        return proposals_expire() if held else None
