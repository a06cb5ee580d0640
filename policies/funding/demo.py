"""Demo funding applications (``seed_demo`` step ``policies.funding.demo``).

The money paid reproduces FACTS.md exactly, from ``Disbursement`` rows:

* 企业信息化专项资金 #1 (municipal 100 %): 1,781 万元 to 20 enterprises;
* 经开区工业企业发展扶持资金 #1 (district 40 / zone 60) and #2 (免申即享, 50 / 50) and
  南岸区民营经济发展扶持办法 #1 (district 100 %): 1,984 万元 to 67 enterprises;
* 制造业高质量发展中央财政专项资金 #1 (central 100 %): 2,113 万元 to 7 enterprises;

5,878 万元 in all, paid over the last 12 months (some in two tranches). A few of
those grants are only partly paid: their unpaid rest is approved but not secured,
so it is not in the totals. Beside them, applications in every other state
(draft, submitted, under review, rejected with a reason, approved and not yet
paid) whose money is counted nowhere.

The rows are written directly, not through the services, because they are
history: the services judge the window and the payment dates against *now*.
They are written as the services would have written them (the same split, the
same events). Deterministic (seeded) and idempotent: an application is found by
(enterprise, clause) and an existing one is left alone. The clauses come from
``policies.demo``; when that step has not made them, the few needed here are
created by natural key (policy title + level, clause number).
"""

import datetime
import random
from decimal import Decimal

from django.utils import timezone

from accounts.models import Role, User
from enterprises.models import Enterprise
from grids.models import Bureau
from policies.funding.models import Disbursement, FundingApplication, FundingEvent, FundingGrant, FundingState
from policies.funding.services import split_by_shares
from policies.models import ClauseMode, Policy, PolicyClause, PolicyState

SEED = 20261201

INFORMATIZATION = "企业信息化专项资金"
ZONE_SUPPORT = "经开区工业企业发展扶持资金"
DISTRICT_SUPPORT = "南岸区民营经济发展扶持办法"
CENTRAL_SPECIAL = "制造业高质量发展中央财政专项资金"

# (policy title, level, issuing body, clause number, clause title, mode, max, shares): the fallback.
CLAUSES = {
    "informatization": (
        INFORMATIZATION,
        "municipal",
        "市经济和信息化委员会",
        1,
        "信息化改造项目补助",
        ClauseMode.APPLY,
        200,
        {"municipal": 100},
    ),
    "zone_upgrade": (
        ZONE_SUPPORT,
        "zone",
        "经开区管委会",
        1,
        "技术改造扶持",
        ClauseMode.APPLY,
        100,
        {"district": 40, "zone": 60},
    ),
    "zone_relief": (
        ZONE_SUPPORT,
        "zone",
        "经开区管委会",
        2,
        "困难企业稳岗纾困",
        ClauseMode.EXEMPT,
        30,
        {"district": 50, "zone": 50},
    ),
    "district_interest": (
        DISTRICT_SUPPORT,
        "district",
        "南岸区人民政府",
        1,
        "民营企业贷款贴息",
        ClauseMode.FAST,
        50,
        {"district": 100},
    ),
    "central": (
        CENTRAL_SPECIAL,
        "central",
        "财政部 工业和信息化部",
        1,
        "制造业高质量发展项目补助",
        ClauseMode.APPLY,
        1000,
        {"central": 100},
    ),
}

# (clause key, enterprises, total 万元, lowest, highest, how many only partly paid, unpaid rest of each)
PAID = (
    ("informatization", 20, 1781, 40, 180, 3, 15),
    ("zone_upgrade", 25, 1180, 20, 95, 0, 0),
    ("district_interest", 22, 554, 10, 50, 0, 0),
    ("zone_relief", 20, 250, 6, 30, 0, 0),
    ("central", 7, 2113, 150, 500, 2, 80),
)

GROUP_OF = {
    "informatization": "municipal",
    "zone_upgrade": "district_zone",
    "district_interest": "district_zone",
    "zone_relief": "district_zone",
    "central": "central",
}

REJECTION_REASONS = (
    "项目信息化投资额未达到 100 万元的申报门槛。",
    "申报材料缺少项目竣工验收报告，请补齐后在下一批次申报。",
    "企业上一年度存在税收违法记录，不符合申报条件。",
    "同一项目已获得市级同类资金支持，不得重复申报。",
)

