"""Suggestions from the supply links already in the profiles (上下游配套商), ranked with ``rank()``.

For a zone enterprise P, two kinds:

* a **supplier** for P: a zone supplier S already supplies product X to a
  zone peer A in P's industry, and P has no supplier of X on file
  (A buys 轴承 from S; P, also in vehicles, has none → suggest S to P);
* a **purchaser** for P: a zone firm A already buys X (from another zone
  firm) and P makes something matching X, without supplying A yet.

Hard filters: never P itself, never a pair already recommended. Weighted
parts, each a reason: the link on file ("已为同行 A 供应“X”"), the number of
peers it serves, P's own product matching X (purchasers), a leading buyer,
a struggling supplier (帮扶困难企业), the same district. Everything is read in
a fixed number of queries; the order is deterministic.
"""

from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from enterprises.models import Enterprise, Product, SupplyLink, Tier
from platforms.matching import Match, Scorer, rank, weights_for
from platforms.procurement.text import bigrams, normalise, overlap
from platforms.supply_chain.models import Direction, Recommendation

PLATFORM = "supply_chain"
DEFAULTS = {"link": 40, "peers": 15, "keyword": 25, "leading": 10, "struggling": 10, "district": 10}
MAX_SUGGESTIONS = 20
# Peers served at which the "serves many peers" part gives its full weight.
PEERS_FOR_FULL_WEIGHT = 3


@dataclass
class Candidate:
    """One suggested firm for P: who, which way, for which product, and the links that show it."""

    direction: str
    recommended: Enterprise
    product: str
    via: list[Enterprise] = field(default_factory=list)  # the peers (supplier) or the buyer's suppliers (purchaser)
    own_product: str = ""

    @property
    def pk(self) -> tuple:
        # Deterministic tie-break for rank(): direction, firm, product.
        return (self.direction, self.recommended.pk, normalise(self.product))

    @property
    def key(self) -> str:
        return f"{self.direction}:{self.recommended.pk}:{self.product}"


@dataclass(frozen=True)
class Target:
    enterprise: Enterprise
    recommended_already: frozenset  # {(direction, recommended_id, normalised product)}


def _fresh(target: Target, candidate: Candidate) -> bool:
    return candidate.pk not in target.recommended_already


def _not_itself(target: Target, candidate: Candidate) -> bool:
    return candidate.recommended.pk != target.enterprise.pk


def _judge_link(target, candidate):
    first = candidate.via[0].name
    if candidate.direction == Direction.SUPPLIER:
        return _("已为同行%(peer)s供应“%(product)s”") % {"peer": first, "product": candidate.product}
    return _("已在园区内采购“%(product)s”（供应方：%(supplier)s）") % {"product": candidate.product, "supplier": first}


def _judge_peers(target, candidate):
    if candidate.direction != Direction.SUPPLIER or len(candidate.via) < 2:
        return None
    text = _("共为%(count)s家同行企业配套") % {"count": len(candidate.via)}
    return text, len(candidate.via) / PEERS_FOR_FULL_WEIGHT


def _judge_keyword(target, candidate):
    if candidate.direction != Direction.PURCHASER or not candidate.own_product:
        return None
    text = _("本企业产品“%(own)s”对应“%(product)s”") % {"own": candidate.own_product, "product": candidate.product}
    return text, overlap(candidate.product, candidate.own_product)


def _judge_leading(target, candidate):
    if candidate.direction == Direction.PURCHASER and candidate.recommended.tier == Tier.LEADING:
        return _("采购方为龙头企业")
    return None


def _judge_struggling(target, candidate):
    if candidate.direction == Direction.SUPPLIER and candidate.recommended.tier == Tier.STRUGGLING:
        return _("帮扶困难企业")
    return None


def _judge_district(target, candidate):
    if candidate.recommended.grid.district_id == target.enterprise.grid.district_id:
        return _("同一片区")
    return None


FILTERS = [_not_itself, _fresh]
SCORERS = [
    Scorer("link", _judge_link),
    Scorer("peers", _judge_peers),
    Scorer("keyword", _judge_keyword),
    Scorer("leading", _judge_leading),
    Scorer("struggling", _judge_struggling),
    Scorer("district", _judge_district),
]


def _supplier_candidates(enterprise: Enterprise) -> list[Candidate]:
    bought = {
        normalise(name) for name in SupplyLink.objects.filter(customer=enterprise).values_list("product", flat=True)
    }
    links = (
        SupplyLink.objects.filter(supplier__isnull=False, customer__industry=enterprise.industry)
        .exclude(product="")
        .exclude(customer=enterprise)
        .exclude(supplier=enterprise)
        .select_related("supplier__grid", "customer")
        .order_by("id")
    )
    grouped: dict[tuple, Candidate] = {}
    for link in links:
        if normalise(link.product) in bought:
            continue  # P already has a supplier of this product
        key = (link.supplier_id, normalise(link.product))
        candidate = grouped.setdefault(key, Candidate(Direction.SUPPLIER, link.supplier, link.product))
        if link.customer not in candidate.via:
            candidate.via.append(link.customer)
    return list(grouped.values())


def _purchaser_candidates(enterprise: Enterprise) -> list[Candidate]:
    own_products = list(Product.objects.filter(enterprise=enterprise).order_by("id").values_list("name", flat=True))
    pairs = set().union(*(bigrams(name) for name in own_products)) if own_products else set()
    if not pairs:
        return []
    served = set(SupplyLink.objects.filter(supplier=enterprise).values_list("customer_id", flat=True))
    condition = Q()
    for pair in sorted(pairs):
        condition |= Q(product__icontains=pair)
    links = (
        SupplyLink.objects.filter(condition, customer__isnull=False, supplier__isnull=False)
        .exclude(customer=enterprise)
        .exclude(supplier=enterprise)
        .select_related("customer__grid", "supplier")
        .order_by("id")
    )
    grouped: dict[tuple, Candidate] = {}
    for link in links:
        if link.customer_id in served:
            continue
        best = max(own_products, key=lambda name: (overlap(link.product, name), -own_products.index(name)))
        if overlap(link.product, best) <= 0:
            continue
        key = (link.customer_id, normalise(link.product))
        candidate = grouped.setdefault(
            key, Candidate(Direction.PURCHASER, link.customer, link.product, own_product=best)
        )
        if link.supplier not in candidate.via:
            candidate.via.append(link.supplier)
    return list(grouped.values())


def suggestions_for(enterprise: Enterprise, *, limit: int = MAX_SUGGESTIONS) -> list[Match]:
    """Ranked suggestions for ``enterprise`` (``Match.offer`` is a ``Candidate``), best first."""
    already = frozenset(
        (direction, recommended_id, normalise(product))
        for direction, recommended_id, product in Recommendation.objects.filter(for_enterprise=enterprise).values_list(
            "direction", "recommended_id", "product"
        )
    )
    target = Target(enterprise, already)
    candidates = _supplier_candidates(enterprise) + _purchaser_candidates(enterprise)
    matches = rank(target, candidates, filters=FILTERS, scorers=SCORERS, weights=weights_for(PLATFORM, DEFAULTS))
    return matches[:limit]
