import secrets

from django.conf import settings
from django.db import models
from django.db.models import Case, F, Value, When
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from common.models import TimeStampedModel, optional_user
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


# States in which someone still has to act (the handling clock runs).
OPEN_STATES = (State.ACCEPTED, State.IN_PROGRESS)
# States after which nothing more happens to the issue.
FINAL_STATES = (State.CLOSED, State.REJECTED, State.MERGED)


def ledger_rank_of(state: str) -> int:
    """``Issue.ledger_rank`` of an issue in ``state`` (the database computes the column; a test holds
    the two to the same answer for every state): a clock runs, awaiting feedback, finished."""
    if state in (State.SUBMITTED, *OPEN_STATES):
        return 0
    return 1 if state == State.RESOLVED else 2


# The longest extension one request may ask for, in working days (form, API and service).
MAX_EXTENSION_DAYS = 30


class Action(models.TextChoices):
    """What an IssueEvent records; the timeline shows these labels."""

    SUBMIT = "submit", _("提交问题")
    ACCEPT = "accept", _("受理立案")
    REJECT = "reject", _("不予立案")
    START = "start", _("签收办理")
    ESCALATE = "escalate", _("升级转办")
    RETURN = "return", _("退回网格")
    EXTEND_REQUEST = "extend_request", _("申请延期")
    EXTEND_APPROVE = "extend_approve", _("批准延期")
    EXTEND_REFUSE = "extend_refuse", _("不予延期")
    RESOLVE = "resolve", _("办结")
    VERIFY_PASS = "verify_pass", _("核查通过")
    VERIFY_FAIL = "verify_fail", _("核查未通过（返工）")
    FEEDBACK = "feedback", _("企业评价")
    CLOSE = "close", _("销号")
    MERGE = "merge", _("合并重复问题")
    MERGED_IN = "merged_in", _("并入重复问题")
    NOTE = "note", _("内部备注")
    REPLY = "reply", _("回复")
    OVERDUE = "overdue", _("逾期")
    RESPONSE_OVERDUE = "response_overdue", _("受理超时")


