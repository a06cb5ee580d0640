"""Matching space to demands, leases within the area, custom-built plants, figures."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from enterprises.models import Industry
from platforms.matching import AGREE, proposals_expire
from platforms.space.figures import lease_totals, space_proposal_counts
from platforms.space.models import SpaceProposal
from platforms.space.services import (
    custom_build_advance,
    custom_build_create,
    space_demand_create,
    space_lease_record,
    space_proposal_act,
)
from tests.factories import EnterpriseFactory
from tests.space.conftest import TODAY, listing, space_snapshot


def demand(firms, cast, **overrides):
    arguments = {
        "actor": firms.tenant_user,
        "enterprise": firms.tenant,
        "kind": "plant",
        "area_min_m2": Decimal("1000"),
        "area_max_m2": Decimal("1500"),
        "min_height_m": Decimal("8"),
        "min_load_t_m2": Decimal("2"),
        "needed_from": TODAY + datetime.timedelta(days=30),
        "preferred_districts": [cast.district_a],
    }
    return space_demand_create(**{**arguments, **overrides})


def test_listings_are_proposed_for_a_demand_in_order_with_their_reasons(firms, cast):
    # Given four idle plants and one idle plot
    fits = listing(firms.owner, area="1200", district=cast.district_a, height="9", load="3", industries=["automotive"])
    low = listing(cast.enterprise_b, area="1300", district=cast.district_a, height="6", load="3", available=50)
    big = listing(cast.enterprise_b, area="1800", district=cast.district_b, height="10", load="5")
    listing(cast.enterprise_b, area="400", district=cast.district_a, height="10", load="5")  # far too small: no area
    listing(cast.enterprise_b, area="1200", district=cast.district_a, industries=["food"])  # food only: filtered
    listing(cast.enterprise_b, area="1200", district=cast.district_a, kind="land")  # land, not a plant
    listing(firms.tenant, area="1200", district=cast.district_a, height="9", load="3")  # its own plant

    # When the growing firm posts its demand
    need = demand(firms, cast)

    proposals = list(SpaceProposal.objects.filter(demand=need).order_by("-score", "pk"))
    assert [(p.listing_id, p.score) for p in proposals] == [(fits.pk, 100), (low.pk, 75), (big.pk, 73)]
    assert proposals[0].reason_summary == (
        "面积 1,200 m² 在需求 1,000–1,500 m² 内 · 规格满足：层高 9m ≥ 8m、承重 3t/m² ≥ 2t/m² · "
        "位于意向片区（甲片区） · 载体允许汽车及零部件入驻 · 需求日期前可交付"
    )
    assert proposals[2].reasons == [
        {"key": "area", "text": "面积 1,800 m² 略大于需求 1,500 m²，可分割", "points": 25},
        {"key": "spec", "text": "规格满足：层高 10m ≥ 8m、承重 5t/m² ≥ 2t/m²", "points": 25},
        {"key": "industry", "text": "载体不限行业", "points": 8},
        {"key": "date", "text": "需求日期前可交付", "points": 15},
    ]
    assert [r["text"] for r in proposals[1].reasons] == [
        "面积 1,300 m² 在需求 1,000–1,500 m² 内",
        "规格部分满足：层高 6m < 8m、承重 3t/m² ≥ 2t/m²",
        "位于意向片区（甲片区）",
        "载体不限行业",
        "比需求日期晚 20 天可用",
    ]


@pytest.fixture
def agreed(firms, cast):
    plant = listing(firms.owner, area="1200", district=cast.district_a, height="9", load="3")
    need = demand(firms, cast)
    proposal = SpaceProposal.objects.get(demand=need, listing=plant)
    return space_proposal_act(proposal=proposal, action=AGREE, actor=firms.tenant_user)


def lease(actor, proposal, *, area, starts=datetime.date(2025, 7, 1), ends=datetime.date(2027, 6, 30)):
    return space_lease_record(
        actor=actor,
        listing=proposal.listing,
        tenant=proposal.demand.enterprise,
        area_m2=Decimal(area),
        starts_on=starts,
        ends_on=ends,
        rent_yuan_m2_month=Decimal("18"),
        proposal=proposal,
    )


def test_leased_area_never_exceeds_the_listing_and_nothing_is_saved(agreed, cast):
    lease(cast.officer_a, agreed, area="1000")
    before = space_snapshot()

    with pytest.raises(ValidationError) as refused:
        lease(cast.officer_a, agreed, area="300")

    assert refused.value.message_dict == {
        "area_m2": ["超过载体面积：共 1,200 m²，同期已租 1,000 m²，本次最多 200 m²。"]
    }
    assert space_snapshot() == before
    # After the first lease ends the area is free again.
    lease(cast.officer_a, agreed, area="1200", starts=datetime.date(2027, 7, 1), ends=datetime.date(2028, 6, 30))


def test_only_staff_record_leases_and_a_proposal_must_be_agreed(firms, cast, agreed):
    before = space_snapshot()
    with pytest.raises(PermissionDenied):
        lease(firms.tenant_user, agreed, area="100")
    open_one = SpaceProposal.objects.create(
        demand=agreed.demand,
        listing=listing(cast.enterprise_b, area="1200", district=cast.district_a),
        score=50,
        expires_on=TODAY,
    )
    before = space_snapshot()
    with pytest.raises(ValidationError) as refused:
        lease(cast.manager, open_one, area="100")
    assert list(refused.value.message_dict) == ["proposal"]
    assert space_snapshot() == before


def test_a_space_proposal_expires_and_then_cannot_be_agreed(firms, cast, time_machine):
    listing(firms.owner, area="1200", district=cast.district_a, height="9", load="3")
    proposal = SpaceProposal.objects.get(demand=demand(firms, cast))
    time_machine.move_to(datetime.datetime(2025, 7, 17, 12, 0, tzinfo=datetime.UTC), tick=False)
    proposals_expire()
    proposal.refresh_from_db()
    before = space_snapshot()

    with pytest.raises(ValidationError):
        space_proposal_act(proposal=proposal, action=AGREE, actor=firms.tenant_user)

    assert proposal.state == "expired"
    assert space_snapshot() == before


def test_a_space_proposal_past_its_date_is_refused_even_before_the_job_runs(firms, cast, time_machine):
    listing(firms.owner, area="1200", district=cast.district_a, height="9", load="3")
    proposal = SpaceProposal.objects.get(demand=demand(firms, cast))
    time_machine.move_to(datetime.datetime(2025, 7, 17, 12, 0, tzinfo=datetime.UTC), tick=False)
    before = space_snapshot()

    with pytest.raises(ValidationError) as refused:
        space_proposal_act(proposal=proposal, action=AGREE, actor=firms.tenant_user)

    assert refused.value.message_dict == {"state": ["该匹配已过有效期，不能再处理。"]}
    assert space_snapshot() == before


def test_a_custom_built_plant_on_idle_land_moves_step_by_step(firms, cast):
    land = listing(cast.enterprise_b, area="20000", district=cast.district_b, kind="land")
    case = custom_build_create(
        actor=cast.manager, land=land, builder=cast.enterprise_b, tenant=firms.tenant, plant_area_m2=Decimal("8000")
    )
    case = custom_build_advance(actor=cast.manager, case=case, to_state="signed", on=datetime.date(2025, 6, 1))
    before = space_snapshot()
    with pytest.raises(ValidationError):
        custom_build_advance(actor=cast.manager, case=case, to_state="delivered", on=datetime.date(2025, 6, 2))
    assert space_snapshot() == before
    case = custom_build_advance(actor=cast.officer_b, case=case, to_state="building", on=datetime.date(2025, 6, 10))
    assert (case.state, case.signed_on, case.construction_started_on) == (
        "building",
        datetime.date(2025, 6, 1),
        datetime.date(2025, 6, 10),
    )
    plant = listing(cast.enterprise_b, area="500", district=cast.district_b)
    with pytest.raises(ValidationError) as refused:
        custom_build_create(
            actor=cast.manager, land=plant, builder=cast.enterprise_b, tenant=firms.tenant, plant_area_m2=Decimal("1")
        )
    assert list(refused.value.message_dict) == ["land"]


def test_figures_sum_leases_by_start_date_and_district(agreed, cast):
    lease(cast.officer_a, agreed, area="700", starts=datetime.date(2025, 6, 20))
    other = EnterpriseFactory(grid=cast.grid_b, industry=Industry.FOOD)
    plant_b = listing(cast.enterprise_b, area="900", district=cast.district_b)
    space_lease_record(
        actor=cast.manager,
        listing=plant_b,
        tenant=other,
        area_m2=Decimal("900"),
        starts_on=datetime.date(2025, 7, 1),
        ends_on=datetime.date(2026, 6, 30),
        rent_yuan_m2_month=Decimal("15"),
    )

    assert lease_totals() == {"count": 2, "area_m2": Decimal("1600")}
    assert lease_totals(date_from=datetime.date(2025, 6, 1), date_to=datetime.date(2025, 6, 30)) == {
        "count": 1,
        "area_m2": Decimal("700"),
    }
    assert lease_totals(district_id=cast.district_b.pk) == {"count": 1, "area_m2": Decimal("900")}
    assert space_proposal_counts(date_from=TODAY, date_to=TODAY) == {"made": 1, "agreed": 1}
