from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from common.models import TimeStampedModel, optional_user


class Zone(TimeStampedModel):
    """The development zone itself; one row. Names the zone grid chief
    (网格总负责人) shown on every public notice board."""

    name = models.CharField(_("名称"), max_length=100)
    grid_chief = optional_user(_("网格总负责人"), on_delete=models.SET_NULL)

    class Meta:
        verbose_name = _("园区")
        verbose_name_plural = _("园区")

    def __str__(self) -> str:
        return self.name

    @classmethod
    def current(cls) -> "Zone | None":
        return cls.objects.select_related("grid_chief").order_by("id").first()


class District(TimeStampedModel):
    code = models.CharField(_("编号"), max_length=10, unique=True)
    name = models.CharField(_("名称"), max_length=50, unique=True)
    leader = optional_user(_("片区负责人"), on_delete=models.SET_NULL, related_name="led_districts")

    class Meta:
        verbose_name = _("片区")
        verbose_name_plural = _("片区")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class GridTeam(TimeStampedModel):
    code = models.CharField(_("编号"), max_length=10, unique=True)
    name = models.CharField(_("名称"), max_length=50, unique=True)
    district = models.ForeignKey(District, verbose_name=_("片区"), on_delete=models.PROTECT, related_name="grid_teams")
    leader = optional_user(_("网格负责人"), on_delete=models.SET_NULL, related_name="led_grid_teams")
    officers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("网格员"), blank=True, related_name="grid_teams"
    )

    class Meta:
        verbose_name = _("网格工作组")
        verbose_name_plural = _("网格工作组")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Bureau(TimeStampedModel):
    code = models.SlugField(_("代码"), max_length=30, unique=True)
    name = models.CharField(_("名称"), max_length=50, unique=True)
    phone = models.CharField(_("电话"), max_length=20, blank=True)
    duties = models.TextField(_("职责"), blank=True)

    class Meta:
        verbose_name = _("业务科室")
        verbose_name_plural = _("业务科室")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class JointTaskForce(TimeStampedModel):
    """联合服务专班: a set of bureaus that takes the hardest cases (一事一议)."""

    name = models.CharField(_("名称"), max_length=50, unique=True)
    lead_bureau = models.ForeignKey(
        Bureau, verbose_name=_("牵头科室"), on_delete=models.PROTECT, related_name="led_task_forces"
    )
    bureaus = models.ManyToManyField(Bureau, verbose_name=_("成员科室"), related_name="task_forces")
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("联合服务专班")
        verbose_name_plural = _("联合服务专班")

    def __str__(self) -> str:
        return self.name
