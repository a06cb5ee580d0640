"""The policy library: policies and their clauses (DESIGN §2 ``policies/``).

A policy (政策) is a document issued by a body at one level (central, municipal,
district or zone), with its key points, scope and how to apply. Funding is granted
per **clause** (条款): a policy often has several, each with its mode
(免申即享 / 快申快享 / 申报), its amount rule and the share each funding level pays.
Eligibility criteria, pushes, trainings and funding applications hang off these.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from common.models import TimeStampedModel, optional_user
from enterprises.models import Enterprise, Industry
from policies import facts as fact_registry


class PolicyLevel(models.TextChoices):
    """Who issues a policy, and who pays a share of a clause's funds (资金层级)."""

    CENTRAL = "central", _("中央")
    MUNICIPAL = "municipal", _("市级")
    DISTRICT = "district", _("区级")
    ZONE = "zone", _("园区")


class PolicyState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")
    EXPIRED = "expired", _("已失效")


class ClauseMode(models.TextChoices):
    EXEMPT = "exempt", _("免申即享")
    FAST = "fast", _("快申快享")
    APPLY = "apply", _("申报")


class Policy(TimeStampedModel):
    """One policy document. State changes only in ``policies.services``."""

    title = models.CharField(_("政策名称"), max_length=200)
    level = models.CharField(_("政策层级"), max_length=12, choices=PolicyLevel.choices)
    issuing_body = models.CharField(_("发文单位"), max_length=100)
    document_number = models.CharField(_("文号"), max_length=100, blank=True)
    key_points = models.TextField(_("政策要点"), max_length=5000)
    applies_to = models.TextField(_("适用范围"), max_length=5000, blank=True)
    how_to_apply = models.TextField(_("申报流程"), max_length=5000, blank=True)
    contact = models.CharField(_("咨询电话 / 联系人"), max_length=200, blank=True)
    effective_from = models.DateField(_("生效日期"), null=True, blank=True)
    effective_to = models.DateField(_("有效期至"), null=True, blank=True)
    apply_from = models.DateField(_("申报开始"), null=True, blank=True)
    apply_to = models.DateField(_("申报截止"), null=True, blank=True)
    state = models.CharField(_("状态"), max_length=12, choices=PolicyState.choices, default=PolicyState.DRAFT)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    created_by = optional_user(_("录入人"), on_delete=models.SET_NULL)
    # Industries the policy is meant for (``enterprises.Industry`` values); empty means every industry.
    target_industries = models.JSONField(_("适用行业"), default=list, blank=True)
    expired_at = models.DateTimeField(_("失效时间"), null=True, blank=True)
    # The Chinese words of title, key points and scope cut by jieba, separated by spaces,
    # kept by ``policies.services`` on every save (the search reads only this and the title).
    search_tokens = models.TextField(_("检索词"), blank=True, editable=False)
    # Bumped by every service write; a stale edit (another tab) is refused.
    version = models.PositiveIntegerField(_("版本"), default=1, editable=False)

    # Who changed what and when (common.audit shows it to managers and admins).
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("政策")
        verbose_name_plural = _("政策库")
        ordering = ["-effective_from", "-id"]
        indexes = [
            # The library list: published policies by level, newest first.
            models.Index(fields=["state", "level", "-effective_from"]),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("policies:detail", args=[self.pk])

    def clean(self) -> None:
        errors = {}
        if self.effective_from and self.effective_to and self.effective_to < self.effective_from:
            errors["effective_to"] = _("有效期至不能早于生效日期。")
        if self.apply_from and self.apply_to and self.apply_to < self.apply_from:
            errors["apply_to"] = _("申报截止不能早于申报开始。")
        unknown = [value for value in (self.target_industries or []) if value not in Industry.values]
        if not isinstance(self.target_industries, list) or unknown:
            errors["target_industries"] = _("未知的行业：%(values)s。") % {"values": "、".join(map(str, unknown))}
        if errors:
            raise ValidationError(errors)


class PolicyClause(TimeStampedModel):
    """One funding clause (条款) of a policy: its mode, amount rule and the shares per funding level."""

    policy = models.ForeignKey(Policy, verbose_name=_("政策"), on_delete=models.CASCADE, related_name="clauses")
    number = models.PositiveSmallIntegerField(_("条款序号"), default=1)
    title = models.CharField(_("条款名称"), max_length=200)
    article = models.CharField(_("出处条目"), max_length=50, blank=True, help_text=_("如“第三条第（二）款”。"))
    mode = models.CharField(_("兑现方式"), max_length=12, choices=ClauseMode.choices, default=ClauseMode.APPLY)
    amount_rule = models.TextField(_("支持标准"), max_length=2000, blank=True)
    max_amount = models.DecimalField(
        _("单户最高支持（万元）"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    # Who pays what share of a grant under this clause, in percent; the four add up to 100.
    share_central = models.PositiveSmallIntegerField(
        _("中央承担比例（%）"), default=0, validators=[MaxValueValidator(100)]
    )
    share_municipal = models.PositiveSmallIntegerField(
        _("市级承担比例（%）"), default=0, validators=[MaxValueValidator(100)]
    )
    share_district = models.PositiveSmallIntegerField(
        _("区级承担比例（%）"), default=0, validators=[MaxValueValidator(100)]
    )
    share_zone = models.PositiveSmallIntegerField(
        _("园区承担比例（%）"), default=0, validators=[MaxValueValidator(100)]
    )

    # Who changed what and when (common.audit shows it to managers and admins).
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("政策条款")
        verbose_name_plural = _("政策条款")
        ordering = ["policy", "number", "id"]
        constraints = [
            models.UniqueConstraint(fields=["policy", "number"], name="policies_clause_number_once"),
        ]

    def __str__(self) -> str:
        return f"{self.policy.title} · {self.title}"

    @property
    def shares(self) -> dict[str, int]:
        """Percent paid by each funding level, keyed by ``PolicyLevel`` value."""
        return {
            PolicyLevel.CENTRAL: self.share_central,
            PolicyLevel.MUNICIPAL: self.share_municipal,
            PolicyLevel.DISTRICT: self.share_district,
            PolicyLevel.ZONE: self.share_zone,
        }

    def clean(self) -> None:
        if sum(self.shares.values()) != 100:
            raise ValidationError({"share_zone": _("各级承担比例之和须为 100%。")})


def _attachment_path(instance: "PolicyAttachment", filename: str) -> str:
    return f"policies/{instance.policy_id}/{filename}"


class PolicyAttachment(models.Model):
    """原文、申报指南 and the like, checked by ``common.files.validate_upload`` before it is stored."""

    policy = models.ForeignKey(Policy, verbose_name=_("政策"), on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("文件"), upload_to=_attachment_path)
    name = models.CharField(_("文件名"), max_length=200)
    size = models.PositiveIntegerField(_("大小（字节）"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("上传人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("上传时间"))

    class Meta:
        verbose_name = _("政策附件")
        verbose_name_plural = _("政策附件")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name


class Answer(models.TextChoices):
    ELIGIBLE = "eligible", _("符合")
    INELIGIBLE = "ineligible", _("不符合")
    UNKNOWN = "unknown", _("待核实")


class ClauseCriterion(models.Model):
    """One condition of a clause, as data: ``fact`` ``operator`` ``value`` (e.g. 研发投入 ≥ 200 万元).

    Hard criteria decide the answer; soft ones only add to the score and its reasons.
    """

    clause = models.ForeignKey(PolicyClause, verbose_name=_("条款"), on_delete=models.CASCADE, related_name="criteria")
    fact = models.CharField(_("条件事项"), max_length=40, choices=fact_registry.fact_choices)
    operator = models.CharField(
        _("比较方式"), max_length=10, choices=[(key, label) for key, label in fact_registry.OPERATOR_LABELS.items()]
    )
    value = models.JSONField(_("取值"), help_text=_("数字、是/否（true/false）或行业等代码；“属于”填列表。"))
    is_hard = models.BooleanField(_("硬性条件"), default=True, help_text=_("硬性条件决定是否符合；其余只作加分参考。"))
    article = models.CharField(_("条件出处"), max_length=100, blank=True, help_text=_("如“第五条第（一）项”。"))
    position = models.PositiveSmallIntegerField(_("顺序"), default=1)

    class Meta:
        verbose_name = _("申报条件")
        verbose_name_plural = _("申报条件")
        ordering = ["clause", "position", "id"]

    def __str__(self) -> str:
        return self.describe()

    @property
    def fact_definition(self) -> fact_registry.Fact:
        return fact_registry.FACTS[self.fact]

    def describe(self) -> str:
        """The condition as a sentence: 研发投入（上年） 不低于 200 万元."""
        if self.fact not in fact_registry.FACTS:
            return self.fact
        definition = self.fact_definition
        operator = fact_registry.OPERATOR_LABELS.get(self.operator, self.operator)
        return f"{definition.label} {operator} {definition.display(self.value)}"

    def clean(self) -> None:
        definition = fact_registry.FACTS.get(self.fact)
        if definition is None:
            raise ValidationError({"fact": _("未知的条件事项。")})
        if self.operator not in fact_registry.OPERATORS[definition.type]:
            raise ValidationError({"operator": _("该条件事项不能使用此比较方式。")})
        value = self.value
        if self.operator in ("in", "not_in"):
            if not isinstance(value, list) or not value or not all(isinstance(item, str) for item in value):
                raise ValidationError({"value": _("“属于 / 不属于”须填写非空的代码列表。")})
            items = value
        elif definition.type == fact_registry.CHOICE:
            if not isinstance(value, str) or not value:
                raise ValidationError({"value": _("请填写一个代码。")})
            items = [value]
        elif definition.type == fact_registry.BOOL:
            if not isinstance(value, bool):
                raise ValidationError({"value": _("请填写 true 或 false。")})
            items = []
        else:
            if fact_registry.as_number(value) is None:
                raise ValidationError({"value": _("请填写数字。")})
            items = []
        if items and definition.type == fact_registry.CHOICE and self.fact != "district":
            allowed = {code for code, _label in definition.choices()}
            unknown = [item for item in items if item not in allowed]
            if unknown:
                raise ValidationError({"value": _("未知的代码：%(codes)s。") % {"codes": "、".join(unknown)}})


class CriterionCase(models.Model):
    """A test case of a clause's criteria: given these facts, the clause answers this.

    ``tests/policies/test_criterion_cases.py`` runs every case of every clause, so a criterion
    edited into contradiction with what its author meant fails the suite.
    """

    clause = models.ForeignKey(PolicyClause, verbose_name=_("条款"), on_delete=models.CASCADE, related_name="cases")
    name = models.CharField(_("用例"), max_length=100)
    facts = models.JSONField(
        _("企业情况"), default=dict, blank=True, help_text=_("事项代码 → 取值；未列出的事项视为未知。")
    )
    expected = models.CharField(_("预期结论"), max_length=12, choices=Answer.choices)

    class Meta:
        verbose_name = _("条件用例")
        verbose_name_plural = _("条件用例")
        ordering = ["clause", "id"]
        constraints = [models.UniqueConstraint(fields=["clause", "name"], name="policies_case_name_once")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if not isinstance(self.facts, dict):
            raise ValidationError({"facts": _("请填写“事项代码 → 取值”的对象。")})
        unknown = [key for key in self.facts if key not in fact_registry.FACTS]
        if unknown:
            raise ValidationError({"facts": _("未知的条件事项：%(keys)s。") % {"keys": "、".join(unknown)}})


class EligibilityResult(models.Model):
    """The stored answer for one enterprise and one clause, so that lists read it without recomputing.

    Written only by ``policies.eligibility``: on publish, on a profile change (after commit,
    through a task), when an officer records a missing fact, and nightly.
    """

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("企业"), on_delete=models.CASCADE, related_name="eligibility_results"
    )
    clause = models.ForeignKey(
        PolicyClause, verbose_name=_("条款"), on_delete=models.CASCADE, related_name="eligibility_results"
    )
    answer = models.CharField(_("结论"), max_length=12, choices=Answer.choices)
    # Keys of the facts whose absence keeps a hard criterion from answering.
    missing_facts = models.JSONField(_("缺少的信息"), default=list, blank=True)
    # One entry per criterion: fact, operator, expected, actual, outcome, hard, article; see eligibility.py.
    trace = models.JSONField(_("判定过程"), default=list, blank=True)
    decided_by = models.ForeignKey(
        ClauseCriterion, verbose_name=_("决定条件"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    score = models.PositiveSmallIntegerField(_("参考分"), default=0, help_text=_("满足的参考条件占比（%）。"))
    evaluated_at = models.DateTimeField(_("判定时间"))

    class Meta:
        verbose_name = _("匹配结果")
        verbose_name_plural = _("匹配结果")
        ordering = ["enterprise", "clause"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "clause"], name="policies_result_once"),
        ]
        indexes = [
            # "Everyone the matching found eligible" for a clause (push to the eligible).
            models.Index(fields=["clause", "answer"]),
            # An enterprise's panel and the officer's missing-fact tasks.
            models.Index(fields=["enterprise", "answer"]),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.clause}: {self.get_answer_display()}"

    @property
    def missing_labels(self) -> list[str]:
        return [str(fact_registry.FACTS[key].label) for key in self.missing_facts if key in fact_registry.FACTS]

    @property
    def reasons(self) -> list[str]:
        """The criteria met, as sentences (what makes the enterprise a candidate)."""
        return [step["text"] for step in self.trace if step.get("outcome") == "pass"]


class FactSource(models.TextChoices):
    VISIT = "visit", _("走访")
    PHONE = "phone", _("电话核实")
    DOCUMENT = "document", _("企业提供材料")
    ENTERPRISE = "enterprise", _("企业自报")


class EnterpriseFact(models.Model):
    """A fact the profile does not hold (研发投入, 上年营收 …), as the officer recorded it."""

    enterprise = models.ForeignKey(Enterprise, verbose_name=_("企业"), on_delete=models.CASCADE, related_name="+")
    key = models.CharField(_("事项"), max_length=40, choices=fact_registry.recorded_fact_choices)
    value = models.JSONField(_("取值"))
    source = models.CharField(_("来源"), max_length=12, choices=FactSource.choices, default=FactSource.VISIT)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("采集人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(_("采集时间"))

    class Meta:
        verbose_name = _("企业补充信息")
        verbose_name_plural = _("企业补充信息")
        ordering = ["-recorded_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["enterprise", "key"], name="policies_fact_once")]
        indexes = [
            # The officer's "collected lately" list.
            models.Index(fields=["recorded_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.get_key_display()}"

    @property
    def display_value(self) -> str:
        return fact_registry.RECORDED_FACTS[self.key].display(self.value)


class PushState(models.TextChoices):
    DELIVERED = "delivered", _("已推送")
    OPENED = "opened", _("已查看")
    ACKNOWLEDGED = "acknowledged", _("已确认")


class PolicyPush(models.Model):
    """一对一推送: one policy sent to one enterprise, once, with its interpretation and receipts.

    delivered → opened (a signed-in user of that enterprise opened it; nothing else counts) →
    acknowledged (the enterprise confirmed, or the officer explained it in person at a visit,
    marked ``in_person``).
    """

    policy = models.ForeignKey(Policy, verbose_name=_("政策"), on_delete=models.CASCADE, related_name="pushes")
    enterprise = models.ForeignKey(Enterprise, verbose_name=_("企业"), on_delete=models.CASCADE, related_name="+")
    note = models.TextField(_("政策解读"), max_length=2000, blank=True)
    # Blank: the pusher's account may be deleted later (SET_NULL), and the receipts must still save.
    pushed_by = optional_user(_("推送人"), on_delete=models.SET_NULL)
    pushed_at = models.DateTimeField(_("推送时间"))
    state = models.CharField(_("回执"), max_length=14, choices=PushState.choices, default=PushState.DELIVERED)
    opened_at = models.DateTimeField(_("查看时间"), null=True, blank=True)
    opened_by = optional_user(_("查看人"), on_delete=models.SET_NULL)
    acknowledged_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    acknowledged_by = optional_user(_("确认人"), on_delete=models.SET_NULL)
    in_person = models.BooleanField(_("当面解读"), default=False, help_text=_("网格员走访时当面解读，代企业确认。"))
    in_person_note = models.CharField(_("解读情况"), max_length=500, blank=True)
    visit = models.ForeignKey(
        "fieldwork.Visit",
        verbose_name=_("走访记录"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    version = models.PositiveIntegerField(_("版本"), default=1, editable=False)

    class Meta:
        verbose_name = _("政策推送")
        verbose_name_plural = _("政策推送")
        ordering = ["-pushed_at", "-id"]
        constraints = [
            # Nobody gets the same policy twice.
            models.UniqueConstraint(fields=["policy", "enterprise"], name="policies_push_once"),
        ]
        indexes = [
            # The enterprise's panel (unread first) and the officer's "pushes to explain".
            models.Index(fields=["enterprise", "state"]),
            models.Index(fields=["policy", "state"]),
        ]

    def __str__(self) -> str:
        return f"{self.policy} → {self.enterprise}"
