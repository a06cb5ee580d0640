"""API lists keep a constant number of queries as the data grows."""

import pytest

from tests.factories import EnterpriseFactory, GridTeamFactory, UserFactory

pytestmark = pytest.mark.django_db

# Session and user, then the count and the page; an officer's scope adds two
# (grids worked in, grids led). Nothing per row.
ENTERPRISE_LIST_QUERIES = 6
# Session and user, count, page and one prefetch of every team's officers (as the manager).
GRID_LIST_QUERIES = 5


def _enterprises(cast, total: int) -> None:
    EnterpriseFactory.create_batch(total - 2, grid=cast.grid_a)


@pytest.mark.parametrize("total", [10, 200])
@pytest.mark.parametrize("persona", ["manager", "officer_a"])
def test_enterprise_list_queries_do_not_grow_with_rows(cast, client_for, django_assert_max_num_queries, total, persona):
    _enterprises(cast, total)
    client = client_for(getattr(cast, persona))

    with django_assert_max_num_queries(ENTERPRISE_LIST_QUERIES):
        response = client.get("/api/enterprises/?page_size=500")

    assert len(response.json()["results"]) == (total if persona == "manager" else total - 1)


@pytest.mark.parametrize("total", [10, 200])
def test_enterprise_list_queries_do_not_grow_with_filters_and_ordering(
    cast, client_for, django_assert_max_num_queries, total
):
    _enterprises(cast, total)
    client = client_for(cast.manager)

    # The manager's four, plus looking up the grid and the district the filter names.
    with django_assert_max_num_queries(6):
        response = client.get(
            f"/api/enterprises/?page_size=500&grid={cast.grid_a.pk}&district={cast.district_a.pk}"
            "&tier=growth&q=企业&ordering=-employees"
        )

    assert response.json()["count"] == total - 1


@pytest.mark.parametrize("total", [3, 30])
def test_grid_list_queries_do_not_grow_with_rows(cast, client_for, django_assert_max_num_queries, total):
    for _number in range(total - 2):
        grid = GridTeamFactory(district=cast.district_a, leader=UserFactory())
        grid.officers.add(UserFactory(), UserFactory())
        EnterpriseFactory(grid=grid)
    client = client_for(cast.manager)

    with django_assert_max_num_queries(GRID_LIST_QUERIES):
        response = client.get("/api/grids/?page_size=500")

    assert response.json()["count"] == total
    assert all(row["officers"] for row in response.json()["results"])


@pytest.mark.parametrize("total", [3, 30])
def test_district_list_queries_do_not_grow_with_rows(cast, client_for, django_assert_max_num_queries, total):
    for _number in range(total - 2):
        GridTeamFactory(district__leader=UserFactory())
    client = client_for(cast.manager)

    with django_assert_max_num_queries(4):
        response = client.get("/api/districts/?page_size=500")

    assert response.json()["count"] == total
