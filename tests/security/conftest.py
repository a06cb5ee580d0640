"""Security tests: the seeded demo zone for the scope matrix."""

import datetime
from io import StringIO

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count
from django.test import override_settings
from django.utils import timezone


@pytest.fixture(scope="module")
def matrix_zone(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo zone (``seed_demo``) once per module, plus the few kinds of object
    the demo has none of (attachments, roster imports, tier suggestions), in a
    transaction rolled back after the module; yields one persona per role."""
    media = override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("matrix-media"))
    media.enable()
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            call_command("seed_demo", stdout=StringIO())
            personas = _personas()
            _missing_objects(personas)
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            media.disable()
            raise
    yield personas
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)
    media.disable()


def _personas() -> dict:
    """One demo account per role of DESIGN §1, chosen where the demo gives it the most to see."""
    from accounts.models import Role, User
    from issues.models import Issue

    busiest_bureau = (
        Issue.bureaus_involved.through.objects.values("bureau_id").annotate(n=Count("id")).order_by("-n").first()
    )
    busiest_enterprise = (
        Issue.objects.filter(enterprise__users__role=Role.ENTERPRISE_USER)
        .values("enterprise_id")
        .annotate(n=Count("id"))
        .order_by("-n", "enterprise_id")
        .first()
    )
    return {
        "admin": User.objects.get(username="admin"),
        "manager": User.objects.get(username="manager"),
        "district_leader": User.objects.get(username="district-1"),
        "grid_officer": User.objects.get(username="officer-01"),
        "bureau_staff": User.objects.filter(role=Role.BUREAU_STAFF, bureau_id=busiest_bureau["bureau_id"])
        .order_by("pk")
        .first(),
        "enterprise_user": User.objects.filter(
            role=Role.ENTERPRISE_USER, enterprise_id=busiest_enterprise["enterprise_id"]
        )
        .order_by("pk")
        .first(),
        "anonymous": None,
    }


def _missing_objects(personas: dict) -> None:
    """Two of each (in two districts) of what the demo does not seed."""
    from analytics.models import TierSuggestion
    from common.export_jobs import export_job_run
    from common.models import ExportJob
    from enterprises.models import Enterprise, RosterImport
    from fieldwork.models import Visit, VisitAttachment
    from issues.exports import LEDGER_EXPORT
    from issues.models import Attachment, Issue
    from policies.models import Policy, PolicyAttachment

    now = timezone.now()
    leader = personas["district_leader"]
    district = leader.led_districts.first()
    for enterprise in (
        Enterprise.objects.filter(grid__district=district).order_by("pk").first(),
        Enterprise.objects.exclude(grid__district=district).order_by("pk").first(),
    ):
        TierSuggestion.objects.create(
            enterprise=enterprise,
            reference_month=datetime.date(2026, 1, 1),
            from_tier=enterprise.tier,
            to_tier=enterprise.tier,
            reason="矩阵测试",
            recent_output=1,
            previous_output=2,
        )
    for issue in (
        Issue.objects.filter(enterprise__grid__district=district).order_by("pk").first(),
        Issue.objects.exclude(enterprise__grid__district=district).order_by("pk").first(),
        Issue.objects.filter(enterprise=personas["enterprise_user"].enterprise).order_by("pk").first(),
    ):
        Attachment.objects.create(
            issue=issue, file=ContentFile(b"%PDF-1.4 matrix", name="m.pdf"), name="m.pdf", size=15, uploaded_at=now
        )
    for visit in (
        Visit.objects.filter(enterprise__grid__district=district).order_by("pk").first(),
        Visit.objects.exclude(enterprise__grid__district=district).order_by("pk").first(),
    ):
        VisitAttachment.objects.create(
            visit=visit,
            file=ContentFile(b"%PDF-1.4 matrix", name="v.pdf"),
            original_name="v.pdf",
            size=15,
            uploaded_by=visit.officer,
        )
    for policy in Policy.objects.order_by("pk")[:2]:
        PolicyAttachment.objects.create(
            policy=policy, file=ContentFile(b"%PDF-1.4 matrix", name="p.pdf"), name="p.pdf", size=15, uploaded_at=now
        )
    for role in ("manager", "district_leader"):
        RosterImport.objects.create(uploaded_by=personas[role], file=ContentFile(b"PK", name="r.xlsx"))
    # Each staff persona's ledger export, written as the worker writes it: the download is then
    # read for issues outside the persona's scope. Enterprise users have no export to ask for.
    for role in ("admin", "manager", "district_leader", "grid_officer", "bureau_staff"):
        job = ExportJob.objects.create(requested_by=personas[role], kind=LEDGER_EXPORT.path)
        export_job_run(job_id=job.pk)
        assert ExportJob.objects.get(pk=job.pk).status == ExportJob.Status.SUCCEEDED, role
