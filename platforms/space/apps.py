from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SpaceConfig(AppConfig):
    name = "platforms.space"
    label = "space"
    verbose_name = _("产业载体")
