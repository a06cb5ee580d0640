"""The containers' health checks: ``python deploy/healthcheck.py web|worker|beat``.

Exit 0 when healthy, 1 with a line on stderr saying why not (Docker shows it in
``docker inspect``). Only the standard library and the project's own modules.

- web: ``GET /healthz`` on the local gunicorn answers 200 (database and broker reachable);
- worker: this container's Celery worker answers a ping over the broker;
- beat: the beat process named in its pid file is alive.
"""

import os
import socket
import sys
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

BEAT_PIDFILE = Path(os.environ.get("CELERY_BEAT_PIDFILE", "/tmp/celerybeat.pid"))  # nosec B108  # the container's own /tmp, as beat's --pidfile in docker-compose.yml


def check_web() -> str:
    port = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000").rsplit(":", 1)[-1]
    # The production settings redirect plain HTTP except /healthz; the Host is one of ALLOWED_HOSTS.
    host = os.environ.get("ALLOWED_HOSTS", "localhost").split(",")[0].strip() or "localhost"
    request = urllib.request.Request(f"http://127.0.0.1:{port}/healthz", headers={"Host": host})
    with urllib.request.urlopen(request, timeout=5) as response:  # nosec B310  # fixed http://127.0.0.1 URL
        if response.status != 200:
            raise RuntimeError(f"/healthz answered {response.status}")
    return "ok"


def check_worker() -> str:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jingkai_portal.settings.production")
    from jingkai_portal.celery import app

    node = f"celery@{socket.gethostname()}"
    replies = app.control.ping(destination=[node], timeout=5)
    if not replies:
        raise RuntimeError(f"{node} did not answer a ping")
    return "ok"


def check_beat() -> str:
    pid = int(BEAT_PIDFILE.read_text().strip())
    os.kill(pid, 0)  # raises when no such process
    return "ok"


CHECKS = {"web": check_web, "worker": check_worker, "beat": check_beat}


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[1] not in CHECKS:
        print(f"usage: {argv[0]} {'|'.join(CHECKS)}", file=sys.stderr)
        return 2
    try:
        CHECKS[argv[1]]()
    except Exception as error:  # any failure is "unhealthy", said in one line
        print(f"{argv[1]} unhealthy: {type(error).__name__}: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
