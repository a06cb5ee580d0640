from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingsConfig(AppConfig):
    name = "policies.trainings"
    label = "trainings"
    verbose_name = _("专题培训")
