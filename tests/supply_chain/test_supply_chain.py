"""供应链互助: suggestions from the profiles' supply links (expected order and reasons), an officer
confirms one into a recommendation, outcomes by the table; outsiders get 404; figures from records."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from platforms.supply_chain import figures, services
from platforms.supply_chain.models import Direction, Outcome, Recommendation
from platforms.supply_chain.suggestions import suggestions_for
from tests.conftest import login


def test_a_peer_without_a_supplier_gets_the_suppliers_of_its_industry_in_order(cast, links):
    matches = suggestions_for(links.peer)

    assert [(m.offer.direction, m.offer.recommended, m.offer.product, m.score) for m in matches] == [
        (Direction.SUPPLIER, links.bearings, "轴承", 60),
        (Direction.SUPPLIER, links.lamps, "车灯", 50),
    ]
    assert matches[0].summary == "已为同行甲企业有限公司供应“轴承” · 帮扶困难企业 · 同一片区"
    assert matches[1].summary == "已为同行甲企业有限公司供应“车灯” · 共为2家同行企业配套"


def test_a_maker_gets_the_zone_buyers_of_what_it_makes(cast, links):
    matches = suggestions_for(links.maker)

    assert [(m.offer.recommended, m.score) for m in matches] == [(links.buyer, 85), (cast.enterprise_a, 65)]
    assert matches[0].summary == (
        "已在园区内采购“车灯”（供应方：重庆卓越车灯有限公司） · "
        "本企业产品“汽车车灯”对应“车灯” · 采购方为龙头企业 · 同一片区"
    )


def test_an_officer_confirms_a_suggestion_and_it_is_not_suggested_again(cast, links, client_for):
    key = suggestions_for(links.peer)[0].offer.key

    recommendation = services.recommendation_confirm_suggestion(
        actor=cast.officer_a, for_enterprise=links.peer, key=key
    )

    assert (recommendation.recommended, recommendation.direction, recommendation.from_suggestion) == (
        links.bearings,
        Direction.SUPPLIER,
        True,
    )
    assert recommendation.reason == "已为同行甲企业有限公司供应“轴承” · 帮扶困难企业 · 同一片区"
    assert [m.offer.recommended for m in suggestions_for(links.peer)] == [links.lamps]
    with pytest.raises(ValidationError):
        services.recommendation_confirm_suggestion(actor=cast.officer_a, for_enterprise=links.peer, key=key)
    with pytest.raises(Http404):
        services.recommendation_confirm_suggestion(actor=cast.officer_b, for_enterprise=links.peer, key="x")
    assert Recommendation.objects.count() == 1


def test_outcomes_move_by_the_table_and_outsiders_get_404(cast, links):
    recommendation = services.recommendation_record(
        actor=cast.officer_b,
        by_enterprise=links.lamps,
        for_enterprise=links.maker,
        recommended=links.buyer,
        direction=Direction.PURCHASER,
        product="车灯",
        reason="通达整车在找第二家车灯供应商",
        recommended_on=datetime.date(2025, 3, 3),
    )
    done = services.recommendation_record_outcome(
        recommendation=recommendation, actor=cast.officer_b, outcome=Outcome.DEAL, outcome_on=datetime.date(2025, 4, 1)
    )
    assert (done.outcome, done.version) == (Outcome.DEAL, 1)
    before = list(Recommendation.objects.values())
    with pytest.raises(ValidationError):
        services.recommendation_record_outcome(recommendation=done, actor=cast.officer_b, outcome=Outcome.NO_DEAL)
    with pytest.raises(Http404):
        services.recommendation_record_outcome(recommendation=done, actor=cast.officer_a, outcome=Outcome.NO_DEAL)
    assert list(Recommendation.objects.values()) == before
    assert login(cast.officer_a).get(done.get_absolute_url()).status_code == 404
    assert (
        login(cast.enterprise_user_a)
        .get(f"/platforms/supply-chain/enterprises/{links.peer.pk}/suggestions/")
        .status_code
        == 404
    )
    assert login(cast.officer_b).get(done.get_absolute_url()).status_code == 200

    # Figures count on the records' own dates: March has the recommendation, April its deal.
    assert figures.recommendation_figures(start=datetime.date(2025, 3, 1), end=datetime.date(2025, 3, 31)) == {
        "made": 1,
        "deals": 0,
        "no_deals": 0,
    }
    assert figures.recommendation_figures(start=datetime.date(2025, 4, 1), end=datetime.date(2025, 4, 30)) == {
        "made": 0,
        "deals": 1,
        "no_deals": 0,
    }
    assert figures.recommendation_figures(district_id=cast.district_a.pk)["made"] == 0


@pytest.mark.parametrize(
    ("change", "field"),
    [({"recommended": 999999}, "recommended"), ({"direction": "sideways"}, "direction"), ({"product": ""}, "product")],
)
def test_bad_recommendation_input_is_a_400_naming_the_field(cast, links, change, field):
    body = {
        "for_enterprise": links.peer.pk,
        "recommended": links.bearings.pk,
        "direction": "supplier",
        "product": "轴承",
        "reason": "同行在用",
    }
    response = login(cast.officer_a).post("/api/recommendations/", {**body, **change}, content_type="application/json")
    assert response.status_code == 400
    assert field in response.json()
    assert Recommendation.objects.count() == 0
    ok = login(cast.officer_a).post("/api/recommendations/", body, content_type="application/json")
    assert ok.status_code == 201
    assert ok.json()["recommender_name"] == "张网格"


def test_the_pages_render_and_an_officer_confirms_from_the_page(cast, links):
    officer = login(cast.officer_a)
    assert officer.get("/platforms/supply-chain/suggestions/?q=岳凯").context["enterprises"][0] == links.peer
    page = officer.get(f"/platforms/supply-chain/enterprises/{links.peer.pk}/suggestions/")
    assert "帮扶困难企业" in page.content.decode()
    key = page.context["matches"][0].offer.key
    response = officer.post(f"/platforms/supply-chain/enterprises/{links.peer.pk}/suggestions/confirm/", {"key": key})
    recommendation = Recommendation.objects.get()
    assert response.url == recommendation.get_absolute_url()
    assert officer.get("/platforms/supply-chain/").status_code == 200
    assert login(cast.bureau_user_x).get("/platforms/supply-chain/").status_code == 404
