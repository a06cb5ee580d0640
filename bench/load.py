"""The portal under load, as deployed: gunicorn with the production settings, measured over HTTP.

Run by hand on a database made by ``generate_scale`` (never in the test suite):

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/jk_scale REDIS_URL=redis://127.0.0.1:6379/9
    .venv/bin/python manage.py migrate
    .venv/bin/python manage.py generate_scale --enterprises 100000 --grids 3000 --districts 120 \\
        --visits-per-enterprise 20 --issues-per-enterprise 5 --months 12
    .venv/bin/python bench/load.py [--seconds 8] [--workers 5] [--clients 1,8] [--only ledger]

It starts gunicorn (``deploy/gunicorn.conf.py``, ``GUNICORN_WORKERS`` workers, sync) on loopback
with ``bench.wsgi`` — the portal plus one **floor** view that reads one row by primary key and
renders nothing — signs in as each role through the login form, warms every URL up, then for each
URL and each client count runs that many clients for ``--seconds`` and prints p50/p95/p99 in ms,
requests per second, errors, the ratio of p95 to the floor's p95, and the queries of one request
(counted in-process with the test client, on the same database). The POSTs (a visit, an issue
accepted) are measured with one client over fresh objects each time.
"""

import argparse
import os
import re
import secrets
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.measured import pages  # noqa: E402
from deploy.smoke import Browser, Processes, free_port, run, wait_for  # noqa: E402

PASSWORD = secrets.token_urlsafe(16)


def personas() -> dict:
    """The bench's users on the generated province, each with a known password; their ids and objects."""
    import django

    django.setup()
    from accounts.models import Role, User
    from enterprises.models import Enterprise
    from grids.models import Bureau, District, GridTeam
    from issues.models import Issue, State

    grid = GridTeam.objects.filter(code__startswith="S").order_by("code").first()
    if grid is None:
        raise SystemExit("No synthetic province here: run generate_scale first (see the top of this file).")
    district = District.objects.get(pk=grid.district_id)
    bureau = Bureau.objects.filter(code__startswith="scale-").order_by("code").first()
    enterprise = Enterprise.objects.filter(grid=grid).order_by("pk").first()
    users = {
        "manager": User.objects.get_or_create(username="bench-manager", defaults={"role": Role.MANAGER})[0],
        "district": district.leader,
        "officer": grid.leader,
        "bureau": User.objects.get(role=Role.BUREAU_STAFF, bureau=bureau),
        "enterprise": User.objects.get_or_create(
            username="bench-enterprise", defaults={"role": Role.ENTERPRISE_USER, "enterprise": enterprise}
        )[0],
    }
    for user in users.values():
        user.set_password(PASSWORD)
        user.must_change_password = ""
        user.save()
    issue = Issue.objects.filter(enterprise__grid=grid).order_by("-pk").first()
    return {
        "users": {role: user.username for role, user in users.items()},
        "floor_pk": users["manager"].pk,
        "grid": grid.pk,
        "district": district.pk,
        "enterprise": enterprise.pk,
        "issue": issue.pk,
        "submitted": list(
            Issue.objects.filter(enterprise__grid=grid, state=State.SUBMITTED).values_list("pk", flat=True)
        ),
    }


class Client(Browser):
    """One signed-in user on one kept-alive connection (the measuring clients reuse it)."""

    def sign_in(self, username: str) -> "Client":
        self.get("/accounts/login/")
        response, _ = self.post_form("/accounts/login/", {"username": username, "password": PASSWORD})
        if response.status != 302:
            raise SystemExit(f"{username} could not sign in ({response.status})")
        return self


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def load(port: int, cookies: dict, path: str, *, clients: int, seconds: float) -> dict:
    """``clients`` threads asking for ``path`` for ``seconds``; latencies, throughput and errors."""
    timings: list[float] = []
    errors = 0
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def worker() -> None:
        nonlocal errors
        client = Browser(port)
        client.cookies = dict(cookies)
        mine, failed = [], 0
        while True:  # at least one request, however short the run
            started = time.perf_counter()
            try:
                response, _ = client.get(path)
            except OSError:  # no answer within the client's 30 s (TimeoutError), or the worker was killed
                failed += 1
            else:
                failed += response.status != 200
            mine.append((time.perf_counter() - started) * 1000)
            if time.monotonic() >= stop_at:
                break
        with lock:
            timings.extend(mine)
            errors += failed

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - began
    return {
        "p50": percentile(timings, 0.50),
        "p95": percentile(timings, 0.95),
        "p99": percentile(timings, 0.99),
        "rps": len(timings) / elapsed,
        "requests": len(timings),
        "errors": errors,
    }


def query_count(username: str, path: str) -> int:
    from django.db import connection
    from django.test import Client as TestClient
    from django.test.utils import CaptureQueriesContext

    import bench.wsgi  # noqa: F401  (the floor's route, in this process as in gunicorn's)
    from accounts.models import User

    # As nginx forwards it: TLS ended in front, so the production settings do not redirect to HTTPS.
    client = TestClient(HTTP_HOST="localhost", HTTP_X_FORWARDED_PROTO="https")
    client.force_login(User.objects.get(username=username))
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    if response.status_code != 200:
        raise SystemExit(f"{path} answered {response.status_code} in process as {username}")
    return len(captured)


