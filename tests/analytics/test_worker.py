"""The monthly job through a real broker and a real Celery worker.

On the embedded default the broker is kombu's filesystem transport, pointed at
a temporary folder here; with ``REDIS_URL`` set (CI) it is Redis. The worker
runs in a thread (``celery.contrib.testing``) and consumes a queue of this
test's own, so nothing else on the broker can take the task.
"""

import threading
import uuid

import pytest
from celery.contrib.testing.worker import start_worker
from celery.signals import task_failure, task_success
from django.conf import settings

from analytics.metrics import Dimension
from analytics.models import MonthlyReport, ReportWorkbook
from analytics.tasks import run_monthly
from common.periods import Month
from jingkai_portal.celery import app
from tests.analytics.conftest import make_visit

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def broker(tmp_path):
    """The configured broker; the filesystem one in a temporary folder."""
    saved = (app.conf.broker_transport_options, app.conf.task_always_eager)
    if not settings.REDIS_URL:
        folder, processed, control = tmp_path / "broker", tmp_path / "processed", tmp_path / "control"
        for path in (folder, processed, control):
            path.mkdir()
        app.conf.broker_transport_options = {
            "data_folder_in": str(folder),
            "data_folder_out": str(folder),
            "processed_folder": str(processed),
            # The exchange tables; kombu's default is a "control" folder in the working directory.
            "control_folder": str(control),
            "store_processed": False,
        }
    app.conf.task_always_eager = False
    yield app
    app.conf.broker_transport_options, app.conf.task_always_eager = saved


@pytest.fixture
def finished():
    """An event set when run_monthly succeeds or fails in the worker, with what happened."""
    event, outcome = threading.Event(), {}

    def on_success(sender=None, result=None, **kwargs):
        if sender.name == run_monthly.name:
            outcome["result"] = result
            event.set()

    def on_failure(sender=None, exception=None, **kwargs):
        if sender.name == run_monthly.name:
            outcome["error"] = exception
            event.set()

    task_success.connect(on_success, weak=False)
    task_failure.connect(on_failure, weak=False)
    yield event, outcome
    task_success.disconnect(on_success)
    task_failure.disconnect(on_failure)


def test_monthly_job_runs_in_a_real_worker(cast, broker, finished, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    month = Month.current().previous
    make_visit(cast.enterprise_a, cast.officer_a, f"{month}-15 10:00")
    event, outcome = finished
    queue = f"analytics-test-{uuid.uuid4().hex[:8]}"
    # Published before the worker starts: kombu's filesystem transport can hand a consumer a
    # message file that is created but not yet written when both run at the same instant.
    # An explicit connection, not the app's shared producer pool: other tests may have
    # pooled connections to the default broker folder.
    with broker.connection_for_write() as connection:
        run_monthly.apply_async(args=[str(month)], queue=queue, connection=connection)
    with start_worker(broker, pool="solo", perform_ping_check=False, queues=[queue], shutdown_timeout=30):
        assert event.wait(timeout=120), "the worker did not finish the task in time"
    assert "error" not in outcome, outcome.get("error")
    assert outcome["result"]["month"] == str(month)
    zone = MonthlyReport.objects.get(month=month.first_day, scope_type=Dimension.ZONE)
    assert (zone.metrics["visits"], zone.metrics["enterprises"]) == (1, 2)
    assert ReportWorkbook.objects.filter(month=month.first_day).count() == 3
