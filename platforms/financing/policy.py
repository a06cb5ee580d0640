"""The referral pipeline: which step, from which state, by whom (copying ``issues/policy.py``).

    referred → visited → intent → credit_approved → disbursed
    any open state → declined (reason required)

``RULES`` is the single statement of it. Services call ``require()`` inside the
row lock; pages and the API ask ``allowed_actions()`` to show only the steps a
user may take. Enterprise users follow their own referrals and move none.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from issues.errors import NotPermitted, StateConflict
from platforms.financing.access import may_record_for
from platforms.financing.models import OPEN_STATES, Referral, ReferralState

VISIT = "visit"
INTENT = "intent"
APPROVE_CREDIT = "approve_credit"
DISBURSE = "disburse"
DECLINE = "decline"


@dataclass(frozen=True)
class Rule:
    from_states: tuple[str, ...]
    to_state: str
    who_text: str | Promise
    state_text: str | Promise


WHO = _("所属网格员、片区负责人、金融服务办公室或管委会领导")

RULES: dict[str, Rule] = {
    VISIT: Rule((ReferralState.REFERRED,), ReferralState.VISITED, WHO, _("只能对已推荐、银行尚未走访的对接登记走访。")),
    INTENT: Rule((ReferralState.VISITED,), ReferralState.INTENT, WHO, _("只能对银行已走访的对接登记意向。")),
    APPROVE_CREDIT: Rule(
        (ReferralState.INTENT,), ReferralState.CREDIT_APPROVED, WHO, _("只能对已达成意向的对接登记授信。")
    ),
    DISBURSE: Rule(
        (ReferralState.CREDIT_APPROVED,), ReferralState.DISBURSED, WHO, _("只能对授信已获批的对接登记放款。")
    ),
    DECLINE: Rule(OPEN_STATES, ReferralState.DECLINED, WHO, _("已放款或已结束的对接不能再标记为未成功。")),
}

# The label of each step's button.
ACTION_LABELS = {
    VISIT: _("银行已走访"),
    INTENT: _("达成意向"),
    APPROVE_CREDIT: _("登记授信"),
    DISBURSE: _("登记放款"),
    DECLINE: _("标记未成功"),
}


def may_move(user: User | None, referral: Referral) -> bool:
    return may_record_for(user, referral.need.enterprise.grid_id)


def require(action: str, referral: Referral, user: User | None) -> None:
    """Refuse (and explain) a step in the wrong state or by the wrong person."""
    rule = RULES[action]
    if referral.state not in rule.from_states:
        raise StateConflict(
            _("%(rule)s 当前状态：%(state)s。") % {"rule": rule.state_text, "state": referral.get_state_display()}
        )
    if user is not None and not may_move(user, referral):
        raise NotPermitted(_("您无权执行此操作：仅限%(who)s。") % {"who": rule.who_text})


def allowed_actions(referral: Referral, user: User) -> list[str]:
    """The steps ``user`` may take on ``referral`` now, in pipeline order."""
    allowed = []
    for action in RULES:
        try:
            require(action, referral, user)
        except (StateConflict, NotPermitted):
            continue
        allowed.append(action)
    return allowed
