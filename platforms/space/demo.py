"""Demo data of the space platform: idle plants and land, demands, proposals, leases, custom builds.

As the article tells it: growing firms lease the idle plants of struggling firms, and
idle land of a large state-owned group is used for plants built to measure (定制厂房).
Past demands were proposed, agreed and leased; current ones are left with their
proposals in every state.

Deterministic (a fixed seed, firms in USCC order) and idempotent: when the platform
already has listings the step leaves everything as it is. Rows are written by the services.
"""

import datetime
import random
from decimal import Decimal

from django.utils import timezone

from accounts.models import Role, User
from enterprises.models import Enterprise, Ownership, Tier
from platforms.demo import backdate, leave_in_every_state, users_by_enterprise
from platforms.matching import AGREE, CONTACT, ProposalState
from platforms.space.models import BuildState, CustomBuildCase, Lease, SpaceDemand, SpaceListing, SpaceProposal
from platforms.space.services import (
    custom_build_advance,
    custom_build_create,
    space_demand_create,
    space_lease_record,
    space_listing_create,
    space_proposal_act,
    space_propose,
)

IDLE_PLANTS = 10
LEASED = 6
IDLE_LAND = 3
CURRENT_DEMANDS = 8
DECLINE_REASONS = ("层高不满足生产线要求", "租金高于预算", "交付时间太晚", "企业决定自建厂房")


def _manager() -> User:
    return User.objects.filter(role=Role.MANAGER).order_by("username").first()


def _short(firm: Enterprise) -> str:
    return firm.name.removesuffix("有限公司").removesuffix("有限责任公司")


def _address(firm: Enterprise, number: int) -> str:
    return firm.address or f"{firm.grid.district.name}工业园 {number} 号"