# (state, clause key, how many): applications whose money is not secured (not counted).
# How an application the enterprise made comes to be under review, a step a row: (action, from, to, who acts);
# then the reviewer's decision (``DECISIONS``). ``_applied`` writes the events up to the state asked for.
APPLIED_STEPS = (
    ("create", "", FundingState.DRAFT, "applicant"),
    ("submit", FundingState.DRAFT, FundingState.SUBMITTED, "applicant"),
    ("review", FundingState.SUBMITTED, FundingState.UNDER_REVIEW, "reviewer"),
)
DECISIONS = {FundingState.APPROVED: "approve", FundingState.REJECTED: "reject"}

PENDING = (
    (FundingState.DRAFT, "informatization", 2),
    (FundingState.DRAFT, "zone_upgrade", 2),
    (FundingState.SUBMITTED, "informatization", 3),
    (FundingState.SUBMITTED, "central", 2),
    (FundingState.UNDER_REVIEW, "zone_upgrade", 3),
    (FundingState.UNDER_REVIEW, "central", 2),
    (FundingState.REJECTED, "informatization", 2),
    (FundingState.REJECTED, "zone_upgrade", 2),
    (FundingState.APPROVED, "informatization", 2),
    (FundingState.APPROVED, "central", 1),
    (FundingState.APPROVED, "district_interest", 1),
)


def seed_demo_data(*, stdout) -> None:
    today = timezone.localdate()
    rng = random.Random(SEED)
    clauses, created_clauses = _clauses()
    if created_clauses:
        stdout.write(f"  created missing policy clauses: {', '.join(created_clauses)}")
    enterprises = list(Enterprise.objects.select_related("grid__leader").order_by("uscc"))
    users = {user.enterprise_id: user for user in User.objects.filter(role=Role.ENTERPRISE_USER).order_by("username")}
    bureaus = {bureau.code: bureau for bureau in Bureau.objects.filter(code__in=["econ", "finance"])}
    reviewers = {
        code: User.objects.filter(role=Role.BUREAU_STAFF, bureau=bureau).order_by("username").first()
        for code, bureau in bureaus.items()
    }
    world = _World(today=today, rng=rng, users=users, bureaus=bureaus, reviewers=reviewers)
    existing = set(FundingApplication.objects.values_list("enterprise_id", "clause_id"))
    made = 0
    # What this run means to have, whatever exists already: the draws never depend on the database,
    # and each application draws its dates from its own generator, so a second run picks the same rows.
    planned: set[tuple[int, int]] = set()
    # The article counts enterprises per group: within a group each enterprise is paid under one clause.
    taken_in_group: dict[str, set[int]] = {}
    for key, count, total, low, high, partial, rest in PAID:
        clause = clauses[key]
        taken = taken_in_group.setdefault(GROUP_OF[key], set())
        chosen = rng.sample([enterprise for enterprise in enterprises if enterprise.pk not in taken], count)
        taken.update(enterprise.pk for enterprise in chosen)
        amounts = _amounts(rng, total=total, count=count, low=low, high=high)
        for index, (enterprise, amount) in enumerate(zip(chosen, amounts, strict=True)):
            extra = Decimal(rest) if index < partial else Decimal(0)
            planned.add((enterprise.pk, clause.pk))
            if (enterprise.pk, clause.pk) in existing:
                continue
            world.rng = random.Random(f"{SEED}:{key}:{enterprise.uscc}")
            world.paid(enterprise, clause, paid=Decimal(amount), unpaid=extra)
            made += 1
    for state, key, count in PENDING:
        clause = clauses[key]
        candidates = [enterprise for enterprise in enterprises if (enterprise.pk, clause.pk) not in planned]
        for enterprise in rng.sample(candidates, count):
            planned.add((enterprise.pk, clause.pk))
            if (enterprise.pk, clause.pk) in existing:
                continue
            world.rng = random.Random(f"{SEED}:{key}:{state}:{enterprise.uscc}")
            world.pending(enterprise, clause, state=state)
            made += 1
    paid = sum(Disbursement.objects.values_list("amount", flat=True))
    stdout.write(f"  {made} funding applications created; {paid} 万元 disbursed in all")


