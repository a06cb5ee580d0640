"""Every write of the space platform. Pages, the API and the demo call these.

Listings and demands are written by their firm (or zone staff for a firm in their
scope) and matched at once. Leases and custom-build cases are recorded by zone staff;
a listing is never leased beyond its area at any one time (checked under a row lock).
"""

import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from accounts.scoping import scope_for
from enterprises.models import Enterprise
from enterprises.registry.selectors import enterprises_visible
from grids.models import District
from platforms import scoping as platform_scope
from platforms.matching import (
    AGREE,
    CONTACT,
    DECLINE,
    Match,
    ProposalRules,
    ProposalState,
    Rule,
    proposal_act,
    proposal_create,
    proposal_tell_firm,
    proposals_decline_open,
)
from platforms.records import OpenState, check_version, checked_save
from platforms.space import selectors
from platforms.space.models import (
    BuildState,
    CustomBuildCase,
    Lease,
    SpaceDemand,
    SpaceListing,
    SpaceProposal,
)
from platforms.space.ranking import area_text, rank_demands, rank_listings

PROPOSALS_PER_ITEM = 8

# Who may answer a space proposal: either firm, or zone staff in scope (the states are matching.TRANSITIONS).
PROPOSAL_WHO = gettext_lazy("双方企业或所属网格工作人员")
# A custom-build case moves forward one step at a time (or stops); each step sets its date.
BUILD_STEPS: dict[str, tuple[str, ...]] = {
    BuildState.NEGOTIATING: (BuildState.SIGNED, BuildState.CANCELLED),
    BuildState.SIGNED: (BuildState.BUILDING, BuildState.CANCELLED),
    BuildState.BUILDING: (BuildState.DELIVERED,),
}
BUILD_DATE_FIELD: dict[str, str] = {
    BuildState.SIGNED: "signed_on",
    BuildState.BUILDING: "construction_started_on",
    BuildState.DELIVERED: "delivered_on",
}


def _check_may_act(*, actor: User, enterprise: Enterprise, field: str) -> None:
    if not platform_scope.may_act_for(user=actor, enterprise=enterprise):
        raise ValidationError({field: [_("只能为本企业（或本人网格内的企业）发布载体信息。")]})


def _check_staff(actor: User) -> None:
    if not platform_scope.is_staff(actor):
        raise PermissionDenied(_("只有网格员、片区负责人或管委会工作人员可以登记。"))


@transaction.atomic
def space_listing_create(
    *,
    actor: User,
    owner: Enterprise,
    kind: str,
    title: str,
    area_m2: Decimal,
    address: str,
    district: District,
    available_from: datetime.date,
    floor_height_m: Decimal | None = None,
    floor_load_t_m2: Decimal | None = None,
    power_kva: int | None = None,
    rent_yuan_m2_month: Decimal | None = None,
    industries_allowed: Iterable[str] = (),
    note: str = "",
) -> SpaceListing:
    _check_may_act(actor=actor, enterprise=owner, field="owner")
    listing = checked_save(
        SpaceListing(
            owner=owner,
            kind=kind,
            title=title.strip(),
            area_m2=area_m2,
            floor_height_m=floor_height_m,
            floor_load_t_m2=floor_load_t_m2,
            power_kva=power_kva,
            address=address.strip(),
            district=district,
            rent_yuan_m2_month=rent_yuan_m2_month,
            available_from=available_from,
            industries_allowed=list(industries_allowed),
            note=note.strip(),
            created_by=actor,
        )
    )
    space_proposals_refresh(listing=listing)
    return listing


# What an owner may change on a listing; its owner and kind stay as posted.
LISTING_EDITABLE_FIELDS = (
    "title",
    "area_m2",
    "floor_height_m",
    "floor_load_t_m2",
    "power_kva",
    "address",
    "district",
    "rent_yuan_m2_month",
    "available_from",
    "industries_allowed",
    "note",
)
LISTING_EDITABLE = frozenset(LISTING_EDITABLE_FIELDS)


