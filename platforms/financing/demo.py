"""Demo data: the bank-enterprise matchmaking of the article, from records (FACTS.md).

* One 银企对接会 with 7 banks and 73 enterprises present; each of them raises a
  need there, referred to one or two banks, the referrals in every state of
  the pipeline (moved through the services, so each step is an event).
* Credit lines granted total 13,500 万元 (1.35 亿元): one per referral that got
  as far as 授信获批 or 已放款.
* Loans granted total 98,900 万元 (9.89 亿元), re-loans *not* included: the
  disbursed referrals' loans and loans recorded directly.
* 231 renewals and extensions (230余笔) total 10,000 万元 (约 1 亿元), each on a
  loan of its own.
* 7 enterprises got central-bank special re-loans (央行专项再贷款) totalling
  23,500 万元 (2.35 亿元): loans flagged ``central_bank_reloan``, reported beside
  the loans granted, as the article does.

Deterministic: a fixed seed, enterprises in USCC order, dates counted back
from today in Asia/Shanghai so the demo looks current. Idempotent: banks by
name, the event by its title (its needs and referrals are made with it), the
directly recorded loans and re-loans only when there are none yet.
"""

import datetime
import random
from decimal import Decimal

from django.utils import timezone

from accounts.models import User
from enterprises.models import KEY_TIERS, Enterprise
from grids.demo import demo_rng
from platforms.financing import services
from platforms.financing.models import (
    Bank,
    ExtensionKind,
    Loan,
    LoanExtension,
    MatchmakingEvent,
    ReferralState,
    add_months,
)

BANKS = (
    ("渝江银行重庆经开区支行", "渝江银行", "经开区支行营业部", "刘经理", "023-62591001"),
    ("巴渝农村商业银行经开区支行", "巴渝农商行", "经开区支行", "陈经理", "023-62591002"),
    ("长嘉商业银行重庆分行", "长嘉银行", "南坪营业部", "张经理", "023-62591003"),
    ("山城发展银行经开区支行", "山城银行", "经开区支行", "王经理", "023-62591004"),
    ("两江兴业银行重庆分行", "两江兴业", "茶园支行", "李经理", "023-62591005"),
    ("南岸民生村镇银行", "南岸村镇银行", "总行营业部", "赵经理", "023-62591006"),
    ("缙云科技银行重庆分行", "缙云科技银行", "科技金融部", "周经理", "023-62591007"),
)
EVENT_TITLE = "重庆经开区银企对接会"
EVENT_PLACE = "经开区企业服务中心一楼报告厅"
EVENT_DAYS_AGO = 300
ENTERPRISES_PRESENT = 73

CREDIT_TOTAL = 13_500
LOANS_TOTAL = 98_900
EXTENSION_COUNT = 231
EXTENSIONS_TOTAL = 10_000
RELOAN_ENTERPRISES = 7
RELOANS_TOTAL = 23_500

# The pipeline's end state for each of the referrals, in order: most get a loan, some stop on the way.
STATE_PLAN = (
    [ReferralState.DISBURSED] * 42
    + [ReferralState.CREDIT_APPROVED] * 10
    + [ReferralState.INTENT] * 9
    + [ReferralState.VISITED] * 8
    + [ReferralState.REFERRED] * 7
    + [ReferralState.DECLINED] * 12
)
STEPS_TO = {
    ReferralState.REFERRED: (),
    ReferralState.VISITED: ("visit",),
    ReferralState.INTENT: ("visit", "intent"),
    ReferralState.CREDIT_APPROVED: ("visit", "intent", "approve_credit"),
    ReferralState.DISBURSED: ("visit", "intent", "approve_credit", "disburse"),
    ReferralState.DECLINED: ("visit", "decline"),
}
STEP_DAYS = {"visit": 7, "intent": 18, "approve_credit": 35, "disburse": 50, "decline": 20}
PURPOSES = ("购置生产设备", "补充流动资金", "原材料采购", "技术改造", "厂房扩建", "新产品研发", "偿还到期贷款")
DECLINE_REASONS = ("企业抵押物不足", "企业暂缓融资计划", "征信记录待完善", "银行授信额度已满", "企业选择其他融资渠道")


