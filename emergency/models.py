"""Emergency incidents (应急事件): declaration, the frozen list of affected enterprises,
notices, acknowledgements, the per-enterprise response log and call tasks.

The response log is append-only: every report is a timestamped ``ResponseEntry``;
the board reads the latest value of each field, never an overwritten column.
"""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from common.models import TimeStampedModel, optional_user


def new_ack_token() -> str:
    return secrets.token_urlsafe(24)


class Kind(models.TextChoices):
    FLOOD = "flood", _("汛情洪涝")
    FIRE = "fire", _("火灾")
    EPIDEMIC = "epidemic", _("疫情")
    OTHER = "other", _("其他突发事件")


class State(models.TextChoices):
    OPEN = "open", _("处置中")
    CLOSED = "closed", _("已结束")


class Incident(TimeStampedModel):
    kind = models.CharField(_("事件类型"), max_length=12, choices=Kind.choices)
    is_exercise = models.BooleanField(_("演练"), default=False)
    title = models.CharField(_("标题"), max_length=100)
    description = models.TextField(_("情况说明"), blank=True)
    # The district an incident is declared for (a leader's own); empty for a zone-wide one.
    district = models.ForeignKey(
        "grids.District", verbose_name=_("片区"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    grids = models.ManyToManyField("grids.GridTeam", verbose_name=_("受影响网格"), blank=True, related_name="+")
    declared_at = models.DateTimeField(_("发布时间"), default=timezone.now)
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("发布人"), on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.OPEN)
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    closed_by = optional_user(_("结束人"), on_delete=models.PROTECT)
    closing_note = models.TextField(_("结束说明"), blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1)

    # Who changed what and when (common.audit shows it to managers and admins).
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("应急事件")
        verbose_name_plural = _("应急事件")
        ordering = ["-declared_at", "-id"]
        indexes = [
            # The month's report lists incidents declared in a date window.
            models.Index(fields=["declared_at"]),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("emergency:board", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.state == State.OPEN


class AckMethod(models.TextChoices):
    SELF = "self", _("企业自行确认")
    LINK = "link", _("企业通过专属链接确认")
    ON_BEHALF = "on_behalf", _("网格员电话联系后代为确认")


class AffectedEnterprise(models.Model):
    """One enterprise affected by an incident, frozen at declaration (one row per enterprise)."""

    incident = models.ForeignKey(
        Incident, verbose_name=_("应急事件"), on_delete=models.CASCADE, related_name="affected"
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("企业"), on_delete=models.PROTECT, related_name="+"
    )
    # The grid at declaration: whose officers answer for it during this incident.
    grid = models.ForeignKey("grids.GridTeam", verbose_name=_("网格工作组"), on_delete=models.PROTECT, related_name="+")
    # The unguessable part of the enterprise's own acknowledgement link.
    token = models.CharField(_("确认令牌"), max_length=40, unique=True, default=new_ack_token)
    notified_at = models.DateTimeField(_("首次通知时间"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    acknowledged_by = optional_user(_("确认人"), on_delete=models.PROTECT)
    ack_method = models.CharField(_("确认方式"), max_length=12, choices=AckMethod.choices, blank=True)
    follow_up_issue = models.ForeignKey(
        "issues.Issue",
        verbose_name=_("灾后需求问题"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("受影响企业")
        verbose_name_plural = _("受影响企业")
        ordering = ["incident", "id"]
        constraints = [
            models.UniqueConstraint(fields=["incident", "enterprise"], name="emergency_affected_once"),
        ]
        indexes = [
            # The escalation sweep and the unreached list: unacknowledged rows of an incident.
            models.Index(fields=["incident", "acknowledged_at"]),
            # "Incidents touching my grids" (officer and leader scope).
            models.Index(fields=["grid", "incident"]),
        ]

    def __str__(self) -> str:
        return f"{self.incident} · {self.enterprise}"

    @property
    def is_acknowledged(self) -> bool:
        return self.acknowledged_at is not None

    def get_ack_url(self) -> str:
        return reverse("emergency:ack", args=[self.token])


class Channel(models.TextChoices):
    IN_APP = "in_app", _("站内信及邮件")
    WECOM = "wecom", _("企业微信群机器人")
    DINGTALK = "dingtalk", _("钉钉群机器人")


class Notice(models.Model):
    """One message of an incident to one person or one group robot on one channel.

    Claimed (``claimed_at``) before sending and marked ``sent_at`` after: a task
    that runs twice, or again after a crash, never sends a claimed notice again.
    """

    incident = models.ForeignKey(Incident, verbose_name=_("应急事件"), on_delete=models.CASCADE, related_name="notices")
    channel = models.CharField(_("渠道"), max_length=10, choices=Channel.choices)
    # "user:<id>" for a person, "robot:<channel>" for a group robot: the unique key.
    address = models.CharField(_("接收方"), max_length=60)
    recipient = optional_user(_("接收人"), on_delete=models.CASCADE)
    affected = models.ForeignKey(
        AffectedEnterprise,
        verbose_name=_("受影响企业"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notices",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    claimed_at = models.DateTimeField(_("领取时间"), null=True, blank=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    last_error = models.CharField(_("最近错误"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("应急通知")
        verbose_name_plural = _("应急通知")
        ordering = ["incident", "id"]
        constraints = [
            models.UniqueConstraint(fields=["incident", "channel", "address"], name="emergency_notice_once"),
        ]

    def __str__(self) -> str:
        return f"{self.incident} → {self.address} ({self.channel})"


class RecoveryStep(models.TextChoices):
    DRAINAGE = "drainage", _("排涝")
    DESILTING = "desilting", _("清淤")
    POLLUTION = "pollution", _("治污")
    DISINFECTION = "disinfection", _("消杀")


class EntryKind(models.TextChoices):
    REPORT = "report", _("现场情况")
    ACKNOWLEDGEMENT = "ack", _("确认收到")
    CALL = "call", _("电话联系")


class CallOutcome(models.TextChoices):
    REACHED = "reached", _("已接通，代为确认")
    NO_ANSWER = "no_answer", _("未接通")


# The fields of a report; the board shows the latest non-empty value of each.
REPORT_FIELDS = (
    "arrived_at",
    "evacuated",
    "on_site",
    "goods_moved",
    "damage",
    "needs",
    "drainage",
    "desilting",
    "pollution",
    "disinfection",
    "restored_on",
)


class ResponseEntry(models.Model):
    """A timestamped line of an affected enterprise's response log; never edited.

    A report sets only the fields it reports (the others stay empty); an
    acknowledgement and a call outcome are lines of the same timeline.
    """

    affected = models.ForeignKey(
        AffectedEnterprise, verbose_name=_("受影响企业"), on_delete=models.CASCADE, related_name="entries"
    )
    author = optional_user(_("填报人"), on_delete=models.PROTECT)
    at = models.DateTimeField(_("时间"), default=timezone.now)
    kind = models.CharField(_("类型"), max_length=10, choices=EntryKind.choices, default=EntryKind.REPORT)
    call_outcome = models.CharField(_("联系结果"), max_length=10, choices=CallOutcome.choices, blank=True)
    arrived_at = models.DateTimeField(_("网格员到场时间"), null=True, blank=True)
    evacuated = models.PositiveIntegerField(_("已撤离人数"), null=True, blank=True)
    on_site = models.PositiveIntegerField(_("仍在现场人数"), null=True, blank=True)
    goods_moved = models.CharField(_("物资转移"), max_length=500, blank=True)
    damage = models.CharField(_("受损情况"), max_length=500, blank=True)
    needs = models.CharField(_("需求"), max_length=500, blank=True)
    drainage = models.BooleanField(_("排涝"), null=True, blank=True)
    desilting = models.BooleanField(_("清淤"), null=True, blank=True)
    pollution = models.BooleanField(_("治污"), null=True, blank=True)
    disinfection = models.BooleanField(_("消杀"), null=True, blank=True)
    restored_on = models.DateField(_("恢复生产日期"), null=True, blank=True)
    note = models.CharField(_("备注"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("处置记录")
        verbose_name_plural = _("处置记录")
        ordering = ["at", "id"]
        indexes = [
            # "The latest value per field" reads each enterprise's entries newest first.
            models.Index(fields=["affected", "-at", "-id"], name="emergency_entry_latest_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.affected} @ {self.at:%Y-%m-%d %H:%M}"

    def clean(self) -> None:
        super().clean()
        if not self.affected_id:
            return
        declared_at = self.affected.incident.declared_at
        errors = {}
        if self.restored_on is not None and self.restored_on < timezone.localdate(declared_at):
            errors["restored_on"] = _("恢复生产日期不能早于事件发布日期。")
        if self.arrived_at is not None and self.arrived_at < declared_at:
            errors["arrived_at"] = _("到场时间不能早于事件发布时间。")
        if errors:
            raise ValidationError(errors)

    @property
    def recovery_steps(self) -> list[str]:
        return [step for step in RecoveryStep.values if getattr(self, step)]

    @property
    def recovery_step_labels(self) -> list[str]:
        return [str(RecoveryStep(step).label) for step in self.recovery_steps]


class CallLevel(models.TextChoices):
    OFFICER = "officer", _("网格员")
    LEADER = "leader", _("片区负责人")


class CallTask(models.Model):
    """ "Call this enterprise": an affected enterprise not acknowledged in time, for its
    grid's officer first, then for the district leader. One per (enterprise row, level)."""

    affected = models.ForeignKey(
        AffectedEnterprise, verbose_name=_("受影响企业"), on_delete=models.CASCADE, related_name="call_tasks"
    )
    level = models.CharField(_("层级"), max_length=10, choices=CallLevel.choices)
    assignee = optional_user(_("责任人"), on_delete=models.SET_NULL)
    created_at = models.DateTimeField(_("生成时间"), default=timezone.now)
    done_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("电话催办任务")
        verbose_name_plural = _("电话催办任务")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["affected", "level"], name="emergency_call_task_once"),
        ]
        indexes = [
            # The officer's panel: open tasks.
            models.Index(fields=["done_at", "level"]),
        ]

    def __str__(self) -> str:
        return f"{self.affected} ({self.level})"


class ReliefOffer(models.Model):
    """What the portal offers one affected enterprise when its incident closes (灾后支持清单).

    Built once, at closing, from each app's own matching (``emergency.relief``): the relief
    policy clauses the policy matching finds the enterprise eligible for, its loans still
    running that a renewal or an extension can help, and the zone's open vacancies for its
    idle workers (共享用工). The problem-ledger entry for its open need is the row's
    ``follow_up_issue``. Kept as offered: later changes elsewhere do not rewrite it.
    """

    affected = models.OneToOneField(
        AffectedEnterprise, verbose_name=_("受影响企业"), on_delete=models.CASCADE, related_name="relief_offer"
    )
    created_at = models.DateTimeField(_("生成时间"))
    policy_clauses = models.ManyToManyField(
        "policies.PolicyClause", verbose_name=_("可享政策条款"), blank=True, related_name="+"
    )
    loans = models.ManyToManyField(
        "financing.Loan", verbose_name=_("可申请续贷展期的贷款"), blank=True, related_name="+"
    )
    vacancies = models.ManyToManyField(
        "labour.LabourPosting", verbose_name=_("园区用工需求（共享用工）"), blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("灾后支持清单")
        verbose_name_plural = _("灾后支持清单")
        ordering = ["affected"]

    def __str__(self) -> str:
        return str(self.affected)

    def get_absolute_url(self) -> str:
        return reverse("emergency:relief", args=[self.affected.incident_id, self.affected_id])
