import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from common.models import TimeStampedModel
from enterprises.uscc import validate_uscc
from grids.models import GridTeam


class Ownership(models.TextChoices):
    PRIVATE = "private", _("民营")
    STATE = "state", _("国有")
    FOREIGN = "foreign", _("外资")
    MIXED = "mixed", _("混合所有制")


class Tier(models.TextChoices):
    LEADING = "leading", _("龙头企业")
    BACKBONE = "backbone", _("骨干企业")
    GROWTH = "growth", _("成长型企业")
    STRUGGLING = "struggling", _("困难企业")


# Key enterprises are tracked every ISO week; growth enterprises every month.
KEY_TIERS = (Tier.LEADING, Tier.BACKBONE, Tier.STRUGGLING)


class Industry(models.TextChoices):
    AUTOMOTIVE = "automotive", _("汽车及零部件")
    ELECTRONICS = "electronics", _("电子信息")
    EQUIPMENT = "equipment", _("装备制造")
    BIOMEDICINE = "biomedicine", _("生物医药")
    MATERIALS = "materials", _("新材料")
    FOOD = "food", _("食品加工")
    CHEMICALS = "chemicals", _("化工")
    METALWORK = "metalwork", _("金属制品")
    PRINTING = "printing", _("印刷包装")
    OTHER = "other", _("其他制造业")


def new_board_token() -> str:
    return secrets.token_urlsafe(18)


