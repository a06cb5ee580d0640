"""The financing API: scope per role, strict input, steps as actions, refusals that change nothing."""

import datetime
from decimal import Decimal

import pytest

from platforms.financing import services
from platforms.financing.models import CreditLine, FinancingNeed, Loan, LoanExtension, Referral, ReferralState
from tests.conftest import login
from tests.financing.helpers import snapshot

pytestmark = pytest.mark.django_db


def _ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


@pytest.fixture
def loans(fin):
    loan_a = services.loan_record(
        actor=None,
        enterprise=fin.enterprise_a,
        bank=fin.bank_1,
        amount=Decimal("900"),
        granted_on=datetime.date(2026, 3, 1),
        term_months=6,
    )
    loan_b = services.loan_record(
        actor=None,
        enterprise=fin.enterprise_b,
        bank=fin.bank_1,
        amount=Decimal("700"),
        granted_on=datetime.date(2026, 3, 1),
        term_months=6,
    )
    return loan_a, loan_b


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("manager", {"a", "b"}),
        ("office_user", {"a", "b"}),
        ("leader_a", {"a"}),
        ("officer_a", {"a"}),
        ("enterprise_user_a", {"a"}),
        ("enterprise_user_b", {"b"}),
        ("bureau_user_x", set()),
    ],
)
def test_every_list_is_scoped_like_the_enterprises(fin, loans, who, sees):
    client = login(getattr(fin, who))
    expected = {"a": fin.referral_a.pk, "b": fin.referral_b.pk}
    assert _ids(client.get("/api/referrals/")) == {expected[key] for key in sees}
    needs = {"a": fin.need_a.pk, "b": fin.need_b.pk}
    assert _ids(client.get("/api/financing-needs/")) == {needs[key] for key in sees}
    loan_ids = {"a": loans[0].pk, "b": loans[1].pk}
    assert _ids(client.get("/api/loans/")) == {loan_ids[key] for key in sees}


@pytest.mark.parametrize("who", ["officer_b", "leader_b", "enterprise_user_b", "bureau_user_x"])
def test_outsiders_get_404_on_another_scope_s_rows(fin, loans, who):
    client = login(getattr(fin, who))
    assert client.get(f"/api/referrals/{fin.referral_a.pk}/").status_code == 404
    assert client.get(f"/api/financing-needs/{fin.need_a.pk}/").status_code == 404
    assert client.get(f"/api/loans/{loans[0].pk}/").status_code == 404
    before = snapshot(fin.referral_a)
    assert (
        client.post(f"/api/referrals/{fin.referral_a.pk}/visit/", {}, content_type="application/json").status_code
        == 404
    )
    assert snapshot(fin.referral_a) == before


def test_other_bureaus_see_no_banks_the_office_does(fin):
    assert _ids(login(fin.bureau_user_x).get("/api/banks/")) == set()
    assert _ids(login(fin.office_user).get("/api/banks/")) == {fin.bank_1.pk, fin.bank_2.pk}


def test_the_whole_pipeline_through_the_api(fin):
    client = login(fin.officer_a)
    base = f"/api/referrals/{fin.referral_a.pk}"
    assert (
        client.post(f"{base}/visit/", {"note": "已走访"}, content_type="application/json").json()["state"] == "visited"
    )
    assert client.post(f"{base}/intent/", {}, content_type="application/json").json()["state"] == "intent"
    response = client.post(
        f"{base}/approve-credit/", {"amount": "400", "granted_on": "2026-04-01"}, content_type="application/json"
    )
    assert response.json()["state"] == "credit_approved"
    response = client.post(
        f"{base}/disburse/",
        {"amount": "350", "granted_on": "2026-04-10", "term_months": 12, "version": 3},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "disbursed"
    assert Loan.objects.get(referral=fin.referral_a).amount == Decimal("350")
    events = client.get(f"{base}/events/").json()
    assert [event["to_state"] for event in events] == ["referred", "visited", "intent", "credit_approved", "disbursed"]


def test_a_wrong_state_is_409_and_changes_nothing(fin):
    before = snapshot(fin.referral_a)
    response = login(fin.officer_a).post(
        f"/api/referrals/{fin.referral_a.pk}/disburse/",
        {"amount": "350", "granted_on": "2026-04-10", "term_months": 12},
        content_type="application/json",
    )
    assert response.status_code == 409
    assert response.json()["code"] == "state_conflict"
    assert snapshot(fin.referral_a) == before


def test_a_stale_version_is_409(fin):
    before = snapshot(fin.referral_a)
    response = login(fin.officer_a).post(
        f"/api/referrals/{fin.referral_a.pk}/visit/", {"version": 7}, content_type="application/json"
    )
    assert (response.status_code, response.json()["code"]) == (409, "referral_changed")
    assert snapshot(fin.referral_a) == before


def test_the_enterprise_may_read_its_referral_but_not_move_it(fin):
    client = login(fin.enterprise_user_a)
    before = snapshot(fin.referral_a)
    assert client.get(f"/api/referrals/{fin.referral_a.pk}/").status_code == 200
    response = client.post(f"/api/referrals/{fin.referral_a.pk}/visit/", {}, content_type="application/json")
    assert response.status_code == 403
    assert (
        client.post(
            "/api/loans/",
            {
                "enterprise": fin.enterprise_a.pk,
                "bank": fin.bank_1.pk,
                "amount": "1",
                "granted_on": "2026-03-01",
                "term_months": 1,
            },
            content_type="application/json",
        ).status_code
        == 403
    )
    assert snapshot(fin.referral_a) == before


def test_decline_needs_a_reason(fin):
    before = snapshot(fin.referral_a)
    response = login(fin.officer_a).post(
        f"/api/referrals/{fin.referral_a.pk}/decline/", {}, content_type="application/json"
    )
    assert response.status_code == 400
    assert "reason" in response.json()
    assert snapshot(fin.referral_a) == before


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"amount": "0"}, "amount"),
        ({"amount": "-3"}, "amount"),
        ({"term_months": 0}, "term_months"),
        ({"granted_on": "2999-01-01"}, "granted_on"),
        ({"enterprise": 999999}, "enterprise"),
        ({"note": "长" * 201}, "note"),
        ({"colour": "red"}, "colour"),
        ({"id": 5}, "id"),
    ],
)
def test_a_bad_loan_is_400_naming_the_field_and_saves_nothing(fin, changes, field):
    data = {
        "enterprise": fin.enterprise_a.pk,
        "bank": fin.bank_1.pk,
        "amount": "100",
        "granted_on": "2026-03-01",
        "term_months": 12,
    } | changes
    response = login(fin.manager).post("/api/loans/", data, content_type="application/json")
    assert response.status_code == 400
    assert field in response.json()
    assert Loan.objects.count() == 0


