"""Background work of the enterprises app (Celery; tasks take ids)."""

from celery import shared_task

from enterprises.roster_import import roster_import_run


@shared_task(acks_late=True)
def roster_import_task(job_id: int) -> None:
    """Import one uploaded roster; a second delivery finds the job claimed and does nothing."""
    roster_import_run(job_id=job_id)
