from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IssuesConfig(AppConfig):
    name = "issues"
    verbose_name = _("问题台账")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from issues import home_figures
        from issues.models import Feedback, Issue
        from issues.signals import issue_written

        home_figures.register_all()
        for model in (Issue, Feedback):
            post_save.connect(issue_written, sender=model, dispatch_uid=f"measures-{model.__name__}-save")
            post_delete.connect(issue_written, sender=model, dispatch_uid=f"measures-{model.__name__}-delete")
