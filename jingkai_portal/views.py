"""Project-level views: the role router and the health check."""

import os

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts.homes import home_url_for
from jingkai_portal.celery import app as celery_app


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Send each role to its own home page."""
    return redirect(home_url_for(request.user))


def _database_ok() -> tuple[bool, str]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any driver error means the database is down
        return False, type(exc).__name__
    return True, "ok"


def _broker_ok() -> tuple[bool, str]:
    try:
        with celery_app.connection_for_write() as conn:
            # A health check answers fast: one retry, no back-off sleep.
            conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=2)
            if conn.transport.driver_type == "filesystem" and not _folders_writable(conn.transport_options):
                # kombu's filesystem transport "connects" to anything; the queue
                # works only if its folders are there and writable.
                return False, "BrokerFolderUnavailable"
    except Exception as exc:  # kombu raises many types; any of them means down
        return False, type(exc).__name__
    return True, "ok"


def _folders_writable(transport_options: dict) -> bool:
    folders = {transport_options.get("data_folder_in"), transport_options.get("data_folder_out")} - {None}
    return all(os.path.isdir(folder) and os.access(folder, os.W_OK) for folder in folders)


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    database_ok, database_status = _database_ok()
    broker_ok, broker_status = _broker_ok()
    healthy = database_ok and broker_ok
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", "database": database_status, "broker": broker_status},
        status=200 if healthy else 503,
    )