class Rating(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASICALLY = "basically", _("基本满意")
    DISSATISFIED = "dissatisfied", _("不满意")


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
    # A reopened (不满意) or reworked (核查未通过) issue gets a new handling deadline; empty = the level's own limit.
    grid_rework_days = models.PositiveSmallIntegerField(
        _("网格重新办理时限（工作日）"), null=True, blank=True, help_text=_("留空则与网格办理时限相同。")
    )
    bureau_rework_days = models.PositiveSmallIntegerField(
        _("科室重新办理时限（工作日）"), null=True, blank=True, help_text=_("留空则与科室办理时限相同。")
    )
    task_force_rework_days = models.PositiveSmallIntegerField(
        _("专班重新办理时限（工作日）"), null=True, blank=True, help_text=_("留空则与专班办理时限相同。")
    )

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

    def rework_days_for(self, level: str) -> int:
        """The time limit of a reopened or reworked issue at ``level``: its own setting, or the level's."""
        rework = {
            Level.GRID: self.grid_rework_days,
            Level.BUREAU: self.bureau_rework_days,
            Level.TASK_FORCE: self.task_force_rework_days,
        }[level]
        return self.days_for(level) if rework is None else rework


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
    handler = optional_user(_("当前经办人"), on_delete=models.SET_NULL, related_name="handled_issues")
    state = models.CharField(_("状态"), max_length=12, choices=State.choices, default=State.SUBMITTED)
    # The response clock: accept or reject by the end of this working day.
    response_due_on = models.DateField(_("受理时限"), null=True, blank=True)
    # The handling clock: resolve by the end of this working day.
    due_on = models.DateField(_("办结时限"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("立案时间"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("销号时间"), null=True, blank=True)
    # When the response clock stopped (accepted or rejected).
    responded_at = models.DateTimeField(_("受理答复时间"), null=True, blank=True)
    # Working days from acceptance to the latest resolution, stored at resolve
    # time so that the average is a plain SQL aggregate.
    handling_working_days = models.PositiveSmallIntegerField(_("办理用时（工作日）"), null=True, blank=True)
    resolution = models.TextField(_("办理结果"), blank=True)
    duplicate_of = models.ForeignKey(
        "self", verbose_name=_("合并至"), null=True, blank=True, on_delete=models.PROTECT, related_name="duplicates"
    )
    reopen_count = models.PositiveSmallIntegerField(_("重新办理次数"), default=0)
    rework_count = models.PositiveSmallIntegerField(_("返工次数"), default=0)
    extension_count = models.PositiveSmallIntegerField(_("延期次数"), default=0)
    escalation_count = models.PositiveSmallIntegerField(_("升级次数"), default=0)
    created_by = optional_user(_("登记人"), on_delete=models.SET_NULL, related_name="created_issues")
    # Bumped on every transition; a conditional update on it refuses a stale write.
    version = models.PositiveIntegerField(default=0, editable=False)
    # The ledger's order, kept by the database itself so that one index serves it (``issue_list``):
    # issues someone must act on first, then resolved ones awaiting feedback, then the finished;
    # within the first, the running deadline (the response deadline while submitted) soonest first.
    ledger_rank = models.GeneratedField(
        expression=Case(
            When(state__in=[State.SUBMITTED, *OPEN_STATES], then=Value(0)),
            When(state=State.RESOLVED, then=Value(1)),
            default=Value(2),
        ),
        output_field=models.PositiveSmallIntegerField(),
        db_persist=True,
    )
    running_deadline = models.GeneratedField(
        expression=Case(
            When(state=State.SUBMITTED, then=F("response_due_on")),
            When(state__in=OPEN_STATES, then=F("due_on")),
            default=Value(None, output_field=models.DateField()),
        ),
        output_field=models.DateField(),
        db_persist=True,
    )

    # Who changed what and when (common.audit shows it to managers and admins).
    # The ledger-order columns are computed from the state and deadlines the history already keeps.
    history = HistoricalRecords(excluded_fields=["ledger_rank", "running_deadline"])

    class Meta:
        verbose_name = _("问题")
        verbose_name_plural = _("问题台账")
        ordering = ["-created_at", "-id"]
        indexes = [
            # The ledger's default order, read in index order: a page of the ledger reads 30 rows,
            # not a sort of every issue in scope (issue_list, the API list and the export).
            # It carries the state and both deadlines: "overdue" (``figures.behind``) is read from it alone.
            models.Index(
                fields=["ledger_rank", "running_deadline", "-created_at", "-id"],
                name="issue_ledger_order",
                include=["state", "due_on", "response_due_on"],
            ),
            # The deadline sweep.
            models.Index(fields=["state", "due_on"]),
            models.Index(fields=["level", "bureau", "state"]),
            # The bureau workbench's "recent": the latest issues a bureau was involved in (read newest
            # first, each checked against the bureau's involvement) and the latest it holds.
            models.Index(fields=["-updated_at", "-id"], name="issue_recent"),
            models.Index(fields=["bureau", "-updated_at", "-id"], name="issue_bureau_recent"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("issues:detail", args=[self.pk])

    @property
    def handling_unit_name(self) -> str:
        """Who holds the issue now: the task force, the bureau, or the enterprise's grid team."""
        if self.level == Level.TASK_FORCE and self.task_force_id:
            return self.task_force.name
        if self.level == Level.BUREAU and self.bureau_id:
            return self.bureau.name
        return self.enterprise.grid.name


class IssueEvent(models.Model):
    """Append-only timeline of an issue: never edited, never deleted."""

    issue = models.ForeignKey(Issue, verbose_name=_("问题"), on_delete=models.PROTECT, related_name="events")
    actor = optional_user(_("操作人"), on_delete=models.PROTECT)
    at = models.DateTimeField(_("时间"))
    action = models.CharField(_("操作"), max_length=30, choices=Action.choices)
    from_state = models.CharField(_("原状态"), max_length=12, choices=State.choices, blank=True)
    to_state = models.CharField(_("新状态"), max_length=12, choices=State.choices, blank=True)
    reason = models.TextField(_("原因"), blank=True)
    note = models.TextField(_("说明"), blank=True)
    # Internal notes are for staff only; everything else the enterprise may read.
    is_internal = models.BooleanField(_("内部备注"), default=False)
    data = models.JSONField(_("附加数据"), default=dict, blank=True)
    # What the ledger said of the issue once this event had happened (``to_state`` above is the state).
    # A month's figures are read from these, as of the month's end, so that escalations, extensions,
    # reopenings and second resolutions after the month do not rewrite it (``issues.history``).
    to_due_on = models.DateField(_("此后办结时限"), null=True, blank=True)
    to_level = models.CharField(_("此后办理层级"), max_length=12, choices=Level.choices, blank=True)
    to_bureau = models.ForeignKey(
        Bureau, verbose_name=_("此后承办科室"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_handler = optional_user(_("此后经办人"), on_delete=models.PROTECT)

    class Meta:
        verbose_name = _("问题处理记录")
        verbose_name_plural = _("问题处理记录")
        ordering = ["at", "id"]
        indexes = [
            # The sweep's "already flagged / already escalated" checks.
            models.Index(fields=["issue", "action"]),
            # ``issues.history``: the last event of each issue before a moment.
            models.Index(fields=["issue", "at", "id"]),
        ]

    def __str__(self) -> str:
        return f"{self.issue_id} {self.action}"


class Feedback(models.Model):
    """The enterprise's verdict on a resolution; 不满意 reopens the issue."""

    issue = models.ForeignKey(Issue, verbose_name=_("问题"), on_delete=models.PROTECT, related_name="feedbacks")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("评价人"), on_delete=models.PROTECT, related_name="+"
    )
    rating = models.CharField(_("评价"), max_length=12, choices=Rating.choices)
    comment = models.TextField(_("意见"), blank=True)
    at = models.DateTimeField(_("评价时间"))

    class Meta:
        verbose_name = _("企业评价")
        verbose_name_plural = _("企业评价")
        ordering = ["-at", "-id"]
        indexes = [
            # Satisfaction per period.
            models.Index(fields=["at"]),
        ]

    def __str__(self) -> str:
        return f"{self.issue_id} {self.get_rating_display()}"


class ResponseTemplate(TimeStampedModel):
    """A ready reply for a category (or for all when none) that handlers start from."""

    category = models.ForeignKey(
        Category,
        verbose_name=_("类别"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="response_templates",
        help_text=_("留空表示适用于所有类别"),
    )
    title = models.CharField(_("模板名称"), max_length=60)
    body = models.TextField(_("模板内容"))
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("答复模板")
        verbose_name_plural = _("答复模板")
        ordering = ["category__code", "title"]

    def __str__(self) -> str:
        return self.title


class ExtensionState(models.TextChoices):
    PENDING = "pending", _("待审批")
    APPROVED = "approved", _("已批准")
    REFUSED = "refused", _("未批准")


class ExtensionRequest(models.Model):
    """延期申请: the handler asks, a grid or district leader decides."""

    issue = models.ForeignKey(Issue, verbose_name=_("问题"), on_delete=models.PROTECT, related_name="extensions")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("申请人"), on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("申请时间"))
    days = models.PositiveSmallIntegerField(_("延期工作日数"))
    reason = models.TextField(_("延期理由"))
    state = models.CharField(
        _("审批状态"), max_length=10, choices=ExtensionState.choices, default=ExtensionState.PENDING
    )
    decided_by = optional_user(_("审批人"), on_delete=models.PROTECT)
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decision_note = models.TextField(_("审批意见"), blank=True)
    old_due_on = models.DateField(_("原办结时限"), null=True, blank=True)
    new_due_on = models.DateField(_("新办结时限"), null=True, blank=True)

    class Meta:
        verbose_name = _("延期申请")
        verbose_name_plural = _("延期申请")
        ordering = ["-requested_at", "-id"]
        constraints = [
            # At most one request waits for a decision per issue.
            models.UniqueConstraint(
                fields=["issue"], condition=models.Q(state="pending"), name="one_pending_extension_per_issue"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.issue_id} +{self.days}"


def attachment_path(instance: "Attachment", filename: str) -> str:
    # Never under a public URL: files are served by a scope-checked view.
    return f"issues/{instance.issue_id}/{secrets.token_hex(8)}/{filename}"


class Attachment(models.Model):
    issue = models.ForeignKey(Issue, verbose_name=_("问题"), on_delete=models.PROTECT, related_name="attachments")
    event = models.ForeignKey(
        IssueEvent,
        verbose_name=_("处理记录"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="attachments",
    )
    file = models.FileField(_("文件"), upload_to=attachment_path, max_length=300)
    name = models.CharField(_("文件名"), max_length=200)
    size = models.PositiveIntegerField(_("大小（字节）"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("上传人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("上传时间"))
    # Attached to an internal note: staff only.
    is_internal = models.BooleanField(_("内部附件"), default=False)

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name
