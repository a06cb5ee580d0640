"""Celery tasks of the shared export jobs (``common.export_jobs``): take ids, re-fetch, call the service."""

from celery import shared_task

from common.export_jobs import export_files_cleanup, export_job_run


# No automatic retry: a job that fails says so on its page (the user may export again),
# and a job whose worker died is taken again by the redelivered task (export_jobs._claim).
@shared_task
def export_job_task(job_id: int) -> None:
    export_job_run(job_id=job_id)


@shared_task
def export_files_cleanup_task() -> int:
    return export_files_cleanup()
