"""gunicorn's settings for the portal (``gunicorn -c deploy/gunicorn.conf.py jingkai_portal.wsgi``).

Everything an operator tunes comes from the environment, so the same image runs on a
2-core trial box and on a 16-core web node:

- ``GUNICORN_WORKERS``: worker processes (default: 2 per core + 1, at most 9);
- ``GUNICORN_THREADS``: threads per worker (default 1: sync workers);
- ``GUNICORN_BIND``: address to listen on (default ``0.0.0.0:8000``; CI binds to loopback);
- ``GUNICORN_TIMEOUT``: seconds a request may take before its worker is restarted (default 60).
"""

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SystemExit(f"{name}={raw!r} is not a whole number.") from None
    if value < 1:
        raise SystemExit(f"{name}={raw!r} must be at least 1.")
    return value


wsgi_app = "jingkai_portal.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "").strip() or "0.0.0.0:8000"
workers = _int("GUNICORN_WORKERS", min(2 * multiprocessing.cpu_count() + 1, 9))
threads = _int("GUNICORN_THREADS", 1)
timeout = _int("GUNICORN_TIMEOUT", 60)
graceful_timeout = 30
keepalive = 5
# A worker is replaced after this many requests (spread so they do not all restart at once):
# a slow leak in a library never grows without bound.
max_requests = 2000
max_requests_jitter = 200
# The access log on stdout, one line a request, with the time it took (microseconds, %(D)s).
accesslog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(D)sus "%(a)s"'
errorlog = "-"
# The client's address and scheme come from nginx (TRUSTED_PROXY_COUNT and
# SECURE_PROXY_SSL_HEADER read them in Django); gunicorn itself needs no forwarded-for trust.
forwarded_allow_ips = "127.0.0.1"
# Worker heartbeat files in memory, not on the container's overlay disk.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # nosec B108  # shared memory, not a temp file
