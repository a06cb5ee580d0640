"""Every write of the procurement platform: needs, their proposals, deals, retooling cases.

Each service checks, in this order, the scope (an object out of scope does not
exist: 404), the row lock, the version, then the rule; a refusal raises before
anything is written, so it changes nothing.
"""

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.notifications import notify
from accounts.scoping import scope_for
from enterprises.models import Enterprise, Tier
from platforms.matching import (
    AGREE,
    REFUSALS,
    TRANSITIONS,
    ProposalState,
    firm_users,
    proposal_expires_on,
    proposal_new,
    proposal_tell_firm,
    proposal_transition,
)
from platforms.procurement import policy, selectors
from platforms.procurement.models import Deal, PurchaseNeed, PurchaseProposal, RetoolingCase, RetoolingState
from platforms.procurement.ranking import rank_suppliers
from platforms.records import check_version, checked_save

NEED_FIELDS = ("item", "category", "quantity", "unit", "needed_by", "description")

# Where a retooling case may go next; 已终止 is final.
RETOOLING_NEXT: dict[str, tuple[str, ...]] = {
    RetoolingState.NEGOTIATING: (RetoolingState.TRIAL, RetoolingState.SUPPLYING, RetoolingState.STOPPED),
    RetoolingState.TRIAL: (RetoolingState.SUPPLYING, RetoolingState.STOPPED),
    RetoolingState.SUPPLYING: (RetoolingState.STOPPED,),
    RetoolingState.STOPPED: (),
}


def _not_in_scope(field: str) -> ValidationError:
    return ValidationError({field: [_("企业不存在或不在您的权限范围内。")]})


# --- Needs --------------------------------------------------------------------------------


def _check_needed_by(needed_by: datetime.date, today: datetime.date) -> None:
    if needed_by < today:
        raise ValidationError({"needed_by": [_("需求日期不能早于今天。")]})


@transaction.atomic
def purchase_need_post(
    *,
    actor: User,
    buyer: Enterprise,
    item: str,
    category: str,
    quantity: Decimal,
    unit: str,
    needed_by: datetime.date,
    description: str = "",
    today: datetime.date | None = None,
) -> PurchaseNeed:
    """Post a need for ``buyer`` (its own user, or staff in scope) and propose zone suppliers for it."""
    today = today or timezone.localdate()
    if not policy.speaks_for(scope_for(actor), buyer):
        raise _not_in_scope("buyer")
    _check_needed_by(needed_by, today)
    need = checked_save(
        PurchaseNeed(
            buyer=buyer,
            item=(item or "").strip(),
            category=category,
            quantity=quantity,
            unit=(unit or "").strip(),
            needed_by=needed_by,
            description=(description or "").strip(),
            posted_by=actor,
        )
    )
    purchase_proposals_generate(need=need, today=today)
    return need


@transaction.atomic
def purchase_need_update(
    *, need: PurchaseNeed, actor: User, version: int | None = None, today: datetime.date | None = None, **changes: Any
) -> PurchaseNeed:
    """Change a need (its buyer's side only); suppliers that now match are proposed too."""
    today = today or timezone.localdate()
    unknown = set(changes) - set(NEED_FIELDS)
    if unknown:
        raise ValidationError({name: [_("未知字段。")] for name in sorted(unknown)})
    if not selectors.needs_editable(user=actor).filter(pk=need.pk).exists():
        raise Http404
    locked = PurchaseNeed.objects.select_for_update().select_related("buyer__grid").get(pk=need.pk)
    check_version(locked.version, need.version if version is None else version)
    if "needed_by" in changes and changes["needed_by"] != locked.needed_by:
        _check_needed_by(changes["needed_by"], today)
    for name, value in changes.items():
        setattr(locked, name, value.strip() if isinstance(value, str) else value)
    locked.version += 1
    checked_save(locked)
    purchase_proposals_generate(need=locked, today=today)
    return locked


