"""How long a sign-in lasts, and ending one or all of a user's sessions.

A session ends after ``SESSION_IDLE_SECONDS`` without a request (8 hours)
and, however active, ``SESSION_ABSOLUTE_SECONDS`` after the sign-in (7
days): the sign-in time and the last request's time are kept in the session
and checked on every request by ``SessionLimitsMiddleware``.

Ending every session of a user (an administrator's action, deactivation, a
password change) raises ``User.session_epoch``, which is part of the session
hash Django checks on each request: every session signed before stops
matching and is flushed at its next request, whatever the session store.
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from accounts.models import User

SIGNED_IN_AT = "portal_signed_in_at"
SEEN_AT = "portal_seen_at"
# The last request's time is written back at most this often (not a session write per request).
SEEN_PRECISION_SECONDS = 60


def on_sign_in(sender, request, user, **kwargs) -> None:
    """``user_logged_in``: note the time in the session and on the user.

    ``last_login`` is written with an update, not ``save()``, so that a sign-in
    is not a change of the user in its history.
    """
    now = timezone.now()
    User.objects.filter(pk=user.pk).update(last_login=now)
    user.last_login = now
    if request is not None and hasattr(request, "session"):
        request.session[SIGNED_IN_AT] = request.session[SEEN_AT] = int(now.timestamp())


def session_expired(session, *, now: float) -> bool:
    """Idle too long, or signed in too long ago."""
    signed_in_at = session.get(SIGNED_IN_AT)
    seen_at = session.get(SEEN_AT, signed_in_at)
    if signed_in_at is None:
        return False  # a session from before these limits: started now, by the middleware
    return now - seen_at > settings.SESSION_IDLE_SECONDS or now - signed_in_at > settings.SESSION_ABSOLUTE_SECONDS


class SessionLimitsMiddleware:
    """Signs out a session that ran past its limits; records each request's time.

    After ``AuthenticationMiddleware``: a page gets the login page with a
    message, an API call with the session continues as anonymous (401/403).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = time.time()
            if session_expired(request.session, now=now):
                logout(request)
                if not request.path.startswith("/api/"):
                    messages.info(request, _("您已较长时间未操作或登录已超过期限，请重新登录。"))
                    return redirect_to_login(request.get_full_path())
            else:
                request.session.setdefault(SIGNED_IN_AT, int(now))
                if now - request.session.get(SEEN_AT, 0) >= SEEN_PRECISION_SECONDS:
                    request.session[SEEN_AT] = int(now)
        return self.get_response(request)


def user_end_sessions(*, user: User) -> None:
    """End every session of ``user`` (and revoke their API token): they sign in again."""
    User.objects.filter(pk=user.pk).update(session_epoch=F("session_epoch") + 1)
    user.refresh_from_db(fields=["session_epoch"])
    Token.objects.filter(user=user).delete()
