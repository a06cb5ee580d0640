"""Reads of financing, always through the user's scope (``access``): the one source
for pages, API and exports. Anything outside it is never found, so it answers 404."""

import datetime
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db.models import Count, Model, Prefetch, Q, QuerySet, Sum
from django.shortcuts import get_object_or_404
from django.utils.functional import Promise

from accounts.models import Role, User
from accounts.scoping import scope_for
from enterprises.models import Enterprise
from platforms.financing import access
from platforms.financing.models import (
    PIPELINE,
    Bank,
    CreditLine,
    FinancingNeed,
    Loan,
    LoanExtension,
    MatchmakingEvent,
    Referral,
    ReferralEvent,
)

BOARD_CARDS_PER_STATE = 20

_Row = TypeVar("_Row", bound=Model)


def _scoped(qs: QuerySet[_Row], user: User | None, prefix: str) -> QuerySet[_Row]:
    if not access.reads_financing(user):
        return qs.none()
    condition = access.enterprise_filter(user, prefix)
    return qs if condition is None else qs.filter(condition)


# --- Scope -------------------------------------------------------------------


def banks_visible(*, user: User | None) -> QuerySet[Bank]:
    """Banks are public knowledge to everyone who has financing pages."""
    return Bank.objects.all() if access.reads_financing(user) else Bank.objects.none()


def events_visible(*, user: User | None) -> QuerySet[MatchmakingEvent]:
    """Staff with financing pages see every event (a zone activity); an enterprise user those it attended."""
    if not access.reads_financing(user):
        return MatchmakingEvent.objects.none()
    scope = scope_for(user)
    if scope.role == Role.ENTERPRISE_USER:
        return MatchmakingEvent.objects.filter(enterprises=scope.enterprise_id)
    return MatchmakingEvent.objects.all()


def needs_visible(*, user: User | None) -> QuerySet[FinancingNeed]:
    return _scoped(FinancingNeed.objects.all(), user, "enterprise")


def referrals_visible(*, user: User | None) -> QuerySet[Referral]:
    return _scoped(Referral.objects.all(), user, "need__enterprise")


def credit_lines_visible(*, user: User | None) -> QuerySet[CreditLine]:
    return _scoped(CreditLine.objects.all(), user, "enterprise")


def loans_visible(*, user: User | None) -> QuerySet[Loan]:
    return _scoped(Loan.objects.all(), user, "enterprise")


def extensions_visible(*, user: User | None) -> QuerySet[LoanExtension]:
    return _scoped(LoanExtension.objects.all(), user, "loan__enterprise")


def loan_current_maturity(loan: Loan) -> datetime.date | None:
    """The loan's maturity now: the latest renewal's or extension's, else its own (extensions prefetched)."""
    dates = [extension.new_maturity_on for extension in loan.extensions.all()]
    if loan.matures_on is not None:
        dates.append(loan.matures_on)
    return max(dates, default=None)


def loans_outstanding(*, enterprise: Enterprise, on: datetime.date) -> list[Loan]:
    """The enterprise's loans not yet due on ``on``, soonest due first: the ones a renewal
    (续贷) or an extension (展期) can still help (an emergency's relief offers them)."""
    loans = (
        Loan.objects.filter(enterprise=enterprise, granted_on__lte=on)
        .select_related("bank")
        .prefetch_related("extensions")
        .order_by("granted_on", "id")
    )
    outstanding = [loan for loan in loans if (loan_current_maturity(loan) or on) >= on]
    return sorted(outstanding, key=lambda loan: (loan_current_maturity(loan), loan.pk))


def enterprises_in_scope(*, user: User | None) -> QuerySet[Enterprise]:
    """Enterprises whose financing ``user`` may read."""
    return _enterprises(user)


def _enterprises(user: User | None) -> QuerySet[Enterprise]:
    if not access.reads_financing(user):
        return Enterprise.objects.none()
    if access.sees_all_financing(user):
        return Enterprise.objects.all()
    scope = scope_for(user)
    if scope.role == Role.ENTERPRISE_USER:
        return Enterprise.objects.filter(pk=scope.enterprise_id or 0)
    return Enterprise.objects.filter(grid_id__in=scope.grid_ids)


def recordable_enterprises(*, user: User | None) -> QuerySet[Enterprise]:
    """Enterprises ``user`` records financing for (enterprise users: none)."""
    if not access.records_financing(user):
        return Enterprise.objects.none()
    return _enterprises(user)


