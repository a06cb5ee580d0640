from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProcurementConfig(AppConfig):
    name = "platforms.procurement"
    label = "procurement"
    verbose_name = _("企业内配")

    def ready(self) -> None:
        from common.panels import ENTERPRISE_HOME, register
        from platforms.matching import register_proposal_model
        from platforms.procurement.panels import enterprise_home_panel

        # The daily expiry job (platforms.tasks.expire_proposals) expires ours too.
        register_proposal_model("procurement.PurchaseProposal")
        register(
            page=ENTERPRISE_HOME,
            key="procurement",
            template="procurement/snippets/enterprise_panel.html",
            context=enterprise_home_panel,
            order=60,
        )
