"""The production smoke test: the deployment's processes, started natively, then used.

    DATABASE_URL=postgres://… REDIS_URL=redis://… python deploy/smoke.py

It migrates the (empty) database, collects the static files, and starts what
docker-compose.yml runs — gunicorn with the production settings (on loopback,
as behind nginx: every request carries X-Forwarded-Proto: https), a Celery
worker and Celery beat on Redis — then checks through them:

1. /healthz answers 200 with the database and the broker up; the containers'
   health checks (deploy/healthcheck.py) pass for web, worker and beat;
2. a grid officer signs in through the login form;
3. the officer POSTs a visit with a problem and a photo: the visit, its issue and its file exist;
4. the officer accepts that issue (a transition through the issue page's form);
5. the Celery worker sends the notification emails the transitions queued
   (Notification.emailed_at is set by the worker, not by the web process), and
   beat has installed its schedule in the database;
6. the static files are served (hashed, compressed, cached) by WhiteNoise.

Every process it starts is stopped at the end, pass or fail. `make smoke` runs it
on a fresh database; .ci/run runs `make smoke` after the PostgreSQL suite.
"""

import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import traceback
import uuid
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urljoin, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
HOST = "localhost"
PASSWORD = secrets.token_urlsafe(16)
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64
STARTED = time.monotonic()


def say(message: str) -> None:
    print(f"[smoke {time.monotonic() - STARTED:5.1f}s] {message}", flush=True)


class SmokeFailure(Exception):
    pass


def check(condition: bool, message: str) -> None:
    if not condition:
        raise SmokeFailure(message)


def wait_for(what: str, probe, seconds: float = 60.0, interval: float = 0.5):
    deadline = time.monotonic() + seconds
    last_error = None
    while time.monotonic() < deadline:
        try:
            result = probe()
        except Exception as error:  # not there yet: try again until the deadline
            last_error = error
        else:
            if result:
                return result
        time.sleep(interval)
    raise SmokeFailure(f"timed out after {seconds:.0f}s waiting for {what} (last error: {last_error!r})")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# --- HTTP, as nginx forwards it --------------------------------------------------


