"""``python manage.py seed_demo``: the demo zone of the article (DESIGN §5).

Each app that contributes demo data has a ``demo`` module with
``seed_demo_data(*, stdout) -> None``: deterministic (fixed random seeds) and
idempotent (rows found by natural keys; a second run changes nothing). This
command runs them in floor order, each step in its own transaction, so a step
sees everything the steps before it made. Analytics is the top floor, which is
why the orchestrator lives here: it may import every app.
"""

import time
from importlib import import_module

from django.core.management.base import BaseCommand
from django.db import transaction

# One line per step, lower floors first. Add yours where its data belongs.
STEPS = (
    "grids.demo",  # zone, districts, grid teams, bureaus, task force, staff accounts
    "enterprises.registry.demo",  # 287 enterprises, contacts, tier history, enterprise accounts
    "enterprises.profile.demo",  # products, supply links, 12 months of employment and indicators
    "issues.demo",  # categories with their bureaus, response templates, a year of issues in every state
    "fieldwork.demo",  # a year of visits (every enterprise), 12 weeks of tracking; keep after issues.demo
    "policies.demo",  # the policy library at every level, clauses with criteria, pushes with receipts
    "policies.trainings.demo",  # training sessions with registrations and attendance
    "policies.funding.demo",  # funding applications in every state; 5,878 万元 disbursed (FACTS.md)
    "platforms.financing.demo",  # 7 banks and 73 enterprises at matchmaking, credit, loans, extensions, re-loans
    "platforms.service_projects.demo",  # cloud projects, smart upgrades, savings, tax confirmations, schooling
    "platforms.procurement.demo",  # purchase needs, proposals, in-zone deals, a retooling case
    "platforms.labour.demo",  # surplus and demand postings, proposals, 600 person-times transferred
    "platforms.supply_chain.demo",  # recommendations from the profiles' supply links, with outcomes
    "platforms.space.demo",  # idle plants and land, demands, proposals, leases, a custom-built plant
    "emergency.demo",  # the flood of 19 August: notices, acknowledgements, roll-call, 83 evacuated
    "analytics.demo",  # 12 months of monthly snapshots and reports, last week's close; keep last
)


class Command(BaseCommand):
    help = "Load the deterministic demo zone (idempotent: running it again changes nothing)."

    def handle(self, *args, **options) -> None:
        started = time.monotonic()
        for module_path in STEPS:
            step_started = time.monotonic()
            self.stdout.write(f"{module_path} …")
            with transaction.atomic():
                import_module(module_path).seed_demo_data(stdout=self.stdout)
            self.stdout.write(f"  ({time.monotonic() - step_started:.1f} s)")
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo zone ready in {time.monotonic() - started:.1f} s. "
                "Every demo account's password is jingkai-demo (see README.md)."
            )
        )
