"""Every write of financing: events, needs, referrals and their steps, credit lines, loans, extensions.

Pages, the API and the demo call these functions and nothing else writes.
Each validates the whole row (``full_clean``) before saving and runs in one
transaction, so a refused write saves nothing. A referral's step follows
``_lock``: scope, row lock, version, rule — in that order (as ``issues``).
Approving credit and disbursing a loan create the ``CreditLine`` / ``Loan`` in
the same transaction as the step, so the pipeline and the figures agree.
"""

import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import Any, TypeVar

from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from accounts.models import User
from enterprises.models import Enterprise
from issues.errors import InvalidInput, NotPermitted, StateConflict
from platforms.financing import access, policy
from platforms.financing.models import (
    Bank,
    CreditLine,
    FinancingNeed,
    Loan,
    LoanExtension,
    MatchmakingEvent,
    Referral,
    ReferralEvent,
    ReferralState,
)
from platforms.financing.selectors import referrals_visible
from platforms.records import checked_save


class ReferralChanged(StateConflict):
    """Someone moved the referral since this user loaded it (a lost race)."""

    code = "referral_changed"

    def __init__(self, message: str | Promise | None = None) -> None:
        super().__init__(message or _("该对接已被他人更新，请刷新后再操作。"))


def _require_recorder(actor: User | None, enterprise: Enterprise) -> None:
    if actor is not None and not access.may_record_for(actor, enterprise.grid_id):
        raise NotPermitted(_("该企业不在您的权限范围内，不能登记融资信息。"))


# --- Events and needs ---------------------------------------------------------


@transaction.atomic
def event_create(
    *,
    actor: User | None,
    title: str,
    held_on: datetime.date,
    place: str = "",
    banks: Iterable[Bank] = (),
    enterprises: Iterable[Enterprise] = (),
    note: str = "",
) -> MatchmakingEvent:
    """A matchmaking event with the banks and enterprises present (managers and the 金融服务办公室)."""
    if actor is not None and not access.sees_all_financing(actor):
        raise NotPermitted(_("只有管委会领导或金融服务办公室可以登记银企对接会。"))
    event = checked_save(MatchmakingEvent(title=title, held_on=held_on, place=place, note=note))
    event.banks.set(list(banks))
    event.enterprises.set(list(enterprises))
    return event


@transaction.atomic
def need_create(
    *,
    actor: User | None,
    enterprise: Enterprise,
    amount: Decimal,
    purpose: str,
    term_months: int,
    raised_on: datetime.date | None = None,
    event: MatchmakingEvent | None = None,
) -> FinancingNeed:
    _require_recorder(actor, enterprise)
    return checked_save(
        FinancingNeed(
            enterprise=enterprise,
            event=event,
            amount=amount,
            purpose=purpose,
            term_months=term_months,
            raised_on=raised_on or timezone.localdate(),
            created_by=actor,
        )
    )


# --- The referral pipeline ------------------------------------------------------


def _event(
    referral: Referral, *, actor: User | None, action: str, from_state: str, at: datetime.datetime, note: str = ""
) -> ReferralEvent:
    return ReferralEvent.objects.create(
        referral=referral,
        actor=actor,
        at=at,
        action=action,
        from_state=from_state,
        to_state=referral.state,
        note=note[:300],
    )


@transaction.atomic
def referral_create(
    *,
    actor: User | None,
    need: FinancingNeed,
    bank: Bank,
    referred_on: datetime.date | None = None,
    at: datetime.datetime | None = None,
) -> Referral:
    """Refer ``need`` to ``bank`` (once per bank): the pipeline starts at 已推荐."""
    _require_recorder(actor, need.enterprise)
    referral = checked_save(Referral(need=need, bank=bank, referred_on=referred_on or timezone.localdate()))
    _event(referral, actor=actor, action="refer", from_state="", at=at or timezone.now())
    return referral


def _lock(referral: Referral, *, action: str, actor: User | None) -> Referral:
    """Lock the row and refuse another scope, a stale copy, a wrong state or person."""
    if actor is not None and not referrals_visible(user=actor).filter(pk=referral.pk).exists():
        raise NotPermitted(_("对接记录不存在或不在您的权限范围内。"))
    locked = (
        Referral.objects.select_for_update(of=("self",))
        .select_related("need__enterprise__grid", "bank")
        .get(pk=referral.pk)
    )
    if locked.version != referral.version:
        raise ReferralChanged()
    policy.require(action, locked, actor)
    return locked


def _move(
    referral: Referral, *, action: str, actor: User | None, at: datetime.datetime | None, note: str = ""
) -> Referral:
    """The step itself, after ``_lock``: the new state, the version, the event."""
    from_state = referral.state
    referral.state = policy.RULES[action].to_state
    referral.version += 1
    referral.full_clean()
    referral.save()
    _event(referral, actor=actor, action=action, from_state=from_state, at=at or timezone.now(), note=note)
    referral.refresh_from_db()
    return referral


@transaction.atomic
def referral_visit(
    *, referral: Referral, actor: User | None, note: str = "", at: datetime.datetime | None = None
) -> Referral:
    """The bank has visited the enterprise (银行走访对接)."""
    locked = _lock(referral, action=policy.VISIT, actor=actor)
    return _move(locked, action=policy.VISIT, actor=actor, at=at, note=note)


