"""Financing pages: scope per role (outsiders 404), the pipeline steps, recording, query counts."""

import datetime
from decimal import Decimal

import pytest

from platforms.financing import services
from platforms.financing.models import CreditLine, Loan, LoanExtension, Referral, ReferralState
from tests.conftest import login
from tests.factories import EnterpriseFactory
from tests.financing.helpers import snapshot

pytestmark = pytest.mark.django_db


def _event(fin):
    return services.event_create(
        actor=fin.manager,
        title="银企对接会",
        held_on=datetime.date(2026, 3, 18),
        banks=[fin.bank_1, fin.bank_2],
        enterprises=[fin.enterprise_a, fin.enterprise_b],
    )


@pytest.mark.parametrize("who", ["manager", "leader_a", "officer_a", "office_user", "enterprise_user_a"])
def test_readers_see_their_need(fin, who):
    response = login(getattr(fin, who)).get(f"/platforms/financing/needs/{fin.need_a.pk}/")
    assert response.status_code == 200
    assert fin.enterprise_a.name in response.content.decode()


@pytest.mark.parametrize("who", ["leader_b", "officer_b", "bureau_user_x", "enterprise_user_b"])
def test_outsiders_get_404_for_a_need_and_the_enterprise_records(fin, who):
    client = login(getattr(fin, who))
    assert client.get(f"/platforms/financing/needs/{fin.need_a.pk}/").status_code == 404
    assert client.get(f"/platforms/financing/enterprises/{fin.enterprise_a.pk}/").status_code == 404


def test_other_bureaus_have_no_financing_pages(fin):
    client = login(fin.bureau_user_x)
    for path in ("", "needs/", "referrals/board/"):
        assert client.get(f"/platforms/financing/{path}").status_code == 404


def test_the_need_list_shows_only_the_scope(fin):
    body = login(fin.officer_a).get("/platforms/financing/needs/").content.decode()
    assert fin.enterprise_a.name in body and fin.enterprise_b.name not in body
    body = login(fin.enterprise_user_b).get("/platforms/financing/needs/").content.decode()
    assert fin.enterprise_b.name in body and fin.enterprise_a.name not in body


def test_an_event_names_only_the_enterprises_in_scope(fin):
    event = _event(fin)
    body = login(fin.officer_a).get(f"/platforms/financing/events/{event.pk}/").content.decode()
    assert fin.enterprise_a.name in body and fin.enterprise_b.name not in body
    assert fin.bank_2.name in body
    assert login(fin.manager).get("/platforms/financing/").status_code == 200


def test_an_enterprise_user_sees_only_events_it_attended(fin):
    event = _event(fin)
    other = services.event_create(actor=fin.manager, title="第二场", held_on=datetime.date(2026, 4, 1), enterprises=[])
    client = login(fin.enterprise_user_a)
    assert client.get(f"/platforms/financing/events/{event.pk}/").status_code == 200
    assert client.get(f"/platforms/financing/events/{other.pk}/").status_code == 404


def test_mine_leads_the_enterprise_to_its_records(fin):
    response = login(fin.enterprise_user_a).get("/platforms/financing/mine/")
    assert response.status_code == 302
    assert response.url == f"/platforms/financing/enterprises/{fin.enterprise_a.pk}/"
    assert login(fin.officer_a).get("/platforms/financing/mine/").status_code == 404


def test_the_officer_moves_a_referral_through_the_page(fin):
    client = login(fin.officer_a)
    response = client.post(f"/platforms/financing/referrals/{fin.referral_a.pk}/visit/", {"note": "银行客户经理已上门"})
    assert response.status_code == 302
    assert Referral.objects.get(pk=fin.referral_a.pk).state == ReferralState.VISITED


def test_a_wrong_step_on_the_page_changes_nothing(fin):
    before = snapshot(fin.referral_a)
    response = login(fin.officer_a).post(
        f"/platforms/financing/referrals/{fin.referral_a.pk}/disburse/",
        {"amount": "100", "granted_on": "2026-04-01", "term_months": "12"},
    )
    assert response.status_code == 400
    assert "只能对授信已获批的对接登记放款" in response.content.decode()
    assert snapshot(fin.referral_a) == before


