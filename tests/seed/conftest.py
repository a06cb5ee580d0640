from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction


@pytest.fixture(scope="module")
def demo_zone(django_db_setup, django_db_blocker):
    """``seed_demo`` once per test module, inside a transaction that is rolled
    back after the module's last test, so other modules start from an empty
    database. Each test runs in a savepoint within it. Yields the command's output."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            output = StringIO()
            call_command("seed_demo", stdout=output)
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    yield output.getvalue()
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)
