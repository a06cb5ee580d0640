"""供应链互助 by hand: a firm recommends a zone purchaser or supplier to another on the page, as
itself, naming only the firms it trades with; staff for a firm of their scope; bad input is a 400
naming the field with nothing saved; the lists and the suggestions keep a constant number of
queries however many rows there are."""

import datetime

import pytest

from enterprises.models import SupplyLink
from platforms.supply_chain.models import Direction, Outcome, Recommendation
from tests.conftest import login
from tests.factories import EnterpriseFactory

NEW = "/platforms/supply-chain/recommendations/new/"


@pytest.fixture
def trades(links, cast):
    """Firm A also supplies the peer: A's zone partners are its suppliers (轴承, 车灯) and the peer."""
    SupplyLink.objects.create(supplier=cast.enterprise_a, customer=links.peer, product="制动器")
    return links


def form(links, **changes):
    body = {
        "for_enterprise": links.peer.pk,
        "recommended": links.bearings.pk,
        "direction": "supplier",
        "product": "轴承",
        "reason": "我们用了三年，交期稳定",
    }
    return {**body, **changes}


def test_an_enterprise_recommends_its_supplier_to_its_customer_as_itself(cast, trades):
    links = trades
    client = login(cast.enterprise_user_a)
    page = client.get(NEW)
    assert 'name="by_enterprise"' not in page.content.decode()
    # The form names the firms A trades with, and no other firm of the zone.
    assert list(page.context["form"].fields["recommended"].queryset) == sorted(
        [links.peer, links.bearings, links.lamps], key=lambda firm: (firm.name, firm.pk)
    )
    assert links.maker.name not in page.content.decode() and links.buyer.name not in page.content.decode()

    # A posted by_enterprise of another firm is not a field of the enterprise's form: it stays its own.
    response = client.post(NEW, form(links, by_enterprise=links.lamps.pk))

    recommendation = Recommendation.objects.get()
    assert response.status_code == 302 and response["Location"] == recommendation.get_absolute_url()
    assert (
        recommendation.for_enterprise,
        recommendation.recommended,
        recommendation.direction,
        recommendation.product,
        recommendation.reason,
        recommendation.by_enterprise,
        recommendation.recommended_by,
        recommendation.from_suggestion,
        recommendation.outcome,
    ) == (
        links.peer,
        links.bearings,
        Direction.SUPPLIER,
        "轴承",
        "我们用了三年，交期稳定",
        cast.enterprise_a,
        cast.enterprise_user_a,
        False,
        Outcome.PENDING,
    )
    detail = client.get(recommendation.get_absolute_url()).content.decode()
    assert "甲企业有限公司" in detail and "我们用了三年，交期稳定" in detail
    # Recorded, it is no longer suggested to the peer.
    from platforms.supply_chain.suggestions import suggestions_for

    assert [m.offer.recommended for m in suggestions_for(links.peer)] == [links.lamps]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"recommended": 999999}, "recommended"),
        ({"for_enterprise": 999999}, "for_enterprise"),
        ({"for_enterprise": "buyer"}, "for_enterprise"),  # a zone firm A does not trade with
        ({"recommended": "peer"}, "recommended"),  # a firm recommended to itself
        ({"direction": "sideways"}, "direction"),
        ({"product": ""}, "product"),
        ({"reason": "长" * 501}, "reason"),
    ],
)
def test_bad_input_is_a_400_naming_the_field_and_nothing_is_saved(cast, trades, changes, field):
    links = trades
    named = {"peer": links.peer, "buyer": links.buyer}
    changes = {key: named[value].pk if value in named else value for key, value in changes.items()}

    response = login(cast.enterprise_user_a).post(NEW, form(links, **changes))

    assert response.status_code == 400
    assert list(response.context["form"].errors) == [field]
    assert Recommendation.objects.count() == 0


def test_the_same_recommendation_twice_is_refused_and_saves_nothing_more(cast, trades):
    links = trades
    client = login(cast.enterprise_user_a)
    assert client.post(NEW, form(links)).status_code == 302

    again = client.post(NEW, form(links, reason="再推荐一次"))

    assert again.status_code == 400 and again.context["form"].errors
    assert list(Recommendation.objects.values_list("reason", flat=True)) == ["我们用了三年，交期稳定"]


