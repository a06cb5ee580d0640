"""A real Celery worker whose scheduled job stops in the middle once, so that a test can kill it.

``python -m tests.security.killable_worker <celery worker arguments>``, with ``$PAUSE_IN``
naming where the first run stops (the later runs go straight on):

- ``monthly`` (the default): the monthly analysis, after the month's snapshot rows are
  stored and before the Excel reports;
- ``weekly``: the weekly close, after the officers' notifications are written (inside the
  close's transaction, not yet committed).

The run that finds no file at ``$PAUSE_FILE`` writes its process id there and sleeps; the
test kills that process with SIGKILL. Every later run finds the file and goes straight on.
"""

import os
import sys
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jingkai_portal.settings.test")
django.setup()

import analytics.exports  # noqa: E402
import analytics.weekly  # noqa: E402
from jingkai_portal.celery import app  # noqa: E402

PAUSE_FILE = os.environ["PAUSE_FILE"]
PAUSE_IN = os.environ.get("PAUSE_IN", "monthly")


def _pause_once() -> None:
    if not os.path.exists(PAUSE_FILE):
        with open(PAUSE_FILE, "w") as marker:
            marker.write(str(os.getpid()))
        time.sleep(300)


def _then_pause(original):
    def paused(*args, **kwargs):
        result = original(*args, **kwargs)
        _pause_once()
        return result

    return paused


def _pause_first(original):
    def paused(*args, **kwargs):
        _pause_once()
        return original(*args, **kwargs)

    return paused


if PAUSE_IN == "weekly":
    analytics.weekly._notify_missed = _then_pause(analytics.weekly._notify_missed)
else:
    analytics.exports.workbooks_store = _pause_first(analytics.exports.workbooks_store)

if __name__ == "__main__":
    app.worker_main(["worker", *sys.argv[1:]])
