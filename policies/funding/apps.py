from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundingConfig(AppConfig):
    name = "policies.funding"
    label = "funding"
    verbose_name = _("资金申报")

    def ready(self) -> None:
        from common.panels import ENTERPRISE_HOME, register
        from policies.funding.figures import FUNNEL_STAGES, policy_page_funnel_rows
        from policies.funding.panels import enterprise_home_panel
        from policies.hooks import register_funnel_stages

        # A policy's page shows applied → granted → paid after its pushes, per district and grid.
        register_funnel_stages(stages=FUNNEL_STAGES, rows=policy_page_funnel_rows)

        register(
            page=ENTERPRISE_HOME,
            key="funding",
            template="funding/panel.html",
            context=enterprise_home_panel,
            order=40,
        )
