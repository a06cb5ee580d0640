"""Shared steps and the snapshot every refused action is compared against."""

import datetime
from decimal import Decimal

from platforms.financing import services
from platforms.financing.models import CreditLine, Loan, LoanExtension, Referral, ReferralEvent, ReferralState

GRANTED_ON = datetime.date(2026, 4, 1)

# How to reach each state from 已推荐, one service call per step.
PATH = {
    ReferralState.REFERRED: [],
    ReferralState.VISITED: ["visit"],
    ReferralState.INTENT: ["visit", "intent"],
    ReferralState.CREDIT_APPROVED: ["visit", "intent", "approve_credit"],
    ReferralState.DISBURSED: ["visit", "intent", "approve_credit", "disburse"],
    ReferralState.DECLINED: ["visit", "decline"],
}

STEP_INPUT = {
    "visit": {},
    "intent": {},
    "approve_credit": {"amount": Decimal("400"), "granted_on": GRANTED_ON},
    "disburse": {"amount": Decimal("300"), "granted_on": GRANTED_ON, "term_months": 12},
    "decline": {"reason": "企业暂无抵押物"},
}


def advance(referral: Referral, state: str, *, actor) -> Referral:
    for step in PATH[state]:
        referral = services.STEPS[step](referral=referral, actor=actor, **STEP_INPUT[step])
    return referral


def snapshot(referral: Referral) -> dict:
    return {
        "row": Referral.objects.filter(pk=referral.pk).values().get(),
        "events": list(ReferralEvent.objects.order_by("id").values_list("id", "referral_id", "action", "to_state")),
        "credit_lines": list(CreditLine.objects.order_by("id").values_list("id", "amount")),
        "loans": list(Loan.objects.order_by("id").values_list("id", "amount")),
        "extensions": LoanExtension.objects.count(),
    }
