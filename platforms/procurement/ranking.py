"""How zone suppliers are ranked for a purchase need (on ``platforms.matching.rank``).

Hard filters: never the buyer itself; the product is in the need's category
(the supplier's industry, or the product's category label in the profile) or
its name shares a keyword with the item. Weighted parts, each a reason shown:
category, keyword overlap (character bigrams, ``text.overlap``), a struggling
supplier (帮扶困难企业: buying from it is the platform's purpose), same district.
"""

from collections.abc import Iterable

from django.db.models import Q, QuerySet
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from enterprises.models import Industry, Product, Tier
from platforms.matching import Match, Scorer, rank, weights_for
from platforms.procurement.models import PurchaseNeed
from platforms.procurement.text import bigrams, overlap

PLATFORM = "procurement"
DEFAULTS = {"category": 40, "keyword": 40, "struggling": 15, "district": 5}
# The best suppliers proposed per need; more is noise for a buyer.
MAX_PROPOSALS = 10


def category_label(category: str) -> str:
    """The Chinese label the profile stores as a product's category ("汽车及零部件")."""
    with translation.override("zh-hans"):
        return str(Industry(category).label) if category in Industry.values else category


def _same_category(need, product) -> bool:
    return product.enterprise.industry == need.category or product.category == category_label(need.category)


def _not_the_buyer(need, product) -> bool:
    return product.enterprise_id != need.buyer_id


def _in_category_or_keyword(need, product) -> bool:
    return _same_category(need, product) or overlap(need.item, product.name) > 0


def _judge_category(need, product):
    if _same_category(need, product):
        return _("同属%(category)s") % {"category": need.get_category_display()}
    return None


def _judge_keyword(need, product):
    fraction = overlap(need.item, product.name)
    if not fraction:
        return None
    return _("产品“%(product)s”对应“%(item)s”") % {"product": product.name, "item": need.item}, fraction


def _judge_struggling(need, product):
    return _("帮扶困难企业") if product.enterprise.tier == Tier.STRUGGLING else None


def _judge_district(need, product):
    if product.enterprise.grid.district_id == need.buyer.grid.district_id:
        return _("同一片区")
    return None


FILTERS = [_not_the_buyer, _in_category_or_keyword]
SCORERS = [
    Scorer("category", _judge_category),
    Scorer("keyword", _judge_keyword),
    Scorer("struggling", _judge_struggling),
    Scorer("district", _judge_district),
]


def candidate_products(need) -> QuerySet[Product]:
    """The products that can pass the hard filters, found in the database (the same test, indexed)."""
    condition = Q(enterprise__industry=need.category) | Q(category=category_label(need.category))
    for pair in bigrams(need.item):
        condition |= Q(name__icontains=pair)
    return (
        Product.objects.filter(condition)
        .exclude(enterprise_id=need.buyer_id)
        .select_related("enterprise__grid")
        .order_by("id")
    )


def rank_suppliers(
    need: PurchaseNeed, products: Iterable[Product] | None = None, *, limit: int = MAX_PROPOSALS
) -> list[Match[Product]]:
    """The best product of each supplier for ``need``, best supplier first (one match per enterprise)."""
    products = candidate_products(need) if products is None else products
    matches = rank(need, products, filters=FILTERS, scorers=SCORERS, weights=weights_for(PLATFORM, DEFAULTS))
    best: dict[int, Match[Product]] = {}
    for match in matches:  # already ordered: the first match of an enterprise is its best product
        best.setdefault(match.offer.enterprise_id, match)
    return list(best.values())[:limit]
