"""Dashboard drill-down: zone → district → grid team → one officer's visits and issues; the
comparison and ranking rows are links; outsiders get 404 and a bad month 400."""

import pytest
from django.urls import reverse

from common.periods import Month
from fieldwork.services import RaisedProblem, visit_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def visited(cast):
    visit_a = visit_create(
        officer=cast.officer_a,
        enterprise=cast.enterprise_a,
        findings="订单饱满。",
        problems=[RaisedProblem(title="用电增容", description="需增容。")],
    )
    visit_b = visit_create(officer=cast.officer_b, enterprise=cast.enterprise_b, findings="乙企业正常。")
    return visit_a, visit_b


def month() -> str:
    return str(Month.current())


def test_the_zone_dashboard_links_each_district_grid_and_officer(cast, client_for, visited):
    body = client_for(cast.manager).get(reverse("analytics:zone_dashboard")).content.decode()

    for name, args in (
        ("analytics:district_detail", [cast.district_a.pk]),
        ("analytics:grid_detail", [cast.grid_a.pk]),
        ("analytics:grid_detail", [cast.grid_b.pk]),
        ("analytics:officer_detail", [cast.officer_a.pk]),
    ):
        assert f'href="{reverse(name, args=args)}?month={month()}"' in body


def test_the_district_dashboard_links_its_grids(cast, client_for, visited):
    body = client_for(cast.leader_a).get(reverse("analytics:district_dashboard")).content.decode()

    assert f'href="{reverse("analytics:grid_detail", args=[cast.grid_a.pk])}?month={month()}"' in body
    assert reverse("analytics:grid_detail", args=[cast.grid_b.pk]) not in body


def test_the_grid_page_shows_its_figures_and_links_its_officers(cast, client_for, visited):
    response = client_for(cast.leader_a).get(reverse("analytics:grid_detail", args=[cast.grid_a.pk]))

    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="grid-figures"' in body and cast.grid_a.name in body
    assert f'href="{reverse("analytics:officer_detail", args=[cast.officer_a.pk])}?month={month()}"' in body
    assert reverse("analytics:officer_detail", args=[cast.officer_b.pk]) not in body
    assert f'href="{reverse("analytics:district_detail", args=[cast.district_a.pk])}?month={month()}"' in body


def test_the_officer_page_lists_the_months_visits_and_issues(cast, client_for, visited):
    visit_a, _visit_b = visited

    body = client_for(cast.manager).get(reverse("analytics:officer_detail", args=[cast.officer_a.pk])).content.decode()

    assert body.count('class="officer-visit"') == 1 and visit_a.get_absolute_url() in body
    assert body.count('class="officer-issue"') == 1 and "用电增容" in body
    assert "乙企业正常" not in body


@pytest.mark.parametrize(
    ("persona", "url_name", "target"),
    [
        ("leader_a", "analytics:grid_detail", "grid_b"),
        ("leader_a", "analytics:officer_detail", "officer_b"),
        ("officer_a", "analytics:grid_detail", "grid_a"),
        ("officer_a", "analytics:officer_detail", "officer_a"),
        ("enterprise_user_a", "analytics:grid_detail", "grid_a"),
        ("bureau_user_x", "analytics:officer_detail", "officer_a"),
    ],
)
def test_outsiders_get_404(cast, client_for, visited, persona, url_name, target):
    response = client_for(getattr(cast, persona)).get(reverse(url_name, args=[getattr(cast, target).pk]))

    assert response.status_code == 404


def test_a_user_who_is_no_officer_is_not_found(cast, client_for):
    assert (
        client_for(cast.manager).get(reverse("analytics:officer_detail", args=[cast.bureau_user_x.pk])).status_code
        == 404
    )


@pytest.mark.parametrize("url_name", ["analytics:grid_detail", "analytics:officer_detail"])
def test_a_bad_month_is_400_naming_it(cast, client_for, url_name):
    target = cast.grid_a if url_name == "analytics:grid_detail" else cast.officer_a

    response = client_for(cast.manager).get(reverse(url_name, args=[target.pk]), {"month": "2026-13"})

    assert response.status_code == 400
    assert "data-bad-month" in response.content.decode()
