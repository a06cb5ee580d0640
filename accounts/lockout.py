"""Sign-in throttling with django-axes: one counter for the login page, the
admin's login and ``POST /api/auth/token/``.

Two limits, both over the last ``LOCKOUT_MINUTES``:

- **the pair** (username, address): ``PAIR_FAILURE_LIMIT`` wrong passwords
  lock that user *from that address*. The owner signing in from elsewhere is
  not locked out by someone else's guessing (a lock on the username alone
  would let anyone lock anyone out).
- **the address**: ``ADDRESS_FAILURE_LIMIT`` failures from one address, over
  any usernames, lock the address (one guess on each of many users). It is
  higher than the pair's limit because a government office signs in from
  behind one NAT address.

The counters are axes' ``AccessAttempt`` rows in the database, so every web
process and worker sees the same ones; an administrator unlocks by deleting
them (the user list's action, or axes' own list of attempts in the admin).
A lock lasts ``LOCKOUT_MINUTES`` after the last counted failure; a failure
while locked is not counted, so the time shown to the person is the truth.
"""

import math
from datetime import datetime

from axes.handlers.database import AxesDatabaseHandler
from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.db.models import Max, Sum
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

# The numbers live in the settings (AXES_FAILURE_LIMIT, AXES_COOLOFF_TIME, SIGN_IN_ADDRESS_FAILURE_LIMIT).
PAIR_FAILURE_LIMIT: int = settings.AXES_FAILURE_LIMIT
ADDRESS_FAILURE_LIMIT: int = settings.SIGN_IN_ADDRESS_FAILURE_LIMIT
LOCKOUT_MINUTES = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)


def client_address(request: HttpRequest) -> str | None:
    """The address a request comes from.

    ``REMOTE_ADDR``, unless ``settings.TRUSTED_PROXY_COUNT`` proxies stand in
    front of the server: then the address the outermost of them saw, read
    from the right of ``X-Forwarded-For`` (the left part is whatever the
    client wrote, and must not be believed).
    """
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR") or None


def attempted_username(request: HttpRequest, credentials: dict | None) -> str | None:
    """The username a sign-in tried, as counted: trimmed and lower-cased, so
    "Officer-A " and "officer-a" share one counter."""
    raw = (credentials or {}).get("username")
    if raw is None:
        data = getattr(request, "data", None) or request.POST
        raw = data.get("username") if hasattr(data, "get") else None
    return raw.strip().lower() if isinstance(raw, str) and raw.strip() else None


def unlock_sign_in(*, usernames: list[str]) -> int:
    """Clear the failures counted against these users (from every address); the number of rows removed."""
    return sum(
        AxesProxyHandler.reset_attempts(username=attempted_username(HttpRequest(), {"username": name}) or "")
        for name in usernames
    )


class PortalLockoutHandler(AxesDatabaseHandler):
    """axes' database handler with the address-wide limit beside the pair's.

    ``settings.AXES_LOCKOUT_PARAMETERS`` is ``[["username", "ip_address"],
    "ip_address"]``: axes counts both; this handler compares each with its own
    limit (axes would compare both with one).
    """

    def _over_limit(self, request, credentials) -> list:
        """(queryset, over its limit) for the pair and for the address."""
        pair, address = self.get_user_attempts(request, credentials)
        return [
            (queryset, (queryset.aggregate(total=Sum("failures_since_start"))["total"] or 0) >= limit)
            for queryset, limit in ((pair, PAIR_FAILURE_LIMIT), (address, ADDRESS_FAILURE_LIMIT))
        ]

    def get_failures(self, request, credentials: dict | None = None) -> int:
        """The pair's failures, or the pair's limit when the address is over its own."""
        pair, address = self.get_user_attempts(request, credentials)
        pair_failures = pair.aggregate(total=Sum("failures_since_start"))["total"] or 0
        address_failures = address.aggregate(total=Sum("failures_since_start"))["total"] or 0
        return max(pair_failures, PAIR_FAILURE_LIMIT) if address_failures >= ADDRESS_FAILURE_LIMIT else pair_failures

    def reset_user_attempts(self, request, credentials: dict | None = None) -> int:
        """A right password clears the pair's failures only: signing in to
        one account must not wipe the address's count of guesses at others."""
        pair, _address = self.get_user_attempts(request, credentials)
        count, _deleted = pair.delete()
        return count

    def locked_until(self, request, credentials: dict | None = None) -> datetime | None:
        """When the lock on this request's pair or address ends (None if not locked)."""
        ends = [
            queryset.aggregate(last=Max("attempt_time"))["last"] + settings.AXES_COOLOFF_TIME
            for queryset, over in self._over_limit(request, credentials)
            if over
        ]
        return max(ends) if ends else None


def lockout_response(request: HttpRequest, original_response=None, credentials: dict | None = None) -> HttpResponse:
    """What a locked-out sign-in gets: 429 with the minutes left, as a page or
    (under ``/api/``) as JSON with ``Retry-After``."""
    until = AxesProxyHandler.get_implementation().locked_until(request, credentials)
    seconds = max(60, math.ceil((until - timezone.now()).total_seconds())) if until else LOCKOUT_MINUTES * 60
    minutes = math.ceil(seconds / 60)
    message = ngettext(
        "登录失败次数过多，已暂时锁定。请在 %(minutes)d 分钟后再试，或联系系统管理员解锁。",
        "登录失败次数过多，已暂时锁定。请在 %(minutes)d 分钟后再试，或联系系统管理员解锁。",
        minutes,
    ) % {"minutes": minutes}
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse({"detail": message}, status=429)
    else:
        response = render(
            request, "accounts/locked_out.html", {"message": message, "title": _("暂时无法登录")}, status=429
        )
    response["Retry-After"] = str(seconds)
    return response