def _clauses() -> tuple[dict[str, PolicyClause], list[str]]:
    found, created = {}, []
    for key, (title, level, body, number, clause_title, mode, most, shares) in CLAUSES.items():
        policy = Policy.objects.filter(title=title).order_by("id").first()
        if policy is None:
            policy = Policy.objects.create(
                title=title,
                level=level,
                issuing_body=body,
                key_points=clause_title,
                state=PolicyState.PUBLISHED,
                effective_from=datetime.date(2026, 1, 1),
                effective_to=datetime.date(2026, 12, 31),
                apply_from=datetime.date(2026, 1, 1),
                apply_to=datetime.date(2026, 12, 31),
            )
        clause, was_created = PolicyClause.objects.get_or_create(
            policy=policy,
            number=number,
            defaults={
                "title": clause_title,
                "mode": mode,
                "max_amount": Decimal(most),
                **{f"share_{level_key}": share for level_key, share in shares.items()},
            },
        )
        if was_created:
            created.append(f"{title} #{number}")
        found[key] = clause
    return found, created


def _amounts(rng: random.Random, *, total: int, count: int, low: int, high: int) -> list[int]:
    """``count`` whole amounts in [low, high] adding up to ``total`` exactly."""
    amounts = [low] * count
    left = total - low * count
    while left > 0:
        index = rng.randrange(count)
        step = min(left, rng.randint(1, 12), high - amounts[index])
        amounts[index] += step
        left -= step
    return amounts


