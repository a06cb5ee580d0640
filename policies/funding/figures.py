"""The "support funds secured" (落实到位扶持资金) figures, for the dashboards and the policy page.

Only money actually paid counts, and it is summed from the ``Disbursement``
rows by their payment date (``disbursed_on``) — never from an application's
current state — so a closed month keeps its figure however late a later
payment is recorded. Every function is one or two aggregate queries.

The article's three groups map to funding levels: informatization policy funds
are municipal (市级), the district/zone support funds are district plus zone
(区级、园区), the special funds are central (中央).
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Sum
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from policies.funding.models import Disbursement, FundingApplication, FundingState
from policies.funding.selectors import applications_visible
from policies.models import Answer, EligibilityResult, PolicyLevel, PolicyPush

ZERO = Decimal("0.00")

# (key, label, levels): the groups the article reports.
FUND_GROUPS = (
    ("municipal", _("市级信息化政策资金"), (PolicyLevel.MUNICIPAL,)),
    ("district_zone", _("区级及经开区扶持资金"), (PolicyLevel.DISTRICT, PolicyLevel.ZONE)),
    ("central", _("中央财政专项资金"), (PolicyLevel.CENTRAL,)),
)


@dataclass(frozen=True)
class FundGroup:
    key: str
    label: str
    amount: Decimal  # 万元
    enterprises: int  # distinct enterprises paid at these levels


@dataclass(frozen=True)
class FundsFigures:
    start: datetime.date | None
    end: datetime.date | None
    by_level: dict[str, Decimal]  # every PolicyLevel value → 万元 (0.00 when nothing was paid)
    groups: list[FundGroup]
    total: Decimal  # 万元
    enterprises: int  # distinct enterprises paid anything


def _disbursements(
    *, start: datetime.date | None, end: datetime.date | None, district_id: int | None, grid_id: int | None
) -> QuerySet[Disbursement]:
    qs = Disbursement.objects.all()
    if start is not None:
        qs = qs.filter(disbursed_on__gte=start)
    if end is not None:
        qs = qs.filter(disbursed_on__lte=end)
    if district_id is not None:
        qs = qs.filter(application__enterprise__grid__district_id=district_id)
    if grid_id is not None:
        qs = qs.filter(application__enterprise__grid_id=grid_id)
    return qs


def funds_disbursed(
    *,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    district_id: int | None = None,
    grid_id: int | None = None,
) -> FundsFigures:
    """Money paid with ``start <= disbursed_on <= end`` (either end open when None), in one query."""
    enterprise = "application__enterprise"
    aggregates = {f"level_{level}": Sum("amount", filter=Q(level=level)) for level in PolicyLevel.values}
    for key, _label, levels in FUND_GROUPS:
        aggregates[f"firms_{key}"] = Count(enterprise, distinct=True, filter=Q(level__in=levels))
    aggregates["total"] = Sum("amount")
    aggregates["firms"] = Count(enterprise, distinct=True)
    row = _disbursements(start=start, end=end, district_id=district_id, grid_id=grid_id).aggregate(**aggregates)
    by_level = {level: row[f"level_{level}"] or ZERO for level in PolicyLevel.values}
    groups = [
        FundGroup(
            key=key,
            label=str(label),
            amount=sum((by_level[level] for level in levels), ZERO),
            enterprises=row[f"firms_{key}"],
        )
        for key, label, levels in FUND_GROUPS
    ]
    return FundsFigures(
        start=start, end=end, by_level=by_level, groups=groups, total=row["total"] or ZERO, enterprises=row["firms"]
    )


def funds_disbursed_to_date(
    *, on: datetime.date, district_id: int | None = None, grid_id: int | None = None
) -> FundsFigures:
    """Everything paid up to and including ``on`` (the cumulative 累计落实到位 figure)."""
    return funds_disbursed(start=None, end=on, district_id=district_id, grid_id=grid_id)


@dataclass(frozen=True)
class FunnelRow:
    district_id: int
    district_name: str
    grid_id: int | None  # None when grouped by district
    grid_name: str
    applied: int  # applications submitted (every state but draft)
    granted: int  # approved (including fully disbursed)
    disbursed: int  # with at least one payment
    granted_amount: Decimal  # 万元 approved
    district_code: str = ""
    grid_code: str = ""


def funding_funnel(*, policy_id: int, by: str = "grid", user: User | None = None) -> list[FunnelRow]:
    """Applications → grants → payments for one policy, per district or per grid (``by``).

    ``user`` limits the rows to what that user may see; None is the whole zone
    (for jobs). The pushes at the top of the funnel come from ``policies``.
    """
    if by not in ("grid", "district"):
        raise ValueError("by must be 'grid' or 'district'")
    qs = applications_visible(user=user) if user is not None else FundingApplication.objects.all()
    qs = qs.filter(clause__policy_id=policy_id).exclude(state=FundingState.DRAFT)
    qs = qs.annotate(paid=Exists(Disbursement.objects.filter(application=OuterRef("pk"))))
    keys = ["enterprise__grid__district_id", "enterprise__grid__district__name", "enterprise__grid__district__code"]
    if by == "grid":
        keys += ["enterprise__grid_id", "enterprise__grid__name", "enterprise__grid__code"]
    rows = (
        qs.values(*keys)
        .annotate(
            applied=Count("id"),
            granted=Count("id", filter=Q(state__in=[FundingState.APPROVED, FundingState.DISBURSED])),
            disbursed=Count("id", filter=Q(paid=True)),
            granted_amount=Sum("approved_amount"),
        )
        .order_by(*keys[::3])
    )
    return [
        FunnelRow(
            district_id=row["enterprise__grid__district_id"],
            district_name=row["enterprise__grid__district__name"],
            grid_id=row.get("enterprise__grid_id"),
            grid_name=row.get("enterprise__grid__name", ""),
            applied=row["applied"],
            granted=row["granted"],
            disbursed=row["disbursed"],
            granted_amount=row["granted_amount"] or ZERO,
            district_code=row["enterprise__grid__district__code"] or "",
            grid_code=row.get("enterprise__grid__code") or "",
        )
        for row in rows
    ]


# The stages the funding applications add to a policy's push funnel (policies.hooks).
FUNNEL_STAGES = (("applied", _("已申报")), ("granted", _("已获批")), ("disbursed", _("已拨付")))


def policy_page_funnel_rows(*, user: User, policy) -> list[dict]:
    """Applied → granted → paid for the policy's page, per grid, in the shape ``policies.hooks`` joins."""
    return [
        {
            "district_id": row.district_id,
            "district": row.district_name,
            "district_code": row.district_code,
            "grid_id": row.grid_id,
            "grid": row.grid_name,
            "grid_code": row.grid_code,
            "applied": row.applied,
            "granted": row.granted,
            "disbursed": row.disbursed,
        }
        for row in funding_funnel(policy_id=policy.pk, by="grid", user=user)
    ]


