"""Project-level views: the role router and the health check."""

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
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as exc:  # kombu raises many types; any of them means down
        return False, type(exc).__name__
    return True, "ok"


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