@transaction.atomic
def referral_intent(
    *, referral: Referral, actor: User | None, note: str = "", at: datetime.datetime | None = None
) -> Referral:
    """Bank and enterprise agree in principle (达成融资意向 / 签订融资协议)."""
    locked = _lock(referral, action=policy.INTENT, actor=actor)
    return _move(locked, action=policy.INTENT, actor=actor, at=at, note=note)


@transaction.atomic
def referral_approve_credit(
    *,
    referral: Referral,
    actor: User | None,
    amount: Decimal,
    granted_on: datetime.date,
    note: str = "",
    at: datetime.datetime | None = None,
) -> Referral:
    """The bank granted a credit line: the step and its ``CreditLine`` together."""
    locked = _lock(referral, action=policy.APPROVE_CREDIT, actor=actor)
    _record_granted(CreditLine, locked, actor=actor, note=note, amount=amount, granted_on=granted_on)
    return _move(locked, action=policy.APPROVE_CREDIT, actor=actor, at=at, note=note)


def _record_granted(
    model: type[CreditLine] | type[Loan], referral: Referral, *, actor: User | None, note: str, **figures: Any
) -> None:
    """The credit line or loan a referral's step grants: its enterprise, bank and referral are the referral's."""
    checked_save(
        model(
            enterprise=referral.need.enterprise,
            bank=referral.bank,
            referral=referral,
            note=note[:200],
            recorded_by=actor,
            **figures,
        )
    )


@transaction.atomic
def referral_disburse(
    *,
    referral: Referral,
    actor: User | None,
    amount: Decimal,
    granted_on: datetime.date,
    term_months: int,
    central_bank_reloan: bool = False,
    note: str = "",
    at: datetime.datetime | None = None,
) -> Referral:
    """The bank lent: the step and its ``Loan`` together."""
    locked = _lock(referral, action=policy.DISBURSE, actor=actor)
    _record_granted(
        Loan,
        locked,
        actor=actor,
        note=note,
        amount=amount,
        granted_on=granted_on,
        term_months=term_months,
        central_bank_reloan=central_bank_reloan,
    )
    return _move(locked, action=policy.DISBURSE, actor=actor, at=at, note=note)


@transaction.atomic
def referral_decline(
    *, referral: Referral, actor: User | None, reason: str, at: datetime.datetime | None = None
) -> Referral:
    """The referral ends without a loan; the reason is required and kept."""
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_("请填写未成功的原因。"))
    locked = _lock(referral, action=policy.DECLINE, actor=actor)
    locked.decline_reason = reason[:300]
    return _move(locked, action=policy.DECLINE, actor=actor, at=at, note=reason)


# Every step by its action name, for the API and the pages.
STEPS = {
    policy.VISIT: referral_visit,
    policy.INTENT: referral_intent,
    policy.APPROVE_CREDIT: referral_approve_credit,
    policy.DISBURSE: referral_disburse,
    policy.DECLINE: referral_decline,
}


# --- Outcomes recorded directly -----------------------------------------------


Granted = TypeVar("Granted", CreditLine, Loan)


def _record_by_hand(
    model: type[Granted],
    *,
    actor: User | None,
    enterprise: Enterprise,
    referral: Referral | None,
    referral_state: str,
    **fields: Any,
) -> Granted:
    """A credit line or loan recorded by hand, not by a referral's step: it may name the referral behind it
    only in the state that grants it (``referral_state``)."""
    _require_recorder(actor, enterprise)
    if referral is not None and referral.state != referral_state:
        raise InvalidInput(_("只能关联状态为“%(state)s”的对接。") % {"state": ReferralState(referral_state).label})
    return checked_save(model(enterprise=enterprise, referral=referral, recorded_by=actor, **fields))


@transaction.atomic
def credit_line_record(
    *,
    actor: User | None,
    enterprise: Enterprise,
    bank: Bank,
    amount: Decimal,
    granted_on: datetime.date,
    referral: Referral | None = None,
    note: str = "",
) -> CreditLine:
    return _record_by_hand(
        CreditLine,
        actor=actor,
        enterprise=enterprise,
        referral=referral,
        referral_state=ReferralState.CREDIT_APPROVED,
        bank=bank,
        amount=amount,
        granted_on=granted_on,
        note=note,
    )


@transaction.atomic
def loan_record(
    *,
    actor: User | None,
    enterprise: Enterprise,
    bank: Bank,
    amount: Decimal,
    granted_on: datetime.date,
    term_months: int,
    central_bank_reloan: bool = False,
    referral: Referral | None = None,
    note: str = "",
) -> Loan:
    return _record_by_hand(
        Loan,
        actor=actor,
        enterprise=enterprise,
        referral=referral,
        referral_state=ReferralState.DISBURSED,
        bank=bank,
        amount=amount,
        granted_on=granted_on,
        term_months=term_months,
        central_bank_reloan=central_bank_reloan,
        note=note,
    )


@transaction.atomic
def loan_extension_record(
    *,
    actor: User | None,
    loan: Loan,
    kind: str,
    amount: Decimal,
    approved_on: datetime.date,
    new_maturity_on: datetime.date,
) -> LoanExtension:
    """A renewal (续贷) or extension (展期) approved on ``loan``: a record of its own."""
    _require_recorder(actor, loan.enterprise)
    return checked_save(
        LoanExtension(
            loan=loan,
            kind=kind,
            amount=amount,
            approved_on=approved_on,
            new_maturity_on=new_maturity_on,
            recorded_by=actor,
        )
    )
