"""The roster's model: one import of the Excel roster and its progress."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from common.models import TimeStampedModel


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
