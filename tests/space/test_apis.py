"""The space API: strict input (400 naming the field, nothing saved), scope, leases within the area."""

import json

import pytest

from platforms.space.models import SpaceProposal
from tests.conftest import login
from tests.space.conftest import listing, space_snapshot


def post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


@pytest.fixture
def good(cast):
    return {
        "kind": "plant",
        "title": "一号闲置厂房",
        "area_m2": "1200",
        "address": "兴业路 8 号",
        "district": cast.district_a.pk,
        "available_from": "2025-07-01",
    }


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"area_m2": "-10"}, "area_m2"),
        ({"area_m2": "0"}, "area_m2"),
        ({"owner": 999999}, "owner"),
        ({"district": 999999}, "district"),
        ({"industries_allowed": ["mining"]}, "industries_allowed"),
        ({"title": "长" * 101}, "title"),
        ({"leased_area": "5"}, "leased_area"),
    ],
)
def test_bad_listing_input_is_a_400_naming_the_field(firms, good, change, field):
    before = space_snapshot()
    response = post(login(firms.tenant_user), "/api/space-listings/", {**good, **change})
    assert response.status_code == 400
    assert field in response.json()
    assert space_snapshot() == before


def test_bad_demand_and_lease_input(firms, cast):
    before = space_snapshot()
    reversed_range = post(
        login(firms.tenant_user),
        "/api/space-demands/",
        {"kind": "plant", "area_min_m2": "2000", "area_max_m2": "1000", "needed_from": "2025-07-01"},
    )
    assert reversed_range.status_code == 400 and list(reversed_range.json()) == ["area_max_m2"]
    plant = listing(firms.owner, area="1000", district=cast.district_a)
    before = space_snapshot()
    lease = {
        "listing": plant.pk,
        "tenant": firms.tenant.pk,
        "area_m2": "1001",
        "starts_on": "2025-07-01",
        "ends_on": "2026-06-30",
        "rent_yuan_m2_month": "15",
    }
    officer = login(cast.officer_a)
    assert list(post(officer, "/api/leases/", lease).json()) == ["area_m2"]
    assert list(post(officer, "/api/leases/", {**lease, "area_m2": "10", "ends_on": "2025-01-01"}).json()) == [
        "ends_on"
    ]
    assert list(post(officer, "/api/leases/", {**lease, "tenant": 999999}).json()) == ["tenant"]
    assert post(login(firms.tenant_user), "/api/leases/", {**lease, "area_m2": "10"}).status_code == 403
    assert space_snapshot() == before
    assert post(officer, "/api/leases/", {**lease, "area_m2": "1000"}).status_code == 201


def test_scope_and_proposal_actions(firms, cast, good):
    created = post(login(cast.enterprise_user_a), "/api/space-listings/", good)
    assert created.status_code == 201 and created.json()["owner"] == cast.enterprise_a.pk
    assert login(cast.enterprise_user_b).get(f"/api/space-listings/{created.json()['id']}/").status_code == 404
    demand = post(
        login(firms.tenant_user),
        "/api/space-demands/",
        {"kind": "plant", "area_min_m2": "1000", "area_max_m2": "1500", "needed_from": "2025-07-01"},
    )
    assert demand.status_code == 201
    proposal = SpaceProposal.objects.get()
    proposals = login(firms.tenant_user).get("/api/space-proposals/").json()["results"]
    assert proposals[0]["reasons"][0]["text"] == "面积 1,200 m² 在需求 1,000–1,500 m² 内"
    assert post(login(cast.enterprise_user_b), f"/api/space-proposals/{proposal.pk}/agree/", {}).status_code == 404
    agreed = post(login(cast.enterprise_user_a), f"/api/space-proposals/{proposal.pk}/agree/", {})
    assert agreed.json()["state"] == "agreed"


@pytest.mark.parametrize("size", [2, 12])
def test_api_lists_keep_a_constant_number_of_queries(firms, cast, size, django_assert_max_num_queries):
    from platforms.space.models import SpaceDemand
    from tests.factories import EnterpriseFactory

    land = listing(firms.owner, area="30000", district=cast.district_a, kind="land")
    for index in range(size):
        firm = EnterpriseFactory(grid=cast.grid_a)
        listing(firm, area=str(1000 + index), district=cast.district_a)
        need = SpaceDemand.objects.create(
            enterprise=firm, kind="land", area_min_m2=900, area_max_m2=2000, needed_from="2025-07-01", industry="food"
        )
        need.preferred_districts.set([cast.district_a])
        SpaceProposal.objects.create(demand=need, listing=land, score=10, expires_on="2025-07-01")
    client = login(cast.officer_a)
    for url in (
        "/api/space-listings/",
        "/api/space-demands/",
        "/api/space-proposals/",
        "/api/leases/",
        "/api/custom-builds/",
    ):
        with django_assert_max_num_queries(8):
            assert client.get(url).status_code == 200, url
