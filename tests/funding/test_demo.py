"""The funding demo reproduces FACTS.md exactly, from the payment records, and runs twice harmlessly.

It runs here without ``policies.demo`` (so the clauses it needs are made by natural
key, as when the steps run in the other order); ``tests/seed`` runs the whole chain.
"""

from io import StringIO

import pytest

from enterprises.registry import demo as enterprises_demo
from grids import demo as grids_demo
from policies.funding import demo
from policies.funding.figures import funds_disbursed
from policies.funding.models import Disbursement, FundingApplication, FundingEvent, FundingGrant, FundingState


@pytest.fixture
def demo_zone(db):
    grids_demo.seed_demo_data(stdout=StringIO())
    enterprises_demo.seed_demo_data(stdout=StringIO())
    demo.seed_demo_data(stdout=StringIO())


def _rows():
    return (
        list(FundingApplication.objects.order_by("pk").values()),
        list(FundingGrant.objects.order_by("pk").values()),
        list(Disbursement.objects.order_by("pk").values()),
        list(FundingEvent.objects.order_by("pk").values_list("pk", "action")),
    )


def test_the_secured_funds_equal_the_article(demo_zone):
    from decimal import Decimal

    figures = funds_disbursed()
    assert [(group.key, group.amount, group.enterprises) for group in figures.groups] == [
        ("municipal", Decimal("1781.00"), 20),
        ("district_zone", Decimal("1984.00"), 67),
        ("central", Decimal("2113.00"), 7),
    ]
    assert figures.total == Decimal("5878.00")
    # Every state is there, and only paid money is secured (partly paid grants keep an unpaid rest).
    assert set(FundingApplication.objects.values_list("state", flat=True)) == set(FundingState.values)
    assert all(FundingApplication.objects.filter(state="rejected").values_list("rejection_reason", flat=True))
    partly_paid = FundingApplication.objects.filter(state=FundingState.APPROVED, disbursements__isnull=False).distinct()
    assert partly_paid.count() == 5
    for application in FundingApplication.objects.prefetch_related("grants", "disbursements"):
        for grant in application.grants.all():
            paid = sum((d.amount for d in application.disbursements.all() if d.level == grant.level), Decimal(0))
            assert paid == grant.disbursed_amount <= grant.granted_amount
    months = {day.strftime("%Y-%m") for day in Disbursement.objects.values_list("disbursed_on", flat=True)}
    assert len(months) >= 9


def test_a_second_run_changes_nothing(demo_zone):
    before = _rows()
    demo.seed_demo_data(stdout=StringIO())
    assert _rows() == before
