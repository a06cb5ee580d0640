"""Demo data: 企业内配 on the demo zone's real products and supply links.

* Purchase needs of leading and backbone firms for products that other zone
  firms make (their profile products), posted through the service, so the
  proposals are ranked as in production; then moved by the service into every
  state — contacted, agreed (with a deal), declined with a reason, expired,
  and some left proposed.
* In-zone deals along the profiles' zone supply links (supplier → customer),
  one a quarter, on past dates.
* Retooling cases (转产配套): struggling firms retooled to supply zone leaders,
  as the article's 新南方、合益光电 for 维沃、美的.

Deterministic (a seeded ``random.Random``; enterprises in plan order) and
idempotent: needs are found by buyer and item, deals by parties, item and
date, cases by firm and leader; what exists is left alone.
"""

import datetime as dt
import random
from decimal import Decimal

from django.utils import timezone

from accounts.models import Role, User
from enterprises.models import Enterprise, Industry, Product, SupplyLink, Tier
from enterprises.registry.demo import enterprise_plan
from platforms.matching import AGREE, CONTACT, DECLINE, OPEN_PROPOSAL_STATES, ProposalState, proposals_expire
from platforms.procurement import services
from platforms.procurement.models import Deal, PurchaseNeed, RetoolingCase, RetoolingState

NEEDS = 16
LINK_DEALS = 24
DECLINE_REASONS = ("报价高于现有供应商", "交期无法满足", "技术参数不符", "产能已排满")
RETOOLING = (
    # (industry of the struggling firm, its old products, what it now makes for the leader)
    (Industry.ELECTRONICS, "传统电源适配器", "智能终端结构件"),
    (Industry.METALWORK, "农机冲压件", "汽车冲压车身件"),
    (Industry.ELECTRONICS, "显示背光源", "空调控制面板"),
)


def _rng(step: str) -> random.Random:
    # One source per step, and every draw made whether or not the row exists yet, so a
    # second run draws the same values and finds every row it made.
    return random.Random(f"jingkai-procurement-demo-{step}")


def demo_enterprises() -> list[Enterprise]:
    order = {item.fields["uscc"]: item.number for item in enterprise_plan()}
    found = Enterprise.objects.filter(uscc__in=order).select_related("grid__district", "grid__leader")
    return sorted(found, key=lambda e: order[e.uscc])


def grid_officer(enterprise: Enterprise) -> User:
    return enterprise.grid.officers.order_by("id").first() or enterprise.grid.leader


def _enterprise_user(enterprise: Enterprise) -> User | None:
    return User.objects.filter(role=Role.ENTERPRISE_USER, enterprise=enterprise).order_by("id").first()


def _post_needs(enterprises: list[Enterprise], rng: random.Random, today: dt.date) -> list[PurchaseNeed]:
    buyers = [e for e in enterprises if e.tier in (Tier.LEADING, Tier.BACKBONE)]
    products = list(Product.objects.filter(enterprise__in=enterprises).select_related("enterprise").order_by("id"))
    posted = []
    for buyer in rng.sample(buyers, k=min(NEEDS, len(buyers))):
        # Something another zone firm makes, preferably in the buyer's own chain.
        same_chain = [p for p in products if p.enterprise_id != buyer.pk and p.enterprise.industry == buyer.industry]
        wanted = rng.choice(same_chain or [p for p in products if p.enterprise_id != buyer.pk])
        quantity = Decimal(rng.choice((200, 500, 1000, 2000, 5000)))
        unit = rng.choice(("件", "套", "台", "只"))
        needed_by = today + dt.timedelta(days=rng.randint(20, 90))
        existing = PurchaseNeed.objects.filter(buyer=buyer, item=wanted.name).first()
        if existing:
            posted.append(existing)
            continue
        actor = _enterprise_user(buyer) or grid_officer(buyer)
        posted.append(
            services.purchase_need_post(
                actor=actor,
                buyer=buyer,
                item=wanted.name,
                category=wanted.enterprise.industry,
                quantity=quantity,
                unit=unit,
                needed_by=needed_by,
                description="年度框架采购，优先考虑园区内企业。",
                today=today,
            )
        )
    return posted


