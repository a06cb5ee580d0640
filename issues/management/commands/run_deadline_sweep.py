"""``manage.py run_deadline_sweep [--at "2026-11-27 10:00"]``: the sweep for a given moment."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from issues.sweep import deadline_sweep


def _moment(value: str) -> datetime.datetime:
    for pattern in ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d"):
        try:
            moment = datetime.datetime.strptime(value.strip(), pattern)
        except ValueError:
            continue
        return timezone.make_aware(moment)
    raise CommandError(f"--at: cannot read {value!r}; use “YYYY-MM-DD HH:MM” (Asia/Shanghai).")


class Command(BaseCommand):
    help = "Run the issue deadline sweep (due soon, overdue, auto-escalation) for a moment; idempotent."

    def add_arguments(self, parser):
        parser.add_argument("--at", help="the moment, local time (Asia/Shanghai), e.g. “2026-11-27 10:00”")

    def handle(self, *args, **options):
        now = _moment(options["at"]) if options["at"] else timezone.now()
        result = deadline_sweep(now=now)
        self.stdout.write(
            f"deadline sweep at {timezone.localtime(now):%Y-%m-%d %H:%M}: "
            f"{result.due_soon} due soon, {result.overdue} newly overdue, "
            f"{result.response_overdue} response overdue, {result.escalated} escalated, "
            f"{result.notified} notifications"
        )
