"""How fresh the running month's stored rows are, and asking for them again after a write.

Every save or delete of a row in an app the figures are made of (``FEEDING_APPS``) gives the
data a new version (a token in the cache) and, once the transaction has committed, asks for a
refresh of the running month: at most one per ``REFRESH_DELAY`` seconds (the first write of a
quiet spell enqueues the job with that countdown, the writes after it ride along). The refresh
records the version it started from; the rows are fresh while no write has come since.

Analytics sits on top of every app it reads, so it listens to their writes here rather than
asking each app's services to call up into it. Writes that send no signal (``bulk_create``,
``QuerySet.update``) are caught by the beat job every few minutes.
"""

import logging
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

from analytics.monthly import running_month_store
from common.jobs import TRANSIENT_ERRORS, job_lock
from common.periods import Month

logger = logging.getLogger(__name__)

# The one lock of the running month's computation, wherever it runs (the job, a small zone's request).
RUNNING_JOB = "analytics.running"
# The apps whose rows the monthly figures count (people's accounts are not among them: a sign-in
# saves its user, and the officers' names reach the rows at the next scheduled refresh).
FEEDING_APPS = frozenset({"grids", "enterprises", "issues", "fieldwork", "policies", "platforms", "emergency"})
REFRESH_DELAY = 60
DEFAULT_FRESH_SECONDS = 300

VERSION_KEY = "analytics:running:version"
QUEUED_KEY = "analytics:running:queued"


def _fresh_key(month: Month) -> str:
    return f"analytics:running:fresh:{month}"


def current_version() -> str:
    """The data's version now (a new one when the cache has none, e.g. after a restart)."""
    cache.add(VERSION_KEY, uuid.uuid4().hex, None)
    return cache.get(VERSION_KEY) or ""


def mark_computed(month: Month, version: str) -> None:
    """The stored rows of ``month`` count every write up to ``version``. The mark lasts
    ``ANALYTICS_LIVE_CACHE_SECONDS`` at most, so a write no signal announced is counted by then."""
    timeout = getattr(settings, "ANALYTICS_LIVE_CACHE_SECONDS", DEFAULT_FRESH_SECONDS)
    cache.set(_fresh_key(month), version, timeout)


def is_fresh(month: Month) -> bool:
    values = cache.get_many([VERSION_KEY, _fresh_key(month)])
    return VERSION_KEY in values and values.get(_fresh_key(month)) == values[VERSION_KEY]


def data_changed() -> None:
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)


def refresh_running(*, wait: float = 0) -> dict:
    """Compute and store the running month so far, under the one lock (a second run at the same
    time finds it taken and does nothing), and mark the rows fresh up to the version it started from."""
    with job_lock(RUNNING_JOB, wait=wait) as held:
        if not held:
            return {"skipped": "running"}
        version = current_version()
        month = Month.current()
        stored = running_month_store()
        if stored is None:
            return {"skipped": "month ended", "month": str(month)}
        mark_computed(month, version)
        return {"month": str(month), "rows": stored}


def refresh_soon() -> None:
    """Enqueue the running month's refresh in ``REFRESH_DELAY`` seconds, unless one is already waiting."""
    from analytics.tasks import refresh_running_month

    if not cache.add(QUEUED_KEY, 1, REFRESH_DELAY):
        return
    try:
        refresh_running_month.apply_async(countdown=REFRESH_DELAY)
    except TRANSIENT_ERRORS:
        # The broker is away: the beat job refreshes the rows within minutes anyway.
        cache.delete(QUEUED_KEY)
        logger.warning("running month refresh not enqueued (broker unavailable)", exc_info=True)


def _feeds_figures(sender) -> bool:
    app_config = getattr(getattr(sender, "_meta", None), "app_config", None)
    return app_config is not None and app_config.name.split(".")[0] in FEEDING_APPS


def _on_write(sender, **kwargs) -> None:
    if kwargs.get("raw") or not _feeds_figures(sender):
        return
    data_changed()
    # Again after the commit: a refresh that started before it must not leave its rows marked fresh.
    transaction.on_commit(data_changed)
    transaction.on_commit(refresh_soon)


def connect() -> None:
    post_save.connect(_on_write, dispatch_uid="analytics.freshness.save")
    post_delete.connect(_on_write, dispatch_uid="analytics.freshness.delete")
