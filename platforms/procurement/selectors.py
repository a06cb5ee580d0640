"""Reads of the procurement platform, always through the user's scope (``policy.enterprise_condition``)."""

from typing import TypeVar

from django.db.models import Count, Model, Q, QuerySet
from django.shortcuts import get_object_or_404

from accounts.models import User
from accounts.scoping import Scope, scope_for
from enterprises.models import Enterprise
from platforms.procurement import policy
from platforms.procurement.models import Deal, PurchaseNeed, PurchaseProposal, RetoolingCase

_Row = TypeVar("_Row", bound=Model)


def _either(scope: Scope, queryset: QuerySet[_Row], *fields: str) -> QuerySet[_Row]:
    condition = policy.any_enterprise_condition(scope, *fields)
    return queryset if condition is None else queryset.filter(condition)


def proposals_visible(*, user: User) -> QuerySet[PurchaseProposal]:
    """Proposals of needs the user may see as buyer's side, and proposals addressed to a supplier in scope."""
    return _either(scope_for(user), PurchaseProposal.objects.all(), "need__buyer", "supplier")


def needs_visible(*, user: User) -> QuerySet[PurchaseNeed]:
    """Needs of buyers in scope, and needs for which a supplier in scope was proposed."""
    scope = scope_for(user)
    buyer = policy.enterprise_condition(scope, "buyer")
    supplier = policy.enterprise_condition(scope, "supplier")
    if buyer is None or supplier is None:
        return PurchaseNeed.objects.all()
    addressed = PurchaseProposal.objects.filter(supplier).values("need_id")
    return PurchaseNeed.objects.filter(buyer | Q(pk__in=addressed))


def needs_editable(*, user: User) -> QuerySet[PurchaseNeed]:
    """Needs the user may edit: their own enterprise's (enterprise users) or their scope's buyers' (staff)."""
    condition = policy.enterprise_condition(scope_for(user), "buyer")
    return PurchaseNeed.objects.all() if condition is None else PurchaseNeed.objects.filter(condition)


def need_list(*, user: User, mine: bool = False) -> QuerySet[PurchaseNeed]:
    """The scoped needs, newest first, with their buyer and proposal counts (a constant number of queries)."""
    qs = needs_editable(user=user) if mine else needs_visible(user=user)
    return (
        qs.select_related("buyer__grid__district")
        .annotate(
            proposal_count=Count("proposals", distinct=True),
            agreed_count=Count("proposals", filter=Q(proposals__state="agreed"), distinct=True),
        )
        .order_by("-created_at", "-id")
    )


def need_get(*, user: User, pk: int) -> PurchaseNeed:
    return get_object_or_404(needs_visible(user=user).select_related("buyer__grid__district", "posted_by"), pk=pk)


def need_get_editable(*, user: User, pk: int) -> PurchaseNeed:
    """The need if ``user`` may edit it, else 404 (another enterprise's posting does not exist for them)."""
    return get_object_or_404(needs_editable(user=user).select_related("buyer__grid"), pk=pk)


def proposal_list(*, user: User) -> QuerySet[PurchaseProposal]:
    return (
        proposals_visible(user=user)
        .select_related("need__buyer__grid", "supplier__grid__district", "product", "deal")
        .order_by("-created_at", "-id")
    )


def proposals_of_need(*, user: User, need: PurchaseNeed) -> QuerySet[PurchaseProposal]:
    return proposal_list(user=user).filter(need=need).order_by("-score", "id")


def proposal_get(*, user: User, pk: int) -> PurchaseProposal:
    return get_object_or_404(proposal_list(user=user), pk=pk)


def deals_visible(*, user: User) -> QuerySet[Deal]:
    return _either(scope_for(user), Deal.objects.all(), "buyer", "seller")


def deal_list(*, user: User) -> QuerySet[Deal]:
    return deals_visible(user=user).select_related("buyer", "seller", "proposal").order_by("-deal_on", "-id")


def retooling_visible(*, user: User) -> QuerySet[RetoolingCase]:
    return _either(scope_for(user), RetoolingCase.objects.all(), "enterprise", "leader")


def retooling_list(*, user: User) -> QuerySet[RetoolingCase]:
    return retooling_visible(user=user).select_related("enterprise", "leader").order_by("-started_on", "-id")


def retooling_get(*, user: User, pk: int) -> RetoolingCase:
    return get_object_or_404(retooling_list(user=user), pk=pk)


def enterprises_in_scope(*, user: User) -> QuerySet[Enterprise]:
    """The enterprises the user may post or record for (staff: their scope; an enterprise user: its own)."""
    condition = policy.enterprise_condition(scope_for(user), "pk")
    qs = Enterprise.objects.all() if condition is None else Enterprise.objects.filter(condition)
    return qs.order_by("name", "id")
