"""``python manage.py generate_scale --enterprises N``: a synthetic province for benchmarks (DESIGN §5).

``--enterprises 100000 --grids 3000 --districts 120 --visits-per-enterprise 20
--issues-per-enterprise 5 --months 12`` makes a province: the organisation, the enterprises, and
for each enterprise its visits, weekly tracking and ledger issues with their timelines
(``analytics.scale``). Batched, one transaction per batch, with progress; COPY on PostgreSQL;
``ANALYZE`` at the end. Resumable and idempotent: a second run with the same sizes adds nothing,
a larger ``--enterprises`` tops the set up, and an enterprise gets its activity once (the
enterprises that have none yet get it, so ``--visits-per-enterprise 0`` first and a later run
with activity fills it in). Run it on a database of its own so the demo zone stays intact.
"""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from analytics.scale import activity, organisation, rows
from enterprises.models import Enterprise
from fieldwork.models import Visit, WeeklyTracking
from issues.models import Issue, IssueEvent

USCC_PREFIX = organisation.USCC_PREFIX


class Command(BaseCommand):
    help = "Generate a synthetic province (organisation, enterprises, visits, tracking, issues) for benchmarks."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--enterprises", type=int, required=True, help="synthetic enterprises wanted in total")
        parser.add_argument("--districts", type=int, default=20, help="synthetic districts (default 20)")
        parser.add_argument("--grids", type=int, default=500, help="synthetic grid teams (default 500)")
        parser.add_argument("--visits-per-enterprise", type=int, default=0, help="visits per enterprise (default 0)")
        parser.add_argument("--issues-per-enterprise", type=int, default=0, help="issues per enterprise (default 0)")
        parser.add_argument("--months", type=int, default=12, help="months of activity before today (default 12)")
        parser.add_argument(
            "--tracking-weeks", type=int, default=None, help="weeks of weekly tracking (default: 12 with activity)"
        )
        parser.add_argument("--batch-size", type=int, default=2000, help="enterprises per batch (default 2000)")

    def handle(self, *args, enterprises: int, districts: int, grids: int, batch_size: int, **options) -> None:
        visits, issues, months = options["visits_per_enterprise"], options["issues_per_enterprise"], options["months"]
        with_activity = visits > 0 or issues > 0
        tracking_weeks = options["tracking_weeks"]
        if tracking_weeks is None:
            tracking_weeks = 12 if with_activity else 0
        if enterprises < 0 or districts < 1 or grids < 1 or batch_size < 1:
            raise CommandError("--enterprises must be 0 or more; --districts, --grids and --batch-size at least 1.")
        if grids < districts:
            raise CommandError("--grids must be at least --districts (every district holds a grid team).")
        if visits < 0 or issues < 0 or tracking_weeks < 0 or not 1 <= months <= 60:
            raise CommandError(
                "--visits-per-enterprise, --issues-per-enterprise and --tracking-weeks must be 0 or more; "
                "--months between 1 and 60."
            )
        started = time.monotonic()
        grid_ids = organisation.make_organisation(districts=districts, grids=grids, say=self.stdout.write)
        self._enterprises(total=enterprises, grid_ids=grid_ids, batch_size=batch_size, started=started)
        if with_activity or tracking_weeks:
            plan = activity.Plan(
                today=timezone.localdate(), months=months, visits=visits, issues=issues, tracking_weeks=tracking_weeks
            )
            self._activity(plan=plan, batch_size=batch_size, started=started)
        # Fresh planner statistics: after a bulk load PostgreSQL still believes the
        # tables are tiny and picks nested loops that take seconds on the lists.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        self.stdout.write(self.style.SUCCESS(f"Done in {time.monotonic() - started:.1f} s."))

    def _progress(self, label: str, done: int, total: int, started: float) -> None:
        self.stdout.write(f"  {label} {done:,}/{total:,} ({done * 100 // total}%) {time.monotonic() - started:.1f} s")
        self.stdout.flush()

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
                organisation.make_enterprises(serials, grid_ids)
            self._progress("enterprises", serials[-1], total, started)

    def _activity(self, *, plan: activity.Plan, batch_size: int, started: float) -> None:
        """Visits, tracking and issues for every synthetic enterprise that has none yet."""
        units = organisation.make_ledger_units()
        synthetic = Enterprise.objects.filter(uscc__startswith=USCC_PREFIX)
        waiting = list(
            synthetic.exclude(pk__in=Visit.objects.values("enterprise"))
            .exclude(pk__in=Issue.objects.values("enterprise"))
            .exclude(pk__in=WeeklyTracking.objects.values("enterprise"))
            .order_by("pk")
            .values_list("pk", "employees", "grid__leader_id")
        )
        if not waiting:
            self.stdout.write("activity: every synthetic enterprise has its activity, nothing to add")
            return
        self.stdout.write(
            f"activity: {len(waiting)} enterprises × {plan.visits} visits, {plan.issues} issues, "
            f"{plan.tracking_weeks} tracked weeks over {plan.months} months"
        )
        ids = activity.Ids()
        for first in range(0, len(waiting), batch_size):
            batch = activity.Batch()
            for enterprise in waiting[first : first + batch_size]:
                activity.enterprise_activity(batch, enterprise=enterprise, plan=plan, units=units, ids=ids)
            with transaction.atomic():
                rows.write(Visit, batch.visits)
                rows.write(WeeklyTracking, batch.trackings)
                rows.write(Issue, batch.issues)
                rows.write(IssueEvent, batch.events)
                rows.write(Issue.bureaus_involved.through, batch.bureau_links)
                rows.write(Visit.raised_issues.through, batch.visit_links)
            self._progress("activity", min(first + batch_size, len(waiting)), len(waiting), started)
        rows.reset_sequences(
            Visit, WeeklyTracking, Issue, IssueEvent, Issue.bureaus_involved.through, Visit.raised_issues.through
        )