# --- Lists and details -------------------------------------------------------


def event_list(*, user: User | None) -> QuerySet[MatchmakingEvent]:
    return (
        events_visible(user=user)
        .annotate(bank_count=Count("banks", distinct=True), enterprise_count=Count("enterprises", distinct=True))
        .order_by("-held_on", "-id")
    )


def event_get(*, user: User | None, pk: int) -> MatchmakingEvent:
    return get_object_or_404(events_visible(user=user).prefetch_related("banks"), pk=pk)


def event_enterprises(*, user: User | None, event: MatchmakingEvent) -> QuerySet[Enterprise]:
    """The enterprises present at ``event`` that ``user`` may see (the rest are counted, not named)."""
    return _enterprises(user).filter(financing_events=event).select_related("grid").order_by("name", "id")


def need_list(*, user: User | None) -> QuerySet[FinancingNeed]:
    return (
        needs_visible(user=user)
        .select_related("enterprise__grid", "event")
        .annotate(referral_count=Count("referrals"))
        .order_by("-raised_on", "-id")
    )


def need_get(*, user: User | None, pk: int) -> FinancingNeed:
    referrals = Referral.objects.select_related("bank", "credit_line", "loan").order_by("referred_on", "id")
    return get_object_or_404(
        needs_visible(user=user)
        .select_related("enterprise__grid", "event", "created_by")
        .prefetch_related(Prefetch("referrals", queryset=referrals)),
        pk=pk,
    )


def referral_list(*, user: User | None) -> QuerySet[Referral]:
    return referrals_visible(user=user).select_related("need__enterprise__grid", "bank").order_by("-referred_on", "-id")


def referral_get(*, user: User | None, pk: int) -> Referral:
    return get_object_or_404(referral_list(user=user), pk=pk)


def referral_events(*, referral: Referral) -> QuerySet[ReferralEvent]:
    return ReferralEvent.objects.filter(referral=referral).select_related("actor").order_by("at", "id")


@dataclass(frozen=True)
class BoardColumn:
    state: str
    label: str | Promise
    count: int
    cards: list[Referral]


def referral_board(*, user: User | None, limit: int = BOARD_CARDS_PER_STATE) -> list[BoardColumn]:
    """The pipeline by state: each column's count and its newest ``limit`` cards
    (one aggregate query, then one query per column)."""
    visible = referrals_visible(user=user)
    counts = visible.order_by().aggregate(**{state.value: Count("pk", filter=Q(state=state)) for state in PIPELINE})
    rows = referral_list(user=user)
    return [
        BoardColumn(state.value, state.label, counts[state.value], list(rows.filter(state=state)[:limit]))
        for state in PIPELINE
    ]


@dataclass(frozen=True)
class EnterpriseFinancing:
    enterprise: Enterprise
    needs: list[FinancingNeed]
    credit_lines: list[CreditLine]
    loans: list[Loan]
    totals: dict[str, Any]


def enterprise_financing(*, user: User | None, enterprise_pk: int) -> EnterpriseFinancing:
    """One enterprise's financing records, if ``user`` may read them (else 404)."""
    enterprise = get_object_or_404(_enterprises(user).select_related("grid"), pk=enterprise_pk)
    referrals = Referral.objects.select_related("bank").order_by("referred_on", "id")
    needs = list(
        FinancingNeed.objects.filter(enterprise=enterprise)
        .select_related("event")
        .prefetch_related(Prefetch("referrals", queryset=referrals))
        .order_by("-raised_on", "-id")
    )
    credit_lines = list(CreditLine.objects.filter(enterprise=enterprise).select_related("bank"))
    loans = list(
        Loan.objects.filter(enterprise=enterprise)
        .select_related("bank")
        .prefetch_related(Prefetch("extensions", queryset=LoanExtension.objects.order_by("approved_on", "id")))
    )
    totals = {
        "credit": CreditLine.objects.filter(enterprise=enterprise).aggregate(total=Sum("amount"))["total"],
        **Loan.objects.filter(enterprise=enterprise).aggregate(
            loans=Sum("amount", filter=Q(central_bank_reloan=False)),
            reloans=Sum("amount", filter=Q(central_bank_reloan=True)),
        ),
    }
    return EnterpriseFinancing(enterprise, needs, credit_lines, loans, totals)


def loan_get(*, user: User | None, pk: int) -> Loan:
    return get_object_or_404(loans_visible(user=user).select_related("enterprise__grid", "bank"), pk=pk)
