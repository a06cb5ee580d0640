"""Time and peak memory of the Excel exports, written as the export job's worker writes them.

Each export runs in a child process of its own (peak resident set size is per
process), as a manager, through ``common.export_jobs.write_export`` — the
function the job's task (``export_job_run``) calls, with the same progress
callback every 1,000 rows (here it counts the calls instead of updating the
job row, so the benchmark needs no ``ExportJob`` table and writes nothing to
the database). Generate the data first (bench/README.md), then e.g.:

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/jk_scale
    .venv/bin/python bench/exports.py                      # ledger (100,000 rows) and roster
    .venv/bin/python bench/exports.py ledger --rows 50000

The target (issue 13 §3): a 100,000-row export in at most 60 s and 300 MB.
"""

import argparse
import dataclasses
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jingkai_portal.settings")

LIMIT_MB = 300
LIMIT_SECONDS = 60
KINDS = {
    "ledger": "issues.exports.LEDGER_EXPORT",
    "roster": "enterprises.roster.exports.ROSTER_EXPORT",
    "visits": "fieldwork.exports.VISITS_EXPORT",
    "tracking": "fieldwork.exports.TRACKING_EXPORT",
}


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def run_one(name: str, rows: int | None) -> int:
    """Write one export in this process and print its line; 0 when within the targets."""
    import django

    django.setup()
    from django.http import QueryDict
    from django.utils.module_loading import import_string

    from accounts.models import Role, User
    from common.export_jobs import write_export

    kind = import_string(KINDS[name])
    user = User(username="bench-manager", role=Role.MANAGER)  # never saved: a manager's scope needs no rows
    if rows and kind.select(user=user, params=QueryDict()).count() > rows:
        # ``rows`` of them (the ledger and the visits of a province hold more), still in the
        # export's own order: a slice would stop the export's rows from ordering the query.
        select = kind.select

        def limited(**arguments):
            queryset = select(**arguments)
            return queryset.filter(pk__in=queryset.order_by().values("pk")[:rows])

        kind = dataclasses.replace(kind, select=limited)
    baseline = peak_rss_mb()
    calls = []
    with tempfile.TemporaryFile() as target:
        started, cpu_started = time.monotonic(), cpu_seconds()
        count = write_export(
            kind=kind, user=user, params=QueryDict(), target=target, progress=lambda done, total: calls.append(done)
        )
        elapsed, cpu = time.monotonic() - started, cpu_seconds() - cpu_started
        size = target.tell()
    peak = peak_rss_mb()
    ok = elapsed <= LIMIT_SECONDS and peak <= LIMIT_MB
    print(
        f"{name:8} {count:>9,} rows  {elapsed:6.1f} s (this process's CPU {cpu:5.1f} s)  "
        f"file {size / 1024 / 1024:5.1f} MB  "
        f"peak RSS {peak:5.0f} MB (Django start-up {baseline:.0f} MB)  progress writes {len(calls)}  "
        f"{'ok' if ok else 'OVER TARGET'}"
    )
    return 0 if ok else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("kinds", nargs="*", default=["ledger", "roster"], help=f"any of {', '.join(KINDS)}")
    parser.add_argument("--rows", type=int, default=100_000, help="at most this many rows per export (0: all)")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    unknown = set(arguments.kinds) - set(KINDS)
    if unknown:
        parser.error(f"unknown export: {', '.join(sorted(unknown))}")
    if arguments.child:
        return run_one(arguments.kinds[0], arguments.rows or None)
    status = 0
    for name in arguments.kinds:
        command = [sys.executable, __file__, name, "--rows", str(arguments.rows), "--child"]
        status |= subprocess.run(command, check=False).returncode
    return status


if __name__ == "__main__":
    sys.exit(main())
