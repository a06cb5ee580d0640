"""Jobs of the matchmaking platforms."""

from celery import shared_task

from platforms.matching import proposals_expire


@shared_task(name="platforms.tasks.expire_proposals")
def expire_proposals() -> int:
    """Expire the open proposals of every platform whose time has passed (idempotent)."""
    return proposals_expire()
