"""Demo data of the policy library (``seed_demo`` step ``policies.demo``).

Deterministic and idempotent: policies are found by title (an existing one is left as it is),
facts by (enterprise, key), pushes by (policy, enterprise); receipts are set only on pushes
created in this run. The library is in ``policies.demo_data`` with its stable clause names.
Some enterprises of grid 01 (officer-01) keep their informatization investment unrecorded, so
officer-01's home lists facts to collect.
"""

import datetime
import random
from collections import defaultdict

from accounts.models import Role, User
from enterprises.models import Enterprise
from grids.models import GridTeam
from policies import eligibility, services
from policies.demo_data import CENTRAL_SPECIAL, DISTRICT_SUPPORT, INFORMATIZATION, POLICIES, ZONE_SUPPORT
from policies.models import Answer, EligibilityResult, EnterpriseFact, Policy, PolicyPush, PolicyState, PushState

SEED = 20261001
TZ = datetime.timezone(datetime.timedelta(hours=8))
PUBLISHED_AT = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=TZ)
EVALUATED_AT = datetime.datetime(2026, 11, 30, 3, 10, tzinfo=TZ)
FACTS_FROM = datetime.datetime(2026, 4, 1, 10, 0, tzinfo=TZ)
PUSHED_FROM = datetime.datetime(2026, 3, 10, 9, 30, tzinfo=TZ)
PUSHED_POLICIES = (INFORMATIZATION, ZONE_SUPPORT, CENTRAL_SPECIAL)


def seed_demo_data(*, stdout) -> None:
    manager = User.objects.get(username="manager")
    created = _library(manager)
    stdout.write(f"  {created} policies created, {Policy.objects.count()} in the library")
    rng = random.Random(SEED)
    officers = _officers_by_grid()
    facts = _facts(rng, officers)
    stdout.write(f"  {facts} enterprise facts recorded")
    written = eligibility.evaluate_enterprises(at=EVALUATED_AT)
    stdout.write(
        f"  {written} eligibility results ({EligibilityResult.objects.filter(answer=Answer.UNKNOWN).count()} unknown)"
    )
    pushes = _pushes(rng, officers)
    stdout.write(f"  {pushes} pushes created, {PolicyPush.objects.count()} in all")


def _library(manager: User) -> int:
    existing = set(Policy.objects.values_list("title", flat=True))
    created = 0
    for index, spec in enumerate(POLICIES):
        if spec["title"] in existing:
            continue
        fields = {name: spec[name] for name in services.POLICY_FIELDS if name in spec}
        fields["effective_from"] = (
            datetime.date(2026, 1, 1) if spec["state"] != "expired" else datetime.date(2025, 1, 1)
        )
        fields["effective_to"] = (
            datetime.date(2026, 12, 31) if spec["state"] != "expired" else datetime.date(2025, 12, 31)
        )
        fields["apply_from"], fields["apply_to"] = fields["effective_from"], fields["effective_to"]
        policy = services.policy_create(actor=manager, **fields)
        for clause in spec["clauses"]:
            services.clause_save(policy=policy, actor=manager, **clause)
        if spec["state"] in (PolicyState.PUBLISHED, PolicyState.EXPIRED):
            policy = services.policy_publish(policy=policy, actor=manager)
        if spec["state"] == PolicyState.EXPIRED:
            policy = services.policy_expire(policy=policy, actor=manager)
        # History, not a transition: the library was built at the start of the year.
        at = PUBLISHED_AT + datetime.timedelta(days=index)
        Policy.objects.filter(pk=policy.pk).update(
            published_at=at if policy.published_at else None,
            expired_at=datetime.datetime(2026, 1, 1, 0, 0, tzinfo=TZ) if policy.expired_at else None,
        )
        created += 1
    return created


def _officers_by_grid() -> dict[int, User]:
    officers = {}
    for grid in GridTeam.objects.select_related("leader").prefetch_related("officers").order_by("code"):
        people = sorted(grid.officers.all(), key=lambda user: user.username) or ([grid.leader] if grid.leader else [])
        if people:
            officers[grid.pk] = people[0]
    return officers


