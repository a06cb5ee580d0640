"""The procurement API: scoped, strict input (400 naming the field, nothing saved), actions by the shared table."""

import datetime
from decimal import Decimal

import pytest

from enterprises.models import Industry
from platforms.procurement import services
from platforms.procurement.models import PurchaseProposal
from tests.conftest import login
from tests.procurement.helpers import snapshot

NEED = {"item": "制动器", "category": "automotive", "quantity": "500", "unit": "套", "needed_by": "2025-09-30"}


def test_an_enterprise_user_posts_for_itself_and_sees_the_ranked_proposals(cast, chain):
    client = login(cast.enterprise_user_a)

    response = client.post("/api/purchase-needs/", NEED, content_type="application/json")

    assert response.status_code == 201
    body = response.json()
    assert (body["buyer"], body["item"], body["quantity"]) == (cast.enterprise_a.pk, "制动器", "500.00")
    proposals = client.get(f"/api/purchase-proposals/?need={body['id']}&ordering=-score").json()["results"]
    assert [(p["supplier"], p["score"], p["reason_summary"]) for p in proposals] == [
        (chain.brakes.pk, 80, "同属汽车及零部件 · 产品“制动器总成”对应“制动器”"),
        (chain.knuckles.pk, 60, "同属汽车及零部件 · 帮扶困难企业 · 同一片区"),
        (chain.discs.pk, 40, "产品“制动盘”对应“制动器” · 帮扶困难企业 · 同一片区"),
    ]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"quantity": "0"}, "quantity"),
        ({"quantity": "-5"}, "quantity"),
        ({"needed_by": "2025-06-15"}, "needed_by"),
        ({"buyer": 999999}, "buyer"),
        ({"colour": "red"}, "colour"),
        ({"item": "件" * 101}, "item"),
    ],
)
def test_bad_need_input_is_a_400_naming_the_field_and_nothing_is_saved(cast, chain, change, field):
    before = snapshot()
    response = login(cast.officer_a).post(
        "/api/purchase-needs/", {"buyer": cast.enterprise_a.pk, **NEED, **change}, content_type="application/json"
    )
    assert response.status_code == 400
    assert field in response.json()
    assert snapshot() == before


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"amount": "-1"}, "amount"),
        ({"amount": "0"}, "amount"),
        ({"seller": 999999}, "seller"),
        ({"deal_on": "2025-06-17"}, "deal_on"),
        ({"id": 5}, "id"),
    ],
)
def test_bad_deal_input_is_a_400_naming_the_field_and_nothing_is_saved(cast, chain, change, field):
    body = {"buyer": cast.enterprise_a.pk, "seller": chain.knuckles.pk, "amount": "20", "deal_on": "2025-06-01"}
    before = snapshot()
    response = login(cast.officer_a).post("/api/deals/", {**body, **change}, content_type="application/json")
    assert response.status_code == 400
    assert field in response.json()
    assert snapshot() == before


def _need(cast):
    return services.purchase_need_post(
        actor=cast.enterprise_user_a,
        buyer=cast.enterprise_a,
        item="制动器",
        category=Industry.AUTOMOTIVE,
        quantity=Decimal("10"),
        unit="套",
        needed_by=datetime.date(2025, 9, 30),
    )


def test_patch_is_for_the_buyer_only_and_others_get_404(cast, chain):
    need = _need(cast)
    before = snapshot()
    for outsider in (cast.enterprise_user_b, cast.officer_b, cast.bureau_user_x):
        response = login(outsider).patch(
            f"/api/purchase-needs/{need.pk}/", {"unit": "件"}, content_type="application/json"
        )
        assert response.status_code == 404
    assert snapshot() == before
    response = login(cast.enterprise_user_a).patch(
        f"/api/purchase-needs/{need.pk}/", {"unit": "件", "expected_version": 0}, content_type="application/json"
    )
    assert (response.status_code, response.json()["unit"], response.json()["version"]) == (200, "件", 1)


def test_proposal_actions_and_their_refusals(cast, chain):
    proposal = _need(cast).proposals.get(supplier=chain.knuckles)
    client = login(cast.officer_a)
    url = f"/api/purchase-proposals/{proposal.pk}"

    assert client.post(f"{url}/contact/", {}, content_type="application/json").json()["state"] == "contacted"
    before = snapshot()
    refused = client.post(f"{url}/contact/", {}, content_type="application/json")
    assert (refused.status_code, list(refused.json())) == (400, ["state"])
    no_reason = client.post(f"{url}/decline/", {"reason": ""}, content_type="application/json")
    assert (no_reason.status_code, list(no_reason.json())) == (400, ["reason"])
    outsider = login(cast.officer_b).post(f"{url}/agree/", {}, content_type="application/json")
    assert outsider.status_code == 404
    assert snapshot() == before

    agreed = client.post(f"{url}/agree/", {"expected_version": 1}, content_type="application/json")
    assert (agreed.status_code, agreed.json()["state"]) == (200, "agreed")


def test_lists_are_scoped(cast, chain):
    need = _need(cast)
    assert login(cast.enterprise_user_b).get("/api/purchase-needs/").json()["count"] == 0
    assert login(cast.bureau_user_x).get("/api/purchase-proposals/").json()["count"] == 0
    assert login(cast.officer_b).get(f"/api/purchase-needs/{need.pk}/").status_code == 200  # brakes are in grid B
    assert login(cast.officer_b).get("/api/purchase-proposals/").json()["count"] == 1
    assert login(cast.leader_a).get("/api/purchase-proposals/").json()["count"] == PurchaseProposal.objects.count()


def test_a_retooling_case_through_the_api(cast, chain):
    body = {
        "enterprise": chain.knuckles.pk,
        "leader": chain.leader.pk,
        "from_products": "农用车桥",
        "to_products": "乘用车转向节",
        "started_on": "2025-03-01",
    }
    response = login(cast.officer_a).post("/api/retooling-cases/", body, content_type="application/json")
    assert (response.status_code, response.json()["state"]) == (201, "negotiating")
    case_id = response.json()["id"]
    moved = login(cast.officer_a).post(
        f"/api/retooling-cases/{case_id}/advance/", {"state": "trial"}, content_type="application/json"
    )
    assert moved.json()["state_display"] == "试产送样"
    wrong = login(cast.officer_a).post(
        "/api/retooling-cases/", {**body, "enterprise": chain.brakes.pk}, content_type="application/json"
    )
    assert (wrong.status_code, list(wrong.json())) == (400, ["enterprise"])


@pytest.mark.parametrize(
    "url",
    [
        "/api/purchase-needs/?ordering=password",
        "/api/purchase-proposals/?ordering=buyer",
        "/api/deals/?ordering=nonsense",
        "/api/retooling-cases/?ordering=-secret",
        "/api/recommendations/?ordering=product",
    ],
)
def test_an_ordering_not_offered_answers_400_naming_it(cast, url):
    # As on every other list: DRF's own filter dropped it silently and sorted another way.
    response = login(cast.manager).get(url)

    assert response.status_code == 400
    assert list(response.json()) == ["ordering"]
