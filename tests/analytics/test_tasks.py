"""Celery tasks, their schedule and the management commands that run any past period."""

import io

import pytest
import time_machine
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import IntegrityError, OperationalError
from django_celery_beat.models import PeriodicTask

from analytics.beat import EditableDatabaseScheduler
from analytics.models import MonthlyReport, WeeklyClose
from analytics.tasks import run_monthly, run_weekly
from jingkai_portal.celery import app
from tests.analytics.conftest import at


def test_beat_schedule_names_these_tasks():
    schedule = {entry["task"]: entry["schedule"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    weekly, monthly = schedule["analytics.tasks.run_weekly"], schedule["analytics.tasks.run_monthly"]
    assert (weekly._orig_minute, weekly._orig_hour, weekly._orig_day_of_week) == (0, 8, "mon")
    assert (monthly._orig_minute, monthly._orig_hour, monthly._orig_day_of_month) == (0, 6, "1")
    assert run_weekly.name in app.tasks and run_monthly.name in app.tasks


@pytest.mark.parametrize("task", [run_weekly, run_monthly])
def test_tasks_are_safe_to_redeliver_and_retry(task):
    assert task.acks_late
    # Retried: a database that was unreachable for a moment. Not retried: a bug or bad data.
    assert OperationalError in task.autoretry_for
    assert not any(issubclass(IntegrityError, error) for error in task.autoretry_for)
    assert task.max_retries == 5 and task.retry_backoff
    assert (task.soft_time_limit, task.time_limit) == (3600, 3900)


def test_monthly_task_defaults_to_last_month(october):
    with time_machine.travel(at("2026-11-01 06:00"), tick=False):
        result = run_monthly.apply().get()
    assert result["month"] == "2026-10"
    assert result["rows"] == MonthlyReport.objects.filter(month="2026-10-01").count() > 0


def test_weekly_task_defaults_to_last_week(cast):
    with time_machine.travel(at("2026-11-09 08:00"), tick=False):
        result = run_weekly.apply().get()
    assert result["week"] == "2026-W45"
    assert WeeklyClose.objects.get().week_code == "2026-W45"


def test_monthly_command_shows_progress(october):
    out = io.StringIO()
    with time_machine.travel(at("2026-11-15 10:00"), tick=False):
        call_command("run_monthly", "--month", "2026-10", stdout=out)
        call_command("run_monthly", "--month", "2026-10", stdout=out)
    text = out.getvalue()
    assert "[2026-10] 1. 园区汇总 …" in text and "生成 Excel 报表" in text
    assert text.count("snapshot rows stored (0 stale removed)") == 2


def test_weekly_command_shows_progress(cast):
    out = io.StringIO()
    with time_machine.travel(at("2026-11-15 10:00"), tick=False):
        call_command("run_weekly", "--week", "2026-W45", stdout=out)
    assert "[2026-W45] 1. 统计跟踪情况 …" in out.getvalue() and "due" in out.getvalue()


@pytest.mark.parametrize(
    ("command", "argument", "message"),
    [
        ("run_monthly", "2026-13", "YYYY-MM"),
        ("run_monthly", "2026-11", "尚未结束"),
        ("run_weekly", "2025-W53", "没有第53周"),
        ("run_weekly", "2026-W47", "尚未结束"),
        ("run_weekly", "W45", "周次格式"),
    ],
)
def test_commands_refuse_bad_periods(cast, command, argument, message):
    option = "--month" if command == "run_monthly" else "--week"
    with time_machine.travel(at("2026-11-20 10:00"), tick=False):
        with pytest.raises(CommandError, match=message):
            call_command(command, option, argument, stdout=io.StringIO())
    assert not MonthlyReport.objects.exists() and not WeeklyClose.objects.exists()


# --- The schedule in the database (editable in the admin) -----------------------------
# The scheduler closes "old" database connections, which on PostgreSQL ends a test's
# wrapping transaction: these tests run in autocommit.


@pytest.mark.django_db(transaction=True)
def test_beat_installs_the_schedule_in_shanghai_time():
    assert settings.CELERY_BEAT_SCHEDULER == "analytics.beat:EditableDatabaseScheduler"
    EditableDatabaseScheduler(app=app)
    weekly = PeriodicTask.objects.select_related("crontab").get(name="analytics-weekly-close")
    assert weekly.task == "analytics.tasks.run_weekly" and weekly.enabled
    crontab = weekly.crontab
    assert (crontab.minute, crontab.hour, crontab.day_of_week, str(crontab.timezone)) == (
        "0",
        "8",
        "mon",
        "Asia/Shanghai",
    )
    monthly = PeriodicTask.objects.select_related("crontab").get(name="analytics-monthly-analysis")
    assert (monthly.crontab.hour, monthly.crontab.day_of_month) == ("6", "1")


@pytest.mark.django_db(transaction=True)
def test_an_admin_edit_survives_a_beat_restart():
    EditableDatabaseScheduler(app=app)
    weekly = PeriodicTask.objects.get(name="analytics-weekly-close")
    crontab = weekly.crontab
    crontab.pk, crontab.hour = None, "9"
    crontab.save()
    weekly.crontab, weekly.enabled = crontab, False
    weekly.save()
    EditableDatabaseScheduler(app=app)  # beat starts again
    weekly.refresh_from_db()
    assert (weekly.crontab.hour, weekly.enabled) == ("9", False)