@transaction.atomic
def space_listing_update(
    *,
    actor: User,
    listing: SpaceListing,
    version: int | None = None,
    today: datetime.date | None = None,
    **changes: Any,
) -> SpaceListing:
    """Change an open listing: its owner enterprise's users, or zone staff for a firm in their
    scope (anyone else: 404). Refused when edited since ``version`` was read, or when the area
    would fall below what running leases hold; new matches are proposed after the change."""
    unknown = set(changes) - LISTING_EDITABLE
    if unknown:
        raise ValidationError({name: [_("不能修改该字段。")] for name in sorted(unknown)})
    if not selectors.listings_visible(user=actor).filter(pk=listing.pk).exists() or not platform_scope.may_act_for(
        user=actor, enterprise=listing.owner
    ):
        raise Http404
    locked = SpaceListing.objects.select_for_update().get(pk=listing.pk)
    if locked.state != OpenState.OPEN:
        raise ValidationError({"state": [_("该信息已关闭，不能修改。")]})
    check_version(locked.version, version, _("该载体信息已被他人修改，请刷新后重试。"))
    today = today or timezone.localdate()
    for name, value in changes.items():
        if name == "industries_allowed":
            value = list(value)
        setattr(locked, name, value.strip() if isinstance(value, str) else value)
    running = Lease.objects.filter(listing=locked, ends_on__gte=today).aggregate(total=Sum("area_m2"))["total"]
    if running and locked.area_m2 is not None and locked.area_m2 < running:
        raise ValidationError(
            {"area_m2": [_("在租面积共 %(leased)s m²，面积不能小于此数。") % {"leased": area_text(running)}]}
        )
    locked.version += 1
    checked_save(locked)
    space_proposals_refresh(listing=locked)
    return locked


@transaction.atomic
def space_demand_create(
    *,
    actor: User,
    enterprise: Enterprise,
    kind: str,
    area_min_m2: Decimal,
    area_max_m2: Decimal,
    needed_from: datetime.date,
    industry: str = "",
    min_height_m: Decimal | None = None,
    min_load_t_m2: Decimal | None = None,
    min_power_kva: int | None = None,
    preferred_districts: Iterable[District] = (),
    note: str = "",
) -> SpaceDemand:
    _check_may_act(actor=actor, enterprise=enterprise, field="enterprise")
    demand = checked_save(
        SpaceDemand(
            enterprise=enterprise,
            kind=kind,
            area_min_m2=area_min_m2,
            area_max_m2=area_max_m2,
            min_height_m=min_height_m,
            min_load_t_m2=min_load_t_m2,
            min_power_kva=min_power_kva,
            needed_from=needed_from,
            industry=industry or enterprise.industry,
            note=note.strip(),
            created_by=actor,
        )
    )
    demand.preferred_districts.set(list(preferred_districts))
    space_proposals_refresh(demand=demand)
    return demand


@transaction.atomic
def space_close(*, actor: User, item: SpaceListing | SpaceDemand) -> SpaceListing | SpaceDemand:
    """Withdraw a listing or a demand; its open proposals end as 未达成 with the reason said."""
    owner = item.owner if isinstance(item, SpaceListing) else item.enterprise
    _check_may_act(actor=actor, enterprise=owner, field="state")
    locked = type(item).objects.select_for_update().get(pk=item.pk)
    if locked.state != OpenState.OPEN:
        raise ValidationError({"state": [_("该信息已关闭。")]})
    locked.state = OpenState.CLOSED
    checked_save(locked)
    side = "listing" if isinstance(item, SpaceListing) else "demand"
    proposals_decline_open(SpaceProposal.objects.filter(**{side: locked}), actor=actor, reason=_("载体信息已关闭"))
    return locked


# --- Proposals ---------------------------------------------------------------


