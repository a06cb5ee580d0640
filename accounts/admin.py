from django import forms
from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.utils.translation import gettext_lazy as _

from accounts.lockout import unlock_sign_in
from accounts.models import Notification, Role, User
from accounts.passwords import password_reset_by_admin
from accounts.sessions import user_end_sessions
from accounts.user_admins import EVERYDAY_ROLES, grants_privilege, may_change_user
from common.admin import ReadOnlyHistoryAdmin

# Fields that grant privilege: only a superuser edits them (accounts.user_admins).
PRIVILEGE_FIELDS = ("is_staff", "is_superuser", "groups", "user_permissions")

ROLE_FIELDS_HELP = _(
    "片区负责人在“片区”中指定，网格员在“网格工作组”中指定；业务科室人员需选择所属科室，企业联系人需选择所属企业。"
)


@admin.register(User)
class PortalUserAdmin(ReadOnlyHistoryAdmin, UserAdmin):
    """Users, with what a non-superuser may do limited by ``accounts.user_admins``:
    the privilege fields are read-only to them, the privileged roles are not
    offered, and accounts holding privilege are view-only. Every change is in
    the user's history (the 历史 button), memberships included."""

    # The role rules (a bureau user needs a bureau, …) live in User.clean(), which the forms run.
    fieldsets = (
        (None, {"fields": ("username", "password", "must_change_password")}),
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
    readonly_fields = ("organisation", "last_login", "date_joined", "must_change_password")
    list_display = ("username", "name", "role", "bureau", "enterprise", "phone", "is_active")
    list_filter = ("role", "is_active", "is_staff", "bureau")
    search_fields = ("username", "name", "phone", "email")
    list_select_related = ("bureau", "enterprise")
    autocomplete_fields = ("bureau", "enterprise")
    ordering = ("username",)
    actions = ["unlock_sign_in", "end_sessions"]

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        return fields if grants_privilege(request.user) else (*fields, *PRIVILEGE_FIELDS)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if not grants_privilege(request.user) and "role" in form.base_fields:
            # get_form builds a new form class per request: changing its fields touches no other.
            form.base_fields["role"] = _everyday_role_field(form.base_fields["role"])
        return form

    def has_change_permission(self, request, obj=None) -> bool:
        return super().has_change_permission(request, obj) and may_change_user(request.user, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return super().has_delete_permission(request, obj) and may_change_user(request.user, obj)

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        if change and "is_active" in form.changed_data and not obj.is_active:
            user_end_sessions(user=obj)

    def user_change_password(self, request, id, form_url=""):
        """Django's reset form; on success the user must choose a new password at the next
        sign-in, and their sessions end (unless an admin set their own)."""
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and isinstance(response, HttpResponseRedirect):
            target = self.get_object(request, id)
            if target is not None and target.pk != request.user.pk:
                password_reset_by_admin(user=target, actor=request.user)
        return response

    def _changeable(self, request, queryset):
        changeable = [user for user in queryset if may_change_user(request.user, user)]
        if len(changeable) < len(queryset):
            raise PermissionDenied
        return changeable

    @admin.action(description=_("解除所选用户的登录锁定"), permissions=["change"])
    def unlock_sign_in(self, request, queryset) -> None:
        usernames = [user.username for user in self._changeable(request, queryset)]
        unlock_sign_in(usernames=usernames)
        self.message_user(request, _("已解除 %(count)d 个用户的登录锁定。") % {"count": len(usernames)})

    @admin.action(description=_("结束所选用户的全部会话（并吊销 API 令牌）"), permissions=["change"])
    def end_sessions(self, request, queryset) -> None:
        users = self._changeable(request, queryset)
        for user in users:
            user_end_sessions(user=user)
        self.message_user(request, _("已结束 %(count)d 个用户的全部会话。") % {"count": len(users)})

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


def _everyday_role_field(field: forms.ChoiceField) -> forms.ChoiceField:
    """The role field offering only the everyday roles: a privileged one posted anyway is a form error."""
    return forms.ChoiceField(
        label=field.label,
        help_text=field.help_text,
        required=field.required,
        initial=Role.ENTERPRISE_USER,
        choices=[(value, label) for value, label in Role.choices if value in EVERYDAY_ROLES],
    )


admin.site.unregister(Group)


@admin.register(Group)
class PortalGroupAdmin(ReadOnlyHistoryAdmin, GroupAdmin):
    """Groups with their history (who changed a name or a permission, and when)."""


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
