"""``manage.py sync_workday_calendar``: add the years the chinesecalendar package covers to the database calendar.

Idempotent: a year already in the database — seeded earlier or entered by a
系统管理员 — is left exactly as it is. ``migrate`` runs the same sync at its
end; run this after upgrading the package to pick up a year it has added.
"""

from django.core.management.base import BaseCommand

from common.workdays import PACKAGE_SOURCE, calendar_sync_from_package


class Command(BaseCommand):
    help = "Add each year chinesecalendar covers that the working-day calendar lacks; never changes a year present."

    def handle(self, *args, **options) -> None:
        added = calendar_sync_from_package()
        if added:
            self.stdout.write(f"working-day calendar: added {', '.join(map(str, added))} from {PACKAGE_SOURCE}")
        else:
            self.stdout.write(f"working-day calendar: every year {PACKAGE_SOURCE} covers is already present")
