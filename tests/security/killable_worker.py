"""A real Celery worker whose monthly job stops in the middle once, so that a test can kill it.

``python -m tests.security.killable_worker <celery worker arguments>``. The first run of
the monthly analysis that finds no file at ``$PAUSE_FILE`` writes its process id there,
after the month's snapshot rows are stored and before the Excel reports, and sleeps; the
test kills that process with SIGKILL. Every later run finds the file and goes straight on.
"""

import os
import sys
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jingkai_portal.settings.test")
django.setup()

import analytics.exports  # noqa: E402
from jingkai_portal.celery import app  # noqa: E402

PAUSE_FILE = os.environ["PAUSE_FILE"]
_workbooks_store = analytics.exports.workbooks_store


def workbooks_store_after_a_pause(**kwargs):
    if not os.path.exists(PAUSE_FILE):
        with open(PAUSE_FILE, "w") as marker:
            marker.write(str(os.getpid()))
        time.sleep(300)
    return _workbooks_store(**kwargs)


analytics.exports.workbooks_store = workbooks_store_after_a_pause

if __name__ == "__main__":
    app.worker_main(["worker", *sys.argv[1:]])
