"""Which rows of a matchmaking platform a user sees, and who works it for the enterprises.

The labour and the space platforms share the rule: managers the zone; district leaders
and grid officers every row with one firm of their grids on any side; an enterprise
user the rows that involve its firm. Bureau staff have no part in matchmaking.
"""

from typing import TypeVar

from django.db.models import Model, Q, QuerySet

from accounts.models import Role, User
from accounts.scoping import Scope, scope_for
from enterprises.models import Enterprise
from enterprises.registry.selectors import enterprises_visible

_Row = TypeVar("_Row", bound=Model)


def scope_is_staff(scope: Scope) -> bool:
    """Zone staff who post for an enterprise and record transfers, leases and cases: managers and the grid side."""
    return scope.sees_zone or scope.is_grid_side


def scope_reads(scope: Scope) -> bool:
    """Who uses a matchmaking platform at all: zone staff and enterprise users (bureaus do not)."""
    return scope_is_staff(scope) or scope.role == Role.ENTERPRISE_USER


def is_staff(user: User | None) -> bool:
    return scope_is_staff(scope_for(user))


def involving(user: User, *fields: str) -> Q | None:
    """Rows with an enterprise in ``fields`` that ``user`` may see; None means every row."""
    scope = scope_for(user)
    if scope.sees_zone:
        return None
    if not (scope.is_grid_side or scope.role == Role.ENTERPRISE_USER):
        return Q(pk__in=[])
    visible = enterprises_visible(user=user).values("pk")
    condition = Q(pk__in=[])
    for field in fields:
        condition |= Q(**{f"{field}__in": visible})
    return condition


def scoped(queryset: QuerySet[_Row], user: User, *fields: str) -> QuerySet[_Row]:
    condition = involving(user, *fields)
    return queryset if condition is None else queryset.filter(condition)


def is_reader(user: User | None) -> bool:
    return scope_reads(scope_for(user))


def may_act_for(*, user: User, enterprise: Enterprise) -> bool:
    """An enterprise user for its own firm; zone staff for the firms in their scope."""
    scope = scope_for(user)
    if scope.role == Role.ENTERPRISE_USER:
        return scope.speaks_for(enterprise.pk)
    return is_staff(user) and enterprises_visible(user=user).filter(pk=enterprise.pk).exists()


def actable_enterprises(*, user: User) -> QuerySet[Enterprise]:
    """The firms ``user`` may post or record for (the choices of the platforms' forms)."""
    if is_reader(user):
        return enterprises_visible(user=user).select_related("grid").order_by("name", "id")
    return Enterprise.objects.none()
