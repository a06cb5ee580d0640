"""Real threads against PostgreSQL, for the one-winner and idempotency rules (DESIGN §4)."""

import threading

import pytest
from django.conf import settings
from django.db import connection

# SQLite serialises whole-database writes, so a race cannot happen there; CI runs these on PostgreSQL.
postgres_only = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="needs row locks across connections: SQLite serialises whole-database writes; CI runs PostgreSQL",
)


def at_once(*calls):
    """Each call in its own thread and connection, released together; results or exceptions in order."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=10)
            results[index] = call()
        except Exception as error:  # the test asserts on it
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index, call)) for index, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results
