from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalyticsConfig(AppConfig):
    name = "analytics"
    verbose_name = _("分析与看板")

    def ready(self) -> None:
        from analytics import freshness

        freshness.connect()
