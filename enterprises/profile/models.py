"""The standard profile's models: products, supply links, employment, operating
indicators, and the enterprise's own monthly figures (企业报送)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from common.models import TimeStampedModel, optional_user
from enterprises.registry.models import Enterprise


class Product(TimeStampedModel):
    """产品结构: what the enterprise makes."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("企业"), on_delete=models.CASCADE, related_name="products"
    )
    name = models.CharField(_("产品名称"), max_length=100)
    category = models.CharField(_("产品类别"), max_length=50, blank=True)
    annual_output = models.DecimalField(_("年产值（万元）"), max_digits=14, decimal_places=2, null=True, blank=True)
    share_percent = models.PositiveSmallIntegerField(_("占比（%）"), null=True, blank=True)
    is_main = models.BooleanField(_("主导产品"), default=False)

    # Part of the audit history shown on the profile.
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = _("产品")
        verbose_name_plural = _("产品结构")
        ordering = ["-is_main", "name"]

    def __str__(self) -> str:
        return self.name


class SupplyDirection(models.TextChoices):
    UPSTREAM = "upstream", _("上游供应商")
    DOWNSTREAM = "downstream", _("下游客户")


class SupplyLink(TimeStampedModel):
    """上下游配套商: a supplier or customer, inside the zone or outside.

    A link to a zone enterprise is stored once (supplier → customer) and shown
    on both profiles, so it is linked both ways without a second row.
    """

    supplier = models.ForeignKey(
        Enterprise,
        verbose_name=_("供应方"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="supplies_to",
    )
    customer = models.ForeignKey(
        Enterprise,
        verbose_name=_("采购方"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="supplied_by",
    )
    outside_name = models.CharField(_("区外单位名称"), max_length=100, blank=True)
    product = models.CharField(_("配套产品"), max_length=100, blank=True)
    annual_amount = models.DecimalField(_("年配套额（万元）"), max_digits=14, decimal_places=2, null=True, blank=True)

    # Part of the audit history shown on the profile.
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = _("上下游配套")
        verbose_name_plural = _("上下游配套")
        constraints = [
            # At least one side is a zone enterprise; the other is a zone enterprise or an outside name.
            models.CheckConstraint(
                condition=(
                    models.Q(supplier__isnull=False, customer__isnull=False, outside_name="")
                    | models.Q(supplier__isnull=False, customer__isnull=True) & ~models.Q(outside_name="")
                    | models.Q(supplier__isnull=True, customer__isnull=False) & ~models.Q(outside_name="")
                ),
                name="supply_link_has_two_sides",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.supplier or self.outside_name} → {self.customer or self.outside_name}"


class MonthlyRecord(TimeStampedModel):
    """An enterprise's figures for one month (its 1st), one row per month, newest first."""

    month = models.DateField(_("月份"), help_text=_("当月1日"))

    class Meta:
        abstract = True
        ordering = ["-month"]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.month:%Y-%m}"  # type: ignore[attr-defined]


class EmploymentRecord(MonthlyRecord):
    """用工情况: monthly headcount, vacancies and surplus."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("企业"), on_delete=models.CASCADE, related_name="employment_records"
    )
    headcount = models.PositiveIntegerField(_("在岗人数"))
    vacancies = models.PositiveIntegerField(_("缺工人数"), default=0)
    surplus = models.PositiveIntegerField(_("富余人数"), default=0)

    # Part of the audit history shown on the profile.
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta(MonthlyRecord.Meta):
        verbose_name = _("用工情况")
        verbose_name_plural = _("用工情况")
        constraints = [models.UniqueConstraint(fields=["enterprise", "month"], name="one_employment_per_month")]


class OperatingIndicator(MonthlyRecord):
    """Monthly operating indicators (经营指标) for the 12-month trend."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("企业"), on_delete=models.CASCADE, related_name="indicators"
    )
    output_value = models.DecimalField(_("产值（万元）"), max_digits=14, decimal_places=2, null=True, blank=True)
    orders_value = models.DecimalField(_("订单额（万元）"), max_digits=14, decimal_places=2, null=True, blank=True)
    capacity_use = models.PositiveSmallIntegerField(_("产能利用率（%）"), null=True, blank=True)
    energy_use = models.DecimalField(_("用电量（万千瓦时）"), max_digits=12, decimal_places=2, null=True, blank=True)

    # Part of the audit history shown on the profile.
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta(MonthlyRecord.Meta):
        verbose_name = _("经营指标")
        verbose_name_plural = _("经营指标")
        constraints = [models.UniqueConstraint(fields=["enterprise", "month"], name="one_indicator_per_month")]


class SubmissionState(models.TextChoices):
    PENDING = "pending", _("待网格员确认")
    CONFIRMED = "confirmed", _("已确认")
    REJECTED = "rejected", _("已退回")


class FiguresSubmission(TimeStampedModel):
    """企业报送: one month's employment and operating figures as the enterprise reports them.

    Nothing official changes until an officer of its grid confirms the submission: confirming
    writes the figures through the same services as an officer's own entry (用工情况, 经营指标).
    """

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("企业"), on_delete=models.CASCADE, related_name="figures_submissions"
    )
    month = models.DateField(_("月份"), help_text=_("当月1日"))
    headcount = models.PositiveIntegerField(_("在岗人数"), null=True, blank=True)
    vacancies = models.PositiveIntegerField(_("缺工人数"), null=True, blank=True)
    surplus = models.PositiveIntegerField(_("富余人数"), null=True, blank=True)
    output_value = models.DecimalField(_("产值（万元）"), max_digits=14, decimal_places=2, null=True, blank=True)
    orders_value = models.DecimalField(_("订单额（万元）"), max_digits=14, decimal_places=2, null=True, blank=True)
    capacity_use = models.PositiveSmallIntegerField(_("产能利用率（%）"), null=True, blank=True)
    energy_use = models.DecimalField(_("用电量（万千瓦时）"), max_digits=12, decimal_places=2, null=True, blank=True)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    state = models.CharField(_("状态"), max_length=10, choices=SubmissionState.choices, default=SubmissionState.PENDING)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("报送人"), on_delete=models.PROTECT, related_name="+"
    )
    decided_by = optional_user(_("确认人"), on_delete=models.PROTECT)
    decided_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    reject_reason = models.CharField(_("退回原因"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("企业报送")
        verbose_name_plural = _("企业报送")
        ordering = ["-month", "-created_at"]
        constraints = [
            # An enterprise corrects its pending report for a month rather than stacking a second one.
            models.UniqueConstraint(
                fields=["enterprise", "month"],
                condition=models.Q(state="pending"),
                name="one_pending_submission_per_month",
            )
        ]
        indexes = [
            # The officer's queue: pending reports of the grids' enterprises, oldest first.
            models.Index(fields=["state", "created_at"], name="figures_submission_queue"),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.month:%Y-%m}"

    EMPLOYMENT_FIELDS = ("headcount", "vacancies", "surplus")
    INDICATOR_FIELDS = ("output_value", "orders_value", "capacity_use", "energy_use")

    @property
    def has_employment(self) -> bool:
        return self.headcount is not None

    @property
    def has_indicators(self) -> bool:
        return any(getattr(self, name) is not None for name in self.INDICATOR_FIELDS)
