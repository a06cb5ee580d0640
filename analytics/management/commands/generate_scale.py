"""``python manage.py generate_scale --enterprises N``: synthetic data at
province scale for benchmarks (DESIGN §5).

Districts, grid teams (each with a leader who is its officer) and N
enterprises, each with a primary contact and its 建档 tier-history row, all
written with batched bulk inserts, one transaction per batch, with progress.
100,000 enterprises take well under a minute on SQLite or PostgreSQL.

Synthetic rows are marked so they never mix with the demo zone: codes start
with ``S``, usernames with ``scale-``, and USCCs carry the region code 990000,
which no real region has. Resumable and idempotent: it tops the synthetic set
up to N (a second run with the same N adds nothing). Values are deterministic
per serial number. The enterprises' audit history is not written (no
simple_history rows): benchmarks read lists and pages, not the change log.
"""

import random
import time
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from accounts.models import Role, User
from enterprises.models import Enterprise, EnterpriseContact, Industry, Ownership, Tier, TierChange
from enterprises.uscc import ALPHABET, make_uscc
from grids.demo import demo_password_hash
from grids.models import District, GridTeam

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


class Command(BaseCommand):
    help = "Generate synthetic province-scale data (districts, grid teams, enterprises) for benchmarks."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--enterprises", type=int, required=True, help="synthetic enterprises wanted in total")
        parser.add_argument("--districts", type=int, default=20, help="synthetic districts (default 20)")
        parser.add_argument("--grids", type=int, default=500, help="synthetic grid teams (default 500)")
        parser.add_argument("--batch-size", type=int, default=2000, help="rows per insert batch (default 2000)")

    def handle(self, *args, enterprises: int, districts: int, grids: int, batch_size: int, **options) -> None:
        if enterprises < 0 or districts < 1 or grids < 1 or batch_size < 1:
            raise CommandError("--enterprises must be 0 or more; --districts, --grids and --batch-size at least 1.")
        if grids < districts:
            raise CommandError("--grids must be at least --districts (every district holds a grid team).")
        started = time.monotonic()
        grid_ids = self._organisation(districts=districts, grids=grids)
        self._enterprises(total=enterprises, grid_ids=grid_ids, batch_size=batch_size, started=started)
        # Fresh planner statistics: after a bulk load PostgreSQL still believes the
        # tables are tiny and picks nested loops that take seconds on the lists.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        self.stdout.write(self.style.SUCCESS(f"Done in {time.monotonic() - started:.1f} s."))

    @transaction.atomic
    def _organisation(self, *, districts: int, grids: int) -> list[int]:
        """Create the synthetic districts, grid teams and their people that are missing; ids in grid order."""
        district_codes = [f"S{number:03d}" for number in range(1, districts + 1)]
        grid_codes = [f"S{number:05d}" for number in range(1, grids + 1)]
        users = [
            User(username=f"scale-district-{code}", name=f"片区负责人{code}", role=Role.DISTRICT_LEADER)
            for code in district_codes
        ] + [
            User(username=f"scale-officer-{code}", name=f"网格员{code}", role=Role.GRID_OFFICER) for code in grid_codes
        ]
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
        self.stdout.write(f"organisation: {districts} districts, {grids} grid teams ({len(new_teams)} new)")
        return [grid_ids[code] for code in grid_codes]

    def _enterprises(self, *, total: int, grid_ids: list[int], batch_size: int, started: float) -> None:
        # Batches commit in serial order, so the synthetic set is always serials 1..present.
        present = Enterprise.objects.filter(uscc__startswith=USCC_PREFIX).count()
        if present >= total:
            self.stdout.write(f"enterprises: {present} present, nothing to add")
            return
        self.stdout.write(f"enterprises: {present} present, adding {total - present}")
        for first in range(present + 1, total + 1, batch_size):
            serials = range(first, min(first + batch_size, total + 1))
            with transaction.atomic():
                self._enterprise_batch(serials, grid_ids)
            done = serials[-1]
            self.stdout.write(
                f"  {done:,}/{total:,} ({done * 100 // total}%) {time.monotonic() - started:.1f} s", ending="\n"
            )
            self.stdout.flush()

    def _enterprise_batch(self, serials: range, grid_ids: list[int]) -> None:
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
