from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LabourConfig(AppConfig):
    name = "platforms.labour"
    label = "labour"
    verbose_name = _("共享用工")

    def ready(self) -> None:
        from platforms.matching import register_proposal_model

        # So the daily ``proposals_expire`` job expires ours too.
        register_proposal_model("labour.LabourProposal")
