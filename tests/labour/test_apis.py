"""``/api/labour-postings/``, ``/api/labour-proposals/``, ``/api/transfers/``: scope, strict input, rules."""

import json

import pytest

from platforms.labour.models import LabourPosting, LabourProposal, Transfer
from tests.conftest import login
from tests.labour.conftest import labour_snapshot, posting


def post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


GOOD = {"kind": "surplus", "skills": ["welder"], "count": 20, "starts_on": "2025-06-20", "ends_on": "2025-09-30"}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"count": 0}, "count"),
        ({"count": -3}, "count"),
        ({"ends_on": "2025-06-01"}, "ends_on"),
        ({"enterprise": 999999}, "enterprise"),
        ({"skills": ["juggler"]}, "skills"),
        ({"skills_note": "长" * 201}, "skills_note"),
        ({"colour": "red"}, "colour"),
        ({"state": "closed"}, "state"),
    ],
)
def test_bad_input_is_a_400_naming_the_field_and_nothing_is_saved(firms, cast, change, field):
    before = labour_snapshot()
    response = post(login(cast.enterprise_user_a), "/api/labour-postings/", {**GOOD, **change})
    assert response.status_code == 400
    assert field in response.json()
    assert labour_snapshot() == before


def test_an_enterprise_posts_for_itself_only_and_sees_its_proposals(firms, cast):
    vacancy = posting(firms.growing, "demand", skills=["welder"], count=15)
    client = login(cast.enterprise_user_a)

    other_firm = post(client, "/api/labour-postings/", {**GOOD, "enterprise": cast.enterprise_b.pk})
    assert other_firm.status_code == 400 and list(other_firm.json()) == ["enterprise"]

    created = post(client, "/api/labour-postings/", GOOD)
    assert created.status_code == 201
    body = created.json()
    assert (body["enterprise"], body["count"], body["remaining"]) == (cast.enterprise_a.pk, 20, 20)
    proposals = client.get("/api/labour-proposals/").json()["results"]
    assert [(p["demand"]["id"], p["score"]) for p in proposals] == [(vacancy.pk, 100)]
    assert [r["text"] for r in proposals[0]["reasons"]][:2] == ["工种相符：焊工", "可供 20 人 ≥ 需 15 人"]


def test_outsiders_get_404_and_an_enterprise_cannot_patch_anothers_posting(firms, cast):
    theirs = posting(cast.enterprise_b, "demand", skills=["welder"], count=5)
    before = labour_snapshot()
    client = login(cast.enterprise_user_a)
    assert client.get(f"/api/labour-postings/{theirs.pk}/").status_code == 404
    patched = client.patch(
        f"/api/labour-postings/{theirs.pk}/", json.dumps({"count": 9}), content_type="application/json"
    )
    assert patched.status_code == 404
    assert login(cast.officer_a).get(f"/api/labour-postings/{theirs.pk}/").status_code == 404
    assert login(cast.bureau_user_x).get("/api/labour-postings/").json()["count"] == 0
    assert labour_snapshot() == before
    assert login(cast.officer_b).get(f"/api/labour-postings/{theirs.pk}/").status_code == 200


def test_proposal_actions_and_a_transfer_over_the_need_is_refused(firms, cast):
    surplus = posting(firms.struggling, "surplus", skills=["welder"], count=20)
    demand = posting(firms.growing, "demand", skills=["welder"], count=15)
    from platforms.labour.services import labour_propose

    proposal = labour_propose(surplus=surplus, demand=demand)
    client = login(firms.growing_user)
    assert post(client, f"/api/labour-proposals/{proposal.pk}/decline/", {}).status_code == 400
    assert post(client, f"/api/labour-proposals/{proposal.pk}/contact/", {}).json()["state"] == "contacted"
    assert post(client, f"/api/labour-proposals/{proposal.pk}/agree/", {}).json()["state"] == "agreed"
    assert post(client, f"/api/labour-proposals/{proposal.pk}/agree/", {}).status_code == 400
    assert post(login(cast.enterprise_user_b), f"/api/labour-proposals/{proposal.pk}/agree/", {}).status_code == 404

    transfer = {
        "from_enterprise": firms.struggling.pk,
        "to_enterprise": firms.growing.pk,
        "proposal": proposal.pk,
        "count": 16,
        "starts_on": "2025-06-20",
        "ends_on": "2025-08-31",
        "workers_consent": True,
        "contract_unchanged": True,
        "no_fee": True,
    }
    officer = login(cast.officer_a)
    over = post(officer, "/api/transfers/", transfer)
    assert over.status_code == 400 and list(over.json()) == ["count"]
    unticked = post(officer, "/api/transfers/", {**transfer, "count": 15, "no_fee": False})
    assert unticked.status_code == 400 and list(unticked.json()) == ["no_fee"]
    assert post(client, "/api/transfers/", {**transfer, "count": 15}).status_code == 403
    assert Transfer.objects.count() == 0
    done = post(officer, "/api/transfers/", {**transfer, "count": 15})
    assert done.status_code == 201 and done.json()["count"] == 15
    assert client.get("/api/transfers/").json()["count"] == 1
    assert login(cast.enterprise_user_b).get("/api/transfers/").json()["count"] == 0


@pytest.mark.parametrize("size", [2, 15])
def test_api_lists_keep_a_constant_number_of_queries(firms, cast, size, django_assert_max_num_queries):
    surplus = posting(cast.enterprise_a, "surplus", skills=["welder"], count=500, days=300)
    from platforms.labour.services import labour_propose
    from tests.factories import EnterpriseFactory

    for index in range(size):
        demand = posting(EnterpriseFactory(grid=cast.grid_a), "demand", skills=["welder"], count=3 + index)
        labour_propose(surplus=surplus, demand=demand)
    client = login(cast.officer_a)
    for url in ("/api/labour-postings/", "/api/labour-proposals/", "/api/transfers/"):
        with django_assert_max_num_queries(8):
            assert client.get(url).status_code == 200
    assert LabourPosting.objects.count() == size + 1
    assert LabourProposal.objects.count() == size
