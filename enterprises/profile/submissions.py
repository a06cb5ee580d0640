"""企业报送: the enterprise reports its monthly figures; an officer of its grid confirms or returns them.

The official figures (用工情况, 经营指标) change only on confirmation, and then through the same
profile services as an officer's own entry, so every rule about them (no future month, one row per
month, 0–100 % capacity, the audit history) stays in one place.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import OuterRef, QuerySet, Subquery
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, User
from accounts.notifications import notify
from accounts.scoping import GRID_ROLES, scope_for
from enterprises.profile import services as profile_services
from enterprises.profile.models import EmploymentRecord, FiguresSubmission, OperatingIndicator, SubmissionState
from enterprises.registry.models import Enterprise
from enterprises.registry.selectors import enterprises_visible


def may_submit_figures(*, user: User, enterprise: Enterprise) -> bool:
    """Only the enterprise's own users report its figures."""
    scope = scope_for(user)
    return scope.role == Role.ENTERPRISE_USER and scope.enterprise_id == enterprise.pk


def _check_figures(values: dict) -> None:
    profile_services.check_indicator_values(**{name: values[name] for name in FiguresSubmission.INDICATOR_FIELDS})
    if values.get("headcount") is None and (values.get("vacancies") or values.get("surplus")):
        raise ValidationError({"headcount": _("填写缺工或富余人数时，请同时填写在岗人数。")})
    if values.get("headcount") is None and all(values.get(name) is None for name in FiguresSubmission.INDICATOR_FIELDS):
        raise ValidationError({"headcount": _("请至少填写在岗人数或一项经营指标。")})


@transaction.atomic
def figures_submit(
    *,
    enterprise: Enterprise,
    actor: User,
    month: datetime.date,
    headcount: int | None = None,
    vacancies: int | None = None,
    surplus: int | None = None,
    output_value: Decimal | None = None,
    orders_value: Decimal | None = None,
    capacity_use: int | None = None,
    energy_use: Decimal | None = None,
    note: str = "",
) -> FiguresSubmission:
    """Report one month's figures for the officer to confirm; a second report for a month still
    pending replaces the first. The grid's officers are told."""
    if not may_submit_figures(user=actor, enterprise=enterprise):
        raise PermissionDenied(_("只有本企业的联系人可以报送企业数据。"))
    month = profile_services.check_month(month)
    values = {
        "headcount": headcount,
        "vacancies": vacancies,
        "surplus": surplus,
        "output_value": output_value,
        "orders_value": orders_value,
        "capacity_use": capacity_use,
        "energy_use": energy_use,
    }
    _check_figures(values)
    submission = (
        FiguresSubmission.objects.select_for_update()
        .filter(enterprise=enterprise, month=month, state=SubmissionState.PENDING)
        .first()
    ) or FiguresSubmission(enterprise=enterprise, month=month)
    for name, value in values.items():
        setattr(submission, name, value)
    submission.note = note
    submission.submitted_by = actor
    submission.full_clean()
    submission.save()
    for officer in enterprise.grid.officers.filter(is_active=True):
        notify(
            recipient=officer,
            kind="figures_submitted",
            title=_("%(name)s报送了%(month)s的企业数据，请确认") % {"name": enterprise.name, "month": f"{month:%Y-%m}"},
            url=reverse("enterprises:figures_queue"),
            dedupe_key=f"figures-submitted:{submission.pk}:{submission.updated_at.isoformat()}:{officer.pk}",
        )
    return submission


def _lock_pending(*, submission: FiguresSubmission, actor: User) -> FiguresSubmission:
    """The submission, locked, if ``actor`` may decide on it and it still waits; else the reason."""
    profile_services.ensure_can_edit_profile(user=actor, enterprise=submission.enterprise)
    locked = FiguresSubmission.objects.select_for_update().select_related("enterprise").get(pk=submission.pk)
    if locked.state != SubmissionState.PENDING:
        raise ValidationError({"state": _("该报送已%(state)s，不能重复处理。") % {"state": locked.get_state_display()}})
    return locked