def funds_by_district(*, start: datetime.date | None = None, end: datetime.date | None = None) -> dict:
    """``{district id: {level: 万元}}`` of the money paid in the window, every district in one query.

    The same rows and dates as ``funds_disbursed`` (a district is the enterprise's), for the
    monthly rows of all districts at once.
    """
    rows = (
        _disbursements(start=start, end=end, district_id=None, grid_id=None)
        .order_by()
        .values("level", district=F("application__enterprise__grid__district_id"))
        .annotate(amount=Sum("amount"))
    )
    paid: dict = {}
    for row in rows:
        paid.setdefault(row["district"], dict.fromkeys(PolicyLevel.values, ZERO))[row["level"]] = row["amount"] or ZERO
    return paid


@dataclass(frozen=True)
class PolicyFunnel:
    """推送 → 查看 → 符合条件 → 申报 → 获支持, counted over pushes (one enterprise told of one policy)."""

    pushed: int
    read: int  # opened by a signed-in user of the enterprise
    eligible: int  # the matching finds the enterprise eligible for a clause of the policy
    applied: int  # the enterprise submitted an application under a clause of the policy
    won: int  # such an application was approved (or paid)


def policy_funnel(*, district_id: int | None = None) -> PolicyFunnel:
    """The push funnel of every policy, for the zone or one district (the enterprise's), in one query.

    Each stage counts the pushes that reached it, so the dashboards show how far one-to-one
    pushing carries an enterprise: from being told, to reading, to qualifying, applying and winning.
    """
    pushes = PolicyPush.objects.all()
    if district_id is not None:
        pushes = pushes.filter(enterprise__grid__district_id=district_id)
    same_pair = {"enterprise": OuterRef("enterprise_id"), "clause__policy": OuterRef("policy_id")}
    applications = FundingApplication.objects.filter(**same_pair).exclude(state=FundingState.DRAFT)
    won_states = (FundingState.APPROVED, FundingState.DISBURSED)
    counts = pushes.annotate(
        is_eligible=Exists(EligibilityResult.objects.filter(answer=Answer.ELIGIBLE, **same_pair)),
        has_applied=Exists(applications),
        has_won=Exists(applications.filter(state__in=won_states)),
    ).aggregate(
        pushed=Count("pk"),
        read=Count("pk", filter=Q(opened_at__isnull=False)),
        eligible=Count("pk", filter=Q(is_eligible=True)),
        applied=Count("pk", filter=Q(has_applied=True)),
        won=Count("pk", filter=Q(has_won=True)),
    )
    return PolicyFunnel(**counts)
