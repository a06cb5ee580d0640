"""Reads of the policy library, pushes and eligibility, always through the user's scope."""

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Count, F, Q, QuerySet
from django.shortcuts import get_object_or_404

from accounts.models import Role, User
from accounts.scoping import scope_for
from enterprises.models import Enterprise
from enterprises.registry.selectors import enterprise_scope_filter
from policies import facts as fact_registry
from policies.models import (
    Answer,
    EligibilityResult,
    EnterpriseFact,
    Policy,
    PolicyClause,
    PolicyPush,
    PolicyState,
    PushState,
)
from policies.search import apply_search

if TYPE_CHECKING:
    from fieldwork.models import Visit

# --- Policies -----------------------------------------------------------------------------


def policies_visible(*, user: User) -> QuerySet[Policy]:
    """Staff read the whole library, drafts included; enterprises read what was published."""
    scope = scope_for(user)
    if scope.role == "anonymous":
        return Policy.objects.none()
    if scope.role == Role.ENTERPRISE_USER:
        return Policy.objects.filter(state__in=(PolicyState.PUBLISHED, PolicyState.EXPIRED))
    return Policy.objects.all()


def policy_search(*, user: User, query: str = "") -> QuerySet[Policy]:
    """The library as the list page and ``/api/policies/`` show it: scoped, searched, with clause counts."""
    policies = (
        policies_visible(user=user)
        .annotate(clause_count=Count("clauses", distinct=True))
        .order_by("-effective_from", "-id")
    )
    return apply_search(policies, query)


def policy_get(*, user: User, pk: int) -> Policy:
    return get_object_or_404(policies_visible(user=user).select_related("created_by"), pk=pk)


def policy_clauses(*, policy: Policy) -> QuerySet[PolicyClause]:
    return policy.clauses.prefetch_related("criteria", "cases").order_by("number", "id")


def booklet_policies(*, user: User, ids: list[int]) -> QuerySet[Policy]:
    """The policies picked for the printed booklet (编印成册), in the library's order."""
    return (
        policies_visible(user=user)
        .filter(pk__in=ids)
        .prefetch_related("clauses")
        .order_by("level", "-effective_from", "id")
    )


# --- Pushes -------------------------------------------------------------------------------


def pushes_visible(*, user: User) -> QuerySet[PolicyPush]:
    """An enterprise sees its own pushes; the grid side those to enterprises in its grids; managers all.

    Bureau staff see none: pushing and explaining policies is the grid's work.
    """
    scope = scope_for(user)
    if scope.role in ("anonymous", Role.BUREAU_STAFF):
        return PolicyPush.objects.none()
    condition = enterprise_scope_filter(scope)
    pushes = PolicyPush.objects.all()
    if condition is not None:
        pushes = pushes.filter(enterprise__in=Enterprise.objects.filter(condition))
    return pushes


def push_list(*, user: User) -> QuerySet[PolicyPush]:
    return pushes_visible(user=user).select_related("policy", "enterprise__grid__district", "pushed_by")


def push_get(*, user: User, pk: int) -> PolicyPush:
    return get_object_or_404(push_list(user=user), pk=pk)


def enterprise_pushes(*, enterprise: Enterprise, unread_only: bool = False) -> QuerySet[PolicyPush]:
    """An enterprise's pushes, unread first, then newest; ``unread_only``: those never opened (新政策)."""
    pushes = PolicyPush.objects.filter(enterprise=enterprise)
    if unread_only:
        pushes = pushes.filter(opened_at__isnull=True)
    return (
        pushes.select_related("policy", "pushed_by")
        # Unread (never opened) first on every database: PostgreSQL sorts NULL last by default.
        .order_by(F("opened_at").asc(nulls_first=True), "-pushed_at", "-id")
    )


def pushes_to_explain(*, user: User, limit: int = 10) -> QuerySet[PolicyPush]:
    """Pushes in the officer's grids nobody has confirmed yet, oldest first (当面解读 at the next visit)."""
    return (
        push_list(user=user)
        .filter(state__in=(PushState.DELIVERED, PushState.OPENED))
        .order_by("pushed_at", "id")[:limit]
    )


def explain_visits(*, user: User, push: PolicyPush, limit: int = 10) -> "QuerySet[Visit]":
    """The visits ``user`` may name as the one a push was explained at: his own to that enterprise,
    in his scope, from the push's day on, newest first (the service checks the same rules)."""
    from django.utils import timezone

    from fieldwork.selectors import visits_visible

    return (
        visits_visible(user=user)
        .filter(
            officer=user, enterprise_id=push.enterprise_id, visited_at__date__gte=timezone.localdate(push.pushed_at)
        )
        .order_by("-visited_at", "-id")[:limit]
    )


@dataclass(frozen=True)
class Funnel:
    pushed: int
    opened: int
    acknowledged: int
    in_person: int


def push_funnel(*, user: User, policy: Policy | None = None) -> Funnel:
    """推送 → 查看 → 确认 over the pushes the user may see (one query)."""
    pushes = pushes_visible(user=user)
    if policy is not None:
        pushes = pushes.filter(policy=policy)
    counts = pushes.aggregate(
        pushed=Count("id"),
        opened=Count("id", filter=Q(opened_at__isnull=False)),
        acknowledged=Count("id", filter=Q(acknowledged_at__isnull=False)),
        in_person=Count("id", filter=Q(in_person=True)),
    )
    return Funnel(**counts)