def seed_demo_data(*, stdout, today: datetime.date | None = None) -> None:
    if SpaceListing.objects.exists():
        stdout.write("  space listings present: left as they are")
        return
    today = today or timezone.localdate()
    rng = random.Random("jingkai-space")
    zone = timezone.get_current_timezone()
    manager = _manager()
    users = users_by_enterprise()
    firms = Enterprise.objects.select_related("grid__district").order_by("uscc")
    struggling = list(firms.filter(tier=Tier.STRUGGLING))[::-1]
    growing = list(firms.filter(tier__in=[Tier.GROWTH, Tier.BACKBONE]))
    landholders = list(firms.filter(tier=Tier.LEADING, ownership=Ownership.STATE)) or list(
        firms.filter(tier=Tier.LEADING)
    )

    plants = []
    for number in range(IDLE_PLANTS):
        owner = struggling[number]
        area = Decimal(rng.randrange(1500, 6001, 100))
        plants.append(
            space_listing_create(
                actor=users[owner.pk],
                owner=owner,
                kind="plant",
                title=f"{_short(owner)}闲置厂房{number % 3 + 1}号",
                area_m2=area,
                floor_height_m=Decimal(rng.choice(("6", "8", "9", "10", "12"))),
                floor_load_t_m2=Decimal(rng.choice(("1.5", "2", "3", "5"))),
                power_kva=rng.choice((400, 630, 800, 1250, 2000)),
                address=_address(owner, 10 + number),
                district=owner.grid.district,
                rent_yuan_m2_month=Decimal(rng.randrange(12, 26)),
                available_from=today - datetime.timedelta(days=320 - number * 10),
            )
        )

    # Past demands of growing firms, each leased one struggling firm's idle plant.
    for number, plant in enumerate(plants[:LEASED]):
        tenant = growing[(number * 13 + 5) % len(growing)]
        starts_on = today - datetime.timedelta(days=30 + number * 45)
        demand = space_demand_create(
            actor=users[tenant.pk],
            enterprise=tenant,
            kind="plant",
            area_min_m2=(plant.area_m2 * Decimal("0.8")).quantize(Decimal("1")),
            area_max_m2=(plant.area_m2 * Decimal("1.1")).quantize(Decimal("1")),
            min_height_m=Decimal("6"),
            needed_from=starts_on,
            preferred_districts=[plant.district],
        )
        proposal = space_propose(demand=demand, listing=plant)
        proposal = space_proposal_act(proposal=proposal, action=CONTACT, actor=manager)
        proposal = space_proposal_act(proposal=proposal, action=AGREE, actor=users[tenant.pk])
        lease = space_lease_record(
            actor=manager,
            listing=plant,
            tenant=tenant,
            proposal=proposal,
            area_m2=plant.area_m2 if number % 2 == 0 else (plant.area_m2 * Decimal("0.6")).quantize(Decimal("1")),
            starts_on=starts_on,
            ends_on=starts_on + datetime.timedelta(days=3 * 365),
            rent_yuan_m2_month=plant.rent_yuan_m2_month,
        )
        moment = datetime.datetime.combine(starts_on - datetime.timedelta(days=25), datetime.time(10, 0), tzinfo=zone)
        backdate(SpaceDemand, demand.pk, moment)
        backdate(
            SpaceProposal,
            proposal.pk,
            moment,
            contacted_at=moment + datetime.timedelta(days=3),
            decided_at=moment + datetime.timedelta(days=10),
            expires_on=moment.date() + datetime.timedelta(days=30),
        )
        backdate(Lease, lease.pk, moment + datetime.timedelta(days=12))

    # Idle land of the large groups, and plants built to measure on it.
    lands = []
    for number in range(IDLE_LAND):
        owner = landholders[number % len(landholders)]
        lands.append(
            space_listing_create(
                actor=manager,
                owner=owner,
                kind="land",
                title=f"{_short(owner)}闲置工业用地{number + 1}号地块",
                area_m2=Decimal(rng.randrange(20000, 60001, 1000)),
                address=_address(owner, 100 + number),
                district=owner.grid.district,
                available_from=today - datetime.timedelta(days=200),
                power_kva=rng.choice((2000, 5000)),
            )
        )
    stories = (
        (BuildState.DELIVERED, 360, Decimal("12000")),
        (BuildState.BUILDING, 150, Decimal("8000")),
        (BuildState.NEGOTIATING, 0, Decimal("15000")),
    )
    for number, (state, days_ago, area) in enumerate(stories):
        land = lands[number % len(lands)]
        tenant = growing[(number * 17 + 2) % len(growing)]
        case = custom_build_create(
            actor=manager,
            land=land,
            builder=land.owner,
            tenant=tenant,
            plant_area_m2=area,
            note="利用闲置土地为使用方定制工业厂房",
        )
        signed = today - datetime.timedelta(days=days_ago)
        for step, offset in ((BuildState.SIGNED, 0), (BuildState.BUILDING, 30), (BuildState.DELIVERED, 300)):
            if list(BuildState.values).index(step) > list(BuildState.values).index(state):
                break
            case = custom_build_advance(
                actor=manager, case=case, to_state=step, on=signed + datetime.timedelta(days=offset)
            )

    # Current demands: the matcher proposes the open plants and land; leave them in every state.
    for number in range(CURRENT_DEMANDS):
        firm = growing[(number * 19 + 7) % len(growing)]
        kind = "land" if number % 4 == 3 else "plant"
        low = Decimal(rng.randrange(1000, 4001, 500) if kind == "plant" else rng.randrange(10000, 30001, 5000))
        space_demand_create(
            actor=users[firm.pk],
            enterprise=firm,
            kind=kind,
            area_min_m2=low,
            area_max_m2=low * 2,
            min_height_m=Decimal(rng.choice(("6", "8"))) if kind == "plant" else None,
            min_load_t_m2=Decimal("2") if number % 2 else None,
            needed_from=today + datetime.timedelta(days=rng.randint(10, 90)),
            preferred_districts=[firm.grid.district] if number % 3 else [],
        )
    current = SpaceProposal.objects.filter(state=ProposalState.PROPOSED).select_related("demand__enterprise", "listing")
    leave_in_every_state(
        sorted(current, key=lambda p: (p.demand.enterprise.uscc, p.listing.title)),
        act=space_proposal_act,
        actor_of=lambda _proposal: manager,
        reasons=DECLINE_REASONS,
        contact_before_agree=False,
    )
    stdout.write(
        f"  {SpaceListing.objects.count()} listings, {SpaceDemand.objects.count()} demands, "
        f"{SpaceProposal.objects.count()} proposals, {Lease.objects.count()} leases, "
        f"{CustomBuildCase.objects.count()} custom-built plants"
    )
