"""Who may take which action on a funding application, in which state.

``RULES`` is the single statement of the rules; services call ``require()``
before writing, pages call ``allowed_actions()`` to show only the forms a user
may use.

* (create) → draft: the enterprise user, an officer/leader of its grid, a manager;
* submit: draft → submitted, by the same, only while the policy's window is open;
* review: submitted → under_review, by staff of the reviewing bureau or a manager;
* approve: under_review → approved (amount ≤ requested), by the reviewing bureau or a manager;
* reject: submitted / under_review → rejected (reason required), by the same;
* disburse: approved → approved, or disbursed once every level has paid its share in full,
  by the same; never above a level's grant nor the approved total.

免申即享 clauses (``ClauseMode.EXEMPT``) take no application: the reviewing
bureau records the grant directly (``funding_exempt_grant``), which starts
approved, outside any application window; payments then follow as above.
"""

from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from accounts.scoping import is_manager as is_manager  # re-exported: services and pages ask policy.is_manager
from accounts.scoping import scope_for
from common import rules
from common.rules import Rule
from enterprises.models import Enterprise
from grids.models import Bureau
from policies.funding.models import FundingApplication, FundingState

SUBMIT = "submit"
REVIEW = "review"
APPROVE = "approve"
REJECT = "reject"
DISBURSE = "disburse"


def may_apply_for(user: User | None, enterprise: Enterprise) -> bool:
    """The enterprise's own user, an officer or district leader of its grid, or a manager."""
    scope = scope_for(user)
    if scope.role == Role.ENTERPRISE_USER:
        return scope.speaks_for(enterprise.pk)
    return scope.acts_for_grid(enterprise.grid_id)


def is_applicant_side(user: User | None, application: FundingApplication) -> bool:
    return may_apply_for(user, application.enterprise)


def is_reviewer(user: User | None, application: FundingApplication) -> bool:
    """Staff of the bureau that reviews the application, or a manager."""
    return scope_for(user).acts_for_bureau(application.reviewing_bureau_id)


def may_grant_exempt(user: User | None, bureau: Bureau) -> bool:
    return scope_for(user).acts_for_bureau(bureau.pk)


RULES: dict[str, Rule] = {
    SUBMIT: Rule((FundingState.DRAFT,), is_applicant_side, _("申报企业或其网格员"), _("只能提交草稿状态的申报。")),
    REVIEW: Rule((FundingState.SUBMITTED,), is_reviewer, _("审核科室"), _("只能受理已提交的申报。")),
    APPROVE: Rule((FundingState.UNDER_REVIEW,), is_reviewer, _("审核科室"), _("只能批准审核中的申报。")),
    REJECT: Rule(
        (FundingState.SUBMITTED, FundingState.UNDER_REVIEW),
        is_reviewer,
        _("审核科室"),
        _("只能对已提交或审核中的申报作未通过处理。"),
    ),
    DISBURSE: Rule(
        (FundingState.APPROVED,), is_reviewer, _("审核科室或管委会"), _("只能为已批准、尚未拨付完毕的申报登记拨付。")
    ),
}


def require(action: str, application: FundingApplication, user: User | None) -> None:
    """Refuse (and explain) an action in the wrong state or by the wrong role."""
    rules.check(
        RULES[action], application, state=application.state, user=user, state_display=application.get_state_display()
    )


def allowed_actions(application: FundingApplication, user: User) -> set[str]:
    return rules.permitted(RULES, lambda action: require(action, application, user))