@pytest.mark.parametrize("who", ["enterprise_user_a", "officer_b", "bureau_user_x"])
def test_others_cannot_reach_the_step_pages(fin, who):
    before = snapshot(fin.referral_a)
    response = login(getattr(fin, who)).post(f"/platforms/financing/referrals/{fin.referral_a.pk}/visit/", {})
    assert response.status_code == 404
    assert snapshot(fin.referral_a) == before


def test_referring_a_need_to_a_bank_from_its_page(fin):
    response = login(fin.office_user).post(
        f"/platforms/financing/needs/{fin.need_a.pk}/", {"bank": fin.bank_2.pk, "referred_on": "2026-03-05"}
    )
    assert response.status_code == 302
    assert Referral.objects.filter(need=fin.need_a, bank=fin.bank_2, state=ReferralState.REFERRED).exists()


def test_recording_a_loan_and_an_extension(fin):
    client = login(fin.officer_a)
    response = client.post(
        f"/platforms/financing/enterprises/{fin.enterprise_a.pk}/loans/new/",
        {"bank": fin.bank_1.pk, "amount": "800", "granted_on": "2026-03-10", "term_months": "6"},
    )
    assert response.status_code == 302
    loan = Loan.objects.get()
    assert (loan.amount, loan.recorded_by, loan.central_bank_reloan) == (Decimal("800"), fin.officer_a, False)
    response = client.post(
        f"/platforms/financing/loans/{loan.pk}/extensions/new/",
        {"kind": "extension", "amount": "300", "approved_on": "2026-09-01", "new_maturity_on": "2027-03-10"},
    )
    assert response.status_code == 302
    assert LoanExtension.objects.get().amount == Decimal("300")


def test_a_bad_credit_line_on_the_page_names_the_field_and_saves_nothing(fin):
    response = login(fin.manager).post(
        f"/platforms/financing/enterprises/{fin.enterprise_a.pk}/credit-lines/new/",
        {"bank": fin.bank_1.pk, "amount": "0", "granted_on": "2026-03-10"},
    )
    assert response.status_code == 400
    assert "金额必须大于 0" in response.content.decode()
    assert CreditLine.objects.count() == 0


def test_the_enterprise_cannot_record_and_an_officer_not_for_another_grid(fin):
    path = f"/platforms/financing/enterprises/{fin.enterprise_a.pk}/loans/new/"
    data = {"bank": fin.bank_1.pk, "amount": "800", "granted_on": "2026-03-10", "term_months": "6"}
    assert login(fin.enterprise_user_a).post(path, data).status_code == 404
    assert login(fin.officer_b).post(path, data).status_code == 404
    assert Loan.objects.count() == 0


def _grow(fin, count: int) -> None:
    for _ in range(count):
        enterprise = EnterpriseFactory(grid=fin.grid_a)
        need = services.need_create(
            actor=None,
            enterprise=enterprise,
            amount=Decimal("100"),
            purpose="流动资金",
            term_months=6,
            raised_on=datetime.date(2026, 3, 1),
        )
        referral = services.referral_create(
            actor=None, need=need, bank=fin.bank_1, referred_on=datetime.date(2026, 3, 1)
        )
        services.referral_visit(referral=referral, actor=None)
        services.loan_record(
            actor=None,
            enterprise=enterprise,
            bank=fin.bank_2,
            amount=Decimal("50"),
            granted_on=datetime.date(2026, 3, 2),
            term_months=6,
        )


@pytest.mark.parametrize("size", [2, 12])
def test_list_pages_keep_a_constant_number_of_queries(fin, django_assert_max_num_queries, size):
    _grow(fin, size)
    event = _event(fin)
    client = login(fin.officer_a)
    for path, budget in (
        ("", 7),
        (f"events/{event.pk}/", 10),
        ("needs/", 7),
        ("referrals/board/", 12),
        (f"needs/{fin.need_a.pk}/", 9),
        (f"enterprises/{fin.enterprise_a.pk}/", 12),
    ):
        with django_assert_max_num_queries(budget):
            assert client.get(f"/platforms/financing/{path}").status_code == 200