def test_an_officer_cannot_name_another_grid_s_enterprise(fin):
    response = login(fin.officer_a).post(
        "/api/credit-lines/",
        {"enterprise": fin.enterprise_b.pk, "bank": fin.bank_1.pk, "amount": "10", "granted_on": "2026-03-01"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "enterprise" in response.json()
    assert CreditLine.objects.count() == 0


def test_recording_a_need_a_referral_and_an_extension(fin, loans):
    client = login(fin.office_user)
    response = client.post(
        "/api/financing-needs/",
        {"enterprise": fin.enterprise_b.pk, "amount": "250.5", "purpose": "技术改造", "term_months": 24},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    need = FinancingNeed.objects.get(pk=response.json()["id"])
    assert (need.amount, need.created_by) == (Decimal("250.5"), fin.office_user)
    response = client.post("/api/referrals/", {"need": need.pk, "bank": fin.bank_2.pk}, content_type="application/json")
    assert response.status_code == 201
    assert Referral.objects.get(pk=response.json()["id"]).state == ReferralState.REFERRED
    response = client.post("/api/referrals/", {"need": need.pk, "bank": fin.bank_2.pk}, content_type="application/json")
    assert response.status_code == 400  # once per bank
    response = client.post(
        "/api/loan-extensions/",
        {
            "loan": loans[1].pk,
            "kind": "renewal",
            "amount": "700",
            "approved_on": "2026-08-25",
            "new_maturity_on": "2027-08-25",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert LoanExtension.objects.get().kind == "renewal"


def test_an_extension_dated_before_its_loan_is_400(fin, loans):
    response = login(fin.manager).post(
        "/api/loan-extensions/",
        {
            "loan": loans[0].pk,
            "kind": "extension",
            "amount": "100",
            "approved_on": "2026-02-01",
            "new_maturity_on": "2027-01-01",
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "approved_on" in response.json()
    assert LoanExtension.objects.count() == 0


def test_events_name_only_enterprises_in_scope_and_only_the_office_creates_them(fin):
    client = login(fin.office_user)
    response = client.post(
        "/api/financing-events/",
        {
            "title": "对接会",
            "held_on": "2026-03-20",
            "banks": [fin.bank_1.pk],
            "enterprises": [fin.enterprise_a.pk, fin.enterprise_b.pk],
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    event_id = response.json()["id"]
    body = login(fin.officer_a).get(f"/api/financing-events/{event_id}/").json()
    assert (body["enterprise_count"], body["enterprises"]) == (2, [fin.enterprise_a.pk])
    response = login(fin.officer_a).post(
        "/api/financing-events/", {"title": "x", "held_on": "2026-03-20"}, content_type="application/json"
    )
    assert response.status_code == 403


@pytest.mark.parametrize("size", [2, 12])
def test_api_lists_keep_a_constant_number_of_queries(fin, django_assert_max_num_queries, size):
    from tests.financing.test_views import _event, _grow

    _grow(fin, size)
    _event(fin)
    client = login(fin.manager)
    for path in (
        "referrals",
        "financing-needs",
        "loans",
        "credit-lines",
        "loan-extensions",
        "financing-events",
        "banks",
    ):
        with django_assert_max_num_queries(8):
            assert client.get(f"/api/{path}/").status_code == 200
