"""Response time and query count of the main lists at scale.

Every page and API list must keep a constant number of queries as data grows
(the tests guard that); this measures how long they take on a big zone.
Generate the data first, e.g. on a scratch database:

    export DATABASE_URL=sqlite:////tmp/jk_bench.sqlite3   # or a PostgreSQL URL
    .venv/bin/python manage.py migrate
    .venv/bin/python manage.py generate_scale --enterprises 100000
    .venv/bin/python bench/pages.py [--repeat 10]

Prints, per URL and persona, the median and worst wall time over the repeats
and the number of queries of one request.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jingkai_portal.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from accounts.models import Role, User  # noqa: E402
from enterprises.models import Enterprise  # noqa: E402
from grids.models import GridTeam  # noqa: E402

URLS = (
    "/enterprises/",
    "/enterprises/?q=有限&tier=growth",
    "/enterprises/?page=50",
    "/api/enterprises/",
    "/api/enterprises/?tier=struggling&ordering=-employees",
    "/grids/",
    "/api/grids/",
    "/issues/",
    "/api/issues/",
)


def personas() -> dict[str, User]:
    manager, _ = User.objects.get_or_create(username="bench-manager", defaults={"role": Role.MANAGER})
    grid = GridTeam.objects.filter(officers__isnull=False).order_by("code").first()
    officer = grid.officers.order_by("id").first()
    return {"manager": manager, f"officer ({grid.code})": officer}


class QueryLog:
    """Every SQL statement of one request, with its time (Django resets
    ``connection.queries`` when a request starts, so we wrap execution)."""

    def __init__(self) -> None:
        self.statements: list[tuple[float, str]] = []

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.statements.append(((time.perf_counter() - started) * 1000, sql))


def measure(client: Client, url: str, repeat: int) -> tuple[float, float, int, int]:
    log = QueryLog()
    with connection.execute_wrapper(log):
        status = client.get(url).status_code
    if os.environ.get("BENCH_SHOW_SLOW"):
        for ms, sql in sorted(log.statements, reverse=True)[:3]:
            print(f"    {ms:8.1f} ms  {sql[:160]}")
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings), max(timings), len(log.statements), status


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()
    settings.ALLOWED_HOSTS = ["*"]
    vendor = connection.vendor
    print(f"database: {vendor}; enterprises: {Enterprise.objects.count():,}; grid teams: {GridTeam.objects.count()}")
    print(f"{'persona':<16} {'url':<52} {'status':>6} {'queries':>7} {'median ms':>10} {'max ms':>8}")
    for name, user in personas().items():
        client = Client()
        client.force_login(user)
        for url in URLS:
            median, worst, queries, status = measure(client, url, args.repeat)
            print(f"{name:<16} {url:<52} {status:>6} {queries:>7} {median:>10.1f} {worst:>8.1f}")


if __name__ == "__main__":
    main()
