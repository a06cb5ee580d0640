"""``manage.py backup`` (``make backup``): the database and the media files in one archive (common.backup)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from common.backup import BackupError, backup_create


class Command(BaseCommand):
    help = "Write var/backups/jingkai-<UTC time>.tar.gz: the database (pg_dump -Fc or an online SQLite copy) and media."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--folder", type=Path, default=settings.VAR_DIR / "backups", help="where to write the archive"
        )

    def handle(self, *args, folder: Path, **options) -> None:
        try:
            archive = backup_create(
                folder=folder, database=connection.settings_dict, media_root=Path(settings.MEDIA_ROOT)
            )
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"backup written: {archive} ({archive.stat().st_size // 1024} KiB)")
