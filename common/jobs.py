"""What keeps the background jobs safe: which failures deserve a retry, and one run at a time.

``TRANSIENT_ERRORS`` are the failures that may pass by themselves (the database or
the broker unreachable for a moment, a lost connection, a serialisation conflict):
a task retries those with backoff (``RETRY_TRANSIENT``) and nothing else, so a bug
or bad data fails once, loudly, instead of five times.

``job_lock(name)`` makes sure one process at a time runs a job. On PostgreSQL it
is a session advisory lock; elsewhere (the embedded SQLite default, one machine)
an exclusive ``flock`` on a file under ``var/locks``. Both belong to the process
that holds them: a worker killed in the middle (SIGKILL, the OOM killer) loses its
database connection or its file descriptor and the lock with it, so the redelivered
or rerun job can take it at once.
"""

import contextlib
import fcntl
import hashlib
import re
import time
from collections.abc import Iterator

from django.conf import settings
from django.db import InterfaceError, OperationalError, connection
from kombu.exceptions import OperationalError as BrokerUnavailable

# Not IntegrityError, DataError, ProgrammingError: those come back on every retry.
TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (OperationalError, InterfaceError, BrokerUnavailable)

# Celery task options: retry the transient failures only, 30 s, 60 s, … up to 10 min, with jitter.
RETRY_TRANSIENT = {
    "autoretry_for": TRANSIENT_ERRORS,
    "retry_backoff": 30,
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "max_retries": 5,
}


def _advisory_key(name: str) -> int:
    """A stable signed 64-bit key for PostgreSQL's advisory locks."""
    return int.from_bytes(hashlib.blake2b(name.encode(), digest_size=8).digest(), "big", signed=True)


def _retrying(attempt, wait: float) -> bool:
    """``attempt()`` every 0.2 s until it returns True or ``wait`` seconds have passed."""
    deadline = time.monotonic() + wait
    while not attempt():
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.2)
    return True


@contextlib.contextmanager
def job_lock(name: str, *, wait: float = 0) -> Iterator[bool]:
    """Yields True while this process holds the lock ``name``, False when another process does.

    Waits at most ``wait`` seconds for it: a second run of a job finds it taken and
    gives up (the caller decides what that means, usually "already running, nothing
    to do"). A few seconds cover the moment after a worker was killed, before the
    database has noticed its connection is gone.
    """
    if connection.vendor == "postgresql":
        key = _advisory_key(name)

        def attempt() -> bool:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
                return bool(cursor.fetchone()[0])

        held = _retrying(attempt, wait)
        try:
            yield held
        finally:
            if held:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s)", [key])
        return
    folder = settings.VAR_DIR / "locks"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{re.sub(r'[^A-Za-z0-9_.-]', '_', name)}.lock"
    with open(path, "a") as handle:

        def attempt() -> bool:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return False
            return True

        if not _retrying(attempt, wait):
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
