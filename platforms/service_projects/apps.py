from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServiceProjectsConfig(AppConfig):
    name = "platforms.service_projects"
    label = "service_projects"
    verbose_name = _("服务项目")
