"""Who may take which action on an incident, in which state (the pattern of ``issues.policy``).

``RULES`` is the single statement of the rules; services call ``require()``
after locking the row, pages call ``allowed_actions()`` to show only the
buttons a user may press.

==============  ===========  ========================================================
action          state        who
==============  ===========  ========================================================
declare         —            a manager (any district, or the whole zone); a district
                             leader for his own district only
acknowledge     open         the enterprise itself (its user's session, or its link);
                             its grid's officers, its district leader or a manager
                             on its behalf (marked so)
report          open         the grid side of the enterprise, or the enterprise itself
call            open         the grid side of the enterprise (records a call outcome)
close           open         a manager, or the leader who declared it
==============  ===========  ========================================================

A closed incident refuses every write: its record and timeline stay as they were.
"""

from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from accounts.scoping import is_manager as is_manager  # re-exported: services and pages ask policy.is_manager
from accounts.scoping import scope_for
from common import rules
from common.rules import Rule
from emergency.models import AffectedEnterprise, Incident, State

DECLARE = "declare"
ACKNOWLEDGE = "acknowledge"
REPORT = "report"
CALL = "call"
CLOSE = "close"


def is_grid_side(user: User | None, affected: AffectedEnterprise | None) -> bool:
    """A manager, or an officer / district leader whose grids include the enterprise's."""
    if is_manager(user):
        return True
    return affected is not None and scope_for(user).acts_for_grid(affected.grid_id)


def is_own_enterprise(user: User | None, affected: AffectedEnterprise | None) -> bool:
    return affected is not None and scope_for(user).speaks_for(affected.enterprise_id)


def may_declare(user: User | None) -> bool:
    """Who declares incidents at all: a manager, or a district leader (his own district: ``may_declare_for``)."""
    return is_manager(user) or bool(user and user.role == Role.DISTRICT_LEADER)


def may_declare_for(user: User | None, district_id: int | None) -> bool:
    """Managers declare for any district (or none: zone-wide); a leader for his own district."""
    if is_manager(user):
        return True
    return bool(
        user and user.role == Role.DISTRICT_LEADER and district_id and district_id in scope_for(user).district_ids
    )


def _closer(user: User | None, incident: Incident, affected: AffectedEnterprise | None) -> bool:
    return is_manager(user) or bool(user and user.role == Role.DISTRICT_LEADER and incident.declared_by_id == user.pk)


RULES: dict[str, Rule] = {
    ACKNOWLEDGE: Rule(
        (State.OPEN,),
        lambda user, incident, affected: is_own_enterprise(user, affected) or is_grid_side(user, affected),
        _("受影响企业本身，或其网格员、片区负责人代为确认"),
        _("事件已结束，不能再确认。"),
    ),
    REPORT: Rule(
        (State.OPEN,),
        lambda user, incident, affected: is_own_enterprise(user, affected) or is_grid_side(user, affected),
        _("企业所属网格员、片区负责人或企业本身"),
        _("事件已结束，处置记录只读。"),
    ),
    CALL: Rule(
        (State.OPEN,),
        lambda user, incident, affected: is_grid_side(user, affected),
        _("企业所属网格员或片区负责人"),
        _("事件已结束，不能再登记电话联系结果。"),
    ),
    CLOSE: Rule((State.OPEN,), _closer, _("管委会领导或发布事件的片区负责人"), _("事件已经结束。")),
}


def require(action: str, incident: Incident, user: User | None, affected: AffectedEnterprise | None = None) -> None:
    """Refuse (and explain) an action in the wrong state or by the wrong person."""
    rules.check(RULES[action], incident, affected, state=incident.state, user=user)


def allowed(action: str, incident: Incident, user: User | None, affected: AffectedEnterprise | None = None) -> bool:
    return action in rules.permitted([action], lambda name: require(name, incident, user, affected))
