"""供应链互助: zone firms recommending purchasers and suppliers to each other.

A ``Recommendation`` is one firm (or an officer) pointing another firm to a
zone purchaser or supplier for a product, with the reason, and what came of
it. Suggestions (``suggestions.py``) are worked out from the supply links
already in the profiles and become recommendations when an officer confirms
them.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from common.models import TimeStampedModel
from enterprises.models import Enterprise
from platforms.records import written_by


class Direction(models.TextChoices):
    PURCHASER = "purchaser", _("推荐采购商")
    SUPPLIER = "supplier", _("推荐供应商")


class Outcome(models.TextChoices):
    PENDING = "pending", _("待对接")
    CONTACTED = "contacted", _("已对接")
    DEAL = "deal", _("已成交")
    NO_DEAL = "no_deal", _("未成交")


# Where an outcome may go next; 已成交 and 未成交 are final.
OUTCOME_NEXT: dict[str, tuple[str, ...]] = {
    Outcome.PENDING: (Outcome.CONTACTED, Outcome.DEAL, Outcome.NO_DEAL),
    Outcome.CONTACTED: (Outcome.DEAL, Outcome.NO_DEAL),
    Outcome.DEAL: (),
    Outcome.NO_DEAL: (),
}


class Recommendation(TimeStampedModel):
    for_enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("受推荐企业"), on_delete=models.CASCADE, related_name="recommendations_received"
    )
    recommended = models.ForeignKey(
        Enterprise, verbose_name=_("被推荐企业"), on_delete=models.CASCADE, related_name="recommended_in"
    )
    direction = models.CharField(_("推荐类型"), max_length=10, choices=Direction.choices)
    product = models.CharField(_("产品"), max_length=100)
    reason = models.CharField(_("推荐理由"), max_length=500)
    # The firm that recommends; empty when an officer recommends on the zone's behalf.
    by_enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("推荐企业"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="recommendations_made",
    )
    recommended_by = written_by(_("登记人"), blank=False)
    recommended_on = models.DateField(_("推荐日期"))
    from_suggestion = models.BooleanField(_("来自配套关系建议"), default=False)
    outcome = models.CharField(_("结果"), max_length=10, choices=Outcome.choices, default=Outcome.PENDING)
    outcome_on = models.DateField(_("结果日期"), null=True, blank=True)
    outcome_note = models.CharField(_("结果说明"), max_length=300, blank=True)
    version = models.PositiveIntegerField(default=0, editable=False)

    # Who changed what and when (common.audit shows it to managers and admins).
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("供应链互助推荐")
        verbose_name_plural = _("供应链互助推荐")
        ordering = ["-recommended_on", "-id"]
        constraints = [
            # The same firm is recommended to the same firm for the same product once.
            models.UniqueConstraint(
                fields=["for_enterprise", "recommended", "direction", "product"], name="one_recommendation_per_pair"
            ),
            models.CheckConstraint(condition=~Q(for_enterprise=F("recommended")), name="recommendation_two_firms"),
        ]
        indexes = [
            # The list, newest first; the figures count by these two dates.
            models.Index(fields=["recommended_on", "id"], name="recommendation_date_idx"),
            models.Index(fields=["outcome", "outcome_on"], name="recommendation_outcome_idx"),
            models.Index(fields=["recommended", "recommended_on"], name="recommendation_recommended_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.recommended} → {self.for_enterprise}（{self.product}）"

    def get_absolute_url(self) -> str:
        return reverse("supply_chain:recommendation_detail", args=[self.pk])

    def clean(self) -> None:
        errors = {}
        if self.for_enterprise_id and self.for_enterprise_id == self.recommended_id:
            errors["recommended"] = _("不能把企业推荐给它自己。")
        if self.by_enterprise_id and self.by_enterprise_id in (self.for_enterprise_id, self.recommended_id):
            errors["by_enterprise"] = _("推荐企业应是受推荐企业和被推荐企业之外的第三方。")
        if self.outcome in (Outcome.DEAL, Outcome.NO_DEAL, Outcome.CONTACTED) and self.outcome_on is None:
            errors["outcome_on"] = _("请填写结果日期。")
        if self.outcome_on and self.recommended_on and self.outcome_on < self.recommended_on:
            errors["outcome_on"] = _("结果日期不能早于推荐日期。")
        if errors:
            raise ValidationError(errors)

    @property
    def recommender_name(self) -> str:
        if self.by_enterprise_id:
            return self.by_enterprise.name
        return self.recommended_by.display_name if self.recommended_by_id else ""
