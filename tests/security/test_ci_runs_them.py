"""The tests that need PostgreSQL and Redis (items 11–13) skip on the embedded defaults;
CI's PostgreSQL pass must run them, not skip them quietly (REQUIRE_NO_SKIP)."""

import os
import re
import subprocess
import sys

from django.conf import settings

BACKUP_ON_POSTGRES = (
    "tests/security/test_backup_restore.py::test_the_demo_zone_backed_up_and_restored_into_a_fresh_database_is_the_same"
)


def test_the_postgresql_pass_of_ci_requires_that_nothing_skips():
    script = (settings.BASE_DIR / ".ci" / "run").read_text()
    (second_pass,) = [
        line for line in script.splitlines() if line.rstrip().endswith("run_suite") and "DATABASE_URL=" in line
    ]
    assert "postgres://" in second_pass and "REDIS_URL=" in second_pass
    assert "REQUIRE_NO_SKIP=1" in second_pass


def run_pytest(*arguments: str, **environment: str) -> subprocess.CompletedProcess:
    left_out = ("DATABASE_URL", "REDIS_URL", "REQUIRE_NO_SKIP")  # the embedded defaults, skips allowed
    env = {name: value for name, value in os.environ.items() if name not in left_out}
    env.update(environment)
    return subprocess.run(  # noqa: S603 (our own interpreter)
        [sys.executable, "-m", "pytest", "-p", "no:xdist", "-rs", *arguments],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_under_require_no_skip_a_postgresql_test_that_cannot_run_fails_with_its_reason():
    # On the embedded defaults the backup test skips; with REQUIRE_NO_SKIP=1 that is a failure.
    quiet = run_pytest(BACKUP_ON_POSTGRES)
    required = run_pytest(BACKUP_ON_POSTGRES, REQUIRE_NO_SKIP="1")

    assert quiet.returncode == 0 and re.search(r"\b1 skipped\b", quiet.stdout), quiet.stdout
    assert required.returncode == 1, required.stdout
    assert (
        "REQUIRE_NO_SKIP=1 (CI's PostgreSQL pass), but the test skipped: Skipped: needs PostgreSQL" in required.stdout
    )
