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


STATE_LABELS = {
    "draft": "草稿",
    "submitted": "已提交",
    "under_review": "审核中",
    "approved": "已批准",
    "rejected": "未通过",
    "disbursed": "已拨付",
}
WRONG_STATE_MESSAGES = {
    "submit": "只能提交草稿状态的申报。",
    "review": "只能受理已提交的申报。",
    "approve": "只能批准审核中的申报。",
    "reject": "只能对已提交或审核中的申报作未通过处理。",
    "disburse": "只能为已批准、尚未拨付完毕的申报登记拨付。",
}
OUT_OF_SCOPE = "申报不存在或不在您的权限范围内。"
REVIEWING_BUREAU = "您无权执行此操作：仅限审核科室。"
REVIEWING_BUREAU_OR_MANAGER = "您无权执行此操作：仅限审核科室或管委会。"


def refused(error_class, action, application, actor, *, message: str):
    before = snapshot(application)
    with pytest.raises(error_class) as caught:
        services.ACTIONS[action](application=application, actor=actor, **VALID_ARGS[action])
    assert snapshot(application) == before
    assert str(caught.value.message) == message


@pytest.mark.parametrize(("state", "action"), WRONG_STATE_CASES)
def test_an_action_in_the_wrong_state_is_a_conflict(funding, state, action):
    application = BUILDERS[state](funding)
    # The manager may take every action, so only the state is wrong.
    message = f"{WRONG_STATE_MESSAGES[action]} 当前状态：{STATE_LABELS[state]}。"
    refused(StateConflict, action, application, funding.manager, message=message)


# Who may not take each action in its legal state.
WRONG_ROLE_CASES = [
    ("draft", "submit", "bureau_user_x", OUT_OF_SCOPE),
    ("draft", "submit", "officer_b", OUT_OF_SCOPE),
    ("draft", "submit", "enterprise_user_b", OUT_OF_SCOPE),
    ("submitted", "review", "enterprise_user_a", REVIEWING_BUREAU),
    ("submitted", "review", "officer_a", REVIEWING_BUREAU),
    ("submitted", "review", "bureau_user_y", OUT_OF_SCOPE),
    ("under_review", "approve", "officer_a", REVIEWING_BUREAU),
    ("under_review", "approve", "leader_a", REVIEWING_BUREAU),
    ("under_review", "approve", "enterprise_user_a", REVIEWING_BUREAU),
    ("under_review", "approve", "bureau_user_y", OUT_OF_SCOPE),
    ("under_review", "reject", "officer_a", REVIEWING_BUREAU),
    ("under_review", "reject", "bureau_user_y", OUT_OF_SCOPE),
    ("approved", "disburse", "officer_a", REVIEWING_BUREAU_OR_MANAGER),
    ("approved", "disburse", "enterprise_user_a", REVIEWING_BUREAU_OR_MANAGER),
    ("approved", "disburse", "bureau_user_y", OUT_OF_SCOPE),
]


@pytest.mark.parametrize(("state", "action", "persona", "message"), WRONG_ROLE_CASES)
def test_an_action_by_the_wrong_role_is_refused(funding, state, action, persona, message):
    application = BUILDERS[state](funding)
    refused(NotPermitted, action, application, getattr(funding, persona), message=message)


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
