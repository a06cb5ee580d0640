from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlatformsConfig(AppConfig):
    name = "platforms"
    verbose_name = _("四大平台与融资")

    def ready(self) -> None:
        from common.panels import OFFICER_HOME, register
        from platforms.panels import officer_home_panel

        # After the emergency call tasks (10), before the policy panels (40): proposals the
        # officer calls the firms about are the next thing to act on.
        register(
            page=OFFICER_HOME,
            key="platforms_proposals",
            template="platforms/officer_panel.html",
            context=officer_home_panel,
            order=20,
        )
