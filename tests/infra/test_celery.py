"""The Celery app: tasks found in every app, schedules kept in Asia/Shanghai."""

import importlib.util
from zoneinfo import ZoneInfo

import pytest
from celery.schedules import crontab
from django.apps import apps
from django.conf import settings
from django_celery_beat.models import PeriodicTask
from django_celery_beat.schedulers import DatabaseScheduler

from jingkai_portal.celery import app as celery_app

SHANGHAI = ZoneInfo("Asia/Shanghai")


def project_apps_with_tasks() -> list[str]:
    return [
        config.name
        for config in apps.get_app_configs()
        if str(config.path).startswith(str(settings.BASE_DIR)) and importlib.util.find_spec(f"{config.name}.tasks")
    ]


def test_the_app_reads_django_settings_and_uses_the_configured_broker():
    assert celery_app.main == "jingkai_portal"
    assert celery_app.conf.broker_url == settings.CELERY_BROKER_URL
    if settings.REDIS_URL:
        assert celery_app.conf.broker_url.startswith("redis")
    else:
        assert celery_app.conf.broker_url.startswith("atomicfs://")
        assert celery_app.conf.broker_transport_options["data_folder_in"] == str(settings.CELERY_BROKER_DIR)


def test_tasks_are_autodiscovered_in_every_app_that_has_a_tasks_module():
    celery_app.loader.import_default_modules()
    registered = set(celery_app.tasks)
    assert "accounts.tasks.send_notification_email" in registered
    for app_name in project_apps_with_tasks():
        assert any(name.startswith(f"{app_name}.tasks.") for name in registered), app_name


def test_every_scheduled_task_exists():
    celery_app.loader.import_default_modules()
    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        assert entry["task"] in celery_app.tasks, name


def test_schedules_are_in_asia_shanghai():
    assert celery_app.conf.timezone == "Asia/Shanghai"
    schedule = celery_app.conf.beat_schedule
    assert schedule, "no beat schedule"
    for entry in schedule.values():
        assert isinstance(entry["schedule"], crontab)
        assert entry["schedule"].tz == SHANGHAI
    # Monday 08:00 and the 1st of the month 06:00, Shanghai time (DESIGN §4).
    weekly = schedule["analytics-weekly-close"]["schedule"]
    assert (weekly.hour, weekly.minute, weekly.day_of_week) == ({8}, {0}, {1})
    monthly = schedule["analytics-monthly-analysis"]["schedule"]
    assert (monthly.hour, monthly.minute, monthly.day_of_month) == ({6}, {0}, {1})


@pytest.mark.django_db
def test_beat_copies_the_schedule_into_the_database_in_asia_shanghai(monkeypatch):
    """What ``celery beat`` does at start with the DatabaseScheduler (editable in the admin)."""
    # The scheduler calls close_old_connections(), which closes a connection whose
    # autocommit is off — on PostgreSQL, the test's own transaction.
    monkeypatch.setattr("django_celery_beat.schedulers.close_old_connections", lambda: None)
    DatabaseScheduler(app=celery_app, lazy=False)
    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        task = PeriodicTask.objects.select_related("crontab").get(name=name)
        assert task.task == entry["task"]
        assert str(task.crontab.timezone) == "Asia/Shanghai"
    monthly = PeriodicTask.objects.get(name="analytics-monthly-analysis").crontab
    assert (monthly.minute, monthly.hour, monthly.day_of_month) == ("0", "6", "1")
