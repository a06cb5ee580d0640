"""Where each role lands after signing in."""

from django.urls import reverse

from accounts.models import Role

HOME_URL_NAMES = {
    Role.MANAGER: "analytics:zone_dashboard",
    Role.DISTRICT_LEADER: "analytics:district_dashboard",
    Role.GRID_OFFICER: "fieldwork:officer_home",
    Role.BUREAU_STAFF: "issues:workbench",
    Role.ENTERPRISE_USER: "enterprises:my_enterprise",
    Role.ADMIN: "admin:index",
}


def home_url_for(user) -> str:
    if user.is_superuser:
        return reverse("admin:index")
    return reverse(HOME_URL_NAMES.get(user.role, "enterprises:list"))