def _move_proposals(needs: list[PurchaseNeed], rng: random.Random, today: dt.date) -> None:
    """The first need's proposals expire; of the others, the best is agreed with a deal, the next
    contacted, the third declined; the rest stay proposed."""
    for index, need in enumerate(needs):
        proposals = list(need.proposals.select_related("need__buyer__grid", "supplier__grid", "product"))
        if not proposals or any(p.state != ProposalState.PROPOSED for p in proposals):
            continue  # nothing to move, or moved by an earlier run
        if index == 0:
            need.proposals.filter(state__in=OPEN_PROPOSAL_STATES).update(expires_on=today - dt.timedelta(days=1))
            proposals_expire(today=today)
            continue
        officer = grid_officer(need.buyer)
        best = proposals[0]
        if index % 3 != 2:  # two needs in three end in a deal
            services.purchase_proposal_act(proposal=best, actor=officer, action=CONTACT)
            best.refresh_from_db()
            services.deal_record(
                actor=officer,
                proposal=best,
                amount=Decimal(rng.randint(20, 800)) + Decimal(rng.randint(0, 99)) / 100,
                deal_on=today,
                today=today,
            )
        else:
            services.purchase_proposal_act(proposal=best, actor=officer, action=AGREE)
        if len(proposals) > 1:
            services.purchase_proposal_act(proposal=proposals[1], actor=officer, action=CONTACT)
        if len(proposals) > 2:
            services.purchase_proposal_act(
                proposal=proposals[2], actor=officer, action=DECLINE, reason=rng.choice(DECLINE_REASONS)
            )


def _link_deals(enterprises: list[Enterprise], rng: random.Random, today: dt.date) -> int:
    ids = [e.pk for e in enterprises]
    links = list(
        SupplyLink.objects.filter(supplier_id__in=ids, customer_id__in=ids)
        .exclude(product="")
        .select_related("supplier__grid", "customer")
        .order_by("id")
    )
    created = 0
    for link in rng.sample(links, k=min(LINK_DEALS, len(links))):
        deal_on = today - dt.timedelta(days=rng.randint(15, 350))
        share = Decimal(str(round(rng.uniform(0.5, 1.0), 4)))
        if Deal.objects.filter(buyer=link.customer, seller=link.supplier, item=link.product, deal_on=deal_on).exists():
            continue
        quarterly = (link.annual_amount or Decimal("400")) / 4
        services.deal_record(
            actor=grid_officer(link.supplier),
            buyer=link.customer,
            seller=link.supplier,
            item=link.product,
            amount=max(Decimal("1.00"), (quarterly * share).quantize(Decimal("0.01"))),
            deal_on=deal_on,
            note="按配套关系季度结算",
            today=today,
        )
        created += 1
    return created


def _retooling(enterprises: list[Enterprise], today: dt.date) -> int:
    leaders = [e for e in enterprises if e.tier == Tier.LEADING]
    created = 0
    used: set[int] = set()
    for index, (industry, old, new) in enumerate(RETOOLING):
        struggling = [
            e for e in enterprises if e.tier == Tier.STRUGGLING and e.industry == industry and e.pk not in used
        ]
        struggling = struggling or [e for e in enterprises if e.tier == Tier.STRUGGLING and e.pk not in used]
        if not struggling or not leaders:
            break
        firm = struggling[0]
        used.add(firm.pk)
        leader = next((e for e in leaders if e.industry == industry), leaders[index % len(leaders)])
        if RetoolingCase.objects.filter(enterprise=firm, leader=leader).exists():
            continue
        case = services.retooling_case_record(
            actor=grid_officer(firm),
            enterprise=firm,
            leader=leader,
            from_products=old,
            to_products=new,
            started_on=today - dt.timedelta(days=200 - 60 * index),
            note="网格员走访发现订单下滑，对接龙头企业配套需求。",
            today=today,
        )
        target = (RetoolingState.SUPPLYING, RetoolingState.TRIAL, RetoolingState.NEGOTIATING)[index]
        if target != RetoolingState.NEGOTIATING:
            services.retooling_case_advance(case=case, actor=grid_officer(firm), state=target)
        created += 1
    return created


def seed_demo_data(*, stdout, today: dt.date | None = None) -> None:
    today = today or timezone.localdate()
    enterprises = demo_enterprises()
    if not enterprises:
        stdout.write("  procurement: no demo enterprises, nothing to do")
        return
    needs = _post_needs(enterprises, _rng("needs"), today)
    _move_proposals(needs, _rng("proposals"), today)
    deals = _link_deals(enterprises, _rng("deals"), today)
    cases = _retooling(enterprises, today)
    stdout.write(f"  procurement: {len(needs)} needs, {deals} new link deals, {cases} new retooling cases")