def split(total: int, parts: int, rng: random.Random, *, minimum: int, unit: int = 10) -> list[int]:
    """``parts`` amounts of at least ``minimum``, in steps of ``unit``, that add up to exactly ``total``."""
    spare_units, leftover = divmod(total - parts * minimum, unit)
    if spare_units < 0 or leftover:
        raise ValueError(f"cannot split {total} into {parts} parts of ≥{minimum} in steps of {unit}")
    weights = [rng.uniform(0.3, 1.7) for _ in range(parts)]
    shares = [spare_units * weight / sum(weights) for weight in weights]
    units = [int(share) for share in shares]
    # The units lost to rounding down go to the largest remainders (ties by position).
    for index in sorted(range(parts), key=lambda i: (units[i] - shares[i], i))[: spare_units - sum(units)]:
        units[index] += 1
    return [minimum + count * unit for count in units]


def _at(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(10, 0), tzinfo=timezone.get_default_timezone())


def seed_demo_data(*, stdout) -> None:
    rng = demo_rng("financing")
    today = timezone.localdate()
    banks = _banks()
    enterprises = list(Enterprise.objects.select_related("grid").order_by("uscc"))
    office = User.objects.filter(username="bureau-finance-office").first()
    event = MatchmakingEvent.objects.filter(title=EVENT_TITLE).first()
    if event is None:
        event = _event_with_referrals(rng, today, banks, enterprises, office)
    if not Loan.objects.filter(referral__isnull=True, central_bank_reloan=False).exists():
        _direct_loans_and_extensions(rng, today, banks, enterprises, office)
    if not Loan.objects.filter(central_bank_reloan=True).exists():
        _reloans(rng, today, banks, enterprises, office)
    stdout.write(
        f"  financing: {len(banks)} banks, {event.enterprises.count()} enterprises at matchmaking, "
        f"{Loan.objects.count()} loans, {LoanExtension.objects.count()} extensions"
    )


def _banks() -> list[Bank]:
    existing = {bank.name: bank for bank in Bank.objects.filter(name__in=[row[0] for row in BANKS])}
    for name, short_name, branch, contact, phone in BANKS:
        if name not in existing:
            bank = Bank(name=name, short_name=short_name, branch=branch, contact_name=contact, contact_phone=phone)
            bank.full_clean()
            bank.save()
            existing[name] = bank
    return [existing[row[0]] for row in BANKS]


