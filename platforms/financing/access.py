"""Who may see and who may record financing, in one place (selectors and the rules table both ask it).

Reading follows the enterprises: managers and admins the whole zone, district
leaders their district, grid officers their grids, an enterprise user its own
enterprise. Of the bureaus only the 金融服务办公室 (code ``finance-office``, see
``grids.demo.BUREAUS``) works on financing: its staff see all of it, every other
bureau none. Recording (needs, referrals and their progress, credit lines,
loans, extensions) is for the same staff within the same scope; enterprise
users only read.
"""

from django.db.models import Q

from accounts.models import Role, User
from accounts.scoping import GRID_ROLES, scope_for
from grids.models import Bureau

FINANCE_BUREAU_CODE = "finance-office"


def is_finance_office(user: User | None) -> bool:
    """Staff of the 金融服务办公室 (one query, then cached on the user for the request)."""
    if user is None or not user.is_authenticated:
        return False
    cached = getattr(user, "_financing_office", None)
    if cached is None:
        scope = scope_for(user)
        cached = bool(
            scope.role == Role.BUREAU_STAFF
            and scope.bureau_id
            and Bureau.objects.filter(pk=scope.bureau_id, code=FINANCE_BUREAU_CODE).exists()
        )
        user._financing_office = cached
    return cached


def sees_all_financing(user: User | None) -> bool:
    return scope_for(user).sees_zone or is_finance_office(user)


def enterprise_filter(user: User | None, prefix: str = "enterprise") -> Q | None:
    """The filter on ``<prefix>`` (an enterprise relation) for what ``user`` may read; None means everything."""
    if sees_all_financing(user):
        return None
    scope = scope_for(user)
    if scope.role in (*GRID_ROLES, Role.ENTERPRISE_USER):
        return scope.enterprise_filter(path=f"{prefix}__")
    return Q(pk__in=[])


def reads_financing(user: User | None) -> bool:
    """Whether ``user`` has any financing pages at all (other bureaus and anonymous do not)."""
    scope = scope_for(user)
    if sees_all_financing(user):
        return True
    if scope.role in (Role.DISTRICT_LEADER, Role.GRID_OFFICER):
        return True
    return scope.role == Role.ENTERPRISE_USER and bool(scope.enterprise_id)


def records_financing(user: User | None) -> bool:
    """Whether ``user`` records financing for some enterprises (not an enterprise user)."""
    scope = scope_for(user)
    return sees_all_financing(user) or scope.role in (Role.DISTRICT_LEADER, Role.GRID_OFFICER)


def may_record_for(user: User | None, enterprise_grid_id: int) -> bool:
    """Whether ``user`` records financing for an enterprise of grid ``enterprise_grid_id``."""
    if sees_all_financing(user):
        return True
    return scope_for(user).acts_for_grid(enterprise_grid_id)
