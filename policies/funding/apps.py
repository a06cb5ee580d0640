from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundingConfig(AppConfig):
    name = "policies.funding"
    label = "funding"
    verbose_name = _("资金申报")

    def ready(self) -> None:
        from common.panels import ENTERPRISE_HOME, register
        from policies.funding.panels import enterprise_home_panel

        register(
            page=ENTERPRISE_HOME,
            key="funding",
            template="funding/panel.html",
            context=enterprise_home_panel,
            order=40,
        )
