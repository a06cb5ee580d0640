"""共享用工: surplus and demand postings, the proposals pairing them, and the transfers made.

A struggling firm posts its idle workers (surplus), a growing firm its vacancies
(demand); the platform proposes pairs (``platforms.matching``) and an officer records
each transfer of workers with the three rules of shared employment ticked.
"""

from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from common.models import TimeStampedModel
from platforms.matching import Proposal
from platforms.records import OpenState, check_period, raise_errors, written_by


class Skill(models.TextChoices):
    """The small controlled vocabulary of trades; anything else goes in the free text."""

    WELDER = "welder", _("焊工")
    ASSEMBLER = "assembler", _("装配工")
    CNC = "cnc", _("数控操作")
    INSPECTOR = "inspector", _("质检")
    FORKLIFT = "forklift", _("叉车")
    ELECTRICIAN = "electrician", _("电工")
    PAINTER = "painter", _("喷涂工")
    PRESS = "press", _("冲压工")
    PACKER = "packer", _("包装工")
    GENERAL = "general", _("普工")


SKILL_LABELS = dict(Skill.choices)


def skill_names(skills) -> str:
    return "、".join(str(SKILL_LABELS.get(skill, skill)) for skill in skills)


class PostingKind(models.TextChoices):
    SURPLUS = "surplus", _("富余员工")
    DEMAND = "demand", _("用工需求")


PostingState = OpenState


class LabourPosting(TimeStampedModel):
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("企业"), on_delete=models.PROTECT, related_name="labour_postings"
    )
    kind = models.CharField(_("类型"), max_length=10, choices=PostingKind.choices)
    skills = models.JSONField(_("工种"), default=list, help_text=_("从工种列表中选择一项或多项"))
    skills_note = models.CharField(_("技能说明"), max_length=200, blank=True)
    count = models.PositiveIntegerField(_("人数"), validators=[MinValueValidator(1)])
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    note = models.CharField(_("备注"), max_length=500, blank=True)
    state = models.CharField(_("状态"), max_length=10, choices=PostingState.choices, default=PostingState.OPEN)
    created_by = written_by(_("发布人"))
    version = models.PositiveIntegerField(default=0, editable=False)

    # Who changed what and when (common.audit shows it to managers and admins).
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("用工信息")
        verbose_name_plural = _("用工信息")
        ordering = ["-starts_on", "-id"]
        indexes = [
            # The matcher reads the open postings of the other kind.
            models.Index(fields=["kind", "state", "ends_on"]),
            # "My postings" of one enterprise, newest first.
            models.Index(fields=["enterprise", "-starts_on"]),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(count__gte=1), name="labour_posting_count_positive"),
            models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")), name="labour_posting_dates"),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.get_kind_display()} {self.count}"

    def get_absolute_url(self) -> str:
        return reverse("labour:posting_detail", args=[self.pk])

    @property
    def skill_names(self) -> str:
        return skill_names(self.skills)

    def clean(self) -> None:
        errors = {}
        if not isinstance(self.skills, list) or not self.skills:
            errors["skills"] = [_("请至少选择一个工种。")]
        elif any(skill not in SKILL_LABELS for skill in self.skills):
            errors["skills"] = [_("工种须从列表中选择。")]
        elif len(set(self.skills)) != len(self.skills):
            errors["skills"] = [_("工种不能重复。")]
        check_period(errors, self.starts_on, self.ends_on)
        raise_errors(errors)


class LabourProposal(Proposal):
    """A surplus posting proposed for a demand posting (the need), with its score and reasons."""

    surplus = models.ForeignKey(
        LabourPosting, verbose_name=_("富余员工"), on_delete=models.CASCADE, related_name="proposals_as_surplus"
    )
    demand = models.ForeignKey(
        LabourPosting, verbose_name=_("用工需求"), on_delete=models.CASCADE, related_name="proposals_as_demand"
    )

    class Meta(Proposal.Meta):
        verbose_name = _("用工匹配")
        verbose_name_plural = _("用工匹配")
        constraints = [models.UniqueConstraint(fields=["surplus", "demand"], name="labour_proposal_pair_once")]
        indexes = [
            # The expiry job and the open-proposal lists.
            models.Index(fields=["state", "expires_on"], name="labour_proposal_open_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.surplus.enterprise} → {self.demand.enterprise}"


class Transfer(TimeStampedModel):
    """Workers of one firm working for another for a while (共享用工), counted in person-times."""

    from_enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("派出企业"), on_delete=models.PROTECT, related_name="+"
    )
    to_enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("用工企业"), on_delete=models.PROTECT, related_name="+"
    )
    count = models.PositiveIntegerField(_("人次"), validators=[MinValueValidator(1)])
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    proposal = models.ForeignKey(
        LabourProposal,
        verbose_name=_("来源匹配"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="transfers",
    )
    surplus_posting = models.ForeignKey(
        LabourPosting, verbose_name=_("富余员工信息"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    demand_posting = models.ForeignKey(
        LabourPosting, verbose_name=_("用工需求信息"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The three rules of 共享用工, confirmed by the recording officer.
    workers_consent = models.BooleanField(_("员工本人同意"), default=False)
    contract_unchanged = models.BooleanField(_("与原企业劳动合同不变"), default=False)
    no_fee = models.BooleanField(_("不收取任何费用"), default=False)
    note = models.CharField(_("备注"), max_length=500, blank=True)
    recorded_by = written_by(_("登记人"))

    # Who changed what and when (common.audit shows it to managers and admins).
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("员工调配")
        verbose_name_plural = _("员工调配")
        ordering = ["-starts_on", "-id"]
        indexes = [
            # The figures sum transfers by start date.
            models.Index(fields=["starts_on"]),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(count__gte=1), name="labour_transfer_count_positive"),
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="labour_transfer_dates"
            ),
            models.CheckConstraint(
                condition=models.Q(workers_consent=True, contract_unchanged=True, no_fee=True),
                name="labour_transfer_rules_confirmed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_enterprise} → {self.to_enterprise} · {self.count}"

    def clean(self) -> None:
        errors = {}
        check_period(errors, self.starts_on, self.ends_on)
        if self.from_enterprise_id and self.from_enterprise_id == self.to_enterprise_id:
            errors["to_enterprise"] = [_("派出企业和用工企业不能相同。")]
        for field in ("workers_consent", "contract_unchanged", "no_fee"):
            if not getattr(self, field):
                errors[field] = [_("共享用工须确认此项后才能登记。")]
        raise_errors(errors)
