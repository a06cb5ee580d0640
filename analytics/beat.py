"""The beat scheduler: schedules start from settings, then the admin's rows are the truth.

``CELERY_BEAT_SCHEDULE`` in settings names the periodic jobs (the hourly
deadline sweep, the weekly close on Monday 08:00, the monthly analysis on the
1st at 06:00, Asia/Shanghai). django-celery-beat's ``DatabaseScheduler`` copies
them into its ``PeriodicTask`` table so that an admin can move or pause a job
(admin → 定时任务) — but it copies them with ``update_or_create`` at every
start, so a time changed in the admin silently comes back at the next restart.
This scheduler installs an entry only when its row is missing: the settings
give the first value, and after that what the admin sets stays.
"""

from django_celery_beat.schedulers import DatabaseScheduler


class EditableDatabaseScheduler(DatabaseScheduler):
    def update_from_dict(self, mapping) -> None:
        existing = set(self.Model.objects.filter(name__in=list(mapping)).values_list("name", flat=True))
        super().update_from_dict({name: entry for name, entry in mapping.items() if name not in existing})
