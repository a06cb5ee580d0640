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

from common.models import TimeStampedModel


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
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

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
