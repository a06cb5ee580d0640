"""Reads of enterprises, always through the user's scope."""

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.scoping import Scope, scope_for
from common.transitions import require_visible
from enterprises.registry.models import Enterprise


def enterprise_scope_filter(scope: Scope) -> Q | None:
    """The filter that limits enterprises to ``scope``; None means all of them."""
    return scope.enterprise_filter()


def enterprises_visible(*, user: User) -> QuerySet[Enterprise]:
    """Every enterprise ``user`` may see; the one source for pages, API and exports."""
    condition = enterprise_scope_filter(scope_for(user))
    qs = Enterprise.objects.all()
    if condition is None:
        return qs
    qs = qs.filter(condition)
    if scope_for(user).is_bureau:
        qs = qs.distinct()
    return qs


def refuse_enterprise_out_of_scope(*, user: User, enterprise: Enterprise) -> None:
    """A service's guard before it writes for ``enterprise``: refused (403) when ``user`` does not see it."""
    require_visible(
        enterprise, visible=enterprises_visible(user=user), out_of_scope=_("企业不存在或不在您的权限范围内。")
    )


def enterprise_list(*, user: User) -> QuerySet[Enterprise]:
    """The scoped list in its display order; filter it with ``EnterpriseFilter``."""
    return enterprises_visible(user=user).select_related("grid__district").order_by("name", "id")


def enterprise_get(*, user: User, pk: int) -> Enterprise:
    """The enterprise if ``user`` may see it, else 404 (ids do not leak)."""
    return get_object_or_404(enterprises_visible(user=user).select_related("grid__district"), pk=pk)