def purchase_proposals_generate(*, need: PurchaseNeed, today: datetime.date | None = None) -> list[PurchaseProposal]:
    """Propose the best zone suppliers not yet proposed for ``need`` (idempotent) and tell them."""
    today = today or timezone.localdate()
    already = set(need.proposals.values_list("supplier_id", flat=True))
    # An offer after the need's date is of no use to the buyer.
    expires_on = min(proposal_expires_on(today), need.needed_by)
    created = []
    for match in rank_suppliers(need):
        product = match.offer
        if product.enterprise_id in already:
            continue
        proposal = proposal_new(
            PurchaseProposal,
            match,
            expires_on=expires_on,
            need=need,
            product=product,
            supplier_id=product.enterprise_id,
        )
        proposal.full_clean(validate_constraints=False)
        proposal.save()
        created.append(proposal)
    for proposal in created:
        _tell_supplier(proposal)
    return created


def _tell_supplier(proposal: PurchaseProposal) -> None:
    proposal_tell_firm(
        proposal,
        enterprise_id=proposal.supplier_id,
        kind="procurement_proposal",
        title=_("内配推荐：%(buyer)s 需要“%(item)s”") % {"buyer": proposal.need.buyer.name, "item": proposal.need.item},
        url=reverse("procurement:need_detail", args=[proposal.need_id]),
    )


# --- Proposals ----------------------------------------------------------------------------


def _lock_proposal(proposal: PurchaseProposal, *, action: str, actor: User, version: int | None) -> PurchaseProposal:
    """Scope, row lock, version, rule — in that order; the state is checked with the rule."""
    if not selectors.proposals_visible(user=actor).filter(pk=proposal.pk).exists():
        raise Http404
    locked = (
        PurchaseProposal.objects.select_for_update(of=("self",))
        .select_related("need__buyer__grid", "supplier__grid", "product")
        .get(pk=proposal.pk)
    )
    check_version(locked.version, version)
    sources, _target = TRANSITIONS[action]
    if locked.state not in sources:
        raise ValidationError({"state": [str(REFUSALS[action])]})
    if not policy.may(action, locked, actor):
        raise PermissionDenied(str(policy.refusal(action)))
    return locked


@transaction.atomic
def purchase_proposal_act(
    *, proposal: PurchaseProposal, actor: User, action: str, reason: str = "", version: int | None = None
) -> PurchaseProposal:
    """Contact, agree or decline a proposal (the shared one-winner transition), and tell the other side."""
    if action not in policy.RULES:
        raise ValidationError({"action": [_("未知操作。")]})
    locked = _lock_proposal(proposal, action=action, actor=actor, version=version)
    moved = proposal_transition(locked, action=action, actor=actor, reason=reason)
    _tell_parties(moved, actor=actor)
    return moved


def _tell_parties(proposal: PurchaseProposal, *, actor: User) -> None:
    for enterprise_id in (proposal.need.buyer_id, proposal.supplier_id):
        for user in firm_users(enterprise_id):
            if user.pk == actor.pk:
                continue
            notify(
                recipient=user,
                kind="procurement_proposal",
                title=_("内配推荐“%(item)s”：%(state)s")
                % {"item": proposal.need.item, "state": proposal.get_state_display()},
                body=f"{proposal.supplier.name} → {proposal.need.buyer.name}",
                url=reverse("procurement:need_detail", args=[proposal.need_id]),
                dedupe_key=f"procurement-proposal-{proposal.pk}-v{proposal.version}-{user.pk}",
            )


# --- Deals --------------------------------------------------------------------------------


