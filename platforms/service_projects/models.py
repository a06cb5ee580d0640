"""Service projects (常态化纾困): one model for every kind of help the zone brings an enterprise.

Each kind carries its own outcome figures — a cost-saving service the saving,
an encouraged-industry confirmation the tax reduced, live-stream sales the
sets and the amount, a schooling case the children enrolled — checked per
kind in ``clean()``: a kind's figure is required (and positive), the other
kinds' figures must stay empty. Amounts are in 万元.

A project counts in the figures once it is done, by its ``completed_on``.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from common.models import TimeStampedModel
from enterprises.models import Enterprise
from grids.models import Bureau
from platforms.records import written_by

MIN_AMOUNT = Decimal("0.01")
AMOUNT_DIGITS = {"max_digits": 12, "decimal_places": 2}


class Kind(models.TextChoices):
    CLOUD = "cloud", _("工业互联网上云")
    SMART_UPGRADE = "smart_upgrade", _("智能化改造")
    COST_SAVING = "cost_saving", _("能源智管降本")
    TAX_CONFIRMATION = "tax_confirmation", _("西部大开发鼓励类产业确认")
    LIVE_STREAM = "live_stream", _("直播带货")
    SCHOOLING = "schooling", _("高管子女入学")


class ProjectState(models.TextChoices):
    PLANNED = "planned", _("计划中")
    IN_PROGRESS = "in_progress", _("实施中")
    DONE = "done", _("已完成")
    CANCELLED = "cancelled", _("已取消")


# The outcome figures of each kind: which fields it requires (all others must be empty).
VALUE_FIELDS = ("saving_amount", "tax_reduced", "units_sold", "sales_amount", "children_count")
KIND_FIELDS: dict[str, tuple[str, ...]] = {
    Kind.CLOUD: (),
    Kind.SMART_UPGRADE: (),
    Kind.COST_SAVING: ("saving_amount",),
    Kind.TAX_CONFIRMATION: ("tax_reduced",),
    Kind.LIVE_STREAM: ("units_sold", "sales_amount"),
    Kind.SCHOOLING: ("children_count",),
}
# The figure each kind's totals add up (万元, or people / sets where said), if any.
KIND_VALUE: dict[str, str | None] = {
    Kind.CLOUD: None,
    Kind.SMART_UPGRADE: None,
    Kind.COST_SAVING: "saving_amount",
    Kind.TAX_CONFIRMATION: "tax_reduced",
    Kind.LIVE_STREAM: "sales_amount",
    Kind.SCHOOLING: "children_count",
}


class ServiceProject(TimeStampedModel):
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("企业"), on_delete=models.PROTECT, related_name="service_projects"
    )
    kind = models.CharField(_("服务类型"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("项目名称"), max_length=120)
    bureau = models.ForeignKey(
        Bureau, verbose_name=_("责任单位"), on_delete=models.PROTECT, related_name="service_projects"
    )
    state = models.CharField(_("状态"), max_length=12, choices=ProjectState.choices, default=ProjectState.PLANNED)
    started_on = models.DateField(_("开始日期"), null=True, blank=True)
    completed_on = models.DateField(_("完成日期"), null=True, blank=True, help_text=_("完成后填写，按此日期统计。"))
    saving_amount = models.DecimalField(_("节约成本（万元）"), null=True, blank=True, **AMOUNT_DIGITS)
    tax_reduced = models.DecimalField(_("减少税费（万元）"), null=True, blank=True, **AMOUNT_DIGITS)
    units_sold = models.PositiveIntegerField(_("增加销量（套）"), null=True, blank=True)
    sales_amount = models.DecimalField(_("销售金额（万元）"), null=True, blank=True, **AMOUNT_DIGITS)
    children_count = models.PositiveSmallIntegerField(_("解决入学人数"), null=True, blank=True)
    note = models.TextField(_("说明"), blank=True)
    recorded_by = written_by(_("登记人"))

    # Who changed what and when (common.audit shows it to managers and admins).
    history = HistoricalRecords()

    class Meta:
        ordering = ["-completed_on", "-id"]
        verbose_name = _("服务项目")
        verbose_name_plural = _("服务项目")
        indexes = [
            models.Index(fields=["kind", "state", "completed_on"]),  # the figures per kind and window
            models.Index(fields=["enterprise", "kind"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("service_projects:edit", args=[self.pk])

    def clean(self) -> None:
        errors: dict = {}
        required = KIND_FIELDS.get(self.kind, ())
        for field in VALUE_FIELDS:
            value = getattr(self, field)
            if field in required:
                if value is None:
                    errors[field] = [_("该类型项目必须填写此项。")]
                elif value < (MIN_AMOUNT if isinstance(value, Decimal) else 1):
                    errors[field] = [_("必须大于 0。")]
            elif value is not None:
                errors[field] = [_("该类型项目不填写此项。")]
        today = timezone.localdate()
        if self.state == ProjectState.DONE and self.completed_on is None:
            errors["completed_on"] = [_("已完成的项目请填写完成日期。")]
        if self.state != ProjectState.DONE and self.completed_on is not None:
            errors["completed_on"] = [_("项目完成后才填写完成日期。")]
        if self.completed_on and self.completed_on > today:
            errors["completed_on"] = [_("日期不能晚于今天。")]
        if self.started_on and self.completed_on and self.completed_on < self.started_on:
            errors["completed_on"] = [_("完成日期不能早于开始日期。")]
        if self.state in (ProjectState.IN_PROGRESS, ProjectState.DONE) and self.started_on is None:
            errors["started_on"] = [_("实施中或已完成的项目请填写开始日期。")]
        if errors:
            raise ValidationError(errors)
