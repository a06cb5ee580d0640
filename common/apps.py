from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CommonConfig(AppConfig):
    name = "common"
    verbose_name = "通用"

    def ready(self) -> None:
        from common import workdays

        workdays.watch_calendar_models()
        # After every migrate (and every flush of a test database): add the years the package covers.
        post_migrate.connect(workdays.sync_after_migrate, sender=self, dispatch_uid="workdays-sync-after-migrate")