def test_staff_record_for_a_firm_of_their_scope_only_and_bureaus_have_no_page(cast, links):
    # The officer of grid B may not record for the peer of grid A, neither as himself nor for a firm of grid A.
    outside = login(cast.officer_b).post(NEW, form(links))
    assert outside.status_code == 400 and list(outside.context["form"].errors) == ["for_enterprise"]
    assert Recommendation.objects.count() == 0
    assert login(cast.bureau_user_x).get(NEW).status_code == 404
    assert login(cast.bureau_user_x).post(NEW, form(links)).status_code == 404
    assert Recommendation.objects.count() == 0

    # The officer of grid A records the firm A's recommendation on its behalf.
    done = login(cast.officer_a).post(NEW, form(links, by_enterprise=cast.enterprise_a.pk))
    recommendation = Recommendation.objects.get()
    assert done["Location"] == recommendation.get_absolute_url()
    assert (recommendation.by_enterprise, recommendation.recommended_by, recommendation.recommender_name) == (
        cast.enterprise_a,
        cast.officer_a,
        "甲企业有限公司",
    )


def _grow(cast, links, size):
    """``size`` more recommendations to the peer and ``size`` more links its industry's firms buy on."""
    for index in range(size):
        firm = EnterpriseFactory(grid=cast.grid_a)
        Recommendation.objects.create(
            for_enterprise=links.peer,
            recommended=firm,
            by_enterprise=EnterpriseFactory(grid=cast.grid_a),
            recommended_by=cast.officer_a,
            direction=Direction.SUPPLIER,
            product=f"零件{index}",
            reason="同行在用",
            recommended_on=datetime.date(2025, 3, 1),
        )
        SupplyLink.objects.create(
            supplier=EnterpriseFactory(grid=cast.grid_b), customer=cast.enterprise_a, product=f"件{index}"
        )


@pytest.mark.parametrize("size", [2, 12])
def test_lists_and_suggestions_keep_a_constant_number_of_queries(cast, links, size, django_assert_max_num_queries):
    _grow(cast, links, size)
    client = login(cast.officer_a)

    with django_assert_max_num_queries(8):
        page = client.get("/platforms/supply-chain/")
    assert len(page.context["page_obj"]) == size
    with django_assert_max_num_queries(11):
        suggestions = client.get(f"/platforms/supply-chain/enterprises/{links.peer.pk}/suggestions/")
    # The peer lacks every product firm A buys: 轴承, 车灯 and the ``size`` new ones.
    assert len(suggestions.context["matches"]) == size + 2
    with django_assert_max_num_queries(7):
        api = client.get("/api/recommendations/")
    assert api.json()["count"] == size
    with django_assert_max_num_queries(9):
        assert client.get(NEW).status_code == 200


def test_through_the_api_an_enterprise_names_only_the_firms_it_trades_with(cast, trades):
    links = trades
    client = login(cast.enterprise_user_a)
    body = {"for_enterprise": links.peer.pk, "recommended": links.bearings.pk, "direction": "supplier"}
    body |= {"product": "轴承", "reason": "交期稳定"}

    for field, outsider in (("for_enterprise", links.buyer), ("recommended", links.maker)):
        refused = client.post("/api/recommendations/", {**body, field: outsider.pk}, content_type="application/json")
        unknown = client.post("/api/recommendations/", {**body, field: 999999}, content_type="application/json")
        # An outside firm answers as an id that does not exist: a 400 naming the field, its name never shown.
        assert (refused.status_code, list(refused.json())) == (400, [field])
        assert (unknown.status_code, list(unknown.json())) == (400, [field])
        assert outsider.name not in refused.content.decode()
    assert Recommendation.objects.count() == 0

    done = client.post("/api/recommendations/", body, content_type="application/json")
    assert done.status_code == 201 and done.json()["recommender_name"] == "甲企业有限公司"
