from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from common.models import TimeStampedModel
from enterprises.models import Enterprise
from grids.models import Bureau, JointTaskForce


class Level(models.TextChoices):
    """Handling level: who holds the issue. Escalation moves one step up."""

    GRID = "grid", _("网格")
    BUREAU = "bureau", _("业务科室")
    TASK_FORCE = "task_force", _("联合服务专班")


class State(models.TextChoices):
    SUBMITTED = "submitted", _("待受理")
    ACCEPTED = "accepted", _("已立案")
    IN_PROGRESS = "in_progress", _("办理中")
    RESOLVED = "resolved", _("已办结")
    CLOSED = "closed", _("已销号")
    REJECTED = "rejected", _("不予立案")
    MERGED = "merged", _("已合并")


class Source(models.TextChoices):
    VISIT = "visit", _("走访发现")
    ENTERPRISE = "enterprise", _("企业线上反映")
    BUREAU = "bureau", _("科室录入")
    MANAGER = "manager", _("领导交办")


class Severity(models.TextChoices):
    """Grade of the problem itself (分级), distinct from who handles it."""

    NORMAL = "normal", _("一般")
    IMPORTANT = "important", _("较重")
    URGENT = "urgent", _("紧急")


class Category(TimeStampedModel):
    code = models.SlugField(_("代码"), max_length=30, unique=True)
    name = models.CharField(_("名称"), max_length=50, unique=True)
    default_bureau = models.ForeignKey(
        Bureau, verbose_name=_("默认承办科室"), on_delete=models.PROTECT, related_name="default_categories"
    )
    # Time limits in working days per handling level (DESIGN §3 defaults 3 / 10 / 20).
    grid_days = models.PositiveSmallIntegerField(_("网格办理时限（工作日）"), default=3)
    bureau_days = models.PositiveSmallIntegerField(_("科室办理时限（工作日）"), default=10)
    task_force_days = models.PositiveSmallIntegerField(_("专班办理时限（工作日）"), default=20)

    class Meta:
        verbose_name = _("问题类别")
        verbose_name_plural = _("问题类别")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    def days_for(self, level: str) -> int:
        return {Level.GRID: self.grid_days, Level.BUREAU: self.bureau_days, Level.TASK_FORCE: self.task_force_days}[
            level
        ]


class Issue(TimeStampedModel):
    """One problem or difficulty of one enterprise: a row of the ledger.

    State changes only in ``issues.services``; every change writes an IssueEvent.
    """

    enterprise = models.ForeignKey(Enterprise, verbose_name=_("企业"), on_delete=models.PROTECT, related_name="issues")
    title = models.CharField(_("问题标题"), max_length=120)
    description = models.TextField(_("问题描述"))
    source = models.CharField(_("来源"), max_length=12, choices=Source.choices)
    category = models.ForeignKey(
        Category, verbose_name=_("类别"), null=True, blank=True, on_delete=models.PROTECT, related_name="issues"
    )
    severity = models.CharField(_("问题等级"), max_length=10, choices=Severity.choices, default=Severity.NORMAL)
    level = models.CharField(_("办理层级"), max_length=12, choices=Level.choices, default=Level.GRID)
    bureau = models.ForeignKey(
        Bureau, verbose_name=_("承办科室"), null=True, blank=True, on_delete=models.PROTECT, related_name="issues"
    )
    task_force = models.ForeignKey(
        JointTaskForce,
        verbose_name=_("联合服务专班"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="issues",
    )
    # Every bureau that has held the issue, now or before: bureau staff see these.
    bureaus_involved = models.ManyToManyField(
        Bureau, verbose_name=_("经手科室"), blank=True, related_name="issues_involved"
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("当前经办人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="handled_issues",
    )
    state = models.CharField(_("状态"), max_length=12, choices=State.choices, default=State.SUBMITTED)
    # The response clock: accept or reject by the end of this working day.
    response_due_on = models.DateField(_("受理时限"), null=True, blank=True)
    # The handling clock: resolve by the end of this working day.
    due_on = models.DateField(_("办结时限"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("立案时间"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("销号时间"), null=True, blank=True)
    resolution = models.TextField(_("办理结果"), blank=True)
    duplicate_of = models.ForeignKey(
        "self", verbose_name=_("合并至"), null=True, blank=True, on_delete=models.PROTECT, related_name="duplicates"
    )
    reopen_count = models.PositiveSmallIntegerField(_("重新办理次数"), default=0)
    rework_count = models.PositiveSmallIntegerField(_("返工次数"), default=0)
    extension_count = models.PositiveSmallIntegerField(_("延期次数"), default=0)
    escalation_count = models.PositiveSmallIntegerField(_("升级次数"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="created_issues",
    )
    # Bumped on every transition; a conditional update on it refuses a stale write.
    version = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("问题")
        verbose_name_plural = _("问题台账")
        ordering = ["-created_at", "-id"]
        indexes = [
            # The deadline sweep and the ledger's default sort.
            models.Index(fields=["state", "due_on"]),
            models.Index(fields=["level", "bureau", "state"]),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.title}"


class IssueEvent(models.Model):
    """Append-only timeline of an issue: never edited, never deleted."""

    issue = models.ForeignKey(Issue, verbose_name=_("问题"), on_delete=models.PROTECT, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("时间"))
    action = models.CharField(_("操作"), max_length=30)
    from_state = models.CharField(_("原状态"), max_length=12, choices=State.choices, blank=True)
    to_state = models.CharField(_("新状态"), max_length=12, choices=State.choices, blank=True)
    reason = models.TextField(_("原因"), blank=True)
    note = models.TextField(_("说明"), blank=True)
    # Internal notes are for staff only; everything else the enterprise may read.
    is_internal = models.BooleanField(_("内部备注"), default=False)
    data = models.JSONField(_("附加数据"), default=dict, blank=True)

    class Meta:
        verbose_name = _("问题处理记录")
        verbose_name_plural = _("问题处理记录")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.issue_id} {self.action}"
