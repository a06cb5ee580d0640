"""Pages of 企业内配: enterprise users edit only their own needs (others 404); the need's page shows
proposals with reasons and the actions the user may take; lists keep a constant number of queries."""

import datetime
from decimal import Decimal

import pytest

from accounts.models import Role
from enterprises.models import Industry
from platforms.matching import ProposalState
from platforms.procurement import services
from platforms.procurement.models import Deal, PurchaseNeed, PurchaseProposal
from tests.conftest import login
from tests.factories import EnterpriseFactory, UserFactory
from tests.procurement.conftest import product
from tests.procurement.helpers import snapshot


def post_need(cast, **overrides):
    fields = dict(
        actor=cast.enterprise_user_a,
        buyer=cast.enterprise_a,
        item="制动器",
        category=Industry.AUTOMOTIVE,
        quantity=Decimal("500"),
        unit="套",
        needed_by=datetime.date(2025, 9, 30),
    )
    fields.update(overrides)
    return services.purchase_need_post(**fields)


FORM = {
    "item": "座椅骨架",
    "category": "automotive",
    "quantity": "200",
    "unit": "套",
    "needed_by": "2025-07-31",
    "description": "",
}


def test_an_enterprise_user_posts_a_need_for_its_own_firm(cast, chain):
    response = login(cast.enterprise_user_a).post("/platforms/procurement/needs/new/", FORM)

    need = PurchaseNeed.objects.get()
    assert response.status_code == 302
    assert response.url == f"/platforms/procurement/needs/{need.pk}/"
    assert (need.buyer, need.item, need.quantity, need.posted_by) == (
        cast.enterprise_a,
        "座椅骨架",
        Decimal("200"),
        cast.enterprise_user_a,
    )


def test_a_past_needed_by_date_is_shown_on_the_form_and_nothing_is_saved(cast, chain):
    response = login(cast.enterprise_user_a).post(
        "/platforms/procurement/needs/new/", {**FORM, "needed_by": "2025-06-15"}
    )
    assert response.status_code == 400
    assert response.context["form"].errors == {"needed_by": ["需求日期不能早于今天。"]}
    assert PurchaseNeed.objects.count() == 0


def test_only_the_buyer_edits_its_need_and_others_get_404(cast, chain):
    need = post_need(cast)
    before = snapshot()
    supplier_user = UserFactory(username="brakes", role=Role.ENTERPRISE_USER, enterprise=chain.brakes)
    edit = f"/platforms/procurement/needs/{need.pk}/edit/"

    for outsider in (cast.enterprise_user_b, supplier_user, cast.officer_b, cast.bureau_user_x):
        assert login(outsider).get(edit).status_code == 404
        assert login(outsider).post(edit, {**FORM, "version": "0"}).status_code == 404
    assert snapshot() == before

    response = login(cast.enterprise_user_a).post(edit, {**FORM, "item": "制动器总成", "version": "0"})
    assert response.status_code == 302
    need.refresh_from_db()
    assert (need.item, need.version) == ("制动器总成", 1)


def test_the_need_page_shows_reasons_and_the_suppliers_own_proposal_only(cast, chain):
    need = post_need(cast)
    supplier_user = UserFactory(username="brakes", role=Role.ENTERPRISE_USER, enterprise=chain.brakes)

    buyer_page = login(cast.enterprise_user_a).get(f"/platforms/procurement/needs/{need.pk}/")
    supplier_page = login(supplier_user).get(f"/platforms/procurement/needs/{need.pk}/")

    assert [p.supplier for p in buyer_page.context["proposals"]] == [chain.brakes, chain.knuckles, chain.discs]
    assert "同属汽车及零部件 · 产品“制动器总成”对应“制动器”" in buyer_page.content.decode()
    assert buyer_page.context["proposals"][0].actions == {"contact", "agree", "decline"}
    assert [p.supplier for p in supplier_page.context["proposals"]] == [chain.brakes]
    assert supplier_page.context["proposals"][0].actions == {"contact", "decline"}
    assert login(cast.enterprise_user_b).get(f"/platforms/procurement/needs/{need.pk}/").status_code == 404


def test_contact_agree_and_record_a_deal_from_the_page(cast, chain):
    need = post_need(cast)
    proposal = need.proposals.get(supplier=chain.knuckles)
    client = login(cast.officer_a)

    client.post(f"/platforms/procurement/proposals/{proposal.pk}/contact/", {"version": "0"})
    response = client.post(
        f"/platforms/procurement/proposals/{proposal.pk}/deal/",
        {"amount": "36.8", "deal_on": "2025-06-16", "item": "", "note": ""},
    )

    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.AGREED
    assert list(Deal.objects.values_list("seller_id", "buyer_id", "amount")) == [
        (chain.knuckles.pk, cast.enterprise_a.pk, Decimal("36.80"))
    ]


