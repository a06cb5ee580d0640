"""Item 12: the jobs survive a worker killed under them, and a second beat cannot double a run.

The kill tests start a real Celery worker process (prefork, one child) on Redis and
PostgreSQL and kill its child with SIGKILL in the middle of a scheduled job: the monthly
analysis (after the snapshot rows, before the reports) and the weekly close (after the
officers' notifications are written, before the close commits). Celery puts the task back
(``acks_late`` + ``task_reject_on_worker_lost``), a new child runs it again, and the period
ends with exactly the rows, reports and notifications of one clean run. They need
``DATABASE_URL`` (PostgreSQL) and ``REDIS_URL``: ``.ci/run``'s second pass has both, and
lets nothing skip there (REQUIRE_NO_SKIP).
"""

import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.db import IntegrityError, OperationalError, close_old_connections, connection

from accounts.models import Notification
from analytics.aggregates import Period
from analytics.models import MonthlyReport, ReportWorkbook, ScheduledRun, WeeklyClose
from analytics.monthly import monthly_rows
from analytics.tasks import run_monthly, run_weekly
from common.jobs import TRANSIENT_ERRORS, job_lock
from common.periods import Month, previous_week
from emergency.tasks import escalate_unacknowledged
from enterprises.models import KEY_TIERS, Enterprise
from enterprises.roster.tasks import roster_import_task
from issues.tasks import deadline_sweep
from jingkai_portal.celery import app
from platforms.tasks import expire_proposals
from policies.tasks import evaluate_all
from tests.analytics.conftest import at, make_visit

ON_POSTGRES = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
needs_postgres = pytest.mark.skipif(not ON_POSTGRES, reason="needs PostgreSQL (DATABASE_URL), as in CI's second pass")


# --- Settings ---------------------------------------------------------------------------


def test_tasks_are_acknowledged_late_and_put_back_when_their_worker_dies():
    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True
    assert app.conf.worker_prefetch_multiplier == 1
    assert (app.conf.task_soft_time_limit, app.conf.task_time_limit) == (600, 660)


def test_redis_gives_a_lost_task_back_only_after_the_longest_job_could_have_run():
    if not settings.REDIS_URL:
        pytest.skip("the visibility timeout is Redis's (REDIS_URL unset)")
    assert settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] > run_monthly.time_limit


def test_long_jobs_have_their_own_time_limits():
    for task in (run_weekly, run_monthly):
        assert (task.soft_time_limit, task.time_limit) == (3600, 3900)
    assert (roster_import_task.soft_time_limit, roster_import_task.time_limit) == (1800, 1860)


@pytest.mark.parametrize(
    "task", [run_weekly, run_monthly, deadline_sweep, expire_proposals, evaluate_all, escalate_unacknowledged]
)
def test_scheduled_jobs_retry_transient_failures_only(task):
    assert task.acks_late
    assert task.autoretry_for == TRANSIENT_ERRORS
    assert OperationalError in task.autoretry_for
    # A constraint violation is a bug or bad data: it would fail the same way five more times.
    assert not any(issubclass(IntegrityError, error) for error in task.autoretry_for)
    assert not any(issubclass(ValueError, error) for error in task.autoretry_for)
    assert task.retry_backoff and task.max_retries == 5


# --- One run at a time ----------------------------------------------------------------------


@pytest.mark.django_db
def test_a_lock_held_elsewhere_makes_the_job_skip_and_store_nothing(cast):
    month = Month.current().previous
    make_visit(cast.enterprise_a, cast.officer_a, f"{month}-15 10:00")
    result: dict = {}
    holding, release = threading.Event(), threading.Event()

    def other_worker():
        # A second beat's task, already running in another process (another connection).
        with job_lock(f"analytics.monthly:{month}") as held:
            result["held"] = held
            holding.set()
            release.wait(30)
        connection.close()

    thread = threading.Thread(target=other_worker)
    thread.start()
    try:
        assert holding.wait(30)
        started = time.monotonic()
        outcome = run_monthly.apply(kwargs={"month": str(month)}).get()
        waited = time.monotonic() - started
    finally:
        release.set()
        thread.join()
    assert result["held"] is True
    assert outcome == {"skipped": "running", "period": str(month)}
    assert 9 < waited < 30, "waits ten seconds for the lock, then gives up"
    assert not MonthlyReport.objects.exists()
    assert not ScheduledRun.objects.exists()


