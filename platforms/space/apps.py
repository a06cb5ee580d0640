from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SpaceConfig(AppConfig):
    name = "platforms.space"
    label = "space"
    verbose_name = _("产业载体")

    def ready(self) -> None:
        from platforms.matching import register_proposal_model

        # So the daily ``proposals_expire`` job expires ours too.
        register_proposal_model("space.SpaceProposal")
