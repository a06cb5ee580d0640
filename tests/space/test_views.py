"""The space pages: lists, a demand's proposals with reasons, leases, custom builds; outsiders 404."""

import datetime
from decimal import Decimal

import pytest

from platforms.space.models import Lease, SpaceDemand, SpaceProposal
from platforms.space.services import custom_build_create, space_proposal_act
from tests.conftest import login
from tests.factories import EnterpriseFactory
from tests.space.conftest import listing, space_snapshot


def test_a_growing_firm_posts_a_demand_and_sees_idle_plants_with_reasons(firms, cast):
    listing(firms.owner, area="1200", district=cast.district_a, height="9", load="3")
    client = login(firms.tenant_user)

    response = client.post(
        "/platforms/space/demands/new/",
        {
            "kind": "plant",
            "area_min_m2": "1000",
            "area_max_m2": "1500",
            "min_height_m": "8",
            "needed_from": "2025-07-01",
            "preferred_districts": [cast.district_a.pk],
        },
    )

    demand = SpaceDemand.objects.get()
    assert (demand.enterprise, demand.industry) == (firms.tenant, firms.tenant.industry)
    page = client.get(response.url).content.decode()
    assert "面积 1,200 m² 在需求 1,000–1,500 m² 内" in page
    assert "规格满足：层高 9m ≥ 8m" in page
    assert firms.owner.name in page


def test_bad_input_on_the_demand_form_saves_nothing(firms):
    response = login(firms.tenant_user).post(
        "/platforms/space/demands/new/",
        {"kind": "plant", "area_min_m2": "-5", "area_max_m2": "1500", "needed_from": "2025-07-01"},
    )
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"area_min_m2"}
    assert SpaceDemand.objects.count() == 0


def test_outsiders_get_404_and_cannot_close_what_is_not_theirs(firms, cast):
    plant = listing(firms.owner, area="1200", district=cast.district_a)
    before = space_snapshot()
    assert login(cast.enterprise_user_b).get(f"/platforms/space/listings/{plant.pk}/").status_code == 404
    assert login(cast.officer_b).get(f"/platforms/space/listings/{plant.pk}/").status_code == 404
    assert login(cast.enterprise_user_b).post(f"/platforms/space/listings/{plant.pk}/close/").status_code == 404
    assert login(cast.bureau_user_x).get("/platforms/space/").status_code == 404
    assert space_snapshot() == before
    assert login(cast.enterprise_user_a).get(f"/platforms/space/listings/{plant.pk}/").status_code == 200


def test_the_officer_records_a_lease_from_an_agreed_proposal(firms, cast):
    plant = listing(firms.owner, area="1200", district=cast.district_a, height="9")
    login(firms.tenant_user).post(
        "/platforms/space/demands/new/",
        {"kind": "plant", "area_min_m2": "1000", "area_max_m2": "1500", "needed_from": "2025-07-01"},
    )
    proposal = SpaceProposal.objects.get(listing=plant)
    space_proposal_act(proposal=proposal, action="agree", actor=firms.tenant_user)
    client = login(cast.officer_a)

    too_big = client.post(
        f"/platforms/space/proposals/{proposal.pk}/lease/",
        {"area_m2": "1300", "starts_on": "2025-07-01", "ends_on": "2027-06-30", "rent_yuan_m2_month": "16"},
    )
    assert set(too_big.context["form"].errors) == {"area_m2"}
    assert Lease.objects.count() == 0
    done = client.post(
        f"/platforms/space/proposals/{proposal.pk}/lease/",
        {"area_m2": "1200", "starts_on": "2025-07-01", "ends_on": "2027-06-30", "rent_yuan_m2_month": "16"},
    )
    assert done.url == "/platforms/space/leases/"
    assert Lease.objects.get().area_m2 == Decimal("1200")


@pytest.mark.parametrize("size", [2, 12])
def test_pages_keep_a_constant_number_of_queries(firms, cast, size, django_assert_max_num_queries):
    land = listing(firms.owner, area="30000", district=cast.district_a, kind="land")
    for index in range(size):
        firm = EnterpriseFactory(grid=cast.grid_a)
        listing(firm, area=str(1000 + index), district=cast.district_a)
        need = SpaceDemand.objects.create(
            enterprise=firm,
            kind="plant",
            area_min_m2=900,
            area_max_m2=2000,
            needed_from=datetime.date(2025, 7, 1),
            industry="equipment",
        )
        need.preferred_districts.set([cast.district_a])
        SpaceProposal.objects.create(demand=need, listing=land, score=10, expires_on=datetime.date(2025, 7, 1))
        custom_build_create(actor=cast.manager, land=land, builder=firms.owner, tenant=firm, plant_area_m2=100)
    client = login(cast.officer_a)
    for url in (
        "/platforms/space/",
        "/platforms/space/demands/",
        "/platforms/space/leases/",
        "/platforms/space/custom-builds/",
        f"/platforms/space/listings/{land.pk}/",
    ):
        with django_assert_max_num_queries(12):
            assert client.get(url).status_code == 200, url
