"""Demo data: 供应链互助 in vehicle manufacturing (整车制造 / 汽车零部件), from the profiles' supply links.

* Suggestions worked out from the zone supply links for the zone's vehicle
  firms, confirmed by their grid officer (so they read the suggestion's reasons);
* firms recommending purchasers to each other, as the article's 齐信、迪马、
  华辉涂料: a zone supplier of a vehicle maker recommends that maker as a
  purchaser to a peer, on a past date;
* outcomes of every kind: contacted, deal, no deal, and some still pending.

Deterministic (seeded random, enterprises in plan order, draws made whether or
not the row exists) and idempotent: a recommendation is found by its natural
key (for whom, whom, which way, which product).
"""

import datetime as dt
import random

from django.utils import timezone

from enterprises.models import Industry, SupplyLink
from platforms.procurement.demo import demo_enterprises, grid_officer
from platforms.supply_chain import services
from platforms.supply_chain.models import Direction, Outcome, Recommendation
from platforms.supply_chain.suggestions import suggestions_for

CONFIRMED = 10
PEER_RECOMMENDATIONS = 12
OUTCOMES = (Outcome.DEAL, Outcome.CONTACTED, Outcome.NO_DEAL, Outcome.PENDING, Outcome.DEAL)
REASONS = (
    "该整车企业正在园区内扩大本地配套，我司已为其稳定供货。",
    "对方正在寻找同类产品的第二供应商，质量要求与贵司产品相符。",
    "同在园区，物流半径短，可就近配套。",
)


def _confirm_suggestions(vehicle_firms, rng: random.Random, today: dt.date) -> int:
    done = created = 0
    for firm in vehicle_firms:
        outcome = rng.choice(OUTCOMES)
        if done >= CONFIRMED:
            break
        if Recommendation.objects.filter(for_enterprise=firm, from_suggestion=True).exists():
            done += 1
            continue
        matches = suggestions_for(firm, limit=1)
        if not matches:
            continue
        officer = grid_officer(firm)
        recommendation = services.recommendation_confirm_suggestion(
            actor=officer, for_enterprise=firm, key=matches[0].offer.key, today=today
        )
        if outcome != Outcome.PENDING:
            services.recommendation_record_outcome(
                recommendation=recommendation, actor=officer, outcome=outcome, outcome_on=today, today=today
            )
        done += 1
        created += 1
    return created


def _peer_recommendations(enterprises, rng: random.Random, today: dt.date) -> int:
    """A supplier of a vehicle maker recommends that maker as a purchaser to a peer supplier."""
    ids = [e.pk for e in enterprises]
    links = list(
        SupplyLink.objects.filter(supplier_id__in=ids, customer_id__in=ids, customer__industry=Industry.AUTOMOTIVE)
        .exclude(product="")
        .select_related("supplier__grid", "customer__grid")
        .order_by("id")
    )
    peers_by_industry: dict[str, list] = {}
    for enterprise in enterprises:
        peers_by_industry.setdefault(enterprise.industry, []).append(enterprise)
    created = 0
    for link in rng.sample(links, k=min(PEER_RECOMMENDATIONS, len(links))):
        peers = [
            e
            for e in peers_by_industry.get(link.supplier.industry, [])
            if e.pk not in (link.supplier_id, link.customer_id)
        ]
        peer = rng.choice(peers) if peers else None
        recommended_on = today - dt.timedelta(days=rng.randint(30, 300))
        outcome = rng.choice(OUTCOMES)
        outcome_days = rng.randint(5, 25)
        reason = rng.choice(REASONS)
        if peer is None:
            continue
        key = {"for_enterprise": peer, "recommended": link.customer, "direction": Direction.PURCHASER}
        if Recommendation.objects.filter(**key, product=link.product).exists():
            continue
        officer = grid_officer(link.supplier)
        recommendation = services.recommendation_record(
            actor=officer,
            by_enterprise=link.supplier,
            product=link.product,
            reason=reason,
            recommended_on=recommended_on,
            today=today,
            **key,
        )
        if outcome != Outcome.PENDING:
            services.recommendation_record_outcome(
                recommendation=recommendation,
                actor=officer,
                outcome=outcome,
                outcome_on=min(today, recommended_on + dt.timedelta(days=outcome_days)),
                today=today,
            )
        created += 1
    return created


def seed_demo_data(*, stdout, today: dt.date | None = None) -> None:
    today = today or timezone.localdate()
    enterprises = demo_enterprises()
    vehicle_firms = [e for e in enterprises if e.industry == Industry.AUTOMOTIVE]
    confirmed = _confirm_suggestions(vehicle_firms, random.Random("jingkai-supply-chain-demo-confirm"), today)
    peers = _peer_recommendations(enterprises, random.Random("jingkai-supply-chain-demo-peers"), today)
    stdout.write(f"  supply chain: {confirmed} confirmed suggestions, {peers} peer recommendations new")
