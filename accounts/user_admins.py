"""Who may grant what in the admin.

Privilege (the superuser and staff flags, groups, single permissions, and
the roles that see the whole zone) is granted by superusers only. Day-to-day
user management (new accounts, names, phones, roles of the everyday kind,
deactivation, unlocking a sign-in, ending sessions, resetting a password) is
the 系统管理员 group's work; its members are staff but not superusers, and
they may not touch an account that holds privilege, their own included
(else resetting a superuser's password would be the way up).
"""

from django.contrib.auth.models import Group, Permission

from accounts.models import Role, User

USER_ADMINS_GROUP = "系统管理员"

# (app label, codename) of what the group may do; set exactly after every migrate.
USER_ADMINS_PERMISSIONS = (
    ("accounts", "view_user"),
    ("accounts", "add_user"),
    ("accounts", "change_user"),
    ("auth", "view_group"),
    ("accounts", "view_notification"),
    ("axes", "view_accessattempt"),
    ("axes", "delete_accessattempt"),  # deleting the failures is unlocking
    ("axes", "view_accesslog"),
    ("grids", "view_bureau"),
    ("enterprises", "view_enterprise"),
)

# Roles that see the whole zone (or run it): only a superuser gives them.
PRIVILEGED_ROLES = frozenset({Role.ADMIN, Role.MANAGER})
EVERYDAY_ROLES = tuple(value for value, _label in Role.choices if value not in PRIVILEGED_ROLES)


def grants_privilege(user) -> bool:
    """May ``user`` grant superuser, staff, groups, permissions and the privileged roles?"""
    return bool(user.is_active and user.is_superuser)


def holds_privilege(user: User) -> bool:
    """An account only a superuser may change: staff, superuser or a privileged role."""
    return user.is_superuser or user.is_staff or user.role in PRIVILEGED_ROLES


def may_change_user(actor, target: User | None) -> bool:
    """Whether ``actor`` (already allowed to change users) may change ``target``."""
    return grants_privilege(actor) or target is None or not holds_privilege(target)


def ensure_user_admins_group(**_kwargs) -> None:
    """Create the 系统管理员 group with exactly its permissions (run after every migrate)."""
    wanted = Permission.objects.none()
    for app_label, codename in USER_ADMINS_PERMISSIONS:
        wanted |= Permission.objects.filter(content_type__app_label=app_label, codename=codename)
    group, _created = Group.objects.get_or_create(name=USER_ADMINS_GROUP)
    if set(group.permissions.values_list("pk", flat=True)) != set(wanted.values_list("pk", flat=True)):
        group.permissions.set(wanted)