def push_funnel_by_area(*, user: User, policy: Policy | None = None) -> list[dict[str, Any]]:
    """The push funnel per district and grid (the hook dashboards and the funding figures join on):
    ``[{"district_id", "district", "district_code", "grid_id", "grid", "grid_code", "pushed", "opened",
    "acknowledged", "in_person"}]``."""
    pushes = pushes_visible(user=user)
    if policy is not None:
        pushes = pushes.filter(policy=policy)
    rows = (
        pushes.values(
            "enterprise__grid__district_id",
            "enterprise__grid__district__name",
            "enterprise__grid__district__code",
            "enterprise__grid_id",
            "enterprise__grid__name",
            "enterprise__grid__code",
        )
        .annotate(
            pushed=Count("id"),
            opened=Count("id", filter=Q(opened_at__isnull=False)),
            acknowledged=Count("id", filter=Q(acknowledged_at__isnull=False)),
            in_person=Count("id", filter=Q(in_person=True)),
        )
        .order_by("enterprise__grid__district__code", "enterprise__grid__code")
    )
    return [
        {
            "district_id": row["enterprise__grid__district_id"],
            "district": row["enterprise__grid__district__name"],
            "district_code": row["enterprise__grid__district__code"],
            "grid_id": row["enterprise__grid_id"],
            "grid": row["enterprise__grid__name"],
            "grid_code": row["enterprise__grid__code"],
            "pushed": row["pushed"],
            "opened": row["opened"],
            "acknowledged": row["acknowledged"],
            "in_person": row["in_person"],
        }
        for row in rows
    ]


# --- Eligibility ---------------------------------------------------------------------------


def results_visible(*, user: User) -> QuerySet[EligibilityResult]:
    """Stored answers for enterprises the user may see, on published policies only.

    Bureau staff see none (they read the basic profile of their issues' enterprises, not the
    grid's policy matching)."""
    scope = scope_for(user)
    if scope.role in ("anonymous", Role.BUREAU_STAFF):
        return EligibilityResult.objects.none()
    results = EligibilityResult.objects.filter(clause__policy__state=PolicyState.PUBLISHED)
    condition = enterprise_scope_filter(scope)
    if condition is not None:
        results = results.filter(enterprise__in=Enterprise.objects.filter(condition))
    return results


def result_list(*, user: User) -> QuerySet[EligibilityResult]:
    return (
        results_visible(user=user)
        .select_related("enterprise", "clause__policy")
        .order_by("enterprise_id", "clause__policy_id", "clause__number")
    )


def enterprise_candidates(*, enterprise: Enterprise) -> QuerySet[EligibilityResult]:
    """Clauses the enterprise may be eligible for (eligible first, then those waiting for facts)."""
    return (
        EligibilityResult.objects.filter(
            enterprise=enterprise,
            clause__policy__state=PolicyState.PUBLISHED,
            answer__in=(Answer.ELIGIBLE, Answer.UNKNOWN),
        )
        .select_related("clause__policy")
        .order_by("answer", "-score", "clause__policy_id", "clause__number")
    )


@dataclass
class FactTask:
    """收集任务: the facts to collect from one enterprise, and how many clauses wait on them."""

    enterprise_id: int
    enterprise_name: str
    facts: list[tuple[str, str]]  # (key, label), the most wanted first
    clause_count: int


def missing_fact_tasks(*, user: User, limit: int = 20) -> list[FactTask]:
    """The officer's collect-tasks: for each enterprise of his grids with unknown answers, the missing facts."""
    rows = (
        results_visible(user=user)
        .filter(answer=Answer.UNKNOWN)
        .values_list("enterprise_id", "enterprise__name", "missing_facts")
        .order_by("enterprise__name", "enterprise_id")
    )
    tasks: dict[int, tuple[str, Counter[str], int]] = {}
    for enterprise_id, name, missing in rows:
        _name, counter, clauses = tasks.get(enterprise_id, (name, Counter(), 0))
        counter.update(key for key in missing if key in fact_registry.RECORDED_FACTS or key in fact_registry.FACTS)
        tasks[enterprise_id] = (name, counter, clauses + 1)
    result = []
    for enterprise_id, (name, counter, clauses) in tasks.items():
        facts = [(key, str(fact_registry.FACTS[key].label)) for key, _count in counter.most_common()]
        if facts:
            result.append(FactTask(enterprise_id, name, facts, clauses))
    result.sort(key=lambda task: (-task.clause_count, task.enterprise_name))
    return result[:limit]


def recently_collected(*, user: User, limit: int = 5) -> QuerySet[EnterpriseFact]:
    """Facts recorded lately for enterprises in the user's scope (the ticked-off tasks)."""
    condition = enterprise_scope_filter(scope_for(user))
    facts = EnterpriseFact.objects.select_related("enterprise", "recorded_by")
    if condition is not None:
        facts = facts.filter(enterprise__in=Enterprise.objects.filter(condition))
    return facts.order_by("-recorded_at", "-id")[:limit]


def enterprise_recorded_facts(*, enterprise: Enterprise) -> dict[str, EnterpriseFact]:
    return {
        fact.key: fact for fact in EnterpriseFact.objects.filter(enterprise=enterprise).select_related("recorded_by")
    }