@transaction.atomic
def deal_record(
    *,
    actor: User,
    amount: Decimal,
    deal_on: datetime.date,
    item: str = "",
    buyer: Enterprise | None = None,
    seller: Enterprise | None = None,
    proposal: PurchaseProposal | None = None,
    note: str = "",
    today: datetime.date | None = None,
) -> Deal:
    """Record an in-zone purchase; from a proposal it also agrees the proposal, in the same transaction."""
    today = today or timezone.localdate()
    scope = scope_for(actor)
    if deal_on > today:
        raise ValidationError({"deal_on": [_("成交日期不能晚于今天。")]})
    if proposal is not None:
        if not selectors.proposals_visible(user=actor).filter(pk=proposal.pk).exists():
            raise ValidationError({"proposal": [_("推荐不存在或不在您的权限范围内。")]})
        if Deal.objects.filter(proposal_id=proposal.pk).exists():
            raise ValidationError({"proposal": [_("该推荐已登记成交。")]})
        if buyer is not None and buyer.pk != proposal.need.buyer_id:
            raise ValidationError({"buyer": [_("采购企业须与推荐的采购需求一致。")]})
        if seller is not None and seller.pk != proposal.supplier_id:
            raise ValidationError({"seller": [_("供应企业须与推荐的供应企业一致。")]})
        if proposal.state != ProposalState.AGREED:
            proposal = purchase_proposal_act(proposal=proposal, actor=actor, action=AGREE)
        elif not policy.may(AGREE, proposal, actor):
            raise PermissionDenied(str(policy.refusal(AGREE)))
        buyer, seller = proposal.need.buyer, proposal.supplier
        item = item or proposal.product.name
    else:
        if buyer is None:
            raise ValidationError({"buyer": [_("请选择采购企业。")]})
        if seller is None:
            raise ValidationError({"seller": [_("请选择供应企业。")]})
        if not (policy.speaks_for(scope, buyer) or policy.speaks_for(scope, seller)):
            raise _not_in_scope("buyer")
    return checked_save(
        Deal(
            buyer=buyer,
            seller=seller,
            item=(item or "").strip(),
            amount=amount,
            deal_on=deal_on,
            proposal=proposal,
            note=(note or "").strip(),
            recorded_by=actor,
        )
    )


# --- Retooling cases ----------------------------------------------------------------------


@transaction.atomic
def retooling_case_record(
    *,
    actor: User,
    enterprise: Enterprise,
    leader: Enterprise,
    from_products: str,
    to_products: str,
    started_on: datetime.date,
    state: str = RetoolingState.NEGOTIATING,
    note: str = "",
    today: datetime.date | None = None,
) -> RetoolingCase:
    """Record a struggling firm retooled to supply a zone leader (staff of the firm's grid, or above)."""
    today = today or timezone.localdate()
    scope = scope_for(actor)
    if not (policy.is_staff(scope) and policy.covers(scope, enterprise)):
        raise _not_in_scope("enterprise")
    errors = {}
    if enterprise.tier != Tier.STRUGGLING:
        errors["enterprise"] = [_("转产配套登记的是困难企业，该企业当前不是困难企业。")]
    if leader.tier != Tier.LEADING:
        errors["leader"] = [_("配套对象须为园区龙头企业。")]
    if started_on > today:
        errors["started_on"] = [_("开始日期不能晚于今天。")]
    if errors:
        raise ValidationError(errors)
    return checked_save(
        RetoolingCase(
            enterprise=enterprise,
            leader=leader,
            from_products=(from_products or "").strip(),
            to_products=(to_products or "").strip(),
            started_on=started_on,
            state=state,
            note=(note or "").strip(),
            recorded_by=actor,
        )
    )


@transaction.atomic
def retooling_case_advance(
    *, case: RetoolingCase, actor: User, state: str, note: str | None = None, version: int | None = None
) -> RetoolingCase:
    """Move a retooling case on (洽谈中 → 试产送样 → 批量配套, or 已终止); refusals change nothing."""
    if not selectors.retooling_visible(user=actor).filter(pk=case.pk).exists():
        raise Http404
    locked = RetoolingCase.objects.select_for_update().select_related("enterprise").get(pk=case.pk)
    check_version(locked.version, version)
    scope = scope_for(actor)
    if not (policy.is_staff(scope) and policy.covers(scope, locked.enterprise)):
        raise PermissionDenied(_("您无权执行此操作：仅限转产企业所属网格员、片区负责人。"))
    if state not in RETOOLING_NEXT.get(locked.state, ()):
        raise ValidationError(
            {"state": [_("当前进展为“%(state)s”，不能改为该进展。") % {"state": locked.get_state_display()}]}
        )
    locked.state = state
    if note is not None:
        locked.note = note.strip()
    locked.version += 1
    return checked_save(locked)
