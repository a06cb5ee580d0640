"""``manage.py restore FILE`` (``make restore FILE=…``): put a backup back (common.backup).

Replaces the whole database and MEDIA_ROOT. Stop the web server, the worker and beat first.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from common.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = "Replace the database and MEDIA_ROOT by a backup archive's, then check the copy against it."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path, help="an archive written by `manage.py backup`")
        parser.add_argument("--noinput", "--no-input", action="store_false", dest="interactive")

    def handle(self, *args, file: Path, interactive: bool, **options) -> None:
        if not file.is_file():
            raise CommandError(f"no such backup archive: {file}")
        database = connection.settings_dict
        if interactive:
            answer = input(
                f"This replaces the database {database['NAME']} and every file under {settings.MEDIA_ROOT} "
                f"by the contents of {file}. Type 'yes' to continue: "
            )
            if answer.strip() != "yes":
                raise CommandError("restore cancelled")
        connection.close()  # pg_restore drops and recreates the tables this connection may hold
        try:
            result = backup_restore(archive_path=file, database=database, media_root=Path(settings.MEDIA_ROOT))
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"restored {file}: {result.tables} tables, {result.rows} rows, {result.media_files} media files "
            "(row counts and media checksum match the backup)"
        )
