from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IssuesConfig(AppConfig):
    name = "issues"
    verbose_name = _("问题台账")

    def ready(self) -> None:
        from issues import home_figures

        home_figures.register_all()