def _tell_submitter(submission: FiguresSubmission, title: str, body: str = "") -> None:
    notify(
        recipient=submission.submitted_by,
        kind="figures_decided",
        title=title,
        body=body,
        url=reverse("enterprises:figures_mine"),
        dedupe_key=f"figures-decided:{submission.pk}",
    )


@transaction.atomic
def figures_confirm(*, submission: FiguresSubmission, actor: User) -> FiguresSubmission:
    """Confirm the report: its figures become the month's official figures (written by ``actor``)."""
    submission = _lock_pending(submission=submission, actor=actor)
    enterprise, month = submission.enterprise, submission.month
    if submission.has_employment:
        profile_services.employment_record_save(
            enterprise=enterprise,
            actor=actor,
            month=month,
            headcount=submission.headcount,
            vacancies=submission.vacancies or 0,
            surplus=submission.surplus or 0,
        )
    if submission.has_indicators:
        profile_services.indicator_save(
            enterprise=enterprise,
            actor=actor,
            month=month,
            **{name: getattr(submission, name) for name in FiguresSubmission.INDICATOR_FIELDS},
        )
    submission.state = SubmissionState.CONFIRMED
    submission.decided_by, submission.decided_at = actor, timezone.now()
    submission.save(update_fields=["state", "decided_by", "decided_at", "updated_at"])
    _tell_submitter(submission, _("%(month)s的企业数据已确认") % {"month": f"{month:%Y-%m}"})
    return submission


@transaction.atomic
def figures_reject(*, submission: FiguresSubmission, actor: User, reason: str) -> FiguresSubmission:
    """Return the report with a reason; the official figures stay as they were."""
    if not reason.strip():
        raise ValidationError({"reason": _("退回时必须填写原因。")})
    submission = _lock_pending(submission=submission, actor=actor)
    submission.state = SubmissionState.REJECTED
    submission.reject_reason = reason.strip()
    submission.decided_by, submission.decided_at = actor, timezone.now()
    submission.save(update_fields=["state", "reject_reason", "decided_by", "decided_at", "updated_at"])
    _tell_submitter(
        submission,
        _("%(month)s的企业数据被退回，请核实后重新报送") % {"month": f"{submission.month:%Y-%m}"},
        submission.reject_reason,
    )
    return submission


# --- Reads --------------------------------------------------------------------------------------


def figures_queue(*, user: User) -> QuerySet[FiguresSubmission]:
    """Pending reports ``user`` may confirm (the enterprises whose profile they edit), oldest first."""
    scope = scope_for(user)
    if not (scope.sees_zone or scope.role in GRID_ROLES):
        return FiguresSubmission.objects.none()
    employment = EmploymentRecord.objects.filter(enterprise=OuterRef("enterprise"), month=OuterRef("month"))
    indicators = OperatingIndicator.objects.filter(enterprise=OuterRef("enterprise"), month=OuterRef("month"))
    return (
        FiguresSubmission.objects.filter(
            state=SubmissionState.PENDING, enterprise__in=enterprises_visible(user=user).values("pk")
        )
        .select_related("enterprise__grid", "submitted_by")
        # The official figures of the same month, shown beside the reported ones.
        .annotate(
            official_headcount=Subquery(employment.values("headcount")[:1]),
            official_output=Subquery(indicators.values("output_value")[:1]),
            official_capacity=Subquery(indicators.values("capacity_use")[:1]),
        )
        .order_by("created_at", "id")
    )


def figures_submission_get(*, user: User, pk: int) -> FiguresSubmission:
    """A pending report in ``user``'s queue, else 404."""
    return get_object_or_404(figures_queue(user=user), pk=pk)


def figures_mine(*, user: User) -> QuerySet[FiguresSubmission]:
    """The enterprise user's own enterprise's reports, latest first."""
    scope = scope_for(user)
    if scope.role != Role.ENTERPRISE_USER or not scope.enterprise_id:
        return FiguresSubmission.objects.none()
    return FiguresSubmission.objects.filter(enterprise_id=scope.enterprise_id).select_related("decided_by")
