"""企业内配: zone firms buying each other's products.

Offers are the profile's own products (``enterprises.Product``): there is no
second catalogue. A ``PurchaseNeed`` is ranked against them into
``PurchaseProposal`` rows (the shared ``Proposal`` life), an agreed one may
become a ``Deal``, and a struggling firm retooled to supply a zone leader is
a ``RetoolingCase`` (转产配套).
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from common.models import TimeStampedModel
from enterprises.models import Enterprise, Industry, Product
from platforms.matching import Proposal
from platforms.records import written_by


class PurchaseNeed(TimeStampedModel):
    """采购需求: what a zone enterprise wants to buy, and by when."""

    buyer = models.ForeignKey(
        Enterprise, verbose_name=_("采购企业"), on_delete=models.CASCADE, related_name="purchase_needs"
    )
    item = models.CharField(_("采购物品"), max_length=100)
    # The profile's vocabulary: the demo products carry their industry's label as category.
    category = models.CharField(_("产品类别"), max_length=20, choices=Industry.choices)
    quantity = models.DecimalField(
        _("数量"), max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    unit = models.CharField(_("单位"), max_length=20)
    needed_by = models.DateField(_("需求日期"))
    description = models.TextField(_("需求说明"), blank=True)
    posted_by = written_by(_("发布人"))
    version = models.PositiveIntegerField(default=0, editable=False)

    # Who changed what and when (common.audit shows it to managers and admins).
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("采购需求")
        verbose_name_plural = _("采购需求")
        ordering = ["-created_at", "-id"]
        indexes = [
            # "My needs" of one buyer, newest first; the scoped list joins through the buyer.
            models.Index(fields=["buyer", "-created_at"], name="purchase_need_buyer_idx"),
            # The zone-wide list, newest first.
            models.Index(fields=["-created_at", "-id"], name="purchase_need_recent_idx"),
        ]
        constraints = [models.CheckConstraint(condition=Q(quantity__gt=0), name="purchase_need_quantity_positive")]

    def __str__(self) -> str:
        return f"{self.buyer}：{self.item}"

    def get_absolute_url(self) -> str:
        return reverse("procurement:need_detail", args=[self.pk])


class PurchaseProposal(Proposal):
    """A zone supplier proposed for a need: its best-matching product, the score and the reasons."""

    need = models.ForeignKey(
        PurchaseNeed, verbose_name=_("采购需求"), on_delete=models.CASCADE, related_name="proposals"
    )
    product = models.ForeignKey(Product, verbose_name=_("推荐产品"), on_delete=models.CASCADE, related_name="+")
    # The product's enterprise, kept on the row so a supplier's proposals are one indexed lookup.
    supplier = models.ForeignKey(
        Enterprise, verbose_name=_("供应企业"), on_delete=models.CASCADE, related_name="purchase_proposals"
    )

    class Meta(Proposal.Meta):
        verbose_name = _("内配推荐")
        verbose_name_plural = _("内配推荐")
        constraints = [
            models.UniqueConstraint(fields=["need", "supplier"], name="one_purchase_proposal_per_supplier"),
        ]
        indexes = [
            # A need's proposals, best first.
            models.Index(fields=["need", "-score", "id"], name="purchase_proposal_need_idx"),
            # Proposals addressed to one supplier.
            models.Index(fields=["supplier", "state"], name="purchase_proposal_supplier_idx"),
            # The expiry job: open proposals past their date.
            models.Index(fields=["state", "expires_on"], name="purchase_proposal_expiry_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.need.item} ← {self.supplier}"

    def clean(self) -> None:
        if self.product_id and self.supplier_id and self.product.enterprise_id != self.supplier_id:
            raise ValidationError({"product": _("推荐产品必须属于供应企业。")})


class Deal(TimeStampedModel):
    """内配成交: one purchase between two zone enterprises, in 万元, on the day it was agreed."""

    buyer = models.ForeignKey(Enterprise, verbose_name=_("采购企业"), on_delete=models.PROTECT, related_name="+")
    seller = models.ForeignKey(
        Enterprise, verbose_name=_("供应企业"), on_delete=models.PROTECT, related_name="in_zone_sales"
    )
    item = models.CharField(_("成交产品"), max_length=100)
    amount = models.DecimalField(
        _("成交金额（万元）"), max_digits=14, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    deal_on = models.DateField(_("成交日期"))
    # A proposal becomes at most one deal; a deal found without the platform has none.
    proposal = models.OneToOneField(
        PurchaseProposal,
        verbose_name=_("来源推荐"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="deal",
    )
    note = models.CharField(_("备注"), max_length=300, blank=True)
    recorded_by = written_by(_("登记人"))

    # Who changed what and when (common.audit shows it to managers and admins).
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("内配成交")
        verbose_name_plural = _("内配成交")
        ordering = ["-deal_on", "-id"]
        indexes = [
            # The figures sum deals by date; the list pages through them newest first.
            models.Index(fields=["deal_on", "id"], name="deal_date_idx"),
            models.Index(fields=["buyer", "deal_on"], name="deal_buyer_idx"),
            models.Index(fields=["seller", "deal_on"], name="deal_seller_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="deal_amount_positive"),
            models.CheckConstraint(condition=~Q(buyer=models.F("seller")), name="deal_two_parties"),
        ]

    def __str__(self) -> str:
        return f"{self.seller} → {self.buyer}：{self.item} {self.amount} 万元"

    def clean(self) -> None:
        if self.buyer_id and self.buyer_id == self.seller_id:
            raise ValidationError({"seller": _("供应企业不能是采购企业本身。")})


class RetoolingState(models.TextChoices):
    NEGOTIATING = "negotiating", _("洽谈中")
    TRIAL = "trial", _("试产送样")
    SUPPLYING = "supplying", _("批量配套")
    STOPPED = "stopped", _("已终止")


class RetoolingCase(TimeStampedModel):
    """转产配套: a struggling firm retooled to supply a zone leader (the article's 新南方 → 维沃)."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("转产企业"), on_delete=models.CASCADE, related_name="retooling_cases"
    )
    from_products = models.CharField(_("原产品"), max_length=200)
    to_products = models.CharField(_("转产产品"), max_length=200)
    leader = models.ForeignKey(
        Enterprise, verbose_name=_("配套龙头企业"), on_delete=models.PROTECT, related_name="retooled_suppliers"
    )
    started_on = models.DateField(_("开始日期"))
    state = models.CharField(
        _("进展"), max_length=12, choices=RetoolingState.choices, default=RetoolingState.NEGOTIATING
    )
    note = models.CharField(_("情况说明"), max_length=500, blank=True)
    recorded_by = written_by(_("登记人"))
    version = models.PositiveIntegerField(default=0, editable=False)

    # Who changed what and when (common.audit shows it to managers and admins).
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("转产配套")
        verbose_name_plural = _("转产配套")
        ordering = ["-started_on", "-id"]
        indexes = [models.Index(fields=["started_on", "id"], name="retooling_started_idx")]
        constraints = [
            models.CheckConstraint(condition=~Q(enterprise=models.F("leader")), name="retooling_two_parties"),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} → {self.leader}：{self.to_products}"

    def clean(self) -> None:
        if self.enterprise_id and self.enterprise_id == self.leader_id:
            raise ValidationError({"leader": _("配套龙头企业不能是转产企业本身。")})
