"""``/api/funding-applications/``: scoped, strict input, one action per transition."""

from decimal import Decimal

import pytest

from policies.funding.models import FundingApplication
from tests.conftest import login
from tests.funding.conftest import approved, snapshot, submitted, under_review

pytestmark = pytest.mark.django_db

URL = "/api/funding-applications/"


@pytest.mark.parametrize(
    ("persona", "visible"),
    [
        ("manager", True),
        ("leader_a", True),
        ("officer_a", True),
        ("bureau_user_x", True),
        ("enterprise_user_a", True),
        ("leader_b", False),
        ("officer_b", False),
        ("bureau_user_y", False),
        ("enterprise_user_b", False),
    ],
)
def test_list_and_detail_are_scoped(funding, persona, visible):
    application = submitted(funding)
    client = login(getattr(funding, persona))
    ids = [row["id"] for row in client.get(URL).json()["results"]]
    assert ids == ([application.pk] if visible else [])
    assert client.get(f"{URL}{application.pk}/").status_code == (200 if visible else 404)


def test_an_enterprise_creates_and_submits(funding):
    client = login(funding.enterprise_user_a)
    response = client.post(
        URL,
        {"clause": funding.shared.pk, "amount_requested": "20.5", "reviewing_bureau": funding.bureau_x.pk},
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["enterprise"], body["state"], body["amount_requested"]) == (funding.enterprise_a.pk, "draft", "20.50")
    response = client.post(f"{URL}{body['id']}/submit/", {"version": body["version"]}, content_type="application/json")
    assert response.json()["state"] == "submitted"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"amount_requested": "-1"}, "amount_requested"),
        ({"amount_requested": "0"}, "amount_requested"),
        ({"colour": "red"}, "colour"),
        ({"state": "approved"}, "state"),
        ({"purpose": "长" * 2001}, "purpose"),
        ({"enterprise": 999999}, "enterprise"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(funding, payload, field):
    body = {
        "clause": funding.shared.pk,
        "amount_requested": "20",
        "reviewing_bureau": funding.bureau_x.pk,
        "enterprise": funding.enterprise_a.pk,
        **payload,
    }
    response = login(funding.officer_a).post(URL, body, content_type="application/json")
    assert response.status_code == 400
    assert field in response.json()
    assert FundingApplication.objects.count() == 0


def test_an_officer_cannot_file_for_another_grid(funding):
    body = {
        "clause": funding.shared.pk,
        "amount_requested": "20",
        "reviewing_bureau": funding.bureau_x.pk,
        "enterprise": funding.enterprise_b.pk,
    }
    response = login(funding.officer_a).post(URL, body, content_type="application/json")
    assert response.status_code == 400
    assert FundingApplication.objects.count() == 0


def test_the_bureau_reviews_approves_and_pays(funding):
    application = submitted(funding)
    client = login(funding.bureau_user_x)
    assert (
        client.post(f"{URL}{application.pk}/review/", {}, content_type="application/json").json()["state"]
        == "under_review"
    )
    body = client.post(f"{URL}{application.pk}/approve/", {"amount": "50"}, content_type="application/json").json()
    assert [(g["level"], g["granted_amount"]) for g in body["grants"]] == [("district", "30.00"), ("zone", "20.00")]
    body = client.post(
        f"{URL}{application.pk}/disburse/", {"level": "district", "amount": "30"}, content_type="application/json"
    ).json()
    assert body["disbursed_total"] == "30.00"
    events = client.get(f"{URL}{application.pk}/events/").json()["results"]
    assert [event["action"] for event in events] == ["create", "submit", "review", "approve", "disburse"]


def test_a_wrong_state_is_a_409_and_changes_nothing(funding):
    application = submitted(funding)
    before = snapshot(application)
    response = login(funding.bureau_user_x).post(
        f"{URL}{application.pk}/approve/", {"amount": "5"}, content_type="application/json"
    )
    assert response.status_code == 409
    assert "当前状态" in response.json()["detail"]
    assert snapshot(application) == before


def test_a_wrong_role_is_a_403_and_changes_nothing(funding):
    application = under_review(funding)
    before = snapshot(application)
    response = login(funding.officer_a).post(
        f"{URL}{application.pk}/approve/", {"amount": "5"}, content_type="application/json"
    )
    assert response.status_code == 403
    assert snapshot(application) == before


def test_an_outsider_gets_404_on_an_action(funding):
    application = under_review(funding)
    before = snapshot(application)
    response = login(funding.bureau_user_y).post(
        f"{URL}{application.pk}/reject/", {"reason": "x"}, content_type="application/json"
    )
    assert response.status_code == 404
    assert snapshot(application) == before


def test_overpaying_is_a_400_naming_the_amount(funding):
    application = approved(funding, amount="80")
    before = snapshot(application)
    response = login(funding.manager).post(
        f"{URL}{application.pk}/disburse/", {"level": "zone", "amount": "40"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert "尚可拨付 32.00 万元" in response.json()["amount"][0]
    assert snapshot(application) == before


def test_a_stale_version_is_a_409(funding):
    application = under_review(funding)
    response = login(funding.manager).post(
        f"{URL}{application.pk}/reject/",
        {"reason": "x", "version": application.version - 1},
        content_type="application/json",
    )
    assert response.status_code == 409
    assert FundingApplication.objects.get(pk=application.pk).state == "under_review"


def test_the_api_list_keeps_a_constant_number_of_queries(funding, django_assert_max_num_queries):
    client = login(funding.manager)
    approved(funding)
    with django_assert_max_num_queries(10) as small:
        client.get(URL)
    for _number in range(6):
        approved(funding, amount=str(Decimal("7")))
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(URL)