def _event_with_referrals(rng, today, banks, enterprises, office) -> MatchmakingEvent:
    held_on = today - datetime.timedelta(days=EVENT_DAYS_AGO)
    present = sorted(rng.sample(enterprises, ENTERPRISES_PRESENT), key=lambda enterprise: enterprise.uscc)
    event = services.event_create(
        actor=office,
        title=EVENT_TITLE,
        held_on=held_on,
        place=EVENT_PLACE,
        banks=banks,
        enterprises=present,
        note="7家银行、73家企业现场对接洽谈、签订融资协议。",
    )
    # One need per enterprise present; the first few are referred to a second bank too.
    pairs = []
    for index, enterprise in enumerate(present):
        need = services.need_create(
            actor=office,
            enterprise=enterprise,
            amount=Decimal(rng.randrange(100, 2000, 50)),
            purpose=rng.choice(PURPOSES),
            term_months=rng.choice((6, 12, 12, 24, 36)),
            raised_on=held_on,
            event=event,
        )
        first, second = rng.sample(banks, 2)
        pairs.append((need, first))
        if index < len(STATE_PLAN) - ENTERPRISES_PRESENT:
            pairs.append((need, second))
    states = list(STATE_PLAN)
    rng.shuffle(states)
    granted = [state for state in states if state in (ReferralState.CREDIT_APPROVED, ReferralState.DISBURSED)]
    credits = iter(split(CREDIT_TOTAL, len(granted), rng, minimum=50))
    for (need, bank), state in zip(pairs, states, strict=True):
        referral = services.referral_create(actor=office, need=need, bank=bank, referred_on=held_on, at=_at(held_on))
        credit = next(credits) if state in granted else 0
        for step in STEPS_TO[state]:
            day = held_on + datetime.timedelta(days=STEP_DAYS[step] + rng.randrange(0, 10))
            extra: dict = {}
            if step == "approve_credit":
                extra = {"amount": Decimal(credit), "granted_on": day}
            elif step == "disburse":
                # Drawn on its credit line: at most the line, in steps of 10 万元.
                extra = {
                    "amount": Decimal(max(10, credit * rng.randrange(6, 11) // 100 * 10)),
                    "granted_on": day,
                    "term_months": 12,
                }
            elif step == "decline":
                extra = {"reason": rng.choice(DECLINE_REASONS)}
            referral = services.STEPS[step](referral=referral, actor=office, at=_at(day), **extra)
    return event


def _direct_loans_and_extensions(rng, today, banks, enterprises, office) -> None:
    """Loans recorded directly (one per extension to come), making loans granted exactly 98,900 万元,
    and the 231 extensions and renewals on them, 10,000 万元 in all."""
    through_referrals = sum(Loan.objects.filter(central_bank_reloan=False).values_list("amount", flat=True))
    amounts = split(LOANS_TOTAL - int(through_referrals), EXTENSION_COUNT, rng, minimum=100)
    borrowers = sorted(rng.sample(enterprises, 120), key=lambda enterprise: enterprise.uscc)
    loans = []
    for index, amount in enumerate(amounts):
        loan = Loan(
            enterprise=borrowers[index % len(borrowers)],
            bank=banks[rng.randrange(len(banks))],
            amount=Decimal(amount),
            granted_on=today - datetime.timedelta(days=rng.randrange(200, 366)),
            term_months=6,
            recorded_by=office,
        )
        loan.clean_fields(exclude=["enterprise", "bank", "referral", "recorded_by"])
        loan.clean()
        loans.append(loan)
    loans = Loan.objects.bulk_create(loans)
    extensions = []
    for loan, amount in zip(loans, split(EXTENSIONS_TOTAL, EXTENSION_COUNT, rng, minimum=10, unit=1), strict=True):
        matures_on = loan.matures_on
        extension = LoanExtension(
            loan=loan,
            kind=ExtensionKind.RENEWAL if rng.random() < 0.4 else ExtensionKind.EXTENSION,
            amount=Decimal(amount),
            approved_on=matures_on - datetime.timedelta(days=rng.randrange(3, 16)),
            new_maturity_on=add_months(matures_on, rng.choice((6, 12))),
            recorded_by=office,
        )
        extension.clean_fields(exclude=["loan", "recorded_by"])
        extension.clean()
        extensions.append(extension)
    LoanExtension.objects.bulk_create(extensions)


def _reloans(rng, today, banks, enterprises, office) -> None:
    """央行专项再贷款 to 7 key enterprises (疫情防控重点保障企业)."""
    key = [enterprise for enterprise in enterprises if enterprise.tier in KEY_TIERS]
    for enterprise, amount in zip(
        sorted(rng.sample(key, RELOAN_ENTERPRISES), key=lambda enterprise: enterprise.uscc),
        split(RELOANS_TOTAL, RELOAN_ENTERPRISES, rng, minimum=1000, unit=100),
        strict=True,
    ):
        services.loan_record(
            actor=office,
            enterprise=enterprise,
            bank=rng.choice(banks),
            amount=Decimal(amount),
            granted_on=today - datetime.timedelta(days=rng.randrange(320, 350)),
            term_months=12,
            central_bank_reloan=True,
            note="人民银行专项再贷款（疫情防控重点保障企业）",
        )