class _World:
    def __init__(self, *, today, rng, users, bureaus, reviewers):
        self.today = today
        self.rng = rng
        self.users = users
        self.bureaus = bureaus
        self.reviewers = reviewers

    # --- helpers -----------------------------------------------------------------------------

    def _at(self, day: datetime.date) -> datetime.datetime:
        moment = datetime.datetime.combine(
            day, datetime.time(self.rng.randint(9, 17), self.rng.choice((0, 15, 30, 45)))
        )
        return timezone.make_aware(moment)

    def _bureau(self, clause: PolicyClause) -> str:
        return "finance" if clause.policy.level in ("central", "district") else "econ"

    def _first_day(self, clause: PolicyClause) -> datetime.date:
        opens = clause.policy.apply_from or (self.today - datetime.timedelta(days=365))
        return max(self.today - datetime.timedelta(days=358), opens + datetime.timedelta(days=7))

    def _create(self, enterprise, clause, *, requested, state, submitted_on, approved=None, decided_on=None, reason=""):
        bureau = self.bureaus[self._bureau(clause)]
        applicant = self.users.get(enterprise.pk)
        officer = enterprise.grid.leader
        exempt = clause.mode == ClauseMode.EXEMPT
        created_at = self._at(submitted_on - datetime.timedelta(days=self.rng.randint(0, 3)))
        application = FundingApplication(
            enterprise=enterprise,
            clause=clause,
            amount_requested=requested,
            purpose=""
            if exempt
            else self.rng.choice(
                ("智能化生产线改造", "工业互联网平台建设", "新产品研发及产业化", "设备更新与技术改造")
            ),
            guided_by=None if exempt else officer,
            reviewing_bureau=bureau,
            state=state,
            approved_amount=approved,
            rejection_reason=reason,
            submitted_at=None if state == FundingState.DRAFT else self._at(submitted_on),
            decided_at=self._at(decided_on) if decided_on else None,
            created_by=self.reviewers[bureau.code] if exempt else (applicant or officer),
        )
        application.full_clean()
        application.save()
        FundingApplication.objects.filter(pk=application.pk).update(created_at=created_at)
        return application, applicant or officer, self.reviewers[bureau.code]

    def _event(self, application, *, actor, action, from_state, to_state, day, reason="", amount=None, level=""):
        FundingEvent.objects.create(
            application=application,
            actor=actor,
            at=self._at(day),
            action=action,
            from_state=from_state,
            to_state=to_state,
            reason=reason,
            amount=amount,
            level=level,
        )

    def _applied(
        self,
        application,
        *,
        applicant,
        reviewer,
        until: str,
        submitted: datetime.date,
        reviewed: datetime.date | None = None,
        decided: datetime.date | None = None,
        amount: Decimal | None = None,
        reason: str = "",
    ) -> None:
        """The events of an application the enterprise made, up to the state ``until``: created and
        submitted on ``submitted``, reviewed on ``reviewed`` (that same day unless given), decided on ``decided``."""
        days = {"create": submitted, "submit": submitted, "review": reviewed or submitted}
        actors = {"applicant": applicant, "reviewer": reviewer}
        for action, from_state, to_state, who in APPLIED_STEPS:
            self._event(
                application,
                actor=actors[who],
                action=action,
                from_state=from_state,
                to_state=to_state,
                day=days[action],
            )
            if to_state == until:
                return
        self._event(
            application,
            actor=reviewer,
            action=DECISIONS[until],
            from_state=FundingState.UNDER_REVIEW,
            to_state=until,
            day=decided,
            reason=reason,
            amount=amount,
        )

    # --- secured money ---------------------------------------------------------------------------

    def paid(self, enterprise, clause, *, paid: Decimal, unpaid: Decimal) -> None:
        """An approved application paid ``paid`` 万元 (in one or two tranches), ``unpaid`` still to come."""
        rng = self.rng
        first = self._first_day(clause)
        span = (self.today - datetime.timedelta(days=12) - first).days
        decided = first + datetime.timedelta(days=rng.randint(0, max(span, 0)))
        submitted = max(decided - datetime.timedelta(days=rng.randint(10, 30)), first - datetime.timedelta(days=6))
        approved = paid + unpaid
        state = FundingState.DISBURSED if unpaid == 0 else FundingState.APPROVED
        application, applicant, reviewer = self._create(
            enterprise,
            clause,
            requested=approved,
            state=state,
            submitted_on=submitted,
            approved=approved,
            decided_on=decided,
        )
        exempt = clause.mode == ClauseMode.EXEMPT
        if exempt:
            self._event(
                application,
                actor=reviewer,
                action="exempt",
                from_state="",
                to_state="approved",
                day=decided,
                amount=approved,
            )
        else:
            self._applied(
                application,
                applicant=applicant,
                reviewer=reviewer,
                until=FundingState.APPROVED,
                submitted=submitted,
                reviewed=submitted + datetime.timedelta(days=max(1, (decided - submitted).days // 3)),
                decided=decided,
                amount=approved,
            )
        grants = split_by_shares(approved, clause.shares)
        # What is paid: every level in full, except a partial grant's last level keeps its unpaid rest.
        to_pay = dict(grants)
        if unpaid:
            last = list(to_pay)[-1]
            to_pay[last] -= unpaid
        latest = self.today - datetime.timedelta(days=1)
        payments = []
        for level, amount in to_pay.items():
            day = min(decided + datetime.timedelta(days=rng.randint(5, 45)), latest)
            if amount >= 100 and rng.random() < 0.6 and (latest - day).days > 20:
                first_part = (amount * Decimal("0.6")).quantize(Decimal("1"))
                later = min(day + datetime.timedelta(days=rng.randint(20, 90)), latest)
                payments += [(level, first_part, day), (level, amount - first_part, later)]
            else:
                payments.append((level, amount, day))
        for level, granted in grants.items():
            FundingGrant.objects.create(
                application=application, level=level, granted_amount=granted, disbursed_amount=to_pay[level]
            )
        running = Decimal(0)
        for number, (level, amount, day) in enumerate(sorted(payments, key=lambda item: item[2]), start=1):
            Disbursement.objects.create(
                application=application,
                level=level,
                amount=amount,
                disbursed_on=day,
                recorded_by=reviewer,
                recorded_at=self._at(day),
                note=f"第{number}笔",
            )
            running += amount
            to_state = "disbursed" if running == approved else "approved"
            self._event(
                application,
                actor=reviewer,
                action="disburse",
                from_state="approved",
                to_state=to_state,
                day=day,
                amount=amount,
                level=level,
            )

    # --- not secured -------------------------------------------------------------------------------

    def pending(self, enterprise, clause, *, state: str) -> None:
        rng = self.rng
        requested = Decimal(rng.randint(2, 9) * 10)
        if clause.max_amount is not None:
            requested = min(requested, clause.max_amount)
        submitted = self.today - datetime.timedelta(days=rng.randint(2, 40))
        decided = submitted + datetime.timedelta(days=rng.randint(1, 2)) if state in ("approved", "rejected") else None
        approved = (requested * Decimal("0.8")).quantize(Decimal("1")) if state == FundingState.APPROVED else None
        reason = rng.choice(REJECTION_REASONS) if state == FundingState.REJECTED else ""
        application, applicant, reviewer = self._create(
            enterprise,
            clause,
            requested=requested,
            state=state,
            submitted_on=submitted,
            approved=approved,
            decided_on=decided,
            reason=reason,
        )
        self._applied(
            application,
            applicant=applicant,
            reviewer=reviewer,
            until=state,
            submitted=submitted,
            decided=decided,
            amount=approved,
            reason=reason,
        )
        if state == FundingState.APPROVED:
            for level, granted in split_by_shares(approved, clause.shares).items():
                FundingGrant.objects.create(application=application, level=level, granted_amount=granted)