def post_timings(port: int, cookies: dict, ids: dict, *, count: int) -> dict[str, list[float]]:
    """A visit POSTed ``count`` times, and ``count`` submitted issues accepted, one client."""
    client = Browser(port)
    client.cookies = dict(cookies)
    results: dict[str, list[float]] = {"visit POST": [], "issue accept POST": []}
    path = f"/fieldwork/enterprises/{ids['enterprise']}/visits/new/"
    client.get(path)
    for number in range(count):
        started = time.perf_counter()
        response, body = client.post_form(
            path,
            {
                "visited_at": time.strftime("%Y-%m-%dT%H:%M", time.localtime(time.time() - 3600)),
                "mode": "on_site",
                "met_with": "李总",
                "findings": f"压测走访 {number}",
                "problems-TOTAL_FORMS": "0",
                "problems-INITIAL_FORMS": "0",
                "problems-MIN_NUM_FORMS": "0",
                "problems-MAX_NUM_FORMS": "1000",
            },
        )
        results["visit POST"].append((time.perf_counter() - started) * 1000)
        if response.status != 302:
            raise SystemExit(f"visit POST answered {response.status}: {body[:500]!r}")
    for pk in ids["submitted"][:count]:
        _, page = client.get(f"/issues/{pk}/")
        version = re.search(rb'name="accept-version" value="(\d+)"', page)
        category = re.search(rb'name="accept-category"[^>]*>.*?<option value="(\d+)"', page, re.S)
        if not version or not category:
            continue
        started = time.perf_counter()
        response, _ = client.post_form(
            f"/issues/{pk}/act/accept/",
            {
                "accept-version": version.group(1).decode(),
                "accept-category": category.group(1).decode(),
                "accept-severity": "normal",
                "accept-note": "压测受理",
            },
        )
        results["issue accept POST"].append((time.perf_counter() - started) * 1000)
    return results


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=8.0, help="seconds per URL and client count")
    parser.add_argument("--workers", type=int, default=5, help="gunicorn sync workers")
    parser.add_argument("--clients", default="1,8", help="client counts, comma-separated")
    parser.add_argument("--only", default="", help="measure only the pages whose name contains this")
    parser.add_argument("--posts", type=int, default=20, help="POSTs of each kind")
    args = parser.parse_args()
    client_counts = [int(count) for count in args.clients.split(",")]
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("Set DATABASE_URL to the PostgreSQL database generate_scale filled.")
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "jingkai_portal.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "localhost",
        "GUNICORN_WORKERS": str(args.workers),
        "GUNICORN_BIND": f"127.0.0.1:{(port := free_port())}",
        "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/9"),
    }
    environment.pop("DEBUG", None)
    os.environ.update(environment)
    ids = personas()
    run([sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"], environment)
    processes = Processes(Path(tempfile.mkdtemp(prefix="jk-bench-")))
    try:
        processes.start(
            "web",
            [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "bench.wsgi:application"],
            environment,
        )
        wait_for("gunicorn", lambda: Browser(port).get("/healthz")[0].status == 200)
        signed_in = {role: Client(port).sign_in(username).cookies for role, username in ids["users"].items()}
        measured = [page for page in pages(ids, roles=ids["users"]) if args.only in page[0] or page[0] == "floor"]
        columns = ("clients", "p50", "p95", "p99", "req/s", "err", "×floor", "queries")
        print(f"{'page':<28} " + " ".join(f"{column:>7}" for column in columns))
        floor: dict[int, float] = {}
        for name, role, path in measured:
            warm_up = [load(port, signed_in[role], path, clients=1, seconds=0.01) for _ in range(3)]
            if all(result["errors"] for result in warm_up):  # warm-up (caches, connections) failed every time
                slowest = max(result["p99"] for result in warm_up)
                print(f"{name:<28} no answer under 30 s ({slowest / 1000:.0f} s): not measured", flush=True)
                continue
            queries = query_count(ids["users"][role], path)
            for clients in client_counts:
                result = load(port, signed_in[role], path, clients=clients, seconds=args.seconds)
                if name == "floor":
                    floor[clients] = result["p95"]
                ratio = result["p95"] / floor[clients]
                print(
                    f"{name:<28} {clients:>7} {result['p50']:>7.1f} {result['p95']:>7.1f} {result['p99']:>7.1f} "
                    f"{result['rps']:>7.1f} {result['errors']:>4} {ratio:>7.1f} {queries:>7}",
                    flush=True,
                )
        if args.posts:
            for name, timings in post_timings(port, signed_in["officer"], ids, count=args.posts).items():
                if timings:
                    print(
                        f"{name:<28} {1:>7} {statistics.median(timings):>7.1f} {percentile(timings, 0.95):>7.1f} "
                        f"{percentile(timings, 0.99):>7.1f} {'':>7} {0:>4} {percentile(timings, 0.95) / floor[1]:>7.1f}"
                    )
    finally:
        processes.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
