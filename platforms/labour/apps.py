from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LabourConfig(AppConfig):
    name = "platforms.labour"
    label = "labour"
    verbose_name = _("共享用工")
