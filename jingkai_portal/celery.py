"""The Celery app: tasks are autodiscovered in each app's ``tasks.py``."""

import os

from celery import Celery

import common.broker  # noqa: F401  (registers the atomicfs:// transport of the embedded default)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jingkai_portal.settings")

app = Celery("jingkai_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
