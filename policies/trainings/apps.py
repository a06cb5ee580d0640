from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingsConfig(AppConfig):
    name = "policies.trainings"
    label = "trainings"
    verbose_name = _("专题培训")

    def ready(self) -> None:
        from common.panels import ENTERPRISE_HOME, ENTERPRISE_PROFILE, register
        from policies.trainings.panels import enterprise_home_panel, enterprise_profile_panel

        register(
            page=ENTERPRISE_HOME,
            key="trainings",
            template="trainings/panel.html",
            context=enterprise_home_panel,
            order=41,
        )
        register(
            page=ENTERPRISE_PROFILE,
            key="trainings-profile",
            template="trainings/profile_panel.html",
            context=enterprise_profile_panel,
            order=41,
        )
