"""Reads of funding applications, always through the user's scope."""

from decimal import Decimal

from django.db.models import DecimalField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from accounts.models import User
from accounts.scoping import Scope, scope_for
from policies.funding.models import FundingApplication, FundingEvent, FundingState
from policies.models import PolicyLevel

SHARE_FIELDS = {
    PolicyLevel.CENTRAL: "clause__share_central",
    PolicyLevel.MUNICIPAL: "clause__share_municipal",
    PolicyLevel.DISTRICT: "clause__share_district",
    PolicyLevel.ZONE: "clause__share_zone",
}


def funding_scope_filter(scope: Scope) -> Q | None:
    """The filter that limits applications to ``scope``; None means all of them.

    An enterprise sees its own; a bureau the applications it reviews (once
    submitted: a draft is the applicant's business); officers and district
    leaders those of their grids' enterprises; managers everything.
    """
    if scope.is_bureau:
        return Q(reviewing_bureau_id=scope.bureau_id) & ~Q(state=FundingState.DRAFT)
    return scope.enterprise_filter(path="enterprise__")


def applications_visible(*, user: User) -> QuerySet[FundingApplication]:
    """Every application ``user`` may see; the one source for pages, API and panels."""
    condition = funding_scope_filter(scope_for(user))
    qs = FundingApplication.objects.all()
    return qs if condition is None else qs.filter(condition)


def _with_display(qs: QuerySet[FundingApplication]) -> QuerySet[FundingApplication]:
    zero = Value(Decimal("0"), output_field=DecimalField(max_digits=12, decimal_places=2))
    return qs.select_related("enterprise__grid__district", "clause__policy", "reviewing_bureau", "guided_by").annotate(
        disbursed_total=Coalesce(Sum("grants__disbursed_amount"), zero)
    )


def application_list(
    *,
    user: User,
    state: str = "",
    level: str = "",
    district_id: int | None = None,
    enterprise_id: int | None = None,
) -> QuerySet[FundingApplication]:
    """The scoped list, newest first; ``level`` keeps applications whose clause that level pays a share of."""
    qs = applications_visible(user=user)
    if state:
        qs = qs.filter(state=state)
    if level in SHARE_FIELDS:
        qs = qs.filter(**{f"{SHARE_FIELDS[PolicyLevel(level)]}__gt": 0})
    if district_id:
        qs = qs.filter(enterprise__grid__district_id=district_id)
    if enterprise_id:
        qs = qs.filter(enterprise_id=enterprise_id)
    return _with_display(qs).order_by("-created_at", "-id")


def review_queue(*, user: User) -> QuerySet[FundingApplication]:
    """What the bureau has to act on: submitted and under review, oldest submission first."""
    qs = applications_visible(user=user).filter(state__in=[FundingState.SUBMITTED, FundingState.UNDER_REVIEW])
    return _with_display(qs).order_by("submitted_at", "id")


def application_get(*, user: User, pk: int) -> FundingApplication:
    """The application if ``user`` may see it, else 404 (ids do not leak)."""
    return get_object_or_404(_with_display(applications_visible(user=user)), pk=pk)


def application_events(*, application: FundingApplication) -> QuerySet[FundingEvent]:
    return application.events.select_related("actor").order_by("at", "id")
