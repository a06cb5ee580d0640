"""Ranking zone suppliers for a need: hard filters, then category, keyword, 帮扶困难企业, same district."""

import datetime
from decimal import Decimal

from enterprises.models import Industry
from platforms.procurement.models import PurchaseNeed
from platforms.procurement.ranking import rank_suppliers
from platforms.procurement.text import bigrams, overlap


def need_of(cast, *, item="制动器", category=Industry.AUTOMOTIVE):
    return PurchaseNeed(
        buyer=cast.enterprise_a,
        item=item,
        category=category,
        quantity=Decimal("100"),
        unit="套",
        needed_by=datetime.date(2025, 8, 1),
    )


def test_bigrams_and_overlap_are_plain_character_pairs():
    assert bigrams("制动器 总成") == {"制动", "动器", "器总", "总成"}
    assert bigrams("钢") == {"钢"}
    assert overlap("制动器", "制动器总成") == 1.0
    assert overlap("制动器", "制动盘") == 0.5
    assert overlap("制动器", "火锅底料") == 0.0


def test_suppliers_in_order_with_their_reasons(cast, chain):
    # Given a vehicle firm in district A that needs 制动器
    need = need_of(cast)

    # When the zone's products are ranked for it
    matches = rank_suppliers(need)

    # Then: the brake maker (category + full keyword, other district) first, with its main product;
    # the struggling knuckle maker next door (category, 帮扶, same district); the struggling
    # equipment firm whose 制动盘 half-matches; never the buyer itself nor the hotpot maker.
    assert [(m.offer.enterprise, m.offer.name, m.score) for m in matches] == [
        (chain.brakes, "制动器总成", 80),
        (chain.knuckles, "转向节", 60),
        (chain.discs, "制动盘", 40),
    ]
    assert matches[0].summary == "同属汽车及零部件 · 产品“制动器总成”对应“制动器”"
    assert matches[1].summary == "同属汽车及零部件 · 帮扶困难企业 · 同一片区"
    assert matches[2].reasons_as_list() == [
        {"key": "keyword", "text": "产品“制动盘”对应“制动器”", "points": 20},
        {"key": "struggling", "text": "帮扶困难企业", "points": 15},
        {"key": "district", "text": "同一片区", "points": 5},
    ]


def test_a_keyword_alone_passes_the_filter_and_the_weights_come_from_settings(cast, chain, settings):
    # Given weights that ignore the category, and a need outside the vehicle category
    settings.PLATFORM_MATCH_WEIGHTS = {"procurement": {"category": 0, "district": 30}}
    need = need_of(cast, item="制动盘", category=Industry.EQUIPMENT)

    matches = rank_suppliers(need)

    # Then only products matching by keyword or in 装备制造 are proposed, ordered by the new weights
    assert [(m.offer.name, m.score) for m in matches] == [("制动盘", 85), ("制动器总成", 20)]
    assert matches[0].summary == "产品“制动盘”对应“制动盘” · 帮扶困难企业 · 同一片区"