def _create_proposal(*, demand: SpaceDemand, listing: SpaceListing, match: Match[Any]) -> SpaceProposal:
    proposal = proposal_create(SpaceProposal, match, demand=demand, listing=listing)
    for enterprise_id, url, other in (
        (demand.enterprise_id, demand.get_absolute_url(), listing.owner.name),
        (listing.owner_id, listing.get_absolute_url(), demand.enterprise.name),
    ):
        proposal_tell_firm(
            proposal,
            enterprise_id=enterprise_id,
            kind="space_proposal",
            title=_("产业载体推荐：%(firm)s") % {"firm": other},
            url=url,
        )
    return proposal


def _listings_with_area() -> QuerySet[SpaceListing]:
    return SpaceListing.objects.select_related("owner__grid", "district").annotate(
        leased_area=selectors.leased_area_subquery()
    )


def _demands() -> QuerySet[SpaceDemand]:
    return SpaceDemand.objects.select_related("enterprise__grid").prefetch_related("preferred_districts")


@transaction.atomic
def space_proposals_refresh(
    *, demand: SpaceDemand | None = None, listing: SpaceListing | None = None
) -> list[SpaceProposal]:
    """Propose the best new listings for an open demand, or demands for an open listing."""
    if demand is not None:
        demand = _demands().get(pk=demand.pk)
        if demand.state != OpenState.OPEN:
            return []
        already = SpaceProposal.objects.filter(demand=demand).values("listing_id")
        candidates = _listings_with_area().filter(kind=demand.kind, state=OpenState.OPEN).exclude(pk__in=already)
        matches = rank_listings(demand, candidates.order_by("pk"), limit=PROPOSALS_PER_ITEM)
        return [_create_proposal(demand=demand, listing=match.offer, match=match) for match in matches]
    if listing is None:
        return []
    listing = _listings_with_area().get(pk=listing.pk)
    if listing.state != OpenState.OPEN:
        return []
    proposed = SpaceProposal.objects.filter(listing=listing).values("demand_id")
    demands = _demands().filter(kind=listing.kind, state=OpenState.OPEN).exclude(pk__in=proposed)
    found = rank_demands(listing, demands.order_by("pk"), limit=PROPOSALS_PER_ITEM)
    return [_create_proposal(demand=match.offer, listing=listing, match=match) for match in found]


@transaction.atomic
def space_propose(*, demand: SpaceDemand, listing: SpaceListing) -> SpaceProposal | None:
    """The proposal for this one pair: the existing one, a new one if the pair matches, else None."""
    existing = SpaceProposal.objects.filter(demand=demand, listing=listing).first()
    if existing is not None:
        return existing
    demand = _demands().get(pk=demand.pk)
    matches = rank_listings(demand, [_listings_with_area().get(pk=listing.pk)])
    return _create_proposal(demand=demand, listing=matches[0].offer, match=matches[0]) if matches else None


def _party_or_staff(user: User, proposal: SpaceProposal) -> bool:
    scope = scope_for(user)
    return (
        platform_scope.is_staff(user)
        or scope.speaks_for(proposal.demand.enterprise_id)
        or scope.speaks_for(proposal.listing.owner_id)
    )


PROPOSAL_RULES = ProposalRules({action: Rule(_party_or_staff, PROPOSAL_WHO) for action in (CONTACT, AGREE, DECLINE)})
allowed_actions = PROPOSAL_RULES.allowed_actions


def space_proposal_act(
    *, proposal: SpaceProposal, action: str, actor: User, reason: str = "", today: datetime.date | None = None
) -> SpaceProposal:
    """Contact, agree or decline a proposal (``platforms.matching.proposal_act``, who by ``PROPOSAL_RULES``)."""
    return proposal_act(
        proposal,
        visible=selectors.proposals_visible(user=actor),
        rules=PROPOSAL_RULES,
        action=action,
        actor=actor,
        reason=reason,
        today=today,
    )


# --- Leases and custom-built plants ------------------------------------------


