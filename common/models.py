from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


def optional_user(verbose_name: str | Promise, *, on_delete: Any, related_name: str = "+") -> Any:
    """A link to the person who did something (``…_by``), empty until someone has.

    ``on_delete`` says what a deleted account leaves: ``SET_NULL`` where the row must outlive
    it, ``PROTECT`` where the record must keep naming the person.
    """
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        null=True,
        blank=True,
        on_delete=on_delete,
        related_name=related_name,
    )


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        abstract = True


class WorkdayArrangement(TimeStampedModel):
    """One year's public holidays and adjusted working weekends, as the State Council published them.

    Seeded from the ``chinesecalendar`` package for the years it covers
    (``manage.py sync_workday_calendar``, also run after every ``migrate``)
    and entered by a 系统管理员 in the admin for the years it does not yet.
    ``common.workdays`` counts every deadline on these rows; a year without
    an arrangement counts Monday–Friday.
    """

    year = models.PositiveSmallIntegerField(
        _("年份"), unique=True, validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    is_complete = models.BooleanField(
        _("已完整录入"),
        default=False,
        help_text=_("国务院办公厅通知中的全部放假日和调休上班日都已录入时勾选；未勾选时系统首页会继续提醒。"),
    )
    source = models.CharField(
        _("来源"), max_length=200, blank=True, help_text=_("如国务院办公厅通知的文号，或自动导入的软件包及版本。")
    )
    entered_by = optional_user(_("录入人"), on_delete=models.SET_NULL)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("年度节假日安排")
        verbose_name_plural = _("年度节假日安排")

    def __str__(self) -> str:
        return _("%(year)s年节假日安排") % {"year": self.year}


class SpecialDay(models.Model):
    """A date that breaks the Monday–Friday rule: a public holiday, or a weekend day worked in lieu (调休)."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("法定节假日")
        WORKDAY = "workday", _("调休上班")

    arrangement = models.ForeignKey(
        WorkdayArrangement, verbose_name=_("年度安排"), on_delete=models.CASCADE, related_name="days"
    )
    date = models.DateField(
        _("日期"), unique=True, help_text=_("放假日可以是周末；调休上班日必须是星期六或星期日；日期须在本年度内。")
    )
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("节日"), max_length=60, help_text=_("如春节、国庆节；调休上班日填所调换的节日。"))

    class Meta:
        ordering = ["date"]
        verbose_name = _("节假日或调休上班日")
        verbose_name_plural = _("节假日和调休上班日")

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()} {self.name}"

    def clean(self) -> None:
        if self.date is None:
            return
        errors = []
        if self.kind == self.Kind.WORKDAY and self.date.weekday() < 5:
            errors.append(_("调休上班日必须是星期六或星期日。"))
        year = self._arrangement_year()
        if year is not None and self.date.year != year:
            errors.append(_("日期必须在%(year)s年内。") % {"year": year})
        if errors:
            raise ValidationError({"date": errors})

    def _arrangement_year(self) -> int | None:
        # The admin's inline validates its days against the arrangement of the same form,
        # which is still unsaved (and its year possibly invalid) on the add page.
        try:
            return self.arrangement.year
        except WorkdayArrangement.DoesNotExist:
            return None


class ExportJob(TimeStampedModel):
    """One Excel export a user asked for, written in the background (``common.export_jobs``).

    The job keeps the list's filters as they were asked for (``params``, a query string)
    and who asked; the worker applies that user's scope again when it runs, so the file
    holds only what the user may see at that moment. The file lives in the private media
    storage, is handed out only to ``requested_by``, and is removed after
    ``EXPORT_FILE_DAYS`` days by the daily cleanup.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("排队中")
        RUNNING = "running", _("生成中")
        SUCCEEDED = "succeeded", _("已完成")
        FAILED = "failed", _("导出失败")
        EXPIRED = "expired", _("已过期")

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("导出人"), on_delete=models.CASCADE, related_name="export_jobs"
    )
    # The dotted path of the app's ``ExportKind`` (``issues.exports.LEDGER_EXPORT``).
    kind = models.CharField(_("导出内容"), max_length=100)
    params = models.TextField(_("筛选条件"), blank=True)
    # The requester's language: the worker writes headers and labels in it.
    language = models.CharField(_("语言"), max_length=10, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PENDING)
    total_rows = models.PositiveIntegerField(_("总行数"), null=True, blank=True)
    rows_done = models.PositiveIntegerField(_("已写行数"), default=0)
    file = models.FileField(_("文件"), upload_to="exports/%Y/%m/", blank=True)
    filename = models.CharField(_("下载文件名"), max_length=200, blank=True)
    message = models.CharField(_("说明"), max_length=300, blank=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("导出任务")
        verbose_name_plural = _("导出任务")
        ordering = ["-created_at", "-id"]
        indexes = [
            # The daily cleanup: finished jobs whose file is older than the cut-off.
            models.Index(fields=["status", "finished_at"], name="common_export_status_done"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}（{self.get_status_display()}）"

    @property
    def is_finished(self) -> bool:
        return self.status not in (self.Status.PENDING, self.Status.RUNNING)

    @property
    def progress_percent(self) -> int | None:
        if not self.total_rows:
            return None
        return min(100, round(self.rows_done * 100 / self.total_rows))
