"""Demo data of the labour platform: postings, proposals in every state, 600 person-times moved.

Struggling firms post their idle workers, growing, backbone and leading firms their
vacancies. Thirty past pairs were proposed, agreed and their workers transferred —
600 person-times in all (FACTS.md), spread over the last year by start date; the
current postings get their proposals from the matcher and are left in every state.

Deterministic (a fixed seed, firms in USCC order) and idempotent: when the platform
already has postings the step leaves everything as it is. Every row is written by the
services, so the demo obeys the same rules as the pages.
"""

import datetime
import random

from django.utils import timezone

from accounts.models import User
from enterprises.models import Enterprise, Tier
from grids.models import GridTeam
from platforms.demo import backdate, leave_in_every_state, users_by_enterprise
from platforms.labour.models import LabourPosting, LabourProposal, Skill, Transfer
from platforms.labour.services import (
    labour_posting_create,
    labour_proposal_act,
    labour_propose,
    labour_transfer_record,
)
from platforms.matching import AGREE, CONTACT, ProposalState

TOTAL_PERSON_TIMES = 600  # FACTS.md: 600 人次 moved from struggling to growing firms
DEALS = 30
CURRENT_DEMANDS = 16
CURRENT_SURPLUSES = 10
SKILLS = list(Skill.values)
DECLINE_REASONS = ("工期不匹配", "岗位要求不一致", "通勤距离较远", "企业订单回升，员工留用")


def _deal_counts(rng: random.Random) -> list[int]:
    counts = [TOTAL_PERSON_TIMES // DEALS] * DEALS
    for _ in range(60):
        give, take, amount = rng.randrange(DEALS), rng.randrange(DEALS), rng.randint(1, 6)
        if give != take and counts[take] - amount >= 6:
            counts[give] += amount
            counts[take] -= amount
    assert sum(counts) == TOTAL_PERSON_TIMES
    return counts


def _officer_of(grid: GridTeam) -> User:
    return grid.leader or grid.officers.order_by("username").first()


def seed_demo_data(*, stdout, today: datetime.date | None = None) -> None:
    if LabourPosting.objects.exists():
        stdout.write("  labour postings present: left as they are")
        return
    today = today or timezone.localdate()
    rng = random.Random("jingkai-labour")
    firms = Enterprise.objects.select_related("grid").order_by("uscc")
    struggling = list(firms.filter(tier=Tier.STRUGGLING))
    receiving = list(firms.filter(tier__in=[Tier.GROWTH, Tier.BACKBONE, Tier.LEADING]))
    users = users_by_enterprise()
    zone = timezone.get_current_timezone()

    # Thirty past pairs: posted, proposed, agreed and transferred, one every eleven days or so.
    for number, count in enumerate(_deal_counts(rng)):
        giver, taker = struggling[number % len(struggling)], receiving[(number * 7) % len(receiving)]
        starts_on = today - datetime.timedelta(days=20 + number * 11)
        posted_on = starts_on - datetime.timedelta(days=10)
        skills = rng.sample(SKILLS, 2)
        window = {
            "starts_on": starts_on - datetime.timedelta(days=5),
            "ends_on": starts_on + datetime.timedelta(days=120),
        }
        surplus = labour_posting_create(
            actor=users[giver.pk],
            enterprise=giver,
            kind="surplus",
            skills=skills,
            count=count + rng.randint(0, 8),
            **window,
        )
        demand = labour_posting_create(
            actor=users[taker.pk],
            enterprise=taker,
            kind="demand",
            skills=[skills[0], *rng.sample([s for s in SKILLS if s not in skills], rng.randint(0, 1))],
            count=count + rng.randint(0, 4),
            **window,
        )
        officer = _officer_of(giver.grid)
        proposal = labour_propose(surplus=surplus, demand=demand)
        proposal = labour_proposal_act(proposal=proposal, action=CONTACT, actor=officer)
        proposal = labour_proposal_act(proposal=proposal, action=AGREE, actor=users[taker.pk])
        transfer = labour_transfer_record(
            actor=officer,
            from_enterprise=giver,
            to_enterprise=taker,
            proposal=proposal,
            count=count,
            starts_on=starts_on,
            ends_on=starts_on + datetime.timedelta(days=rng.choice((60, 90, 120))),
            workers_consent=True,
            contract_unchanged=True,
            no_fee=True,
        )
        moment = datetime.datetime.combine(posted_on, datetime.time(9, 30), tzinfo=zone)
        for posting in (surplus, demand):
            backdate(LabourPosting, posting.pk, moment)
        agreed_at = moment + datetime.timedelta(days=6)
        backdate(
            LabourProposal,
            proposal.pk,
            moment,
            contacted_at=moment + datetime.timedelta(days=2),
            decided_at=agreed_at,
            expires_on=posted_on + datetime.timedelta(days=30),
        )
        backdate(Transfer, transfer.pk, agreed_at + datetime.timedelta(days=1))

    # Current postings: vacancies first, then idle workers, each matched as it is posted.
    for number in range(CURRENT_DEMANDS):
        firm = receiving[(number * 11 + 3) % len(receiving)]
        starts_on = today + datetime.timedelta(days=rng.randint(3, 30))
        labour_posting_create(
            actor=users[firm.pk],
            enterprise=firm,
            kind="demand",
            skills=rng.sample(SKILLS, rng.randint(1, 2)),
            count=rng.randint(5, 30),
            starts_on=starts_on,
            ends_on=starts_on + datetime.timedelta(days=rng.choice((60, 90, 180))),
        )
    for number in range(CURRENT_SURPLUSES):
        firm = struggling[(len(struggling) - 1 - number) % len(struggling)]
        starts_on = today + datetime.timedelta(days=rng.randint(0, 20))
        labour_posting_create(
            actor=users[firm.pk],
            enterprise=firm,
            kind="surplus",
            skills=rng.sample(SKILLS, rng.randint(2, 3)),
            count=rng.choice((10, 15, 20, 25, 30, 40)),
            starts_on=starts_on,
            ends_on=starts_on + datetime.timedelta(days=rng.choice((90, 120, 180))),
            skills_note="停产期间富余员工，可短期共享",
        )

    # Leave the current proposals in every state.
    current = LabourProposal.objects.filter(state=ProposalState.PROPOSED).select_related(
        "surplus__enterprise__grid", "demand__enterprise"
    )
    ordered = sorted(current, key=lambda p: (p.surplus.enterprise.uscc, p.demand.enterprise.uscc, p.surplus.starts_on))
    leave_in_every_state(
        ordered,
        act=labour_proposal_act,
        actor_of=lambda proposal: _officer_of(proposal.surplus.enterprise.grid),
        reasons=DECLINE_REASONS,
        contact_before_agree=True,
    )
    total = sum(Transfer.objects.values_list("count", flat=True))
    stdout.write(
        f"  {LabourPosting.objects.count()} postings, {LabourProposal.objects.count()} proposals, "
        f"{Transfer.objects.count()} transfers = {total} person-times"
    )