def _facts(rng: random.Random, officers: dict[int, User]) -> int:
    enterprises = list(Enterprise.objects.select_related("grid").order_by("uscc"))
    have = {(row[0], row[1]) for row in EnterpriseFact.objects.values_list("enterprise_id", "key")}
    rows = []
    grid_01_count = 0
    for enterprise in enterprises:
        draws = {
            key: rng.random()
            for key in ("informatization_investment", "rd_spend", "last_year_revenue", "high_tech_certified")
        }
        amounts = {
            "informatization_investment": rng.choice([15, 40, 80, 120, 180, 260, 400]),
            "rd_spend": rng.choice([20, 60, 120, 350, 600]),
            "last_year_revenue": rng.choice([1200, 3000, 5200, 8800, 26000]),
            "high_tech_certified": rng.random() < 0.5,
        }
        day = rng.randrange(0, 200)
        in_grid_01 = enterprise.grid.code == "01"
        if in_grid_01:
            grid_01_count += 1
        for key, draw in draws.items():
            wanted = draw < (0.55 if enterprise.above_scale else 0.3)
            if in_grid_01 and key == "informatization_investment":
                wanted = grid_01_count % 2 == 0  # every other one left for officer-01 to collect
            if not wanted or (enterprise.pk, key) in have:
                continue
            rows.append(
                EnterpriseFact(
                    enterprise=enterprise,
                    key=key,
                    value=amounts[key],
                    source="visit",
                    recorded_by=officers.get(enterprise.grid_id),
                    recorded_at=FACTS_FROM + datetime.timedelta(days=day),
                )
            )
    EnterpriseFact.objects.bulk_create(rows, batch_size=500)
    return len(rows)


def _pushes(rng: random.Random, officers: dict[int, User]) -> int:
    users = {user.enterprise_id: user for user in User.objects.filter(role=Role.ENTERPRISE_USER).order_by("username")}
    created_total = 0
    for title in PUSHED_POLICIES:
        policy = Policy.objects.get(title=title)
        if PolicyPush.objects.filter(policy=policy).exists():
            continue
        eligible = (
            EligibilityResult.objects.filter(clause__policy=policy, answer__in=(Answer.ELIGIBLE, Answer.UNKNOWN))
            .values_list("enterprise_id", flat=True)
            .distinct()
        )
        by_grid = defaultdict(list)
        for enterprise in Enterprise.objects.filter(pk__in=eligible).order_by("uscc"):
            by_grid[enterprise.grid_id].append(enterprise)
        for grid_id, enterprises in sorted(by_grid.items()):
            officer = officers.get(grid_id)
            if officer is None:
                continue
            note = f"贵企业可能符合《{policy.title}》，网格员可上门指导申报。"
            outcome = services.push_send(policy=policy, actor=officer, enterprises=enterprises, note=note)
            _receipts(rng, outcome.created, officer, users)
            created_total += len(outcome.created)
    district_policy = Policy.objects.get(title=DISTRICT_SUPPORT)
    if not PolicyPush.objects.filter(policy=district_policy).exists():
        leader = User.objects.get(username="district-1")
        struggling = list(
            Enterprise.objects.filter(grid__district__leader=leader, tier="struggling", ownership="private")
        )
        if struggling:
            outcome = services.push_send(
                policy=district_policy,
                actor=leader,
                enterprises=struggling,
                note="困难民营企业贷款可申请贴息，请联系网格员。",
            )
            _receipts(rng, outcome.created, leader, users)
            created_total += len(outcome.created)
    return created_total


def _receipts(rng: random.Random, pushes: list[PolicyPush], officer: User, users: dict[int, User]) -> None:
    """History of the demo year: when each push went out and how far its receipt got."""
    for push in pushes:
        pushed_at = PUSHED_FROM + datetime.timedelta(days=rng.randrange(0, 220), minutes=rng.randrange(0, 480))
        draw = rng.random()
        user = users.get(push.enterprise_id)
        fields = {"pushed_at": pushed_at}
        if user is not None and draw >= 0.35:
            fields.update(state=PushState.OPENED, opened_at=pushed_at + datetime.timedelta(hours=6), opened_by=user)
            if draw >= 0.6:
                fields.update(
                    state=PushState.ACKNOWLEDGED,
                    acknowledged_at=pushed_at + datetime.timedelta(days=1),
                    acknowledged_by=user,
                )
        if draw >= 0.85:
            fields.update(
                state=PushState.ACKNOWLEDGED,
                acknowledged_at=pushed_at + datetime.timedelta(days=3),
                acknowledged_by=officer,
                in_person=True,
                in_person_note="走访时当面逐条解读，企业已知晓申报要求。",
            )
            if user is None or draw >= 0.93:
                fields.update(opened_at=None, opened_by=None)
        PolicyPush.objects.filter(pk=push.pk).update(**fields)