@transaction.atomic
def space_lease_record(
    *,
    actor: User,
    listing: SpaceListing,
    tenant: Enterprise,
    area_m2: Decimal,
    starts_on: datetime.date,
    ends_on: datetime.date,
    rent_yuan_m2_month: Decimal,
    proposal: SpaceProposal | None = None,
) -> Lease:
    """Record a lease; the area leased at any one time never exceeds the listing's."""
    _check_staff(actor)
    if (
        not selectors.listings_visible(user=actor).filter(pk=listing.pk).exists()
        and not enterprises_visible(user=actor).filter(pk=tenant.pk).exists()
    ):
        raise ValidationError({"listing": [_("载体或承租企业须有一方在您的网格内。")]})
    if proposal is not None:
        if proposal.state != ProposalState.AGREED or proposal.listing_id != listing.pk:
            raise ValidationError({"proposal": [_("只能依据该载体已达成的匹配登记租赁。")]})
        if proposal.demand.enterprise_id != tenant.pk:
            raise ValidationError({"tenant": [_("承租企业须为匹配中的需求企业。")]})
    lease = Lease(
        listing=listing,
        tenant=tenant,
        area_m2=area_m2,
        starts_on=starts_on,
        ends_on=ends_on,
        rent_yuan_m2_month=rent_yuan_m2_month,
        proposal=proposal,
        recorded_by=actor,
    )
    lease.full_clean()
    locked = SpaceListing.objects.select_for_update().get(pk=listing.pk)
    overlapping = Lease.objects.filter(listing=locked).filter(Q(starts_on__lte=ends_on) & Q(ends_on__gte=starts_on))
    leased = overlapping.aggregate(total=Sum("area_m2"))["total"] or Decimal("0")
    if leased + area_m2 > locked.area_m2:
        raise ValidationError(
            {
                "area_m2": [
                    _("超过载体面积：共 %(total)s m²，同期已租 %(leased)s m²，本次最多 %(left)s m²。")
                    % {
                        "total": area_text(locked.area_m2),
                        "leased": area_text(leased),
                        "left": area_text(max(locked.area_m2 - leased, Decimal("0"))),
                    }
                ]
            }
        )
    lease.save()
    return lease


@transaction.atomic
def custom_build_create(
    *, actor: User, land: SpaceListing, builder: Enterprise, tenant: Enterprise, plant_area_m2: Decimal, note: str = ""
) -> CustomBuildCase:
    _check_staff(actor)
    visible = enterprises_visible(user=actor)
    if not visible.filter(pk__in=[land.owner_id, builder.pk, tenant.pk]).exists():
        raise ValidationError({"land": [_("土地、建设方或使用方须有一方在您的网格内。")]})
    return checked_save(
        CustomBuildCase(land=land, builder=builder, tenant=tenant, plant_area_m2=plant_area_m2, note=note.strip())
    )


@transaction.atomic
def custom_build_advance(
    *, actor: User, case: CustomBuildCase, to_state: str, on: datetime.date, version: int | None = None
) -> CustomBuildCase:
    """Move a case one step on (signed → building → delivered) or stop it, setting the step's date."""
    _check_staff(actor)
    if not selectors.custom_builds_visible(user=actor).filter(pk=case.pk).exists():
        raise PermissionDenied(_("案例不存在或不在您的权限范围内。"))
    locked = CustomBuildCase.objects.select_for_update().select_related("land").get(pk=case.pk)
    check_version(locked.version, version, _("该案例已被他人修改，请刷新后重试。"))
    if to_state not in BUILD_STEPS.get(locked.state, ()):
        raise ValidationError(
            {"state": [_("“%(state)s”的案例不能改为该状态。") % {"state": locked.get_state_display()}]}
        )
    locked.state = to_state
    if to_state in BUILD_DATE_FIELD:
        setattr(locked, BUILD_DATE_FIELD[to_state], on)
    locked.version += 1
    return checked_save(locked)
