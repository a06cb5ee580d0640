from django.contrib.auth.models import AbstractUser, Group
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _
from simple_history import register
from simple_history.models import HistoricalRecords


class Role(models.TextChoices):
    MANAGER = "manager", _("管委会/经发局领导")
    DISTRICT_LEADER = "district_leader", _("片区负责人")
    GRID_OFFICER = "grid_officer", _("网格员")
    BUREAU_STAFF = "bureau_staff", _("业务科室人员")
    ENTERPRISE_USER = "enterprise_user", _("企业联系人")
    ADMIN = "admin", _("系统管理员")


class PasswordChange(models.TextChoices):
    """Why a user must set a new password before doing anything else."""

    RESET = "reset", _("管理员已重置密码")
    PUBLISHED = "published", _("使用公开的演示密码")


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
    # Set when an administrator resets the password (or the account has the demo's published one):
    # accounts.passwords sends the user to the change page until they choose their own.
    must_change_password = models.CharField(
        _("须修改密码"), max_length=10, choices=PasswordChange.choices, blank=True, default=""
    )
    # Part of the session hash: raising it ends every session of the user (accounts.sessions).
    session_epoch = models.PositiveIntegerField(_("会话代次"), default=0, editable=False)

    # Who changed what, group and permission memberships included. Not the password hash (a
    # history of hashes is a gift to whoever reads the table) and not last_login (a row per sign-in).
    history = HistoricalRecords(
        excluded_fields=["password", "last_login", "session_epoch"], m2m_fields=["groups", "user_permissions"]
    )

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.name or self.username

    def clean(self) -> None:
        """A bureau user needs a bureau, an enterprise user an enterprise:
        without them the scope is empty and every page answers 404."""
        super().clean()
        errors = {}
        if self.role == Role.BUREAU_STAFF and not self.bureau_id:
            errors["bureau"] = _("业务科室人员必须选择所属科室。")
        if self.role == Role.ENTERPRISE_USER and not self.enterprise_id:
            errors["enterprise"] = _("企业联系人必须选择所属企业。")
        if errors:
            raise ValidationError(errors)

    @property
    def display_name(self) -> str:
        return self.name or self.get_full_name() or self.username

    def _get_session_auth_hash(self, secret=None):
        """Django's session hash (of the password) with the session epoch in it, so that
        ending a user's sessions needs no scan of the session store: each one stops matching."""
        key_salt = "accounts.User.get_session_auth_hash"
        return salted_hmac(
            key_salt, f"{self.password}:{self.session_epoch}", secret=secret, algorithm="sha256"
        ).hexdigest()


class Notification(models.Model):
    """An in-app message (the bell), optionally also sent by email.

    ``dedupe_key`` makes a notification idempotent: a job that runs twice for
    the same event finds the first row and sends nothing more.
    """

    recipient = models.ForeignKey(
        User, verbose_name=_("接收人"), on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("类型"), max_length=30)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("邮件发送时间"), null=True, blank=True)
    dedupe_key = models.CharField(_("去重键"), max_length=200, null=True, blank=True, unique=True)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at", "-id"]
        indexes = [
            # The bell's unread count.
            models.Index(fields=["recipient", "read_at"]),
        ]

    def __str__(self) -> str:
        return self.title


# Changes to a group's name and permissions, read beside the users' memberships.
register(Group, app="accounts", m2m_fields=["permissions"], table_name="accounts_historicalgroup")
