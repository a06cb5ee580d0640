"""Reads of the supply-chain platform, always scoped (the rule lives in ``platforms.procurement.policy``)."""

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from accounts.models import User
from accounts.scoping import scope_for
from enterprises.models import Enterprise
from platforms.procurement import policy
from platforms.supply_chain.models import Recommendation


def recommendations_visible(*, user: User) -> QuerySet[Recommendation]:
    """Recommendations in which a firm in scope is the one recommended to, the one recommended, or the recommender."""
    condition = policy.any_enterprise_condition(scope_for(user), "for_enterprise", "recommended", "by_enterprise")
    qs = Recommendation.objects.all()
    return qs if condition is None else qs.filter(condition)


def recommendation_list(*, user: User) -> QuerySet[Recommendation]:
    return (
        recommendations_visible(user=user)
        .select_related("for_enterprise", "recommended", "by_enterprise", "recommended_by")
        .order_by("-recommended_on", "-id")
    )


def recommendation_get(*, user: User, pk: int) -> Recommendation:
    return get_object_or_404(recommendation_list(user=user), pk=pk)


def suggestion_enterprise_get(*, user: User, pk: int) -> Enterprise:
    """An enterprise whose suggestions the user may read: staff in scope, or its own user; else 404."""
    condition = policy.enterprise_condition(scope_for(user), "pk")
    qs = Enterprise.objects.all() if condition is None else Enterprise.objects.filter(condition)
    return get_object_or_404(qs.select_related("grid__district"), pk=pk)


def recommendation_parties(*, user: User) -> QuerySet[Enterprise]:
    """The firms ``user`` may name in a recommendation entered by hand: staff any zone firm (whom they
    may record for is the service's rule); an enterprise user the zone firms it already trades with
    (the 上下游配套商 of its profile), so the form names no firm the user does not know."""
    scope = scope_for(user)
    if policy.is_staff(scope):
        return Enterprise.objects.order_by("name", "id")
    if not policy.reads_platforms(scope) or scope.enterprise_id is None:
        return Enterprise.objects.none()
    own = scope.enterprise_id
    partners = Q(supplies_to__customer_id=own) | Q(supplied_by__supplier_id=own)
    return Enterprise.objects.filter(pk__in=Enterprise.objects.filter(partners).values("pk")).order_by("name", "id")
