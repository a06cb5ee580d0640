"""Pagination shape, filters and ordering on the API lists."""

import pytest

from enterprises.models import Industry, Ownership, Tier
from tests.api.conftest import ids
from tests.factories import EnterpriseFactory, GridTeamFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/api/enterprises/", "/api/districts/", "/api/grids/", "/api/bureaus/"])
def test_every_list_is_paginated_with_count_next_previous_results(cast, client_for, url):
    body = client_for(cast.manager).get(url).json()

    assert list(body) == ["count", "next", "previous", "results"]
    assert body["count"] == len(body["results"]) == 2
    assert body["next"] is None and body["previous"] is None


def test_pages_link_to_each_other_and_cover_every_row_once(cast, client_for):
    EnterpriseFactory.create_batch(3, grid=cast.grid_a)
    client = client_for(cast.manager)

    first = client.get("/api/enterprises/?page_size=2").json()
    second = client.get(first["next"]).json()
    third = client.get(second["next"]).json()

    assert first["count"] == 5
    assert first["previous"] is None
    assert first["next"] == "http://testserver/api/enterprises/?page=2&page_size=2"
    assert third["next"] is None
    seen = [row["id"] for page in (first, second, third) for row in page["results"]]
    assert len(seen) == len(set(seen)) == 5


def test_an_enterprise_reads_with_its_profile_grid_and_board(cast, client_for):
    enterprise = cast.enterprise_a

    row = client_for(cast.officer_a).get("/api/enterprises/").json()["results"][0]

    assert row == {
        "id": enterprise.pk,
        "name": "甲企业有限公司",
        "uscc": enterprise.uscc,
        "ownership": "private",
        "ownership_display": "民营",
        "tier": "growth",
        "tier_display": "成长型企业",
        "industry": "equipment",
        "industry_display": "装备制造",
        "above_scale": False,
        "grid": cast.grid_a.pk,
        "grid_name": "甲网格",
        "district": cast.district_a.pk,
        "district_name": "甲片区",
        "address": "",
        "legal_representative": "",
        "phone": "",
        "employees": 0,
        "founded_on": None,
        "registered_capital": None,
        "main_products": "",
        "board_url": f"http://testserver/board/{enterprise.board_token}/",
        "created_at": row["created_at"],
        "updated_at": row["updated_at"],
    }


@pytest.fixture
def varied(cast):
    """Enterprises that differ in one attribute each, all in grid A unless said."""
    return {
        "leading": EnterpriseFactory(name="龙头电子有限公司", grid=cast.grid_a, tier=Tier.LEADING),
        "state": EnterpriseFactory(name="国营化工厂", grid=cast.grid_a, ownership=Ownership.STATE),
        "food": EnterpriseFactory(name="乙地食品有限公司", grid=cast.grid_b, industry=Industry.FOOD),
        "above": EnterpriseFactory(name="规上装备有限公司", grid=cast.grid_b, above_scale=True, employees=900),
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("tier=leading", {"leading"}),
        ("ownership=state", {"state"}),
        ("industry=food", {"food"}),
        ("above_scale=true", {"above"}),
        ("q=龙头", {"leading"}),
        ("tier=leading&ownership=state", set()),
    ],
)
def test_enterprise_filters(cast, client_for, varied, query, expected):
    response = client_for(cast.manager).get(f"/api/enterprises/?{query}")

    assert response.status_code == 200
    assert ids(response) == {varied[key].pk for key in expected}


def test_enterprise_filters_by_district_and_grid(cast, client_for, varied):
    client = client_for(cast.manager)

    by_district = ids(client.get(f"/api/enterprises/?district={cast.district_b.pk}"))
    by_grid = ids(client.get(f"/api/enterprises/?grid={cast.grid_a.pk}"))

    assert by_district == {cast.enterprise_b.pk, varied["food"].pk, varied["above"].pk}
    assert by_grid == {cast.enterprise_a.pk, varied["leading"].pk, varied["state"].pk}


def test_filters_never_widen_the_scope(cast, client_for, varied):
    response = client_for(cast.officer_a).get(f"/api/enterprises/?grid={cast.grid_b.pk}")

    assert response.status_code == 200
    assert response.json()["count"] == 0


def test_q_finds_an_enterprise_by_its_uscc_in_lower_case(cast, client_for):
    response = client_for(cast.manager).get(f"/api/enterprises/?q={cast.enterprise_b.uscc.lower()}")

    assert ids(response) == {cast.enterprise_b.pk}


def test_enterprise_ordering(cast, client_for, varied):
    client = client_for(cast.manager)

    by_employees = client.get("/api/enterprises/?ordering=-employees").json()["results"]
    by_name = client.get("/api/enterprises/").json()["results"]

    assert by_employees[0]["id"] == varied["above"].pk
    names = [row["name"] for row in by_name]
    assert names == sorted(names)


def test_grids_filter_by_district_search_and_order(cast, client_for):
    GridTeamFactory(code="GC", name="丙网格", district=cast.district_a)
    client = client_for(cast.manager)

    in_a = client.get(f"/api/grids/?district={cast.district_a.pk}").json()["results"]
    found = client.get("/api/grids/?search=丙").json()["results"]
    by_enterprises = client.get("/api/grids/?ordering=-enterprise_count,code").json()["results"]

    assert [row["code"] for row in in_a] == ["GA", "GC"]
    assert [row["code"] for row in found] == ["GC"]
    assert [row["code"] for row in by_enterprises] == ["GA", "GB", "GC"]


def test_districts_and_bureaus_search(cast, client_for):
    client = client_for(cast.manager)

    assert [row["code"] for row in client.get("/api/districts/?search=乙").json()["results"]] == ["B"]
    assert [row["code"] for row in client.get("/api/bureaus/?search=税务").json()["results"]] == ["tax"]
    assert [row["code"] for row in client.get("/api/bureaus/?ordering=-code").json()["results"]] == ["tax", "finance"]


def test_the_api_root_lists_every_collection(cast, client_for):
    body = client_for(cast.officer_a).get("/api/").json()

    for name in ("districts", "grids", "bureaus", "enterprises"):
        assert body[name] == f"http://testserver/api/{name}/"
