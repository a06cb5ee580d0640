"""Every illegal funding transition is refused with a clear Chinese message and changes nothing."""

from decimal import Decimal

import pytest

from policies.funding import services
from policies.funding.errors import NotPermitted, StateConflict
from tests.funding.conftest import BUILDERS, snapshot

pytestmark = pytest.mark.django_db

VALID_ARGS = {
    "submit": {},
    "review": {},
    "approve": {"amount": Decimal("10")},
    "reject": {"reason": "不符合条件"},
    "disburse": {"level": "zone", "amount": Decimal("1")},
}

LEGAL_FROM = {
    "submit": {"draft"},
    "review": {"submitted"},
    "approve": {"under_review"},
    "reject": {"submitted", "under_review"},
    "disburse": {"approved"},
}

WRONG_STATE_CASES = [(state, action) for state in BUILDERS for action in VALID_ARGS if state not in LEGAL_FROM[action]]


def refused(error_class, action, application, actor):
    before = snapshot(application)
    with pytest.raises(error_class) as caught:
        services.ACTIONS[action](application=application, actor=actor, **VALID_ARGS[action])
    assert snapshot(application) == before
    message = str(caught.value.message)
    assert message and any("\u4e00" <= char <= "\u9fff" for char in message)  # a clear Chinese message
    return message


@pytest.mark.parametrize(("state", "action"), WRONG_STATE_CASES)
def test_an_action_in_the_wrong_state_is_a_conflict(funding, state, action):
    application = BUILDERS[state](funding)
    # The manager may take every action, so only the state is wrong.
    message = refused(StateConflict, action, application, funding.manager)
    assert "当前状态" in message


# Who may not take each action in its legal state.
WRONG_ROLE_CASES = [
    ("draft", "submit", "bureau_user_x"),
    ("draft", "submit", "officer_b"),
    ("draft", "submit", "enterprise_user_b"),
    ("submitted", "review", "enterprise_user_a"),
    ("submitted", "review", "officer_a"),
    ("submitted", "review", "bureau_user_y"),
    ("under_review", "approve", "officer_a"),
    ("under_review", "approve", "leader_a"),
    ("under_review", "approve", "enterprise_user_a"),
    ("under_review", "approve", "bureau_user_y"),
    ("under_review", "reject", "officer_a"),
    ("under_review", "reject", "bureau_user_y"),
    ("approved", "disburse", "officer_a"),
    ("approved", "disburse", "enterprise_user_a"),
    ("approved", "disburse", "bureau_user_y"),
]


@pytest.mark.parametrize(("state", "action", "persona"), WRONG_ROLE_CASES)
def test_an_action_by_the_wrong_role_is_refused(funding, state, action, persona):
    application = BUILDERS[state](funding)
    refused(NotPermitted, action, application, getattr(funding, persona))


def test_an_outsider_cannot_draft_for_another_enterprise(funding):
    from policies.funding.models import FundingApplication

    with pytest.raises(NotPermitted):
        services.funding_application_create(
            enterprise=funding.enterprise_a,
            clause=funding.shared,
            amount_requested=Decimal("10"),
            reviewing_bureau=funding.bureau_x,
            actor=funding.enterprise_user_b,
        )
    assert FundingApplication.objects.count() == 0
