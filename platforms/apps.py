from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlatformsConfig(AppConfig):
    name = "platforms"
    verbose_name = _("四大平台与融资")

    def ready(self) -> None:
        from common.panels import OFFICER_HOME, register
        from platforms.panels import officer_home_panel

        # A bad PLATFORM_MATCH_WEIGHTS stops the start rather than the first ranking.
        match_weights_check()

        # After the emergency call tasks (10), before the policy panels (40): proposals the
        # officer calls the firms about are the next thing to act on.
        register(
            page=OFFICER_HOME,
            key="platforms_proposals",
            template="platforms/officer_panel.html",
            context=officer_home_panel,
            order=20,
        )


def match_weights_check() -> None:
    """The weights of every matching platform in force (each one's defaults under the settings) are valid."""
    from platforms.labour.ranking import WEIGHTS as labour
    from platforms.matching import weights_check
    from platforms.procurement.ranking import DEFAULTS as procurement
    from platforms.space.ranking import WEIGHTS as space
    from platforms.supply_chain.suggestions import DEFAULTS as supply_chain

    weights_check({"procurement": procurement, "labour": labour, "space": space, "supply_chain": supply_chain})
