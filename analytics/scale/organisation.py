"""The organisation and the enterprises of a synthetic province.

Districts, grid teams (each with a leader who is its officer), the bureaus, categories and a task
force the ledger hands issues to, and enterprises, each with a primary contact and its 建档
tier-history row. Values are deterministic per serial number. The enterprises' audit history is
not written (no simple_history rows): benchmarks read lists and pages, not the change log.
"""

import random
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db import transaction

from accounts.models import Role, User
from enterprises.models import Enterprise, EnterpriseContact, Industry, Ownership, Tier, TierChange
from enterprises.registry.uscc import ALPHABET, make_uscc
from grids.demo import demo_password_hash
from grids.models import Bureau, District, GridTeam, JointTaskForce
from issues.models import Category

USCC_PREFIX = "91990000"
TIERS = (Tier.LEADING, Tier.BACKBONE, Tier.GROWTH, Tier.STRUGGLING)
TIER_WEIGHTS = (5, 16, 66, 13)  # as in the demo zone
OWNERSHIPS = (Ownership.PRIVATE, Ownership.STATE, Ownership.FOREIGN, Ownership.MIXED)
OWNERSHIP_WEIGHTS = (88, 5, 4, 3)
ENROLLED_AT = datetime(2024, 3, 1, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def scale_uscc(serial: int) -> str:
    """A valid, unique USCC for synthetic enterprise ``serial`` (base-31 digits)."""
    digits = []
    for _ in range(9):
        serial, remainder = divmod(serial, len(ALPHABET))
        digits.append(ALPHABET[remainder])
    return make_uscc(USCC_PREFIX + "".join(reversed(digits)))


@transaction.atomic
def make_organisation(*, districts: int, grids: int, say) -> list[int]:
    """Create the synthetic districts, grid teams and their people that are missing; ids in grid order."""
    district_codes = [f"S{number:03d}" for number in range(1, districts + 1)]
    grid_codes = [f"S{number:05d}" for number in range(1, grids + 1)]
    users = [
        User(username=f"scale-district-{code}", name=f"片区负责人{code}", role=Role.DISTRICT_LEADER)
        for code in district_codes
    ] + [User(username=f"scale-officer-{code}", name=f"网格员{code}", role=Role.GRID_OFFICER) for code in grid_codes]
    existing = set(User.objects.filter(username__startswith="scale-").values_list("username", flat=True))
    password = demo_password_hash()
    new_users = [user for user in users if user.username not in existing]
    for user in new_users:
        user.password = password
    User.objects.bulk_create(new_users, batch_size=1000)
    user_ids = dict(User.objects.filter(username__startswith="scale-").values_list("username", "id"))

    existing = set(District.objects.filter(code__in=district_codes).values_list("code", flat=True))
    District.objects.bulk_create(
        [
            District(code=code, name=f"规模测试片区{code}", leader_id=user_ids[f"scale-district-{code}"])
            for code in district_codes
            if code not in existing
        ]
    )
    district_ids = dict(District.objects.filter(code__in=district_codes).values_list("code", "id"))

    existing = set(GridTeam.objects.filter(code__in=grid_codes).values_list("code", flat=True))
    new_teams = [
        GridTeam(
            code=code,
            name=f"规模测试网格{code}",
            district_id=district_ids[district_codes[index % districts]],
            leader_id=user_ids[f"scale-officer-{code}"],
        )
        for index, code in enumerate(grid_codes)
        if code not in existing
    ]
    GridTeam.objects.bulk_create(new_teams, batch_size=1000)
    grid_ids = dict(GridTeam.objects.filter(code__in=grid_codes).values_list("code", "id"))
    Membership = GridTeam.officers.through
    Membership.objects.bulk_create(
        [Membership(gridteam_id=grid_ids[team.code], user_id=team.leader_id) for team in new_teams],
        batch_size=1000,
    )
    say(f"organisation: {districts} districts, {grids} grid teams ({len(new_teams)} new)")
    return [grid_ids[code] for code in grid_codes]


def make_enterprises(serials: range, grid_ids: list[int]) -> None:
    industries = Industry.values
    rows = []
    for serial in serials:
        rng = random.Random(f"jingkai-scale-{serial}")
        tier = rng.choices(TIERS, TIER_WEIGHTS)[0]
        rows.append(
            Enterprise(
                name=f"规模测试企业{serial:06d}有限公司",
                uscc=scale_uscc(serial),
                ownership=rng.choices(OWNERSHIPS, OWNERSHIP_WEIGHTS)[0],
                industry=rng.choice(industries),
                above_scale=tier == Tier.LEADING or rng.random() < 0.3,
                tier=tier,
                grid_id=grid_ids[serial % len(grid_ids)],
                address=f"规模测试园区{serial % 97 + 1}路{serial % 499 + 1}号",
                legal_representative=f"法人{serial:06d}",
                employees=rng.randint(10, 3000),
                registered_capital=Decimal(rng.randint(50, 50000)),
            )
        )
    created = Enterprise.objects.bulk_create(rows)
    TierChange.objects.bulk_create(
        TierChange(enterprise_id=row.pk, from_tier="", to_tier=row.tier, reason="建档", changed_at=ENROLLED_AT)
        for row in created
    )
    EnterpriseContact.objects.bulk_create(
        EnterpriseContact(enterprise_id=row.pk, name=f"联系人{index:06d}", title="办公室主任", is_primary=True)
        for index, row in zip(serials, created, strict=True)
    )


SCALE_BUREAUS = (
    ("scale-economy", "规模测试经发局"),
    ("scale-planning", "规模测试规划局"),
    ("scale-environment", "规模测试生态环境局"),
    ("scale-safety", "规模测试应急管理局"),
    ("scale-labour", "规模测试人社局"),
    ("scale-finance", "规模测试财政金融局"),
)


@dataclass(frozen=True)
class LedgerUnits:
    """Who the synthetic ledger hands issues to: per category its bureau, each bureau's staff, one task force."""

    category_bureaus: dict[int, int]  # category id → default bureau id
    bureau_staff: dict[int, int]  # bureau id → its staff user id
    task_force_id: int


@transaction.atomic
def make_ledger_units() -> LedgerUnits:
    """The synthetic bureaus (each with one staff user), one category per bureau and a task force; idempotent."""
    password = demo_password_hash()
    category_bureaus: dict[int, int] = {}
    bureau_staff: dict[int, int] = {}
    for code, name in SCALE_BUREAUS:
        bureau, _ = Bureau.objects.get_or_create(code=code, defaults={"name": name})
        staff, created = User.objects.get_or_create(
            username=f"{code}-staff",
            defaults={"name": f"{name}经办人", "role": Role.BUREAU_STAFF, "bureau": bureau, "password": password},
        )
        bureau_staff[bureau.pk] = staff.pk
        category, _ = Category.objects.get_or_create(
            code=code, defaults={"name": name.replace("规模测试", "规模测试类别·"), "default_bureau": bureau}
        )
        category_bureaus[category.pk] = bureau.pk
    lead = Bureau.objects.get(code=SCALE_BUREAUS[0][0])
    task_force, created = JointTaskForce.objects.get_or_create(
        name="规模测试联合服务专班", defaults={"lead_bureau": lead}
    )
    if created:
        task_force.bureaus.set(bureau_staff)
    return LedgerUnits(category_bureaus=category_bureaus, bureau_staff=bureau_staff, task_force_id=task_force.pk)
