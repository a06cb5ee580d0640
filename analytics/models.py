"""What the weekly and monthly jobs store.

Every row is written by ``analytics.weekly`` or ``analytics.monthly`` with an
upsert on its natural key, so running a job twice for the same period leaves
the same rows (same ids, same values).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from analytics.metrics import DIMENSION_LABELS, Dimension
from common.models import TimeStampedModel
from enterprises.models import Enterprise, Tier
from fieldwork.models import WeeklyTracking
from grids.models import District, GridTeam

ZONE_SCOPE_ID = "zone"


class MonthlyReport(models.Model):
    """One snapshot row: the month's metrics for one zone / district / grid team /
    tier / industry / bureau / category / officer (``scope_type`` + ``scope_id``)."""

    month = models.DateField(_("月份"), help_text=_("当月1日"))
    scope_type = models.CharField(
        _("统计维度"), max_length=12, choices=[(key.value, label) for key, label in DIMENSION_LABELS.items()]
    )
    # A primary key for districts, grid teams, bureaus, categories and officers;
    # the code for tiers and industries; "zone" for the zone.
    scope_id = models.CharField(_("统计对象"), max_length=40)
    scope_name = models.CharField(_("名称"), max_length=200)
    # What the scope belongs to, for display: a grid team's district, an officer's grid team.
    parent_name = models.CharField(_("所属"), max_length=200, blank=True)
    # The district the row lies in (districts, grid teams, officers): a district
    # leader reads only rows of his district. Zone-wide rows have none.
    district = models.ForeignKey(
        District, verbose_name=_("所属片区"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    metrics = models.JSONField(_("指标"), default=dict)
    # Display order within the scope type: districts and grid teams by code, the rest by name.
    position = models.PositiveIntegerField(_("排序"), default=0)
    computed_at = models.DateTimeField(_("计算时间"))
    # The running month's rows, written every few minutes by ``analytics.tasks.refresh_running_month``
    # so that a dashboard only reads; the monthly job replaces them by the final rows (same natural
    # key, provisional off) once the month has ended. Only the final rows are a month's snapshot.
    provisional = models.BooleanField(_("本月至今（临时）"), default=False)

    class Meta:
        verbose_name = _("月度分析快照")
        verbose_name_plural = _("月度分析快照")
        ordering = ["-month", "scope_type", "position"]
        constraints = [
            models.UniqueConstraint(fields=["month", "scope_type", "scope_id"], name="one_report_per_scope_month"),
        ]
        indexes = [
            # The dashboards' 12-month trend of one scope.
            models.Index(fields=["scope_type", "scope_id", "month"]),
            # The API's district filter.
            models.Index(fields=["district", "month"]),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.get_scope_type_display()} {self.scope_name}"


def workbook_path(instance: "ReportWorkbook", filename: str) -> str:
    # A fixed name per month and scope: a rerun replaces the file, never adds one.
    return f"reports/monthly/{instance.month:%Y-%m}/{instance.scope_type}-{instance.scope_id}.xlsx"


class ReportWorkbook(models.Model):
    """The monthly Excel report, stored by the job: one for the zone and one per district.

    Served only through the scope-checked download views (MEDIA is never public).
    """

    month = models.DateField(_("月份"))
    scope_type = models.CharField(
        _("范围"),
        max_length=12,
        choices=[(Dimension.ZONE.value, _("园区")), (Dimension.DISTRICT.value, _("片区"))],
    )
    scope_id = models.CharField(_("范围对象"), max_length=40)
    district = models.ForeignKey(
        District, verbose_name=_("片区"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    file = models.FileField(_("文件"), upload_to=workbook_path, max_length=200)
    size = models.PositiveIntegerField(_("大小（字节）"), default=0)
    generated_at = models.DateTimeField(_("生成时间"))

    class Meta:
        verbose_name = _("月度报表文件")
        verbose_name_plural = _("月度报表文件")
        ordering = ["-month", "scope_type", "scope_id"]
        constraints = [
            models.UniqueConstraint(fields=["month", "scope_type", "scope_id"], name="one_workbook_per_scope_month"),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.scope_type}-{self.scope_id}"


class WeeklyClose(models.Model):
    """The close of one ISO week of tracking (run Monday 08:00 for the week before)."""

    iso_year = models.PositiveSmallIntegerField(_("ISO年"))
    iso_week = models.PositiveSmallIntegerField(_("ISO周"))
    week_start = models.DateField(_("周一日期"))
    closed_at = models.DateTimeField(_("关账时间"))
    expected = models.PositiveIntegerField(_("应跟踪企业"), default=0)
    tracked = models.PositiveIntegerField(_("已跟踪企业"), default=0)
    missed = models.PositiveIntegerField(_("未跟踪企业"), default=0)
    output_down = models.PositiveIntegerField(_("产值下降企业"), default=0)
    output_up = models.PositiveIntegerField(_("产值增长企业"), default=0)
    with_risks = models.PositiveIntegerField(_("有风险提示企业"), default=0)

    class Meta:
        verbose_name = _("周跟踪关账")
        verbose_name_plural = _("周跟踪关账")
        ordering = ["-week_start"]
        constraints = [models.UniqueConstraint(fields=["iso_year", "iso_week"], name="one_close_per_week")]

    def __str__(self) -> str:
        return self.week_code

    @property
    def week_code(self) -> str:
        return f"{self.iso_year}-W{self.iso_week:02d}"


class Rhythm(models.TextChoices):
    WEEKLY = "weekly", _("每周跟踪")
    MONTHLY = "monthly", _("每月跟踪")


class WeeklyEnterpriseStatus(models.Model):
    """One enterprise due for tracking in a closed week: tracked or missed, and how its figures moved."""

    close = models.ForeignKey(WeeklyClose, verbose_name=_("周次"), on_delete=models.CASCADE, related_name="statuses")
    enterprise = models.ForeignKey(Enterprise, verbose_name=_("企业"), on_delete=models.CASCADE, related_name="+")
    # Where the enterprise stood when the week was closed.
    grid = models.ForeignKey(GridTeam, verbose_name=_("网格工作组"), on_delete=models.PROTECT, related_name="+")
    tier = models.CharField(_("企业分类"), max_length=12, choices=Tier.choices)
    rhythm = models.CharField(_("跟踪频次"), max_length=8, choices=Rhythm.choices)
    tracked = models.BooleanField(_("已跟踪"))
    tracking = models.ForeignKey(
        WeeklyTracking, verbose_name=_("周跟踪"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    output_value = models.DecimalField(_("本周产值（万元）"), max_digits=14, decimal_places=2, null=True, blank=True)
    previous_output_value = models.DecimalField(
        _("上次产值（万元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    employees = models.PositiveIntegerField(_("在岗人数"), null=True, blank=True)
    previous_employees = models.PositiveIntegerField(_("上次在岗人数"), null=True, blank=True)
    capacity_use = models.PositiveSmallIntegerField(_("产能利用率（%）"), null=True, blank=True)
    previous_capacity_use = models.PositiveSmallIntegerField(_("上次产能利用率（%）"), null=True, blank=True)
    risk_count = models.PositiveSmallIntegerField(_("风险提示数"), default=0)

    class Meta:
        verbose_name = _("周跟踪情况")
        verbose_name_plural = _("周跟踪情况")
        ordering = ["tracked", "grid__code", "enterprise__name"]
        constraints = [models.UniqueConstraint(fields=["close", "enterprise"], name="one_status_per_week")]
        indexes = [
            # The weekly page's "missed in my grids" list.
            models.Index(fields=["close", "tracked", "grid"]),
        ]

    def __str__(self) -> str:
        return f"{self.close} {self.enterprise_id} {'✓' if self.tracked else '✗'}"

    @property
    def output_change(self) -> float | None:
        """This week's output against the previous tracking, as a fraction (−0.25 = down 25%)."""
        if self.output_value is None or not self.previous_output_value:
            return None
        return float((self.output_value - self.previous_output_value) / self.previous_output_value)


