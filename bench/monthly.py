"""Time the monthly analysis's computation (``analytics.monthly.monthly_rows``) without storing anything.

Run by hand against a generated province (see README.md). The connection is read-only
(``default_transaction_read_only``): the rows are computed, timed and optionally written to a JSON
file (``--dump``) to compare two versions of the code, never stored. Prints the total, the number
of queries and the slowest of them.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jk_scale .venv/bin/python bench/monthly.py --month 2026-11
"""

import argparse
import datetime
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jingkai_portal.settings")
os.environ["PGOPTIONS"] = (os.environ.get("PGOPTIONS", "") + " -c default_transaction_read_only=on").strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--month", default=None, help="YYYY-MM (default: last month)")
    parser.add_argument("--slowest", type=int, default=5, help="slowest queries shown (default 5)")
    parser.add_argument("--dump", default=None, help="write the rows to this JSON file")
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from analytics.aggregates import Period
    from analytics.monthly import monthly_rows
    from common.periods import Month

    if args.month:
        month = Month.of(datetime.date.fromisoformat(f"{args.month}-01"))
    else:
        month = Month.of(datetime.date.today()).previous
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        rows = monthly_rows(Period.whole(month))
    took = time.perf_counter() - started
    print(f"monthly_rows {month}: {took:.1f} s, {len(queries.captured_queries)} queries, {len(rows)} rows")
    for query in sorted(queries.captured_queries, key=lambda q: -float(q["time"]))[: args.slowest]:
        print(f"  {float(query['time']):7.2f} s  {query['sql'][:140]}")
    if args.dump:
        with open(args.dump, "w") as out:
            json.dump([row.as_dict() for row in rows], out, sort_keys=True, default=str, indent=0)


if __name__ == "__main__":
    main()
