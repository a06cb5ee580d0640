"""``python manage.py run_weekly --week 2026-W45``: the weekly tracking close for any finished ISO week."""

import time

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from analytics.weekly import weekly_close_run
from common.periods import IsoWeek, previous_week


class Command(BaseCommand):
    help = "Close an ISO week of tracking: tracked/missed, tier suggestions, notices (idempotent; default: last week)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--week", help="ISO week as YYYY-Www, e.g. 2026-W45 (default: the previous week)")

    def handle(self, *args, **options) -> None:
        try:
            week = IsoWeek.parse(options["week"]) if options["week"] else previous_week()
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        started = time.monotonic()
        steps = iter(range(1, 100))

        def progress(message: str) -> None:
            self.stdout.write(f"[{week.code}] {next(steps)}. {message} …")

        try:
            result = weekly_close_run(week=week, progress=progress)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        close = result.close
        self.stdout.write(
            self.style.SUCCESS(
                f"[{week.code}] {close.expected} due, {close.tracked} tracked, {close.missed} missed; "
                f"{result.suggestions_created} new tier suggestions, {result.notifications_sent} notifications "
                f"in {time.monotonic() - started:.1f} s."
            )
        )
