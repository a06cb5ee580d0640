"""``/api/incidents/`` and ``/api/incidents/{id}/enterprises/``: scoped, strict, documented."""

import pytest

from emergency.models import AckMethod, AffectedEnterprise, Incident, ResponseEntry
from emergency.services import incident_close
from tests.conftest import login
from tests.emergency.helpers import snapshot

pytestmark = pytest.mark.django_db


def rows_url(incident, row=None, action=""):
    base = f"/api/incidents/{incident.pk}/enterprises/"
    if row is not None:
        base += f"{row.pk}/"
    return base + (f"{action}/" if action else "")


def test_the_manager_declares_through_the_api(cast):
    response = login(cast.manager).post(
        "/api/incidents/",
        {"kind": "flood", "title": "洪峰", "district": cast.district_a.pk, "grids": [cast.grid_a.pk]},
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["totals"] == {
        "affected": 1,
        "acknowledged": 0,
        "acknowledged_on_behalf": 0,
        "unreached": 1,
        "evacuated": 0,
        "on_site": 0,
        "restored": 0,
    }
    assert body["grids"] == [cast.grid_a.pk] and body["state"] == "open"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"kind": "flood", "title": "x", "enterprises": [999999]}, "enterprises"),
        ({"kind": "flood", "title": "x", "grids": [999999]}, "grids"),
        ({"kind": "flood", "title": "x", "district": 999999, "whole_district": True}, "district"),
        ({"kind": "tsunami", "title": "x", "enterprises": [1]}, "kind"),
        ({"kind": "flood", "title": "x", "enterprises": [1], "colour": "red"}, "colour"),
        ({"kind": "flood", "title": "长" * 101, "enterprises": [1]}, "title"),
        ({"kind": "flood", "title": "x", "district": 1, "whole_district": True, "state": "closed"}, "state"),
    ],
)
def test_bad_declarations_answer_400_naming_the_field(cast, payload, field):
    response = login(cast.manager).post("/api/incidents/", payload, content_type="application/json")
    assert response.status_code == 400 and field in response.json()
    assert Incident.objects.count() == 0


def test_a_leader_declaring_for_another_district_gets_403(cast):
    response = login(cast.leader_a).post(
        "/api/incidents/",
        {"kind": "flood", "title": "x", "district": cast.district_b.pk, "whole_district": True},
        content_type="application/json",
    )
    assert response.status_code == 403 and Incident.objects.count() == 0
    response = login(cast.officer_a).post(
        "/api/incidents/",
        {"kind": "flood", "title": "x", "enterprises": [cast.enterprise_a.pk]},
        content_type="application/json",
    )
    assert response.status_code == 403


def test_a_leader_cannot_name_an_enterprise_outside_his_scope(cast):
    response = login(cast.leader_a).post(
        "/api/incidents/",
        {"kind": "flood", "title": "x", "district": cast.district_a.pk, "enterprises": [cast.enterprise_b.pk]},
        content_type="application/json",
    )
    assert response.status_code == 400 and "enterprises" in response.json()
    assert (Incident.objects.count(), AffectedEnterprise.objects.count()) == (0, 0)


def test_scoping_of_the_incident_list(flood):
    cast = flood.cast
    seen = {
        role: [row["id"] for row in login(getattr(cast, role)).get("/api/incidents/").json()["results"]]
        for role in (
            "manager",
            "leader_a",
            "officer_a",
            "enterprise_user_a",
            "leader_b",
            "officer_b",
            "bureau_user_x",
            "enterprise_user_b",
        )
    }
    mine = [flood.incident.pk]
    assert seen == {
        "manager": mine,
        "leader_a": mine,
        "officer_a": mine,
        "enterprise_user_a": mine,
        "leader_b": [],
        "officer_b": [],
        "bureau_user_x": [],
        "enterprise_user_b": [],
    }
    for role in ("leader_b", "officer_b", "enterprise_user_b"):
        assert login(getattr(cast, role)).get(f"/api/incidents/{flood.incident.pk}/").status_code == 404
        assert login(getattr(cast, role)).get(rows_url(flood.incident)).status_code == 404
    # The enterprise user sees its own row only, and no board totals.
    client = login(cast.enterprise_user_a)
    assert client.get(f"/api/incidents/{flood.incident.pk}/").json()["totals"] is None
    assert [row["id"] for row in client.get(rows_url(flood.incident)).json()["results"]] == [flood.row_a.pk]
    assert client.get(rows_url(flood.incident, flood.row_river)).status_code == 404


