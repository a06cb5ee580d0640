"""The Celery app: tasks are autodiscovered in each app's ``tasks.py``, and in the
``tasks.py`` of the packages inside an app (``TASK_PACKAGES``)."""

import os

from celery import Celery

import common.broker  # noqa: F401  (registers the atomicfs:// transport of the embedded default)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jingkai_portal.settings")

app = Celery("jingkai_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# Packages inside an app that have their own tasks.py (autodiscovery looks only at the apps).
TASK_PACKAGES = ["enterprises.roster"]
app.autodiscover_tasks(TASK_PACKAGES)
