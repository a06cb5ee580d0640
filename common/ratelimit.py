"""A per-address request limit on a fixed window, counted in the cache (Redis
in production, so every web process shares the count).

``limit_per_address(rate=(60, 60))`` wraps a view: past ``count`` requests
from one address within ``seconds``, it answers 429 with a page saying so
and ``Retry-After``. Used by the public notice board, the one page anyone
may open without signing in.
"""

import functools
import hashlib
import time

from django.core.cache import cache
from django.shortcuts import render
from django.utils.translation import gettext as _

from accounts.lockout import client_address

# The public notice board: 60 requests a minute from one address (a gate's QR code scanned by
# everyone on one factory's network stays far below; a script trying tokens does not).
BOARD_RATE = (60, 60)


def _over_limit(key: str, *, count: int, seconds: int) -> int:
    """Count this request; the seconds until the window ends when over the limit, else 0."""
    window = int(time.time() // seconds)
    cache_key = f"ratelimit:{key}:{window}"
    cache.add(cache_key, 0, seconds + 5)
    try:
        used = cache.incr(cache_key)
    except ValueError:  # expired between add() and incr()
        cache.set(cache_key, 1, seconds + 5)
        used = 1
    return (window + 1) * seconds - int(time.time()) if used > count else 0


def limit_per_address(*, rate: tuple[int, int], group: str):
    count, seconds = rate

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            address = client_address(request) or "unknown"
            key = f"{group}:{hashlib.sha256(address.encode()).hexdigest()[:32]}"
            wait = _over_limit(key, count=count, seconds=seconds)
            if wait:
                response = render(
                    request,
                    "429.html",
                    {"message": _("访问过于频繁，请 %(seconds)d 秒后再试。") % {"seconds": wait}},
                    status=429,
                )
                response["Retry-After"] = str(wait)
                return response
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
