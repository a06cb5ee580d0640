"""The registry's models: the enterprise itself, its tier history and its contacts."""

import secrets

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from common.models import TimeStampedModel, optional_user
from enterprises.registry.uscc import validate_uscc
from grids.models import GridTeam


class Ownership(models.TextChoices):
    PRIVATE = "private", _("民营")
    STATE = "state", _("国有")
    FOREIGN = "foreign", _("外资")
    MIXED = "mixed", _("混合所有制")


class Tier(models.TextChoices):
    LEADING = "leading", _("龙头企业")
    BACKBONE = "backbone", _("骨干企业")
    GROWTH = "growth", _("成长型企业")
    STRUGGLING = "struggling", _("困难企业")


# Key enterprises are tracked every ISO week; growth enterprises every month.
KEY_TIERS = (Tier.LEADING, Tier.BACKBONE, Tier.STRUGGLING)


class Industry(models.TextChoices):
    AUTOMOTIVE = "automotive", _("汽车及零部件")
    ELECTRONICS = "electronics", _("电子信息")
    EQUIPMENT = "equipment", _("装备制造")
    BIOMEDICINE = "biomedicine", _("生物医药")
    MATERIALS = "materials", _("新材料")
    FOOD = "food", _("食品加工")
    CHEMICALS = "chemicals", _("化工")
    METALWORK = "metalwork", _("金属制品")
    PRINTING = "printing", _("印刷包装")
    OTHER = "other", _("其他制造业")


def new_board_token() -> str:
    return secrets.token_urlsafe(18)


class Enterprise(TimeStampedModel):
    name = models.CharField(_("企业名称"), max_length=100)
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, unique=True, validators=[validate_uscc])
    ownership = models.CharField(_("所有制"), max_length=10, choices=Ownership.choices)
    industry = models.CharField(_("行业"), max_length=20, choices=Industry.choices)
    above_scale = models.BooleanField(_("规上企业"), default=False)
    tier = models.CharField(_("企业分类"), max_length=12, choices=Tier.choices, default=Tier.GROWTH)
    grid = models.ForeignKey(
        GridTeam, verbose_name=_("网格工作组"), on_delete=models.PROTECT, related_name="enterprises"
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)
    legal_representative = models.CharField(_("法定代表人"), max_length=50, blank=True)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    employees = models.PositiveIntegerField(_("从业人数"), default=0)
    founded_on = models.DateField(_("成立日期"), null=True, blank=True)
    registered_capital = models.DecimalField(
        _("注册资本（万元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    main_products = models.CharField(_("主营产品"), max_length=200, blank=True)
    # The unguessable part of the public notice-board URL (printed as a QR code).
    board_token = models.CharField(_("公示牌令牌"), max_length=40, unique=True, default=new_board_token)

    # Who changed which field and when, shown on the profile.
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at", "board_token"])

    class Meta:
        verbose_name = _("企业")
        verbose_name_plural = _("企业")
        ordering = ["name", "id"]
        indexes = [
            # The scoped list filters by grid and sorts by name.
            models.Index(fields=["grid", "name"]),
            # The zone-wide list (managers) pages through every enterprise by name.
            models.Index(fields=["name", "id"], name="enterprise_name_order_idx"),
            models.Index(fields=["tier"]),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("enterprises:detail", args=[self.pk])

    def get_board_url(self) -> str:
        return reverse("enterprises:board", args=[self.board_token])

    @property
    def is_key(self) -> bool:
        return self.tier in KEY_TIERS


class TierChange(models.Model):
    """Tier history: every change of 企业分类 with its reason."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("企业"), on_delete=models.CASCADE, related_name="tier_changes"
    )
    from_tier = models.CharField(_("原分类"), max_length=12, choices=Tier.choices, blank=True)
    to_tier = models.CharField(_("新分类"), max_length=12, choices=Tier.choices)
    reason = models.CharField(_("调整原因"), max_length=300)
    changed_by = optional_user(_("调整人"), on_delete=models.SET_NULL)
    changed_at = models.DateTimeField(_("调整时间"))

    class Meta:
        verbose_name = _("分类调整记录")
        verbose_name_plural = _("分类调整记录")
        ordering = ["-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.enterprise}: {self.get_from_tier_display()} → {self.get_to_tier_display()}"


class EnterpriseContact(TimeStampedModel):
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("企业"), on_delete=models.CASCADE, related_name="contacts"
    )
    name = models.CharField(_("姓名"), max_length=50)
    title = models.CharField(_("职务"), max_length=50, blank=True)
    phone = models.CharField(_("电话"), max_length=20, blank=True)
    email = models.EmailField(_("邮箱"), blank=True)
    is_primary = models.BooleanField(_("主要联系人"), default=False)

    class Meta:
        verbose_name = _("企业联系人")
        verbose_name_plural = _("企业联系人")
        ordering = ["-is_primary", "id"]

    def __str__(self) -> str:
        return f"{self.name}（{self.enterprise}）"
