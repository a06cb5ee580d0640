from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.lockout import unlock_sign_in
from accounts.models import Notification, User

ROLE_FIELDS_HELP = _(
    "片区负责人在“片区”中指定，网格员在“网格工作组”中指定；业务科室人员需选择所属科室，企业联系人需选择所属企业。"
)


@admin.register(User)
class PortalUserAdmin(UserAdmin):
    # The role rules (a bureau user needs a bureau, …) live in User.clean(), which the forms run.
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("个人信息"), {"fields": ("name", "title", "phone", "email")}),
        (
            _("角色与归属"),
            {"fields": ("role", "bureau", "enterprise", "organisation"), "description": ROLE_FIELDS_HELP},
        ),
        (_("权限"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("重要日期"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "usable_password", "password1", "password2")}),
        (
            _("角色与归属"),
            {"classes": ("wide",), "fields": ("name", "phone", "role", "bureau", "enterprise")},
        ),
    )
    readonly_fields = ("organisation", "last_login", "date_joined")
    list_display = ("username", "name", "role", "bureau", "enterprise", "phone", "is_active")
    list_filter = ("role", "is_active", "is_staff", "bureau")
    search_fields = ("username", "name", "phone", "email")
    list_select_related = ("bureau", "enterprise")
    autocomplete_fields = ("bureau", "enterprise")
    ordering = ("username",)
    actions = ["unlock_sign_in"]

    @admin.action(description=_("解除所选用户的登录锁定"), permissions=["change"])
    def unlock_sign_in(self, request, queryset) -> None:
        usernames = list(queryset.values_list("username", flat=True))
        unlock_sign_in(usernames=usernames)
        self.message_user(request, _("已解除 %(count)d 个用户的登录锁定。") % {"count": len(usernames)})

    @admin.display(description=_("负责片区与网格"))
    def organisation(self, obj: User) -> str:
        districts = [district.name for district in obj.led_districts.all()]
        grids = {grid.name for grid in obj.grid_teams.all()} | {grid.name for grid in obj.led_grid_teams.all()}
        parts = []
        if districts:
            parts.append(_("片区：%(names)s") % {"names": "、".join(districts)})
        if grids:
            parts.append(_("网格：%(names)s") % {"names": "、".join(sorted(grids))})
        return "；".join(parts) or "—"


class NotificationAdminForm(forms.ModelForm):
    class Meta:
        model = Notification
        fields = ["read_at"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """Read-mostly: notifications are written by ``accounts.notifications.notify``
    only; an admin may look, mark one read or unread, or delete one."""

    form = NotificationAdminForm
    list_display = ("title", "recipient", "kind", "created_at", "read_at", "emailed_at")
    list_filter = ("kind", ("read_at", admin.EmptyFieldListFilter), ("emailed_at", admin.EmptyFieldListFilter))
    search_fields = ("title", "body", "recipient__username", "recipient__name", "dedupe_key")
    list_select_related = ("recipient",)
    date_hierarchy = "created_at"
    fields = ("recipient", "kind", "title", "body", "url", "created_at", "read_at", "emailed_at", "dedupe_key")
    readonly_fields = ("recipient", "kind", "title", "body", "url", "created_at", "emailed_at", "dedupe_key")

    def has_add_permission(self, request) -> bool:
        return False