def test_acknowledge_through_the_api_self_or_on_behalf(flood):
    cast = flood.cast
    response = login(cast.enterprise_user_a).post(
        rows_url(flood.incident, flood.row_a, "acknowledge"), {}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["ack_method"] == AckMethod.SELF
    # Another enterprise's user: 404, nothing changed.
    before = snapshot(flood.incident)
    assert (
        login(cast.enterprise_user_a).post(rows_url(flood.incident, flood.row_river, "acknowledge")).status_code == 404
    )
    assert snapshot(flood.incident) == before
    response = login(cast.officer_a).post(
        rows_url(flood.incident, flood.row_river, "acknowledge"),
        {"note": "电话已通知"},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert (response.json()["ack_method"], response.json()["acknowledged_by_name"]) == (AckMethod.ON_BEHALF, "张网格")


def test_response_entries_append_and_the_latest_counts(flood):
    client = login(flood.cast.officer_a)
    url = rows_url(flood.incident, flood.row_river, "entries")
    assert client.post(url, {"evacuated": 40, "on_site": 3}, content_type="application/json").status_code == 201
    response = client.post(
        url,
        {"evacuated": 43, "on_site": 0, "recovery_steps": ["drainage", "disinfection"]},
        content_type="application/json",
    )
    assert response.status_code == 201 and response.json()["recovery_steps"] == ["drainage", "disinfection"]
    row = client.get(rows_url(flood.incident, flood.row_river)).json()
    assert row["latest"]["evacuated"] == 43 and row["latest"]["recovery_steps"] == ["drainage", "disinfection"]
    assert client.get(f"/api/incidents/{flood.incident.pk}/").json()["totals"]["evacuated"] == 43
    assert [entry["evacuated"] for entry in client.get(url).json()["results"]] == [43, 40]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"evacuated": -1}, "evacuated"),
        ({"on_site": -5}, "on_site"),
        ({"restored_on": "2020-01-01"}, "restored_on"),
        ({"recovery_steps": ["sandbags"]}, "recovery_steps"),
        ({"needs": "长" * 501}, "needs"),
        ({"evacuated": 1, "enterprise": 5}, "enterprise"),
    ],
)
def test_bad_entries_answer_400_naming_the_field_and_save_nothing(flood, payload, field):
    response = login(flood.cast.officer_a).post(
        rows_url(flood.incident, flood.row_a, "entries"), payload, content_type="application/json"
    )
    assert response.status_code == 400 and field in response.json(), response.json()
    assert ResponseEntry.objects.count() == 0


def test_closing_through_the_api_and_then_every_write_is_409(flood):
    cast = flood.cast
    assert login(cast.officer_a).post(f"/api/incidents/{flood.incident.pk}/close/").status_code == 403
    response = login(cast.manager).post(
        f"/api/incidents/{flood.incident.pk}/close/", {"note": "退水"}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["state"] == "closed"
    before = snapshot(flood.incident)
    officer = login(cast.officer_a)
    assert (
        officer.post(
            rows_url(flood.incident, flood.row_a, "entries"), {"evacuated": 1}, content_type="application/json"
        ).status_code
        == 409
    )
    assert officer.post(rows_url(flood.incident, flood.row_a, "acknowledge")).status_code == 409
    assert login(cast.manager).post(f"/api/incidents/{flood.incident.pk}/close/").status_code == 409
    assert snapshot(flood.incident) == before


def test_a_stale_version_on_close_is_409(flood):
    response = login(flood.cast.manager).post(
        f"/api/incidents/{flood.incident.pk}/close/",
        {"version": flood.incident.version + 3},
        content_type="application/json",
    )
    assert response.status_code == 409
    assert AffectedEnterprise.objects.filter(incident=flood.incident).count() == 2
    incident_close(incident=flood.incident, actor=flood.cast.manager)


def test_our_endpoints_generate_with_no_warning():
    from django.urls import include, path
    from drf_spectacular.drainage import GENERATOR_STATS
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.validation import validate_schema

    GENERATOR_STATS.reset()
    schema = SchemaGenerator(patterns=[path("api/", include("emergency.apis"))]).get_schema(request=None, public=True)
    assert not GENERATOR_STATS
    validate_schema(schema)
    assert {
        "/api/incidents/",
        "/api/incidents/{id}/close/",
        "/api/incidents/{incident_pk}/enterprises/",
        "/api/incidents/{incident_pk}/enterprises/{id}/acknowledge/",
        "/api/incidents/{incident_pk}/enterprises/{id}/entries/",
    } <= set(schema["paths"])
