"""Grid team list and detail: leader, officers with phones, their enterprises; scoped."""

import pytest
from django.urls import reverse

from enterprises.models import Tier
from tests.factories import EnterpriseFactory, GridTeamFactory, UserFactory

LIST_URL = reverse("grids:list")


def detail_url(grid) -> str:
    return reverse("grids:detail", args=[grid.pk])


def test_manager_lists_every_grid_team_by_district(cast, client_for):
    response = client_for(cast.manager).get(LIST_URL)

    assert response.status_code == 200
    assert [grid.code for grid in response.context["grid_teams"]] == ["GA", "GB"]
    body = response.content.decode()
    assert "甲片区" in body and "乙片区" in body
    assert "共 2 个网格工作组" in body


@pytest.mark.parametrize("persona", ["leader_a", "officer_a"])
def test_leader_and_officer_list_only_their_grids(cast, client_for, persona):
    response = client_for(getattr(cast, persona)).get(LIST_URL)

    assert [grid.code for grid in response.context["grid_teams"]] == ["GA"]
    assert "乙网格" not in response.content.decode()


@pytest.mark.parametrize("persona", ["bureau_user_x", "enterprise_user_a"])
def test_bureau_and_enterprise_users_get_404_on_grid_pages(cast, client_for, persona):
    client = client_for(getattr(cast, persona))

    assert client.get(LIST_URL).status_code == 404
    assert client.get(detail_url(cast.grid_a)).status_code == 404


@pytest.mark.parametrize("persona", ["leader_a", "officer_a"])
def test_another_scopes_grid_answers_404(cast, client_for, persona):
    response = client_for(getattr(cast, persona)).get(detail_url(cast.grid_b))

    assert response.status_code == 404
    assert "乙网格" not in response.content.decode()


def test_grid_detail_shows_leader_officers_with_phones_and_enterprises_with_tier(cast, client_for):
    second = UserFactory(username="officer-a2", name="艾网格", phone="13700000002")
    cast.grid_a.officers.add(second)
    EnterpriseFactory(name="龙头机械有限公司", grid=cast.grid_a, tier=Tier.LEADING)

    response = client_for(cast.leader_a).get(detail_url(cast.grid_a))

    assert response.status_code == 200
    assert response.context["officers"] == [second]  # the leader is shown once, above
    assert [e.name for e in response.context["enterprises"]] == ["甲企业有限公司", "龙头机械有限公司"]
    body = response.content.decode()
    assert "网格负责人" in body and "张网格" in body and f'href="tel:{cast.officer_a.phone}"' in body
    assert "艾网格" in body and 'href="tel:13700000002"' in body
    assert "龙头企业" in body and "成长型企业" in body
    assert reverse("enterprises:detail", args=[cast.enterprise_a.pk]) in body
    assert "乙企业有限公司" not in body


def test_district_leader_opens_every_grid_of_the_district(cast, client_for):
    another = GridTeamFactory(code="GA2", name="甲二网格", district=cast.district_a)

    client = client_for(cast.leader_a)

    assert client.get(detail_url(another)).status_code == 200
    assert [grid.code for grid in client.get(LIST_URL).context["grid_teams"]] == ["GA", "GA2"]


@pytest.mark.parametrize("count", [3, 30])
def test_grid_list_queries_do_not_grow(cast, client_for, django_assert_max_num_queries, count):
    # Codes alternate between the districts, as at province scale: the page still
    # groups each district's teams once and reads no leader per group.
    for number in range(count):
        district = cast.district_a if number % 2 else cast.district_b
        grid = GridTeamFactory(code=f"X{number:02d}", district=district, leader=UserFactory())
        grid.officers.add(UserFactory(), UserFactory())
        EnterpriseFactory.create_batch(2, grid=grid)
    client = client_for(cast.manager)

    with django_assert_max_num_queries(10):
        response = client.get(LIST_URL)

    assert len(response.context["grid_teams"]) == count + 2
    assert response.context["grid_teams"][0].enterprise_count == 1


@pytest.mark.parametrize("count", [3, 60])
def test_grid_detail_queries_do_not_grow(cast, client_for, django_assert_max_num_queries, count):
    EnterpriseFactory.create_batch(count, grid=cast.grid_a)
    for _ in range(count // 3):
        cast.grid_a.officers.add(UserFactory())
    client = client_for(cast.officer_a)

    with django_assert_max_num_queries(11):
        response = client.get(detail_url(cast.grid_a))

    assert len(response.context["enterprises"]) == count + 1
