"""The referral pipeline: referred → visited → intent → credit_approved → disbursed, or declined."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from issues.errors import InvalidInput, NotPermitted, StateConflict
from platforms.financing import policy, services
from platforms.financing.models import CreditLine, Loan, ReferralEvent, ReferralState
from tests.financing.helpers import GRANTED_ON, STEP_INPUT, advance, snapshot

pytestmark = pytest.mark.django_db

ALL_ACTIONS = list(policy.RULES)


def test_the_whole_pipeline_leaves_an_event_per_step_and_the_outcome_records(fin):
    # Given a referred need, when the officer of its grid takes every step
    referral = advance(fin.referral_a, ReferralState.DISBURSED, actor=fin.officer_a)

    # Then it is disbursed, each step is an event, and the credit line and loan exist, linked to it
    assert referral.state == ReferralState.DISBURSED
    assert referral.version == 4
    steps = list(ReferralEvent.objects.filter(referral=referral).values_list("action", "from_state", "to_state"))
    assert steps == [
        ("refer", "", "referred"),
        ("visit", "referred", "visited"),
        ("intent", "visited", "intent"),
        ("approve_credit", "intent", "credit_approved"),
        ("disburse", "credit_approved", "disbursed"),
    ]
    credit = CreditLine.objects.get(referral=referral)
    assert (credit.enterprise, credit.bank, credit.amount, credit.granted_on) == (
        fin.enterprise_a,
        fin.bank_1,
        Decimal("400"),
        GRANTED_ON,
    )
    loan = Loan.objects.get(referral=referral)
    assert (loan.amount, loan.term_months, loan.central_bank_reloan) == (Decimal("300"), 12, False)


def test_decline_keeps_the_reason(fin):
    referral = advance(fin.referral_a, ReferralState.DECLINED, actor=fin.manager)
    assert (referral.state, referral.decline_reason) == (ReferralState.DECLINED, "企业暂无抵押物")
    assert ReferralEvent.objects.filter(referral=referral).last().note == "企业暂无抵押物"


ILLEGAL = [
    (state, action)
    for state in ReferralState.values
    for action in ALL_ACTIONS
    if state not in policy.RULES[action].from_states
]


@pytest.mark.parametrize(("state", "action"), ILLEGAL)
def test_every_illegal_transition_is_refused_and_changes_nothing(fin, state, action):
    # Given a referral in ``state``
    referral = advance(fin.referral_a, state, actor=fin.manager)
    before = snapshot(referral)

    # When anyone, even a manager, tries ``action`` from there
    with pytest.raises(StateConflict):
        services.STEPS[action](referral=referral, actor=fin.manager, **STEP_INPUT[action])

    # Then nothing changed
    assert snapshot(referral) == before


@pytest.mark.parametrize("who", ["enterprise_user_a", "officer_b", "leader_b", "bureau_user_x"])
def test_outsiders_and_the_enterprise_cannot_move_it(fin, who):
    before = snapshot(fin.referral_a)
    with pytest.raises(NotPermitted):
        services.referral_visit(referral=fin.referral_a, actor=getattr(fin, who))
    assert snapshot(fin.referral_a) == before


@pytest.mark.parametrize("who", ["officer_a", "leader_a", "manager", "office_user"])
def test_the_grid_the_district_the_office_and_managers_move_it(fin, who):
    referral = services.referral_visit(referral=fin.referral_a, actor=getattr(fin, who))
    assert referral.state == ReferralState.VISITED


def test_a_stale_copy_is_refused(fin):
    stale = fin.referral_a
    services.referral_visit(referral=stale, actor=fin.officer_a)
    stale.version = 0
    fresh_before = snapshot(stale)
    with pytest.raises(StateConflict):
        services.referral_visit(referral=stale, actor=fin.officer_a)
    assert snapshot(stale) == fresh_before


def test_decline_without_a_reason_is_refused(fin):
    before = snapshot(fin.referral_a)
    with pytest.raises(InvalidInput):
        services.referral_decline(referral=fin.referral_a, actor=fin.officer_a, reason="  ")
    assert snapshot(fin.referral_a) == before


def test_approving_a_zero_credit_is_refused_naming_the_field_and_saves_nothing(fin):
    referral = advance(fin.referral_a, ReferralState.INTENT, actor=fin.officer_a)
    before = snapshot(referral)
    with pytest.raises(ValidationError) as caught:
        services.referral_approve_credit(
            referral=referral, actor=fin.officer_a, amount=Decimal("0"), granted_on=GRANTED_ON
        )
    assert "amount" in caught.value.message_dict
    assert snapshot(referral) == before


def test_allowed_actions_follow_the_table(fin):
    assert policy.allowed_actions(fin.referral_a, fin.officer_a) == ["visit", "decline"]
    assert policy.allowed_actions(fin.referral_a, fin.enterprise_user_a) == []
    assert policy.allowed_actions(fin.referral_a, fin.officer_b) == []
