"""Funding applications (申报) under a policy clause, the grants per funding level and the money paid out.

An application moves draft → submitted → under_review → approved / rejected, and
an approved one becomes disbursed once every level has paid its full share. The
state changes only in ``policies.funding.services`` (rules in ``policies.funding.policy``);
each change is an append-only ``FundingEvent``. Only disbursed money counts as
"support funds secured" (落实到位): the figures are summed from ``Disbursement``
rows by their date, so a past month never moves when a later payment is recorded.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from common.models import TimeStampedModel, optional_user
from policies.models import PolicyLevel

AMOUNT = {"max_digits": 12, "decimal_places": 2}
CENT = Decimal("0.01")


class FundingState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交")
    UNDER_REVIEW = "under_review", _("审核中")
    APPROVED = "approved", _("已批准")
    REJECTED = "rejected", _("未通过")
    DISBURSED = "disbursed", _("已拨付")


class FundingApplication(TimeStampedModel):
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("企业"), on_delete=models.PROTECT, related_name="funding_applications"
    )
    clause = models.ForeignKey(
        "policies.PolicyClause", verbose_name=_("政策条款"), on_delete=models.PROTECT, related_name="applications"
    )
    amount_requested = models.DecimalField(_("申请金额（万元）"), **AMOUNT, validators=[MinValueValidator(CENT)])
    purpose = models.TextField(_("申报说明"), max_length=2000, blank=True)
    guided_by = optional_user(_("申报辅导"), on_delete=models.SET_NULL, related_name="guided_funding_applications")
    reviewing_bureau = models.ForeignKey(
        "grids.Bureau", verbose_name=_("审核科室"), on_delete=models.PROTECT, related_name="funding_applications"
    )
    state = models.CharField(_("状态"), max_length=16, choices=FundingState.choices, default=FundingState.DRAFT)
    approved_amount = models.DecimalField(
        _("核定金额（万元）"), **AMOUNT, null=True, blank=True, validators=[MinValueValidator(CENT)]
    )
    rejection_reason = models.TextField(_("未通过原因"), max_length=2000, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    created_by = optional_user(_("填报人"), on_delete=models.SET_NULL)
    # Bumped on every transition: a page or client acting on a stale copy is refused.
    version = models.PositiveIntegerField(_("版本"), default=1)

    # Who changed what and when (common.audit shows it to managers and admins).
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("资金申报")
        verbose_name_plural = _("资金申报")
        ordering = ["-created_at", "-id"]
        indexes = [
            # The bureau's review queue: its applications in a state.
            models.Index(fields=["reviewing_bureau", "state"]),
            # The enterprise's own list and the list filtered by state.
            models.Index(fields=["enterprise", "state"]),
            models.Index(fields=["state", "-created_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(state="rejected") | ~Q(rejection_reason=""), name="funding_rejected_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.clause.title}"

    def get_absolute_url(self) -> str:
        return reverse("funding:detail", args=[self.pk])

    def clean(self) -> None:
        errors = {}
        if self.state == FundingState.REJECTED and not self.rejection_reason.strip():
            errors["rejection_reason"] = _("未通过须说明原因。")
        if self.state in (FundingState.APPROVED, FundingState.DISBURSED) and self.approved_amount is None:
            errors["approved_amount"] = _("已批准的申报须有核定金额。")
        if errors:
            raise ValidationError(errors)


class FundingGrant(models.Model):
    """What one funding level pays of an approved application (split by the clause's shares)."""

    application = models.ForeignKey(
        FundingApplication, verbose_name=_("资金申报"), on_delete=models.CASCADE, related_name="grants"
    )
    level = models.CharField(_("资金层级"), max_length=12, choices=PolicyLevel.choices)
    granted_amount = models.DecimalField(_("核定金额（万元）"), **AMOUNT, validators=[MinValueValidator(CENT)])
    # The running sum of this level's disbursements, kept under the application's row lock.
    disbursed_amount = models.DecimalField(
        _("已拨付（万元）"), **AMOUNT, default=Decimal("0"), validators=[MinValueValidator(Decimal("0"))]
    )

    class Meta:
        verbose_name = _("分级核定资金")
        verbose_name_plural = _("分级核定资金")
        ordering = ["application", "level"]
        constraints = [
            models.UniqueConstraint(fields=["application", "level"], name="funding_grant_level_once"),
            models.CheckConstraint(
                condition=Q(disbursed_amount__lte=models.F("granted_amount")), name="funding_grant_not_overpaid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()} {self.granted_amount}"

    @property
    def remaining(self) -> Decimal:
        return self.granted_amount - self.disbursed_amount


class Disbursement(models.Model):
    """One payment (拨付) by one funding level; the source of every "funds secured" figure."""

    application = models.ForeignKey(
        FundingApplication, verbose_name=_("资金申报"), on_delete=models.PROTECT, related_name="disbursements"
    )
    level = models.CharField(_("资金层级"), max_length=12, choices=PolicyLevel.choices)
    amount = models.DecimalField(_("拨付金额（万元）"), **AMOUNT, validators=[MinValueValidator(CENT)])
    disbursed_on = models.DateField(_("拨付日期"))
    note = models.CharField(_("备注"), max_length=200, blank=True)
    recorded_by = optional_user(_("登记人"), on_delete=models.SET_NULL)
    recorded_at = models.DateTimeField(_("登记时间"))

    class Meta:
        verbose_name = _("资金拨付")
        verbose_name_plural = _("资金拨付")
        ordering = ["disbursed_on", "id"]
        indexes = [
            # The figures: sums by level over a window of payment dates.
            models.Index(fields=["disbursed_on", "level"]),
        ]

    def __str__(self) -> str:
        return f"{self.disbursed_on} {self.get_level_display()} {self.amount}"


class FundingEvent(models.Model):
    """One step in an application's timeline. Written by the services only; never edited or deleted."""

    application = models.ForeignKey(
        FundingApplication, verbose_name=_("资金申报"), on_delete=models.CASCADE, related_name="events"
    )
    actor = optional_user(_("操作人"), on_delete=models.SET_NULL)
    at = models.DateTimeField(_("时间"))
    action = models.CharField(_("操作"), max_length=16)
    from_state = models.CharField(_("原状态"), max_length=16, choices=FundingState.choices, blank=True)
    to_state = models.CharField(_("新状态"), max_length=16, choices=FundingState.choices)
    reason = models.TextField(_("说明"), max_length=2000, blank=True)
    amount = models.DecimalField(_("金额（万元）"), **AMOUNT, null=True, blank=True)
    level = models.CharField(_("资金层级"), max_length=12, choices=PolicyLevel.choices, blank=True)

    class Meta:
        verbose_name = _("申报记录")
        verbose_name_plural = _("申报记录")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["application", "at"])]

    def __str__(self) -> str:
        return f"{self.application_id} {self.action} {self.at:%Y-%m-%d %H:%M}"