class SuggestionStatus(models.TextChoices):
    PENDING = "pending", _("待处理")
    ACCEPTED = "accepted", _("已采纳")
    DISMISSED = "dismissed", _("已忽略")
    OBSOLETE = "obsolete", _("已失效")


class TierSuggestion(TimeStampedModel):
    """A tier change the weekly close proposes from the enterprise's output; a person decides."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("企业"), on_delete=models.CASCADE, related_name="tier_suggestions"
    )
    # The latest complete month of the two three-month windows compared.
    reference_month = models.DateField(_("参考月份"))
    from_tier = models.CharField(_("当前分类"), max_length=12, choices=Tier.choices)
    to_tier = models.CharField(_("建议分类"), max_length=12, choices=Tier.choices)
    reason = models.CharField(_("建议理由"), max_length=300)
    recent_output = models.DecimalField(_("近三个月产值（万元）"), max_digits=16, decimal_places=2)
    previous_output = models.DecimalField(_("前三个月产值（万元）"), max_digits=16, decimal_places=2)
    close = models.ForeignKey(
        WeeklyClose, verbose_name=_("提出周次"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=SuggestionStatus.choices, default=SuggestionStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("处理人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("分类调整建议")
        verbose_name_plural = _("分类调整建议")
        ordering = ["-reference_month", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "reference_month", "to_tier"], name="one_suggestion_per_month_and_tier"
            ),
        ]
        indexes = [models.Index(fields=["status", "enterprise"])]

    def __str__(self) -> str:
        return f"{self.enterprise}: {self.get_from_tier_display()} → {self.get_to_tier_display()}"

    @property
    def output_change(self) -> float | None:
        if not self.previous_output:
            return None
        return float((self.recent_output - self.previous_output) / self.previous_output)


class ScheduledRun(models.Model):
    """One scheduled run of a periodic job for one period (``analytics.tasks``).

    A second beat (started by mistake) sends the same job for the same period: the
    run that finds its period finished does nothing. ``finished_at`` stays empty while
    the job runs and after a worker died in the middle, so the rerun completes it.
    """

    job = models.CharField(_("任务"), max_length=60)
    period = models.CharField(_("期间"), max_length=20)
    started_at = models.DateTimeField(_("开始时间"))
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("运行次数"), default=0)

    class Meta:
        verbose_name = _("定时任务运行记录")
        verbose_name_plural = _("定时任务运行记录")
        ordering = ["-started_at"]
        constraints = [models.UniqueConstraint(fields=["job", "period"], name="one_scheduled_run_per_period")]

    def __str__(self) -> str:
        return f"{self.job} {self.period}"