class Browser:
    """Just enough of a browser: cookies (Secure ones too: TLS ends at nginx), no redirects followed."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, *, body: bytes | None = None, headers: dict | None = None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        sent = {
            "Host": HOST,
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": "203.0.113.7",
            "Accept-Language": "zh-hans",
            **(headers or {}),
        }
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        if method == "POST":
            sent.setdefault("Origin", f"https://{HOST}")
            sent.setdefault("Referer", f"https://{HOST}{path}")
        connection.request(method, path, body=body, headers=sent)
        response = connection.getresponse()
        data = response.read()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        connection.close()
        return response, data

    def get(self, path: str, **kwargs):
        return self.request("GET", path, **kwargs)

    def post_form(self, path: str, fields: dict):
        fields = {"csrfmiddlewaretoken": self.cookies["csrftoken"], **fields}
        return self.request(
            "POST",
            path,
            body=urlencode(fields).encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )

    def post_multipart(self, path: str, fields: dict, files: dict[str, tuple[str, bytes, str]]):
        boundary = uuid.uuid4().hex
        parts = []
        for name, value in {"csrfmiddlewaretoken": self.cookies["csrftoken"], **fields}.items():
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
        for name, (filename, content, content_type) in files.items():
            parts.append(
                (
                    f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                    f"Content-Type: {content_type}\r\n\r\n"
                ).encode()
                + content
                + b"\r\n"
            )
        parts.append(f"--{boundary}--\r\n".encode())
        return self.request(
            "POST", path, body=b"".join(parts), headers={"Content-Type": f"multipart/form-data; boundary={boundary}"}
        )


def location_path(response) -> str:
    return urlsplit(urljoin(f"https://{HOST}/", response.headers["Location"])).path


# --- The processes ---------------------------------------------------------------


class Processes:
    def __init__(self, logs: Path):
        self.logs = logs
        self.running: dict[str, subprocess.Popen] = {}

    def start(self, name: str, command: list[str], environment: dict) -> None:
        log = (self.logs / f"{name}.log").open("wb")
        say(f"start {name}: {' '.join(command)}")
        # A session of its own: stop() signals the whole group (gunicorn's and celery's children too).
        self.running[name] = subprocess.Popen(  # nosec B603  # fixed commands, no shell
            command, cwd=ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )

    def assert_alive(self) -> None:
        for name, process in self.running.items():
            check(process.poll() is None, f"{name} exited with {process.returncode}")

    def stop(self) -> None:
        for process in self.running.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + 15
        for name, process in self.running.items():
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                say(f"{name} ignored SIGTERM; killing it")
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        say("all processes stopped")

    def dump_logs(self) -> None:
        for name in self.running:
            text = (self.logs / f"{name}.log").read_text(errors="replace")
            print(f"\n----- {name} log (last 60 lines) -----\n" + "\n".join(text.splitlines()[-60:]), flush=True)


def run(command: list[str], environment: dict) -> None:
    say(" ".join(command))
    subprocess.run(command, cwd=ROOT, env=environment, check=True)  # nosec B603  # fixed commands, no shell


# --- The data the walk-through needs (written with the ORM, as an admin would) --------


def prepare_data() -> dict:
    import django

    django.setup()
    from accounts.models import Role, User
    from enterprises.models import Enterprise, Industry, Ownership, Tier
    from enterprises.registry.uscc import make_uscc
    from grids.models import Bureau, District, GridTeam
    from issues.models import Category

    officer = User.objects.create_user(
        "smoke-officer", password=PASSWORD, role=Role.GRID_OFFICER, name="烟测网格员", email="officer@example.org"
    )
    district = District.objects.create(code="SMOKE", name="烟测片区")
    grid = GridTeam.objects.create(code="S1", name="烟测网格", district=district, leader=officer)
    grid.officers.add(officer)
    bureau = Bureau.objects.get_or_create(code="smoke-bureau", defaults={"name": "烟测科室"})[0]
    category = Category.objects.get_or_create(code="smoke", defaults={"name": "烟测类别", "default_bureau": bureau})[0]
    enterprise = Enterprise.objects.create(
        name="烟测企业有限公司",
        uscc=make_uscc("91500000999999999"),
        ownership=Ownership.PRIVATE,
        industry=Industry.EQUIPMENT,
        tier=Tier.GROWTH,
        grid=grid,
    )
    User.objects.create_user(
        "smoke-enterprise",
        password=PASSWORD,
        role=Role.ENTERPRISE_USER,
        enterprise=enterprise,
        name="烟测企业联系人",
        email="contact@example.org",
    )
    return {"enterprise": enterprise.pk, "category": category.pk}


# --- The walk-through ------------------------------------------------------------------


def walk_through(port: int, ids: dict) -> None:
    from django.db import close_old_connections
    from django_celery_beat.models import PeriodicTask

    from accounts.models import Notification
    from fieldwork.models import Visit
    from issues.models import Issue, State

    browser = Browser(port)

    response, body = browser.get("/healthz")
    check(response.status == 200, f"/healthz answered {response.status}: {body[:200]!r}")
    check(json.loads(body) == {"status": "ok", "database": "ok", "broker": "ok"}, f"/healthz said {body!r}")
    say("/healthz: ok (database, broker)")

    response, _ = browser.request("GET", "/healthz", headers={"X-Forwarded-Proto": "http"})
    check(response.status == 200, "the load balancer's plain-HTTP probe of /healthz is not redirected")
    response, _ = browser.request("GET", "/accounts/login/", headers={"X-Forwarded-Proto": "http"})
    check(response.status == 301 and response.headers["Location"].startswith("https://"), "plain HTTP goes to HTTPS")
    say("plain HTTP: /healthz answers, pages move to HTTPS")

    # Sign-in through the login form.
    response, page = browser.get("/accounts/login/")
    check(response.status == 200 and "csrftoken" in browser.cookies, f"login page: {response.status}")
    check("Strict-Transport-Security" in response.headers, "HSTS header missing behind TLS")
    response, _ = browser.post_form("/accounts/login/", {"username": "smoke-officer", "password": PASSWORD})
    check(response.status == 302, f"sign-in answered {response.status}")
    response, _ = browser.get("/")
    check(response.status == 302 and location_path(response) == "/fieldwork/", "the officer lands on /fieldwork/")
    say("sign-in: the officer is at /fieldwork/")

    # A visit with a problem and a photo.
    path = f"/fieldwork/enterprises/{ids['enterprise']}/visits/new/"
    response, page = browser.get(path)
    check(response.status == 200, f"visit form answered {response.status}")
    response, body = browser.post_multipart(
        path,
        {
            "visited_at": time.strftime("%Y-%m-%dT%H:%M", time.localtime(time.time() - 3600)),
            "mode": "on_site",
            "met_with": "李总",
            "findings": "烟测走访：生产正常。",
            "problems-TOTAL_FORMS": "1",
            "problems-INITIAL_FORMS": "0",
            "problems-MIN_NUM_FORMS": "0",
            "problems-MAX_NUM_FORMS": "1000",
            "problems-0-title": "烟测问题",
            "problems-0-description": "二期用电负荷不足。",
        },
        {"attachments": ("gate.jpg", JPEG, "image/jpeg")},
    )
    check(response.status == 302, f"visit POST answered {response.status}: {body[:2000].decode(errors='replace')}")
    close_old_connections()
    visit = Visit.objects.get(enterprise_id=ids["enterprise"])
    issue = visit.raised_issues.get()
    check(visit.attachments.count() == 1, "the visit's photo was not stored")
    check(issue.state == State.SUBMITTED, f"the raised issue is {issue.state}")
    say(f"visit POST: visit #{visit.pk} with issue #{issue.pk} and a photo")

    # An issue transition: the grid accepts it.
    response, page = browser.get(f"/issues/{issue.pk}/")
    check(response.status == 200, f"issue page answered {response.status}")
    version = re.search(rb'name="accept-version" value="(\d+)"', page)
    check(version is not None, "the issue page offers no accept form")
    response, body = browser.post_form(
        f"/issues/{issue.pk}/act/accept/",
        {
            "accept-version": version.group(1).decode(),
            "accept-category": str(ids["category"]),
            "accept-severity": "normal",
            "accept-note": "烟测受理",
        },
    )
    check(response.status == 302, f"accept answered {response.status}: {body[:2000].decode(errors='replace')}")
    close_old_connections()
    issue = Issue.objects.get(pk=issue.pk)
    check(issue.state == State.ACCEPTED, f"the issue is {issue.state} after accept")
    say(f"issue transition: #{issue.pk} submitted → accepted")

    # The worker emails the notifications the web process queued on Redis.
    queued = Notification.objects.filter(recipient__email__gt="")
    check(queued.exists(), "the transitions notified nobody with an email address")

    def all_emailed() -> bool:
        close_old_connections()
        return not queued.filter(emailed_at__isnull=True).exists()

    wait_for("the Celery worker to send the notification emails", all_emailed, seconds=60)
    say(f"celery worker: {queued.count()} notification email(s) sent by the worker")

    wait_for(
        "beat to install its schedule",
        lambda: close_old_connections() or PeriodicTask.objects.filter(name="issues-deadline-sweep").exists(),
        seconds=60,
    )
    say("celery beat: the schedule is in the database")

    # Static files: the login page's stylesheet, hashed, compressed, cached for long.
    stylesheets = re.findall(rb'href="(/static/[^"]+\.css)"', page)
    scripts = re.findall(rb'src="(/static/[^"]+\.js)"', page)
    check(bool(stylesheets) and bool(scripts), "the page links no static file")
    for asset in (stylesheets[0].decode(), scripts[0].decode()):
        check(re.search(r"\.[0-9a-f]{12}\.(css|js)$", asset) is not None, f"{asset} has no content hash")
        response, body = browser.get(asset, headers={"Accept-Encoding": "gzip"})
        check(response.status == 200 and len(body) > 0, f"{asset} answered {response.status}")
        check(response.headers.get("Content-Encoding") == "gzip", f"{asset} is not served compressed")
        check("max-age=315360000" in response.headers.get("Cache-Control", ""), f"{asset} is not cached for long")
    say(f"static files: {stylesheets[0].decode()} and {scripts[0].decode()} served gzipped, cached")


def main() -> int:
    for name in ("DATABASE_URL", "REDIS_URL"):
        if not os.environ.get(name):
            print(f"{name} must be set (PostgreSQL and Redis, as in production)", file=sys.stderr)
            return 2
    work = Path(tempfile.mkdtemp(prefix="jingkai-smoke-"))
    port = free_port()
    python_bin = str(Path(sys.executable).parent)
    environment = {
        **os.environ,
        "PATH": f"{python_bin}:{os.environ.get('PATH', '')}",
        "DJANGO_SETTINGS_MODULE": "jingkai_portal.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": HOST,
        "STATIC_ROOT": str(work / "static"),
        "MEDIA_ROOT": str(work / "media"),
        "EMAIL_URL": "consolemail://",
        "TRUSTED_PROXY_COUNT": "1",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "2",
        "CELERY_BEAT_PIDFILE": str(work / "celerybeat.pid"),
        "CELERY_TASK_ALWAYS_EAGER": "0",
    }
    environment.pop("DEBUG", None)
    os.environ.update(environment)
    processes = Processes(work)
    try:
        run([sys.executable, "manage.py", "migrate", "--noinput", "--verbosity", "0"], environment)
        run([sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"], environment)
        ids = prepare_data()
        processes.start("web", [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py"], environment)
        processes.start(
            "worker",
            [sys.executable, "-m", "celery", "-A", "jingkai_portal", "worker", "--loglevel=INFO", "--concurrency=1"],
            environment,
        )
        pidfile = work / "celerybeat.pid"
        processes.start(
            "beat",
            [sys.executable, "-m", "celery", "-A", "jingkai_portal", "beat", "--loglevel=INFO", f"--pidfile={pidfile}"],
            environment,
        )
        for name in ("web", "worker", "beat"):
            command = [sys.executable, "deploy/healthcheck.py", name]
            wait_for(
                f"the {name} health check",
                lambda command=command: (
                    processes.assert_alive()
                    or subprocess.run(command, cwd=ROOT, env=environment, capture_output=True).returncode == 0
                ),
                seconds=90,
                interval=1,
            )
            say(f"health check {name}: ok")
        walk_through(port, ids)
        processes.assert_alive()
    except Exception as error:  # any failure: say it, show the processes' logs, fail
        print(f"\nSMOKE TEST FAILED: {type(error).__name__}: {error} (logs in {work})", file=sys.stderr, flush=True)
        if not isinstance(error, SmokeFailure | subprocess.CalledProcessError):
            traceback.print_exc()
        processes.dump_logs()
        return 1
    finally:
        processes.stop()
    shutil.rmtree(work, ignore_errors=True)  # on a failure the logs stay there to be read
    say("SMOKE TEST PASSED")
    return 0


if __name__ == "__main__":
    sys.exit(main())
