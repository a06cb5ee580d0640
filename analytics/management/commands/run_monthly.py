"""``python manage.py run_monthly --month 2026-10``: the monthly analysis for any finished month."""

import time

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from analytics.monthly import monthly_analysis_run
from common.periods import Month, previous_month


class Command(BaseCommand):
    help = "Compute and store the monthly snapshots and Excel reports (idempotent; default: last month)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--month", help="YYYY-MM, e.g. 2026-10 (default: the previous month)")

    def handle(self, *args, **options) -> None:
        try:
            month = Month.parse(options["month"]) if options["month"] else previous_month()
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        started = time.monotonic()
        steps = iter(range(1, 100))

        def progress(message: str) -> None:
            self.stdout.write(f"[{month}] {next(steps)}. {message} …")

        try:
            result = monthly_analysis_run(month=month, progress=progress)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"[{month}] {result.rows} snapshot rows stored ({result.removed} stale removed), "
                f"{result.workbooks} workbooks written in {time.monotonic() - started:.1f} s."
            )
        )