class Enterprise(TimeStampedModel):
    name = models.CharField(_("企业名称"), max_length=100)
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, unique=True, validators=[validate_uscc])
    ownership = models.CharField(_("所有制"), max_length=10, choices=Ownership.choices)
    industry = models.CharField(_("行业"), max_length=20, choices=Industry.choices)
    above_scale = models.BooleanField(_("规上企业"), default=False)
    tier = models.CharField(_("企业分类"), max_length=12, choices=Tier.choices, default=Tier.GROWTH)
    grid = models.ForeignKey(
        GridTeam, verbose_name=_("网格工作组"), on_delete=models.PROTECT, related_name="enterprises"
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)
    legal_representative = models.CharField(_("法定代表人"), max_length=50, blank=True)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    employees = models.PositiveIntegerField(_("从业人数"), default=0)
    founded_on = models.DateField(_("成立日期"), null=True, blank=True)
    registered_capital = models.DecimalField(
        _("注册资本（万元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    main_products = models.CharField(_("主营产品"), max_length=200, blank=True)
    # The unguessable part of the public notice-board URL (printed as a QR code).
    board_token = models.CharField(_("公示牌令牌"), max_length=40, unique=True, default=new_board_token)

    # Who changed which field and when, shown on the profile.
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at", "board_token"])

    class Meta:
        verbose_name = _("企业")
        verbose_name_plural = _("企业")
        ordering = ["name", "id"]
        indexes = [
            # The scoped list filters by grid and sorts by name.
            models.Index(fields=["grid", "name"]),
            # The zone-wide list (managers) pages through every enterprise by name.
            models.Index(fields=["name", "id"], name="enterprise_name_order_idx"),
            models.Index(fields=["tier"]),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("enterprises:detail", args=[self.pk])

    def get_board_url(self) -> str:
        return reverse("enterprises:board", args=[self.board_token])

    @property
    def is_key(self) -> bool:
        return self.tier in KEY_TIERS


class TierChange(models.Model):
    """Tier history: every change of 企业分类 with its reason."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("企业"), on_delete=models.CASCADE, related_name="tier_changes"
    )
    from_tier = models.CharField(_("原分类"), max_length=12, choices=Tier.choices, blank=True)
    to_tier = models.CharField(_("新分类"), max_length=12, choices=Tier.choices)
    reason = models.CharField(_("调整原因"), max_length=300)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("调整人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("调整时间"))

    class Meta:
        verbose_name = _("分类调整记录")
        verbose_name_plural = _("分类调整记录")
        ordering = ["-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.enterprise}: {self.get_from_tier_display()} → {self.get_to_tier_display()}"


class EnterpriseContact(TimeStampedModel):
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("企业"), on_delete=models.CASCADE, related_name="contacts"
    )
    name = models.CharField(_("姓名"), max_length=50)
    title = models.CharField(_("职务"), max_length=50, blank=True)
    phone = models.CharField(_("电话"), max_length=20, blank=True)
    email = models.EmailField(_("邮箱"), blank=True)
    is_primary = models.BooleanField(_("主要联系人"), default=False)

    class Meta:
        verbose_name = _("企业联系人")
        verbose_name_plural = _("企业联系人")
        ordering = ["-is_primary", "id"]

    def __str__(self) -> str:
        return f"{self.name}（{self.enterprise}）"


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


class EmploymentRecord(TimeStampedModel):
    """用工情况: monthly headcount, vacancies and surplus."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("企业"), on_delete=models.CASCADE, related_name="employment_records"
    )
    month = models.DateField(_("月份"), help_text=_("当月1日"))
    headcount = models.PositiveIntegerField(_("在岗人数"))
    vacancies = models.PositiveIntegerField(_("缺工人数"), default=0)
    surplus = models.PositiveIntegerField(_("富余人数"), default=0)

    # Part of the audit history shown on the profile.
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = _("用工情况")
        verbose_name_plural = _("用工情况")
        ordering = ["-month"]
        constraints = [models.UniqueConstraint(fields=["enterprise", "month"], name="one_employment_per_month")]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.month:%Y-%m}"


class OperatingIndicator(TimeStampedModel):
    """Monthly operating indicators (经营指标) for the 12-month trend."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("企业"), on_delete=models.CASCADE, related_name="indicators"
    )
    month = models.DateField(_("月份"), help_text=_("当月1日"))
    output_value = models.DecimalField(_("产值（万元）"), max_digits=14, decimal_places=2, null=True, blank=True)
    orders_value = models.DecimalField(_("订单额（万元）"), max_digits=14, decimal_places=2, null=True, blank=True)
    capacity_use = models.PositiveSmallIntegerField(_("产能利用率（%）"), null=True, blank=True)
    energy_use = models.DecimalField(_("用电量（万千瓦时）"), max_digits=12, decimal_places=2, null=True, blank=True)

    # Part of the audit history shown on the profile.
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = _("经营指标")
        verbose_name_plural = _("经营指标")
        ordering = ["-month"]
        constraints = [models.UniqueConstraint(fields=["enterprise", "month"], name="one_indicator_per_month")]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.month:%Y-%m}"


class RosterImport(TimeStampedModel):
    """One upload of the Excel roster: its file, where it is, and what came of it.

    The worker (or the request, for small files) writes progress here so that
    the page that polls it sees the same numbers from any process.
    """

    class Mode(models.TextChoices):
        CREATE = "create", _("仅新增（信用代码已存在视为错误）")
        UPSERT = "upsert", _("新增并更新（按信用代码更新已有企业）")

    class Status(models.TextChoices):
        PENDING = "pending", _("排队中")
        VALIDATING = "validating", _("校验中")
        WRITING = "writing", _("写入中")
        SUCCEEDED = "succeeded", _("导入成功")
        REJECTED = "rejected", _("未通过校验")
        FAILED = "failed", _("处理失败")

    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("导入人"), on_delete=models.PROTECT, related_name="roster_imports"
    )
    file = models.FileField(_("文件"), upload_to="roster_imports/%Y/%m/")
    original_name = models.CharField(_("原文件名"), max_length=200)
    mode = models.CharField(_("导入方式"), max_length=10, choices=Mode.choices, default=Mode.CREATE)
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.PENDING)
    total_rows = models.PositiveIntegerField(_("数据行数"), null=True, blank=True)
    processed_rows = models.PositiveIntegerField(_("已校验行数"), default=0)
    created_count = models.PositiveIntegerField(_("新增企业数"), default=0)
    updated_count = models.PositiveIntegerField(_("更新企业数"), default=0)
    unchanged_count = models.PositiveIntegerField(_("未变化企业数"), default=0)
    error_count = models.PositiveIntegerField(_("错误数"), default=0)
    # [{"row": 5, "column": "统一社会信用代码", "message": "…"}], the first few hundred.
    errors = models.JSONField(_("错误明细"), default=list, blank=True)
    message = models.CharField(_("说明"), max_length=300, blank=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("名册导入")
        verbose_name_plural = _("名册导入")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.original_name}（{self.get_status_display()}）"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.SUCCEEDED, self.Status.REJECTED, self.Status.FAILED)

    @property
    def progress_percent(self) -> int | None:
        if not self.total_rows:
            return None
        return min(100, round(self.processed_rows * 100 / self.total_rows))


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
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("确认人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
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