@pytest.mark.django_db
def test_a_second_beat_finds_the_period_finished_and_does_nothing(cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    make_visit(cast.enterprise_a, cast.officer_a, "2026-10-15 10:00")
    with time_machine.travel(at("2026-11-01 06:00"), tick=False):
        first = run_monthly.apply().get()
        rows = {row.pk: row.computed_at for row in MonthlyReport.objects.all()}
        second = run_monthly.apply().get()
    assert first["month"] == "2026-10" and first["rows"] == len(rows) > 0
    assert second == {"skipped": "finished", "period": "2026-10"}
    assert {row.pk: row.computed_at for row in MonthlyReport.objects.all()} == rows
    run = ScheduledRun.objects.get()
    assert (run.job, run.period, run.attempts) == ("analytics.monthly", "2026-10", 1)
    assert run.finished_at is not None


@pytest.mark.django_db
def test_a_month_named_by_hand_is_computed_again(cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    make_visit(cast.enterprise_a, cast.officer_a, "2026-10-15 10:00")
    with time_machine.travel(at("2026-11-01 06:00"), tick=False):
        run_monthly.apply().get()
    with time_machine.travel(at("2026-11-02 09:00"), tick=False):
        again = run_monthly.apply(kwargs={"month": "2026-10"}).get()
    assert again["month"] == "2026-10"
    assert ScheduledRun.objects.get().attempts == 2
    assert {row.computed_at for row in MonthlyReport.objects.all()} == {at("2026-11-02 09:00")}


def test_the_file_lock_of_the_embedded_default_is_one_holder_at_a_time(settings, tmp_path, monkeypatch):
    # The SQLite default has no advisory locks: a flock under var/locks, released with the process.
    settings.VAR_DIR = tmp_path
    monkeypatch.setattr(connection, "vendor", "sqlite")
    with job_lock("analytics.weekly:2026-W45") as first:
        with job_lock("analytics.weekly:2026-W45") as second:
            assert (first, second) == (True, False)
        with job_lock("analytics.weekly:2026-W46") as other_period:
            assert other_period is True
    with job_lock("analytics.weekly:2026-W45") as after:
        assert after is True
    assert (tmp_path / "locks" / "analytics.weekly_2026-W45.lock").exists()


# --- A real worker, killed in the middle --------------------------------------------------


def _database_url() -> str:
    db = connection.settings_dict
    user = db.get("USER") or "postgres"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{user}{password}@{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{db['NAME']}"


def _wait_for(condition, *, timeout: float, what: str, worker: subprocess.Popen, log: Path):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        close_old_connections()
        value = condition()
        if value:
            return value
        if worker.poll() is not None:
            pytest.fail(f"the worker exited ({worker.returncode}) before {what}:\n{log.read_text()[-3000:]}")
        time.sleep(0.3)
    pytest.fail(f"timed out waiting for {what}:\n{log.read_text()[-3000:]}")


class Worker:
    """``tests.security.killable_worker`` in its own process group: a prefork worker with one
    child, on a queue of its own, whose first run of ``pause_in``'s job stops in the middle."""

    def __init__(self, tmp_path: Path, pause_in: str):
        self.pause_file, self.log = tmp_path / "paused-pid", tmp_path / "worker.log"
        self.queue = f"kill-test-{uuid.uuid4().hex[:8]}"
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "jingkai_portal.settings.test",
            "DATABASE_URL": _database_url(),
            "REDIS_URL": settings.REDIS_URL,
            "MEDIA_ROOT": str(tmp_path / "media"),
            "PAUSE_FILE": str(self.pause_file),
            "PAUSE_IN": pause_in,
            "CELERY_TASK_ALWAYS_EAGER": "0",
        }
        command = [
            sys.executable,
            "-m",
            "tests.security.killable_worker",
            "--pool=prefork",
            "--concurrency=1",
            f"--queues={self.queue}",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel=INFO",
        ]
        with open(self.log, "wb") as output:
            self.process = subprocess.Popen(  # noqa: S603 (our own interpreter and module)
                command, cwd=settings.BASE_DIR, env=env, stdout=output, stderr=subprocess.STDOUT, start_new_session=True
            )

    def send(self, task) -> None:
        """As beat sends it: no period named, so the period before this one."""
        with app.connection_for_write() as broker:
            task.apply_async(queue=self.queue, connection=broker)

    def wait_for(self, condition, *, what: str):
        return _wait_for(condition, timeout=40, what=what, worker=self.process, log=self.log)

    def kill_the_paused_child(self) -> None:
        pid = int(self.wait_for(lambda: self.pause_file.exists() and self.pause_file.read_text(), what="the pause"))
        os.kill(pid, signal.SIGKILL)

    def stop(self) -> str:
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        return self.log.read_text()


def _finished_run(job: str, period: str):
    return ScheduledRun.objects.filter(job=job, period=period, finished_at__isnull=False).first()


needs_redis = pytest.mark.skipif(not settings.REDIS_URL, reason="needs Redis (REDIS_URL), as in CI's second pass")


@needs_postgres
@needs_redis
@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_in_the_middle_of_the_monthly_job_leaves_one_complete_month(cast, tmp_path):
    # Given a month with fieldwork, and a notification someone already has.
    month = Month.current().previous
    make_visit(cast.enterprise_a, cast.officer_a, f"{month}-15 10:00")
    make_visit(cast.enterprise_b, cast.officer_b, f"{month}-16 10:00")
    Notification.objects.create(recipient=cast.officer_a, title="已有通知", body="", url="")
    notifications_before = list(Notification.objects.order_by("pk").values_list("pk", "recipient_id", "title"))
    expected_rows = len(monthly_rows(Period.whole(month)))

    worker = Worker(tmp_path, "monthly")
    try:
        # When beat sends the scheduled monthly job (no month named: the month before)…
        worker.send(run_monthly)
        # …and the worker's child is killed after storing the snapshot rows, before the reports,
        worker.wait_for(lambda: worker.pause_file.exists(), what="the pause")
        assert MonthlyReport.objects.filter(month=month.first_day).count() == expected_rows
        assert not ReportWorkbook.objects.filter(month=month.first_day).exists()
        worker.kill_the_paused_child()
        # then Celery puts the task back and a new child runs it to the end.
        run = worker.wait_for(lambda: _finished_run("analytics.monthly", str(month)), what="the rerun to finish")
    finally:
        text = worker.stop()
    assert "WorkerLostError" in text, text[-3000:]
    assert run.attempts == 2, "the killed run and the rerun"
    # The month is whole, once: every scope one row, the three reports, no new notification
    # (the monthly analysis notifies no one; the weekly close does: the test below).
    reports = MonthlyReport.objects.filter(month=month.first_day)
    assert reports.count() == expected_rows
    assert len(set(reports.values_list("scope_type", "scope_id"))) == expected_rows
    assert ReportWorkbook.objects.filter(month=month.first_day).count() == 3
    assert list(Notification.objects.order_by("pk").values_list("pk", "recipient_id", "title")) == notifications_before


@needs_postgres
@needs_redis
@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_after_the_weekly_close_wrote_its_notifications_sends_each_once(cast, tmp_path):
    # Given last week, with two key enterprises nobody tracked: each grid's officer is told.
    week = previous_week()
    Enterprise.objects.filter(pk__in=[cast.enterprise_a.pk, cast.enterprise_b.pk]).update(tier=KEY_TIERS[0])
    told = {cast.officer_a.pk, cast.officer_b.pk}

    worker = Worker(tmp_path, "weekly")
    try:
        # When beat sends the weekly close and its child is killed once the notifications are
        # written, before the close commits,
        worker.send(run_weekly)
        worker.wait_for(lambda: worker.pause_file.exists(), what="the pause")
        assert not Notification.objects.exists(), "not committed yet: nobody sees them"
        worker.kill_the_paused_child()
        # then the rerun closes the week…
        run = worker.wait_for(lambda: _finished_run("analytics.weekly", week.code), what="the rerun to finish")
    finally:
        text = worker.stop()
    assert "WorkerLostError" in text, text[-3000:]
    assert run.attempts == 2, "the killed run and the rerun"
    # …and each officer has the notification once: none from the killed run, one from the rerun.
    sent = list(Notification.objects.filter(kind="tracking_missed").values_list("recipient_id", "dedupe_key"))
    assert sorted(recipient for recipient, _key in sent) == sorted(told)
    assert {key for _recipient, key in sent} == {f"weekly-missed:{week.code}:{pk}" for pk in told}
    assert WeeklyClose.objects.filter(iso_year=week.year, iso_week=week.week).count() == 1
