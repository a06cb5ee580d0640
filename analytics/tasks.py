"""Celery tasks for the weekly close and the monthly analysis.

Beat runs them (``CELERY_BEAT_SCHEDULE`` in settings, copied into
django-celery-beat's tables so that an admin can move or pause them):
``run_weekly`` on Monday 08:00 for the previous ISO week and ``run_monthly``
on the 1st at 06:00 for the previous month, Asia/Shanghai. Both take the
period as text so that a retry or a manual run names it exactly; both are
idempotent, so ``acks_late`` redelivery after a lost worker and the
automatic retries on a transient database failure are safe.

Beat runs once, but nothing stops a second beat from being started by mistake:
each run takes the job's lock for its period (``common.jobs.job_lock``; a run
that finds it taken does nothing) and a scheduled run (no period given) of a
period already finished (``ScheduledRun``) does nothing either. A period named
explicitly is always computed again (a correction, a rerun by hand).

``refresh_running_month`` stores the running month so far (provisional rows, which the
dashboards read) every five minutes and soon after writes (``analytics.freshness``).
"""

from collections.abc import Callable

from celery import shared_task
from django.utils import timezone

from analytics.freshness import refresh_running
from analytics.models import ScheduledRun
from analytics.monthly import monthly_analysis_run
from analytics.weekly import weekly_close_run
from common.jobs import RETRY_TRANSIENT, job_lock
from common.periods import IsoWeek, Month, previous_month, previous_week

# The long jobs: an hour before Celery asks the task to stop (SoftTimeLimitExceeded, a clean
# failure that rolls back the open transaction), five minutes more before it kills the child.
LONG_JOB = {
    "bind": True,
    "acks_late": True,
    "soft_time_limit": 3600,
    "time_limit": 3900,
    **RETRY_TRANSIENT,
}


def run_once(*, job: str, period: str, scheduled: bool, run: Callable[[], dict]) -> dict:
    """``run()`` under the job's lock for ``period``, recorded in ``ScheduledRun``."""
    with job_lock(f"{job}:{period}", wait=10) as held:
        if not held:
            return {"skipped": "running", "period": period}
        record, _created = ScheduledRun.objects.get_or_create(
            job=job, period=period, defaults={"started_at": timezone.now()}
        )
        if scheduled and record.finished_at is not None:
            return {"skipped": "finished", "period": period}
        ScheduledRun.objects.filter(pk=record.pk).update(
            started_at=timezone.now(), finished_at=None, attempts=record.attempts + 1
        )
        result = run()
        ScheduledRun.objects.filter(pk=record.pk).update(finished_at=timezone.now())
        return result


@shared_task(**LONG_JOB)
def run_weekly(self, week: str | None = None) -> dict:
    """Close ``week`` (e.g. ``2026-W45``), by default the ISO week before this one."""
    period = IsoWeek.parse(week) if week else previous_week()

    def run() -> dict:
        result = weekly_close_run(week=period)
        return {
            "week": period.code,
            "expected": result.close.expected,
            "missed": result.close.missed,
            "suggestions": result.suggestions_created,
            "notifications": result.notifications_sent,
        }

    return run_once(job="analytics.weekly", period=period.code, scheduled=week is None, run=run)


@shared_task(**LONG_JOB)
def run_monthly(self, month: str | None = None) -> dict:
    """Analyse ``month`` (e.g. ``2026-10``), by default the month before this one."""
    period = Month.parse(month) if month else previous_month()

    def run() -> dict:
        result = monthly_analysis_run(month=period)
        return {"month": str(period), "rows": result.rows, "removed": result.removed, "workbooks": result.workbooks}

    return run_once(job="analytics.monthly", period=str(period), scheduled=month is None, run=run)


@shared_task(bind=True, acks_late=True, soft_time_limit=900, time_limit=960, **RETRY_TRANSIENT)
def refresh_running_month(self) -> dict:
    """Store the running month so far for the dashboards (beat every five minutes, and soon after a
    write that changes the figures). One at a time: a run that finds the lock taken does nothing."""
    return refresh_running()
