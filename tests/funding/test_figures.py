"""Every funds figure is summed from the payment records, by payment date."""

import datetime
from decimal import Decimal

import pytest
import time_machine

from policies.funding import services
from policies.funding.figures import (
    PolicyFunnel,
    funding_funnel,
    funds_disbursed,
    funds_disbursed_to_date,
    policy_funnel,
)
from policies.funding.models import FundingApplication
from policies.models import Answer, EligibilityResult, PolicyPush
from tests.funding.conftest import MONDAY, approved, at, draft, rejected, submitted

pytestmark = pytest.mark.django_db

OCTOBER = {"start": datetime.date(2026, 10, 1), "end": datetime.date(2026, 10, 31)}


def pay(f, application, *, level, amount, on):
    return services.funding_disbursement_record(
        application=FundingApplication.objects.get(pk=application.pk),
        actor=f.manager,
        level=level,
        amount=Decimal(amount),
        on=on,
    )


@pytest.fixture
def paid(funding, frozen_monday):
    """Approved on 1 September; the municipal grant paid 30 in October, the shared one 48 + 10 in October/November."""
    frozen_monday.move_to(at(2026, 9, 1))
    municipal = approved(funding, clause=funding.municipal, amount="30")
    shared = approved(funding, clause=funding.shared, amount="80", enterprise=funding.enterprise_b)
    frozen_monday.move_to(at(2026, 11, 2))
    pay(funding, municipal, level="municipal", amount="30", on=datetime.date(2026, 10, 15))
    pay(funding, shared, level="district", amount="48", on=datetime.date(2026, 10, 31))
    pay(funding, shared, level="zone", amount="10", on=datetime.date(2026, 11, 1))
    funding.municipal_application, funding.shared_application = municipal, shared
    return funding


def test_a_window_sums_its_payments_by_level(paid):
    figures = funds_disbursed(**OCTOBER)
    assert figures.by_level == {
        "central": Decimal("0.00"),
        "municipal": Decimal("30.00"),
        "district": Decimal("48.00"),
        "zone": Decimal("0.00"),
    }
    assert [(group.key, group.amount, group.enterprises) for group in figures.groups] == [
        ("municipal", Decimal("30.00"), 1),
        ("district_zone", Decimal("48.00"), 1),
        ("central", Decimal("0.00"), 0),
    ]
    assert figures.total == Decimal("78.00")
    assert figures.enterprises == 2


def test_to_date_counts_everything_paid_so_far(paid):
    figures = funds_disbursed_to_date(on=datetime.date(2026, 11, 2))
    assert figures.total == Decimal("88.00")
    assert figures.groups[1].amount == Decimal("58.00")


def test_approved_but_unpaid_money_is_not_secured(paid):
    approved(paid, clause=paid.central, amount="100")
    assert funds_disbursed_to_date(on=datetime.date(2026, 11, 2)).total == Decimal("88.00")


def test_one_more_payment_moves_the_total(paid):
    pay(paid, paid.shared_application, level="zone", amount="5", on=datetime.date(2026, 11, 2))
    assert funds_disbursed_to_date(on=datetime.date(2026, 11, 2)).total == Decimal("93.00")


def test_a_past_month_does_not_move_when_a_later_payment_is_recorded(paid):
    october = funds_disbursed(**OCTOBER)
    with time_machine.travel(at(2026, 12, 5), tick=False):
        pay(paid, paid.shared_application, level="zone", amount="22", on=datetime.date(2026, 12, 5))
    assert funds_disbursed(**OCTOBER) == october
    assert funds_disbursed_to_date(on=datetime.date(2026, 12, 31)).total == Decimal("110.00")


def test_per_district(paid):
    assert funds_disbursed_to_date(on=datetime.date(2026, 11, 2), district_id=paid.district_a.pk).total == Decimal(
        "30.00"
    )
    assert funds_disbursed_to_date(on=datetime.date(2026, 11, 2), district_id=paid.district_b.pk).total == Decimal(
        "58.00"
    )


def test_the_funnel_counts_applied_granted_and_paid_per_grid(paid):
    policy_id = paid.shared.policy_id
    submitted(paid, clause=paid.shared)  # grid A: applied only
    rejected(paid, clause=paid.shared)  # grid A: applied, refused
    draft(paid, clause=paid.shared)  # drafts are not applications yet
    rows = funding_funnel(policy_id=policy_id, by="grid")
    assert [(row.grid_name, row.applied, row.granted, row.disbursed, row.granted_amount) for row in rows] == [
        ("甲网格", 2, 0, 0, Decimal("0.00")),
        ("乙网格", 1, 1, 1, Decimal("80.00")),
    ]
    by_district = funding_funnel(policy_id=policy_id, by="district", user=paid.officer_a)
    assert [(row.district_name, row.grid_id, row.applied) for row in by_district] == [("甲片区", None, 2)]


def test_the_window_query_is_one_query(paid, django_assert_num_queries):
    with django_assert_num_queries(1):
        funds_disbursed(**OCTOBER)


def push(policy, enterprise, *, opened: bool = False):
    return PolicyPush.objects.create(
        policy=policy, enterprise=enterprise, pushed_at=MONDAY, opened_at=MONDAY if opened else None
    )


def eligible(clause, enterprise):
    return EligibilityResult.objects.create(
        enterprise=enterprise, clause=clause, answer=Answer.ELIGIBLE, evaluated_at=MONDAY
    )


def test_the_policy_funnel_counts_pushes_that_reached_each_stage(funding):
    """Given the shared policy pushed to 甲 (opened, eligible, approved) and to 乙 (unread, rejected), and the
    central policy pushed to 乙 with nothing after it, when the funnel is counted, then each stage counts
    the pushes whose enterprise got there under a clause of that same policy."""
    push(funding.shared.policy, funding.enterprise_a, opened=True)
    push(funding.shared.policy, funding.enterprise_b)
    push(funding.central.policy, funding.enterprise_b)
    eligible(funding.shared, funding.enterprise_a)
    eligible(funding.municipal, funding.enterprise_b)  # another policy: not this push's
    approved(funding, clause=funding.shared)
    rejected(funding, clause=funding.shared, enterprise=funding.enterprise_b)
    draft(funding, clause=funding.central, enterprise=funding.enterprise_b)  # a draft is not applied

    assert policy_funnel() == PolicyFunnel(pushed=3, read=1, eligible=1, applied=2, won=1)
    assert policy_funnel(district_id=funding.district_a.pk) == PolicyFunnel(
        pushed=1, read=1, eligible=1, applied=1, won=1
    )
    assert policy_funnel(district_id=funding.district_b.pk) == PolicyFunnel(
        pushed=2, read=0, eligible=0, applied=1, won=0
    )
