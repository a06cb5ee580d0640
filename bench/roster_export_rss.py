"""Peak memory and time of exporting the whole roster to .xlsx.

Runs the real export view (as a manager, so every enterprise is in scope)
and drains its streamed response, then reports the process's peak resident
set size. Generate the data first, e.g. on a scratch SQLite file:

    export DATABASE_URL=sqlite:////tmp/jk_export_bench.sqlite3
    .venv/bin/python manage.py migrate
    .venv/bin/python manage.py generate_scale --enterprises 100000
    .venv/bin/python bench/roster_export_rss.py

The roster must stay under 300 MB for 100,000 rows (issue 3).
"""

import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jingkai_portal.settings")

import django  # noqa: E402

django.setup()

from django.test import RequestFactory  # noqa: E402

from accounts.models import Role, User  # noqa: E402
from enterprises.models import Enterprise  # noqa: E402
from enterprises.roster.views import roster_export  # noqa: E402

LIMIT_MB = 300


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def main() -> int:
    rows = Enterprise.objects.count()
    baseline = peak_rss_mb()
    request = RequestFactory().get("/enterprises/roster/export.xlsx")
    request.user = User(username="bench-manager", role=Role.MANAGER)  # never saved: the scope needs no rows
    started = time.monotonic()
    response = roster_export(request)
    size = sum(len(chunk) for chunk in response.streaming_content)
    elapsed = time.monotonic() - started
    peak = peak_rss_mb()
    print(f"enterprises: {rows:,}")
    print(f"file: {size / 1024 / 1024:.1f} MB in {elapsed:.1f} s")
    print(f"peak RSS: {peak:.0f} MB (after Django start-up: {baseline:.0f} MB; limit {LIMIT_MB} MB)")
    return 0 if peak < LIMIT_MB else 1


if __name__ == "__main__":
    sys.exit(main())
