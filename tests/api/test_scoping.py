"""Every API list holds exactly the caller's scope; another scope's detail answers 404."""

import pytest

from tests.api.conftest import ids

pytestmark = pytest.mark.django_db

# Which of the cast's objects (by letter) each persona may see.
ENTERPRISES = {
    "manager": "ab",
    "admin": "ab",
    "leader_a": "a",
    "leader_b": "b",
    "officer_a": "a",
    "officer_b": "b",
    "bureau_user_x": "a",
    "bureau_user_y": "b",
    "enterprise_user_a": "a",
    "enterprise_user_b": "b",
}
ORGANISATION = {  # districts and grid teams
    "manager": "ab",
    "admin": "ab",
    "leader_a": "a",
    "leader_b": "b",
    "officer_a": "a",
    "officer_b": "b",
    "bureau_user_x": "",
    "bureau_user_y": "",
    "enterprise_user_a": "",
    "enterprise_user_b": "",
}
PERSONAS = sorted(ENTERPRISES)


def _objects(cast, kind: str, letters: str) -> set[int]:
    return {getattr(cast, f"{kind}_{letter}").pk for letter in letters}


@pytest.mark.parametrize("persona", PERSONAS)
def test_enterprise_list_holds_only_the_personas_scope(cast_with_issues, client_for, persona):
    cast = cast_with_issues

    response = client_for(getattr(cast, persona)).get("/api/enterprises/")

    assert response.status_code == 200
    assert ids(response) == _objects(cast, "enterprise", ENTERPRISES[persona])
    # Bureau X holds two issues of enterprise A: still one row, and the count agrees.
    assert response.json()["count"] == len(ENTERPRISES[persona])


@pytest.mark.parametrize("persona", PERSONAS)
def test_enterprise_detail_outside_the_scope_answers_404(cast_with_issues, client_for, persona):
    cast = cast_with_issues
    client = client_for(getattr(cast, persona))

    for letter in "ab":
        enterprise = getattr(cast, f"enterprise_{letter}")
        response = client.get(f"/api/enterprises/{enterprise.pk}/")
        if letter in ENTERPRISES[persona]:
            assert response.status_code == 200
            assert response.json()["uscc"] == enterprise.uscc
        else:
            assert response.status_code == 404
            assert enterprise.name not in response.content.decode()


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("endpoint", "kind"), [("districts", "district"), ("grids", "grid")])
def test_organisation_lists_hold_only_the_personas_scope(cast, client_for, persona, endpoint, kind):
    response = client_for(getattr(cast, persona)).get(f"/api/{endpoint}/")

    assert response.status_code == 200
    assert ids(response) == _objects(cast, kind, ORGANISATION[persona])


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("endpoint", "kind"), [("districts", "district"), ("grids", "grid")])
def test_organisation_detail_outside_the_scope_answers_404(cast, client_for, persona, endpoint, kind):
    client = client_for(getattr(cast, persona))

    for letter in "ab":
        response = client.get(f"/api/{endpoint}/{getattr(cast, f'{kind}_{letter}').pk}/")
        assert response.status_code == (200 if letter in ORGANISATION[persona] else 404)


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_signed_in_persona_reads_the_bureau_directory(cast, client_for, persona):
    client = client_for(getattr(cast, persona))

    response = client.get("/api/bureaus/")

    assert ids(response) == {cast.bureau_x.pk, cast.bureau_y.pk}
    assert client.get(f"/api/bureaus/{cast.bureau_y.pk}/").json()["code"] == "tax"


def test_a_grid_lists_its_people_and_counts_its_enterprises(cast, client_for):
    response = client_for(cast.leader_a).get(f"/api/grids/{cast.grid_a.pk}/")

    assert response.json() == {
        "id": cast.grid_a.pk,
        "code": "GA",
        "name": "甲网格",
        "district": cast.district_a.pk,
        "district_name": "甲片区",
        "leader": {"id": cast.officer_a.pk, "name": "张网格", "title": "", "phone": cast.officer_a.phone},
        "officers": [{"id": cast.officer_a.pk, "name": "张网格", "title": "", "phone": cast.officer_a.phone}],
        "enterprise_count": 1,
    }


ENDPOINTS = ["/api/enterprises/", "/api/districts/", "/api/grids/", "/api/bureaus/"]


@pytest.mark.parametrize("url", ENDPOINTS)
def test_anonymous_callers_are_refused_on_every_list_and_detail(cast, client, url):
    assert client.get(url).status_code == 403
    assert client.get(f"{url}1/").status_code == 403


def test_an_inactive_users_session_no_longer_reads(cast, client_for):
    client = client_for(cast.manager)
    cast.manager.is_active = False
    cast.manager.save()

    assert client.get("/api/enterprises/").status_code == 403
