from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    MANAGER = "manager", _("管委会/经发局领导")
    DISTRICT_LEADER = "district_leader", _("片区负责人")
    GRID_OFFICER = "grid_officer", _("网格员")
    BUREAU_STAFF = "bureau_staff", _("业务科室人员")
    ENTERPRISE_USER = "enterprise_user", _("企业联系人")
    ADMIN = "admin", _("系统管理员")


class User(AbstractUser):
    """A person who signs in. What they may see follows from ``role`` and the
    organisation they belong to (see ``accounts.scoping``)."""

    name = models.CharField(_("姓名"), max_length=50, blank=True)
    phone = models.CharField(_("电话"), max_length=20, blank=True)
    title = models.CharField(_("职务"), max_length=50, blank=True)
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices, default=Role.ENTERPRISE_USER)
    # The bureau a bureau_staff user works in.
    bureau = models.ForeignKey(
        "grids.Bureau",
        verbose_name=_("所属科室"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )
    # The enterprise an enterprise_user speaks for. A string reference to a
    # higher floor: the data demands it, and accounts never imports enterprises.
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("所属企业"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.name or self.username

    @property
    def display_name(self) -> str:
        return self.name or self.get_full_name() or self.username
