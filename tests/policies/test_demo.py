"""The demo library: every level, stable clauses for the funding demo, pushes with receipts, tasks for officer-01."""

from io import StringIO

import pytest
from django.db import transaction

from policies.demo_data import CENTRAL_SPECIAL, DISTRICT_SUPPORT, INFORMATIZATION, ZONE_SUPPORT
from policies.models import EligibilityResult, EnterpriseFact, Policy, PolicyClause, PolicyPush

STEPS = ("grids.demo", "enterprises.registry.demo", "enterprises.profile.demo", "policies.demo")


def _run(steps=STEPS) -> str:
    from importlib import import_module

    output = StringIO()
    for step in steps:
        import_module(step).seed_demo_data(stdout=output)
    return output.getvalue()


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield _run()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def _snapshot():
    return {
        "policies": list(Policy.objects.order_by("pk").values()),
        "clauses": list(PolicyClause.objects.order_by("pk").values()),
        "facts": list(EnterpriseFact.objects.order_by("pk").values()),
        "results": list(
            EligibilityResult.objects.order_by("pk").values_list(
                "enterprise", "clause", "answer", "missing_facts", "evaluated_at"
            )
        ),
        "pushes": list(PolicyPush.objects.order_by("pk").values()),
    }


def test_every_level_and_state_is_in_the_library(demo):
    assert set(Policy.objects.values_list("level", flat=True)) == {"central", "municipal", "district", "zone"}
    assert set(Policy.objects.values_list("state", flat=True)) == {"draft", "published", "expired"}
    assert Policy.objects.filter(clauses__max_amount__isnull=True).exists()  # policies without funds too


@pytest.mark.parametrize(
    "title, number, shares",
    [
        (INFORMATIZATION, 1, (0, 100, 0, 0)),
        (ZONE_SUPPORT, 1, (0, 0, 40, 60)),
        (ZONE_SUPPORT, 2, (0, 0, 50, 50)),
        (DISTRICT_SUPPORT, 1, (0, 0, 100, 0)),
        (CENTRAL_SPECIAL, 1, (0, 0, 0, 100)[::-1]),
    ],
)
def test_the_funding_demos_clauses_are_where_the_report_says(demo, title, number, shares):
    clause = PolicyClause.objects.get(policy__title=title, number=number)
    assert (clause.share_central, clause.share_municipal, clause.share_district, clause.share_zone) == shares
    assert clause.policy.state == "published"


def test_pushes_carry_every_kind_of_receipt(demo):
    pushes = PolicyPush.objects.all()
    assert pushes.filter(state="delivered").exists()
    assert pushes.filter(state="opened").exists()
    assert pushes.filter(state="acknowledged", in_person=False).exists()
    assert pushes.filter(in_person=True).exists()


def test_officer_01_has_facts_to_collect(demo):
    from accounts.models import User
    from policies.selectors import missing_fact_tasks

    tasks = missing_fact_tasks(user=User.objects.get(username="officer-01"))
    assert tasks
    assert any(key == "informatization_investment" for task in tasks for key, _label in task.facts)


def test_a_second_run_changes_nothing(demo):
    before = _snapshot()
    _run(("policies.demo",))
    assert _snapshot() == before
