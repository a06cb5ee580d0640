from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IssuesConfig(AppConfig):
    name = "issues"
    verbose_name = _("问题台账")

    def ready(self) -> None:
        from issues import figures

        figures.register_all()
