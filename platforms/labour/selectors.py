"""Reads of the labour platform, always through the user's scope.

Who sees what: managers and admins the zone; district leaders and grid officers the
postings of their grids' enterprises and every proposal or transfer with one side
there; an enterprise user its own postings and the proposals and transfers that
involve its firm. Bureau staff have no part in matchmaking: nothing is in scope.
"""

import datetime

from django.db.models import F, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from accounts.models import User
from platforms.labour.models import LabourPosting, LabourProposal, PostingKind, PostingState, Transfer
from platforms.scoping import scoped as _scoped

# --- Postings ----------------------------------------------------------------


def transferred_subquery(kind_field: str) -> Coalesce:
    """Person-times already transferred against the posting of the outer row."""
    return Coalesce(
        Subquery(
            Transfer.objects.filter(**{kind_field: OuterRef("pk")})
            .order_by()
            .values(kind_field)
            .annotate(total=Sum("count"))
            .values("total")[:1],
            output_field=IntegerField(),
        ),
        0,
    )


def with_transferred(queryset: QuerySet[LabourPosting]) -> QuerySet[LabourPosting]:
    """Annotate ``transferred`` (person-times moved against the posting) and ``remaining``."""
    return queryset.annotate(
        transferred=transferred_subquery("surplus_posting") + transferred_subquery("demand_posting")
    ).annotate(remaining=F("count") - F("transferred"))


def postings_visible(*, user: User) -> QuerySet[LabourPosting]:
    """Every posting ``user`` may see, and so edit (enterprise users see only their own)."""
    return _scoped(LabourPosting.objects.all(), user, "enterprise")


def posting_list(*, user: User, kind: str | None = None, state: str | None = None) -> QuerySet[LabourPosting]:
    qs = postings_visible(user=user).select_related("enterprise__grid__district")
    if kind:
        qs = qs.filter(kind=kind)
    if state:
        qs = qs.filter(state=state)
    return with_transferred(qs).order_by("-starts_on", "-id")


def posting_get(*, user: User, pk: int) -> LabourPosting:
    return get_object_or_404(posting_list(user=user), pk=pk)


def open_postings(*, kind: str, today: datetime.date, besides_enterprise_id: int) -> QuerySet[LabourPosting]:
    """Open postings of ``kind`` still running on ``today``, of firms other than the given one."""
    return with_transferred(
        LabourPosting.objects.filter(kind=kind, state=PostingState.OPEN, ends_on__gte=today)
        .exclude(enterprise_id=besides_enterprise_id)
        .select_related("enterprise__grid")
    ).order_by("pk")


def candidate_postings(*, posting: LabourPosting, today: datetime.date) -> QuerySet[LabourPosting]:
    """Open postings of the other kind still running that ``posting`` may be paired with."""
    other = PostingKind.DEMAND if posting.kind == PostingKind.SURPLUS else PostingKind.SURPLUS
    return open_postings(kind=other, today=today, besides_enterprise_id=posting.enterprise_id)


# --- Proposals ---------------------------------------------------------------


def proposals_visible(*, user: User) -> QuerySet[LabourProposal]:
    return _scoped(LabourProposal.objects.all(), user, "surplus__enterprise", "demand__enterprise")


def proposal_list(
    *, user: User, posting: LabourPosting | None = None, state: str | None = None
) -> QuerySet[LabourProposal]:
    qs = proposals_visible(user=user).select_related(
        "surplus__enterprise__grid__district", "demand__enterprise__grid__district"
    )
    if posting is not None:
        qs = qs.filter(Q(surplus=posting) | Q(demand=posting))
    if state:
        qs = qs.filter(state=state)
    return qs.order_by("-score", "id")


def proposal_get(*, user: User, pk: int) -> LabourProposal:
    proposal: LabourProposal = get_object_or_404(proposal_list(user=user), pk=pk)
    return proposal


# --- Transfers ---------------------------------------------------------------


def transfers_visible(*, user: User) -> QuerySet[Transfer]:
    return _scoped(Transfer.objects.all(), user, "from_enterprise", "to_enterprise")


def transfer_list(*, user: User) -> QuerySet[Transfer]:
    return (
        transfers_visible(user=user)
        .select_related("from_enterprise", "to_enterprise", "recorded_by")
        .order_by("-starts_on", "-id")
    )


def transfer_get(*, user: User, pk: int) -> Transfer:
    return get_object_or_404(transfer_list(user=user), pk=pk)


def transfers_total(queryset: QuerySet[Transfer]) -> int:
    total: int = queryset.aggregate(total=Coalesce(Sum("count"), 0))["total"]
    return total
