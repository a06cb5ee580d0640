from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


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
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

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
