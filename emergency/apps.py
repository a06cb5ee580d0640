from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmergencyConfig(AppConfig):
    name = "emergency"
    label = "emergency"
    verbose_name = _("应急响应")

    def ready(self) -> None:
        from common.panels import ENTERPRISE_HOME, OFFICER_HOME, register
        from emergency import panels

        register(
            page=OFFICER_HOME,
            key="emergency_call_tasks",
            template="emergency/snippets/officer_panel.html",
            context=panels.officer_panel,
            order=10,
        )
        register(
            page=ENTERPRISE_HOME,
            key="emergency_incidents",
            template="emergency/snippets/enterprise_panel.html",
            context=panels.enterprise_panel,
            order=10,
        )
