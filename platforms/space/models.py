"""产业载体: idle plants and land on offer, demands for space, proposals, leases, custom-built plants."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from common.models import TimeStampedModel
from enterprises.models import Industry
from platforms.matching import Proposal
from platforms.records import OpenState, check_period, written_by

POSITIVE = [MinValueValidator(Decimal("0.01"))]
LEASE_ENDS_BEFORE_STARTS = _("到期日期不能早于起租日期。")
AREA_RANGE_WRONG = _("最大面积不能小于最小面积。")


def area_range_wrong(area_min, area_max) -> bool:
    """Whether a demand's area range is upside down (an end not given never is)."""
    return area_min is not None and area_max is not None and area_max < area_min


class SpaceKind(models.TextChoices):
    PLANT = "plant", _("闲置厂房")
    LAND = "land", _("闲置土地")


class SpaceListing(TimeStampedModel):
    owner = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("权属企业"), on_delete=models.PROTECT, related_name="space_listings"
    )
    kind = models.CharField(_("类型"), max_length=10, choices=SpaceKind.choices)
    title = models.CharField(_("名称"), max_length=100)
    area_m2 = models.DecimalField(_("面积（m²）"), max_digits=12, decimal_places=2, validators=POSITIVE)
    floor_height_m = models.DecimalField(
        _("层高（m）"), max_digits=5, decimal_places=2, null=True, blank=True, validators=POSITIVE
    )
    floor_load_t_m2 = models.DecimalField(
        _("承重（t/m²）"), max_digits=6, decimal_places=2, null=True, blank=True, validators=POSITIVE
    )
    power_kva = models.PositiveIntegerField(_("供电容量（kVA）"), null=True, blank=True)
    address = models.CharField(_("地址"), max_length=200)
    district = models.ForeignKey("grids.District", verbose_name=_("片区"), on_delete=models.PROTECT, related_name="+")
    rent_yuan_m2_month = models.DecimalField(
        _("租金（元/m²/月）"), max_digits=8, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    available_from = models.DateField(_("可用日期"))
    industries_allowed = models.JSONField(_("允许行业"), default=list, blank=True, help_text=_("留空表示不限"))
    note = models.CharField(_("备注"), max_length=500, blank=True)
    state = models.CharField(_("状态"), max_length=10, choices=OpenState.choices, default=OpenState.OPEN)
    created_by = written_by(_("发布人"))
    # Raised by every edit: an edit made on a stale copy is refused, not silently overwritten.
    version = models.PositiveIntegerField(_("版本"), default=0, editable=False)

    # Who changed what and when (common.audit shows it to managers and admins).
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("载体信息")
        verbose_name_plural = _("载体信息")
        ordering = ["-available_from", "-id"]
        indexes = [models.Index(fields=["kind", "state"]), models.Index(fields=["owner"])]
        constraints = [models.CheckConstraint(condition=models.Q(area_m2__gt=0), name="space_listing_area_positive")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("space:listing_detail", args=[self.pk])

    def clean(self) -> None:
        if not isinstance(self.industries_allowed, list) or any(
            value not in Industry.values for value in self.industries_allowed
        ):
            raise ValidationError({"industries_allowed": [_("行业须从列表中选择。")]})


class SpaceDemand(TimeStampedModel):
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("需求企业"), on_delete=models.PROTECT, related_name="space_demands"
    )
    kind = models.CharField(_("类型"), max_length=10, choices=SpaceKind.choices)
    area_min_m2 = models.DecimalField(_("最小面积（m²）"), max_digits=12, decimal_places=2, validators=POSITIVE)
    area_max_m2 = models.DecimalField(_("最大面积（m²）"), max_digits=12, decimal_places=2, validators=POSITIVE)
    min_height_m = models.DecimalField(
        _("最低层高（m）"), max_digits=5, decimal_places=2, null=True, blank=True, validators=POSITIVE
    )
    min_load_t_m2 = models.DecimalField(
        _("最低承重（t/m²）"), max_digits=6, decimal_places=2, null=True, blank=True, validators=POSITIVE
    )
    min_power_kva = models.PositiveIntegerField(_("最低供电容量（kVA）"), null=True, blank=True)
    preferred_districts = models.ManyToManyField(
        "grids.District", verbose_name=_("意向片区"), blank=True, related_name="+"
    )
    needed_from = models.DateField(_("需求日期"))
    industry = models.CharField(_("拟入驻行业"), max_length=20)
    note = models.CharField(_("备注"), max_length=500, blank=True)
    state = models.CharField(_("状态"), max_length=10, choices=OpenState.choices, default=OpenState.OPEN)
    created_by = written_by(_("发布人"))

    # Who changed what and when (common.audit shows it to managers and admins).
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("载体需求")
        verbose_name_plural = _("载体需求")
        ordering = ["-needed_from", "-id"]
        indexes = [models.Index(fields=["kind", "state"]), models.Index(fields=["enterprise"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(area_max_m2__gte=models.F("area_min_m2")), name="space_demand_range"
            )
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.get_kind_display()}"

    def get_absolute_url(self) -> str:
        return reverse("space:demand_detail", args=[self.pk])

    def get_industry_display(self) -> str:
        return str(dict(Industry.choices).get(self.industry, self.industry))

    def clean(self) -> None:
        errors = {}
        if self.industry and self.industry not in Industry.values:
            errors["industry"] = [_("行业须从列表中选择。")]
        if area_range_wrong(self.area_min_m2, self.area_max_m2):
            errors["area_max_m2"] = [AREA_RANGE_WRONG]
        if errors:
            raise ValidationError(errors)


class SpaceProposal(Proposal):
    """A listing proposed for a demand (the need), with its score and reasons."""

    demand = models.ForeignKey(
        SpaceDemand, verbose_name=_("载体需求"), on_delete=models.CASCADE, related_name="proposals"
    )
    listing = models.ForeignKey(
        SpaceListing, verbose_name=_("载体信息"), on_delete=models.CASCADE, related_name="proposals"
    )

    class Meta(Proposal.Meta):
        verbose_name = _("载体匹配")
        verbose_name_plural = _("载体匹配")
        constraints = [models.UniqueConstraint(fields=["demand", "listing"], name="space_proposal_pair_once")]
        indexes = [models.Index(fields=["state", "expires_on"], name="space_proposal_open_idx")]

    def __str__(self) -> str:
        return f"{self.listing} → {self.demand.enterprise}"


class Lease(TimeStampedModel):
    listing = models.ForeignKey(SpaceListing, verbose_name=_("载体"), on_delete=models.PROTECT, related_name="leases")
    tenant = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("承租企业"), on_delete=models.PROTECT, related_name="space_leases"
    )
    area_m2 = models.DecimalField(_("租赁面积（m²）"), max_digits=12, decimal_places=2, validators=POSITIVE)
    starts_on = models.DateField(_("起租日期"))
    ends_on = models.DateField(_("到期日期"))
    rent_yuan_m2_month = models.DecimalField(
        _("租金（元/m²/月）"), max_digits=8, decimal_places=2, validators=[MinValueValidator(0)]
    )
    proposal = models.ForeignKey(
        SpaceProposal,
        verbose_name=_("来源匹配"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="leases",
    )
    recorded_by = written_by(_("登记人"))

    # Who changed what and when (common.audit shows it to managers and admins).
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("租赁")
        verbose_name_plural = _("租赁")
        ordering = ["-starts_on", "-id"]
        indexes = [models.Index(fields=["starts_on"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(area_m2__gt=0), name="space_lease_area_positive"),
            models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")), name="space_lease_dates"),
        ]

    def __str__(self) -> str:
        return f"{self.listing} · {self.tenant}"

    def clean(self) -> None:
        errors = {}
        check_period(errors, self.starts_on, self.ends_on, message=LEASE_ENDS_BEFORE_STARTS)
        if self.listing_id and self.tenant_id and self.listing.owner_id == self.tenant_id:
            errors["tenant"] = [_("承租企业不能是载体的权属企业。")]
        if errors:
            raise ValidationError(errors)


class BuildState(models.TextChoices):
    NEGOTIATING = "negotiating", _("洽谈中")
    SIGNED = "signed", _("已签约")
    BUILDING = "building", _("建设中")
    DELIVERED = "delivered", _("已交付")
    CANCELLED = "cancelled", _("已终止")


class CustomBuildCase(TimeStampedModel):
    """定制厂房: a plant built on idle land to a tenant's needs."""

    land = models.ForeignKey(
        SpaceListing, verbose_name=_("闲置土地"), on_delete=models.PROTECT, related_name="custom_builds"
    )
    builder = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("建设方"), on_delete=models.PROTECT, related_name="+"
    )
    tenant = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("使用方"), on_delete=models.PROTECT, related_name="+"
    )
    plant_area_m2 = models.DecimalField(_("规划厂房面积（m²）"), max_digits=12, decimal_places=2, validators=POSITIVE)
    state = models.CharField(_("状态"), max_length=12, choices=BuildState.choices, default=BuildState.NEGOTIATING)
    signed_on = models.DateField(_("签约日期"), null=True, blank=True)
    construction_started_on = models.DateField(_("开工日期"), null=True, blank=True)
    delivered_on = models.DateField(_("交付日期"), null=True, blank=True)
    note = models.CharField(_("备注"), max_length=500, blank=True)
    version = models.PositiveIntegerField(default=0, editable=False)

    # Who changed what and when (common.audit shows it to managers and admins).
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("定制厂房")
        verbose_name_plural = _("定制厂房")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(plant_area_m2__gt=0), name="space_build_area_positive")
        ]

    def __str__(self) -> str:
        return f"{self.land} · {self.tenant}"

    def clean(self) -> None:
        errors = {}
        if self.land_id and self.land.kind != SpaceKind.LAND:
            errors["land"] = [_("定制厂房须建在闲置土地上。")]
        if self.builder_id and self.builder_id == self.tenant_id:
            errors["tenant"] = [_("使用方不能与建设方相同。")]
        if self.signed_on and self.construction_started_on and self.construction_started_on < self.signed_on:
            errors["construction_started_on"] = [_("开工日期不能早于签约日期。")]
        if self.construction_started_on and self.delivered_on and self.delivered_on < self.construction_started_on:
            errors["delivered_on"] = [_("交付日期不能早于开工日期。")]
        if errors:
            raise ValidationError(errors)