def test_a_stale_action_is_refused_with_a_message_and_changes_nothing(cast, chain):
    proposal = post_need(cast).proposals.get(supplier=chain.knuckles)
    client = login(cast.officer_a)
    client.post(f"/platforms/procurement/proposals/{proposal.pk}/contact/", {"version": "0"}, follow=True)
    before = snapshot()

    response = client.post(f"/platforms/procurement/proposals/{proposal.pk}/agree/", {"version": "0"}, follow=True)

    assert [str(m) for m in response.context["messages"]] == ["数据已被其他操作修改，请刷新后重试。"]
    assert snapshot() == before


def test_bureau_staff_have_no_procurement_pages(cast, chain):
    client = login(cast.bureau_user_x)
    for url in ("/platforms/procurement/", "/platforms/procurement/needs/new/", "/platforms/procurement/deals/"):
        assert client.get(url).status_code == 404


def test_totals_for_managers_and_leaders_only(cast, chain):
    need = post_need(cast)
    services.deal_record(
        actor=cast.officer_a,
        proposal=need.proposals.get(supplier=chain.knuckles),
        amount=Decimal("120.50"),
        deal_on=datetime.date(2025, 6, 10),
    )
    response = login(cast.manager).get("/platforms/procurement/totals/")
    zone = response.context["rows"][0]["windows"]
    assert [(w["purchasing"]["deals"], w["purchasing"]["amount"]) for w in zone] == [(1, Decimal("120.50"))] * 3
    assert login(cast.officer_a).get("/platforms/procurement/totals/").status_code == 404


def _grow(cast, n: int) -> None:
    """n more needs of enterprise A, each with proposals from a supplier of its own."""
    for index in range(n):
        supplier = EnterpriseFactory(industry=Industry.AUTOMOTIVE, grid=cast.grid_a)
        product(supplier, f"座椅骨架{index}")
        post_need(cast, item=f"座椅骨架{index}")


@pytest.mark.parametrize("size", [2, 12])
def test_the_needs_list_keeps_a_constant_number_of_queries(cast, chain, size, django_assert_max_num_queries):
    _grow(cast, size)
    client = login(cast.officer_a)
    with django_assert_max_num_queries(12):
        response = client.get("/platforms/procurement/")
    assert len(response.context["page_obj"]) == size


@pytest.mark.parametrize("size", [2, 12])
def test_the_proposals_list_keeps_a_constant_number_of_queries(cast, chain, size, django_assert_max_num_queries):
    _grow(cast, size)
    need = PurchaseNeed.objects.first()
    for index in range(size):
        supplier = EnterpriseFactory(industry=Industry.AUTOMOTIVE, grid=cast.grid_a)
        PurchaseProposal.objects.create(
            need=need,
            product=product(supplier, f"件{index}"),
            supplier=supplier,
            score=50,
            reasons=[{"key": "category", "text": "同属汽车及零部件", "points": 50}],
            expires_on=datetime.date(2025, 7, 16),
        )
    client = login(cast.enterprise_user_a)
    with django_assert_max_num_queries(14):
        page = client.get(f"/platforms/procurement/needs/{need.pk}/")
    with django_assert_max_num_queries(10):
        api = client.get("/api/purchase-proposals/")
    assert len(page.context["proposals"]) == need.proposals.count()
    assert api.json()["count"] == PurchaseProposal.objects.count()


def test_the_other_pages_render_for_their_readers(cast, chain):
    case = services.retooling_case_record(
        actor=cast.officer_a,
        enterprise=chain.knuckles,
        leader=chain.leader,
        from_products="农用车桥",
        to_products="乘用车转向节",
        started_on=datetime.date(2025, 3, 1),
    )
    officer = login(cast.officer_a)
    for url in (
        "/platforms/procurement/deals/",
        "/platforms/procurement/retooling/",
        "/platforms/procurement/retooling/new/",
    ):
        assert officer.get(url).status_code == 200
    page = officer.get(f"/platforms/procurement/retooling/{case.pk}/")
    assert page.context["may_advance"] is True
    moved = officer.post(f"/platforms/procurement/retooling/{case.pk}/", {"state": "trial", "note": "", "version": "0"})
    assert moved.status_code == 302
    assert login(cast.enterprise_user_b).get(f"/platforms/procurement/retooling/{case.pk}/").status_code == 404
    assert login(cast.enterprise_user_a).get("/platforms/procurement/mine/").status_code == 200
