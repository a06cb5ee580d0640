from pathlib import Path
from uuid import uuid4

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.models import TimeStampedModel
from enterprises.models import Enterprise
from issues.models import Issue


class ContactMode(models.TextChoices):
    ON_SITE = "on_site", _("点对点（上门）")
    PHONE = "phone", _("电话")
    ONLINE = "online", _("屏对屏（线上）")


class Trend(models.TextChoices):
    UP = "up", _("增长")
    FLAT = "flat", _("持平")
    DOWN = "down", _("下降")


# What an officer records of a visit besides its time, in the form's order: the form, the page's
# call of visit_create and the export take these.
VISIT_REPORT_FIELDS = (
    "mode",
    "met_with",
    "findings",
    "output_value",
    "orders_trend",
    "employees",
    "capacity_use",
    "has_difficulties",
)
# The risks an officer flags in a weekly tracking: ``risk_count``, the list's "有风险" filter and the
# weekly enterprise status count these four and no others.
RISK_FIELDS = ("risk_orders", "risk_funding", "risk_labour", "risk_safety")
# What an officer reports for a week, in the form's order: the form, the API and the export show these.
TRACKING_REPORT_FIELDS = ("mode", "output_value", "orders_trend", "employees", "capacity_use", *RISK_FIELDS, "note")


class Visit(TimeStampedModel):
    """走访记录: one contact of an officer with an enterprise."""

    enterprise = models.ForeignKey(Enterprise, verbose_name=_("企业"), on_delete=models.PROTECT, related_name="visits")
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("走访人"), on_delete=models.PROTECT, related_name="visits"
    )
    visited_at = models.DateTimeField(_("走访时间"))
    mode = models.CharField(_("走访方式"), max_length=10, choices=ContactMode.choices, default=ContactMode.ON_SITE)
    met_with = models.CharField(_("接待人"), max_length=100, blank=True)
    findings = models.TextField(_("走访情况"), blank=True)
    # Operating snapshot (经营快照) taken at the visit.
    output_value = models.DecimalField(
        _("本月产值（万元）"), max_digits=14, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    orders_trend = models.CharField(_("订单趋势"), max_length=6, choices=Trend.choices, blank=True)
    employees = models.PositiveIntegerField(_("在岗人数"), null=True, blank=True)
    capacity_use = models.PositiveSmallIntegerField(
        _("产能利用率（%）"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    has_difficulties = models.BooleanField(_("存在困难"), default=False)
    # Problems raised during the visit become issues in the ledger.
    raised_issues = models.ManyToManyField(Issue, verbose_name=_("发现问题"), blank=True, related_name="source_visits")
    # The idempotency key the officer's phone gives a visit when the form opens: a visit
    # queued offline and sent again (a retry, a second tab) is stored once (services.visit_create).
    client_key = models.UUIDField(_("提交标识"), null=True, blank=True, unique=True, editable=False)

    class Meta:
        verbose_name = _("走访记录")
        verbose_name_plural = _("走访记录")
        ordering = ["-visited_at", "-id"]
        indexes = [
            # Coverage and "last visited" per enterprise.
            models.Index(fields=["enterprise", "-visited_at"]),
            models.Index(fields=["officer", "-visited_at"]),
            # The zone's list in its order (the API, the visit list): newest first, a page at a time.
            models.Index(fields=["-visited_at", "-id"], name="visit_newest_first"),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} {timezone.localtime(self.visited_at):%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("fieldwork:visit_detail", args=[self.pk])


def visit_attachment_path(instance: "VisitAttachment", filename: str) -> str:
    """A random stored name: the uploader's file name never reaches the disk path."""
    return f"fieldwork/visits/{timezone.now():%Y/%m}/{uuid4().hex}{Path(filename).suffix.lower()}"


class VisitAttachment(TimeStampedModel):
    """A photo or document taken at a visit.

    Stored under MEDIA_ROOT, which is never served directly: the file is read
    back only through ``fieldwork:attachment_download``, which checks scope.
    """

    visit = models.ForeignKey(Visit, verbose_name=_("走访记录"), on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("文件"), upload_to=visit_attachment_path, max_length=200)
    original_name = models.CharField(_("原文件名"), max_length=200)
    size = models.PositiveIntegerField(_("大小（字节）"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("上传人"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("走访附件")
        verbose_name_plural = _("走访附件")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("fieldwork:attachment_download", args=[self.pk])

    @property
    def extension(self) -> str:
        return Path(self.original_name).suffix.lower()

    @property
    def is_image(self) -> bool:
        return self.extension in (".jpg", ".jpeg", ".png")


class WeeklyTracking(TimeStampedModel):
    """周跟踪: one row per enterprise per ISO week; a second entry updates it."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("企业"), on_delete=models.PROTECT, related_name="weekly_trackings"
    )
    iso_year = models.PositiveSmallIntegerField(_("ISO年"))
    iso_week = models.PositiveSmallIntegerField(_("ISO周"))
    week_start = models.DateField(_("周一日期"))
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("跟踪人"), on_delete=models.PROTECT, related_name="trackings"
    )
    tracked_at = models.DateTimeField(_("跟踪时间"))
    mode = models.CharField(_("跟踪方式"), max_length=10, choices=ContactMode.choices, default=ContactMode.PHONE)
    output_value = models.DecimalField(
        _("本周产值（万元）"), max_digits=14, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    orders_trend = models.CharField(_("订单趋势"), max_length=6, choices=Trend.choices, blank=True)
    employees = models.PositiveIntegerField(_("在岗人数"), null=True, blank=True)
    capacity_use = models.PositiveSmallIntegerField(
        _("产能利用率（%）"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    risk_orders = models.BooleanField(_("订单风险"), default=False)
    risk_funding = models.BooleanField(_("资金风险"), default=False)
    risk_labour = models.BooleanField(_("用工风险"), default=False)
    risk_safety = models.BooleanField(_("安全风险"), default=False)
    note = models.TextField(_("备注"), blank=True)

    class Meta:
        verbose_name = _("周跟踪")
        verbose_name_plural = _("周跟踪")
        ordering = ["-week_start", "enterprise_id"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "iso_year", "iso_week"], name="one_tracking_per_week"),
        ]
        indexes = [
            models.Index(fields=["week_start"]),
            # The officer home's "last tracked week" per enterprise.
            models.Index(fields=["enterprise", "-week_start"]),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.week_code}"

    @property
    def week_code(self) -> str:
        """The ISO week as written in ISO 8601, e.g. ``2026-W53``."""
        return f"{self.iso_year}-W{self.iso_week:02d}"

    @property
    def risk_count(self) -> int:
        return sum(bool(getattr(self, name)) for name in RISK_FIELDS)
