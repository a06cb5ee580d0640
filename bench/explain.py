"""EXPLAIN (ANALYZE, BUFFERS) every SELECT of the main pages, as each persona, without writing.

Run by hand against a generated province on PostgreSQL (see README.md). The connection is
read-only (``default_transaction_read_only``) and nobody signs in: each persona is handed to
the authentication middleware directly, so no session or login time is written. Prints, per page,
each query slower than ``--slow`` ms (default 10) with its plan, and every sequential scan of a
table above 10,000 rows.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jk_scale .venv/bin/python bench/explain.py
"""

import argparse
import json
import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jingkai_portal.settings")

SELECT = re.compile(r"^\s*(WITH|SELECT)\b", re.IGNORECASE)
BIG = 10_000


def _as_manager(user):
    from accounts.models import Role

    user.role = Role.MANAGER
    return user


def personas() -> tuple[dict, dict]:
    from accounts.models import Role, User
    from enterprises.models import Enterprise
    from grids.models import Bureau, District, GridTeam
    from issues.models import Issue

    grid = GridTeam.objects.filter(code__startswith="S").order_by("code").first()
    if grid is None:
        raise SystemExit("No synthetic province here: run generate_scale first.")
    district = District.objects.get(pk=grid.district_id)
    bureau = Bureau.objects.filter(code__startswith="scale-").order_by("code").first()
    users = {
        # Any existing user, made a manager in memory only (never saved).
        "manager": User.objects.filter(role=Role.MANAGER).first() or _as_manager(User.objects.order_by("pk").first()),
        "district": district.leader,
        "officer": grid.leader,
        "bureau": User.objects.filter(role=Role.BUREAU_STAFF, bureau=bureau).first(),
    }
    ids = {
        "district": district.pk,
        "enterprise": Enterprise.objects.filter(grid=grid).order_by("pk").first().pk,
        "issue": Issue.objects.filter(enterprise__grid=grid).order_by("-pk").first().pk,
    }
    return users, ids


def seq_scans(node: dict) -> list[str]:
    found = [node["Relation Name"]] if node.get("Node Type") == "Seq Scan" else []
    for child in node.get("Plans", []):
        found += seq_scans(child)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--slow", type=float, default=10.0, help="print queries slower than this (ms)")
    parser.add_argument("--only", default="", help="only pages whose name contains this")
    parser.add_argument("--timeout", type=int, default=30, help="statement timeout (s)")
    args = parser.parse_args()

    import django
    from django.conf import settings

    django.setup()
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"  # no session row written
    import django.contrib.auth as auth
    from django.db import connection

    # Every connection (Django opens one per request) is read-only and gives up on a slow statement.
    options = f"-c default_transaction_read_only=on -c statement_timeout={args.timeout * 1000}"
    connection.settings_dict.setdefault("OPTIONS", {})["options"] = options
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench.measured import pages

    with connection.cursor() as cursor:
        cursor.execute("SELECT relname FROM pg_class WHERE relkind = 'r' AND reltuples > %s", [BIG])
        big = {name for (name,) in cursor.fetchall()}
    users, ids = personas()
    current: dict = {}
    auth.get_user = lambda request: current["user"]  # the persona, without a session
    client = Client(raise_request_exception=True)
    for name, role, path in pages(ids, roles=[role for role, user in users.items() if user is not None]):
        if args.only and args.only not in name:
            continue
        current["user"] = users[role]
        try:
            with CaptureQueriesContext(connection) as captured:
                status = client.get(path).status_code
        except Exception as error:  # a statement timeout: say so and go on
            print(f"{name:28} failed: {str(error).splitlines()[0]}  {path}")
            continue
        total = 0.0
        lines = []
        for query in captured.captured_queries:
            if not SELECT.match(query["sql"]):
                continue
            try:
                with connection.cursor() as cursor:
                    cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) {query['sql']}")  # nosec B608  # a SELECT this page just ran, captured by Django; a benchmark tool, never served
                    (row,) = cursor.fetchone()
            except Exception as error:  # noqa: BLE001  # a statement timeout
                lines.append(f"  > {args.timeout} s ({str(error).splitlines()[0]})\n    {query['sql'][:400]}")
                continue
            plan = (row if isinstance(row, list) else json.loads(row))[0]
            ms = plan["Execution Time"] + plan.get("Planning Time", 0)
            total += ms
            scanned = sorted(set(seq_scans(plan["Plan"])) & big)
            if ms > args.slow or scanned:
                lines.append(f"  {ms:8.1f} ms  seq scans: {', '.join(scanned) or '-'}\n    {query['sql'][:400]}")
        print(f"{name:28} {status} {len(captured.captured_queries):3} queries, SQL {total:7.1f} ms  {path}")
        for line in lines:
            print(line)


if __name__ == "__main__":
    main()
