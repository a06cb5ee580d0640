"""The security log: sign-ins (success, failure, lockout), refused accesses and
account changes, one JSON object per line on the logger ``jingkai.security``.

Every line has ``event``, ``user`` (username or null), ``address`` and
``time`` (UTC, ISO 8601), plus what the event adds (``path``, ``status``,
``username_tried`` …), written by ``common.jsonlog.JsonLinesFormatter``.
Passwords are never logged.
"""

import logging
from datetime import UTC, datetime

from accounts.lockout import attempted_username, client_address

logger = logging.getLogger("jingkai.security")


def log_security_event(event: str, *, request=None, user=None, **fields) -> None:
    """Write one event; ``user`` defaults to the request's signed-in user."""
    if user is None and request is not None:
        request_user = getattr(request, "user", None)
        user = request_user if request_user is not None and request_user.is_authenticated else None
    line = {
        "event": event,
        "user": user.get_username() if user is not None else None,
        "address": client_address(request) if request is not None else None,
        "time": datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
        **fields,
    }
    level = logging.INFO if event == "sign_in" else logging.WARNING
    logger.log(level, event, extra={"fields": line})


def _on_sign_in(sender, request, user, **kwargs) -> None:
    log_security_event("sign_in", request=request, user=user, path=getattr(request, "path", None))


def _counted(request) -> bool:
    """Did axes count this failure? (It does not count a try refused because of a lock.)"""
    return getattr(request, "axes_failures_since_start", None) is not None


def _on_sign_in_failed(sender, credentials, request=None, **kwargs) -> None:
    """Runs after axes' own receiver, which has counted the failure (or refused it)."""
    refused = bool(getattr(request, "axes_locked_out", False)) and not _counted(request)
    log_security_event(
        "sign_in_refused_locked" if refused else "sign_in_failed",
        request=request,
        username_tried=attempted_username(request, credentials) if request is not None else None,
        path=getattr(request, "path", None),
    )


def _on_locked_out(sender, request, username, ip_address, **kwargs) -> None:
    """axes signals a lock on every refused try as well; log only the failure that locked."""
    if _counted(request):
        log_security_event("lockout", request=request, username_tried=username, path=getattr(request, "path", None))


def _on_sign_out(sender, request, user, **kwargs) -> None:
    if user is not None:
        log_security_event("sign_out", request=request, user=user)


def connect_signals() -> None:
    from axes.signals import user_locked_out
    from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

    user_logged_in.connect(_on_sign_in, dispatch_uid="security-log-sign-in")
    user_login_failed.connect(_on_sign_in_failed, dispatch_uid="security-log-sign-in-failed")
    user_locked_out.connect(_on_locked_out, dispatch_uid="security-log-lockout")
    user_logged_out.connect(_on_sign_out, dispatch_uid="security-log-sign-out")


class RefusedAccessLogMiddleware:
    """Logs every 403 and 404 answered to a signed-in user (scoping answers
    404 for what is outside a user's scope), with the path and method.

    Anonymous 404s are the internet's background noise and are not logged.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code in (403, 404):
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated:
                log_security_event(
                    "access_refused",
                    request=request,
                    path=request.path,
                    method=request.method,
                    status=response.status_code,
                )
        return response
