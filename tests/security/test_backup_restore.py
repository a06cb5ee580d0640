"""Item 13: ``make backup`` / ``make restore FILE=…`` (common.backup).

On PostgreSQL (``.ci/run``'s second pass): the demo zone is backed up, restored into a
fresh database, and every table's row count and the media files' checksum compared.
The SQLite path (the embedded default) is checked on a database file of its own.
"""

import io
import json
import sqlite3
import tarfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from common.backup import (
    BackupError,
    _counted,
    backup_create,
    backup_restore,
    media_checksum,
    table_row_counts,
)

ON_POSTGRES = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


def make_media(root: Path) -> None:
    (root / "attachments" / "2026").mkdir(parents=True)
    (root / "attachments" / "2026" / "照片.jpg").write_bytes(b"\xff\xd8" + bytes(range(256)) * 40)
    (root / "reports" / "zone").mkdir(parents=True)
    (root / "reports" / "zone" / "2026-10.xlsx").write_bytes(b"PK\x03\x04 workbook")


# --- SQLite: a consistent online copy --------------------------------------------------


@pytest.fixture
def sqlite_database(tmp_path, django_db_blocker) -> dict:
    """A SQLite file of its own (not the test database): Django's guard lets the backup open it."""
    django_db_blocker.unblock()
    path = tmp_path / "portal.sqlite3"
    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("CREATE TABLE enterprises (id INTEGER PRIMARY KEY, name TEXT)")
    db.execute("CREATE TABLE visits (id INTEGER PRIMARY KEY, enterprise_id INTEGER)")
    db.executemany("INSERT INTO enterprises (name) VALUES (?)", [("甲",), ("乙",), ("丙",)])
    db.executemany("INSERT INTO visits (enterprise_id) VALUES (?)", [(1,), (2,)])
    db.commit()
    db.close()
    yield {**connection.settings_dict, "ENGINE": "django.db.backends.sqlite3", "NAME": str(path), "OPTIONS": {}}
    django_db_blocker.restore()


def test_sqlite_backup_is_an_online_copy_and_restore_puts_database_and_media_back(sqlite_database, tmp_path):
    media = tmp_path / "media"
    make_media(media)
    checksum_before = media_checksum(media)
    # A write in progress (not committed) while the backup runs is not in the copy.
    writer = sqlite3.connect(sqlite_database["NAME"])
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("INSERT INTO enterprises (name) VALUES ('未提交')")
    archive = backup_create(folder=tmp_path / "backups", database=sqlite_database, media_root=media)
    writer.rollback()
    writer.close()
    with tarfile.open(archive) as opened:
        names = set(opened.getnames())
        manifest = json.load(opened.extractfile("manifest.json"))
    assert {
        "manifest.json",
        "database.sqlite3",
        "media/attachments/2026/照片.jpg",
        "media/reports/zone/2026-10.xlsx",
    } <= names
    assert manifest["tables"] == {"enterprises": 3, "visits": 2}
    assert (manifest["engine"], manifest["media_sha256"], manifest["media_files"]) == ("sqlite", *checksum_before)

    # When everything changes after the backup…
    db = sqlite3.connect(sqlite_database["NAME"])
    db.execute("DELETE FROM visits")
    db.execute("INSERT INTO enterprises (name) VALUES ('后加的')")
    db.commit()
    db.close()
    (media / "attachments" / "2026" / "照片.jpg").write_bytes(b"overwritten")
    (media / "stray.txt").write_text("added after the backup")
    # …restore brings back the database and the media of the backup, exactly.
    result = backup_restore(archive_path=archive, database=sqlite_database, media_root=media)
    assert (result.tables, result.rows, result.media_files) == (2, 5, 2)
    assert _counted(sqlite_database) == {"enterprises": 3, "visits": 2}
    assert media_checksum(media) == checksum_before
    assert not (media / "stray.txt").exists()


def test_restore_refuses_what_is_not_a_backup_and_changes_nothing(sqlite_database, tmp_path):
    media = tmp_path / "media"
    make_media(media)
    checksum = media_checksum(media)
    not_an_archive = tmp_path / "notes.tar.gz"
    not_an_archive.write_bytes(b"not a tar file")
    with pytest.raises(BackupError, match="not a readable backup archive"):
        backup_restore(archive_path=not_an_archive, database=sqlite_database, media_root=media)
    # An archive whose member climbs out of the folder it is unpacked into.
    escaping = tmp_path / "escape.tar.gz"
    with tarfile.open(escaping, "w:gz") as archive:
        payload = b"owned"
        member = tarfile.TarInfo("../../outside.txt")
        member.size = len(payload)
        archive.addfile(member, io.BytesIO(payload))
    with pytest.raises(BackupError, match="not a readable backup archive"):
        backup_restore(archive_path=escaping, database=sqlite_database, media_root=media)
    assert _counted(sqlite_database) == {"enterprises": 3, "visits": 2}
    assert media_checksum(media) == checksum


def test_restore_refuses_an_archive_of_the_other_engine(sqlite_database, tmp_path):
    archive = backup_create(folder=tmp_path, database=sqlite_database, media_root=tmp_path / "none")
    postgres = {**sqlite_database, "ENGINE": "django.db.backends.postgresql", "NAME": "elsewhere"}
    with pytest.raises(BackupError, match="holds a sqlite database, the portal uses postgresql"):
        backup_restore(archive_path=archive, database=postgres, media_root=tmp_path / "media")


def test_the_restore_command_names_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="no such backup archive"):
        call_command("restore", str(tmp_path / "missing.tar.gz"), "--noinput")


def test_make_has_backup_and_restore():
    makefile = (settings.BASE_DIR / "Makefile").read_text()
    assert "\nbackup: install\n\t$(BIN)/python manage.py backup\n" in makefile
    assert '$(BIN)/python manage.py restore "$(FILE)"' in makefile


# --- PostgreSQL: the demo zone, restored into a fresh database -------------------------------


@pytest.mark.skipif(not ON_POSTGRES, reason="needs PostgreSQL (DATABASE_URL), as in CI's second pass")
@pytest.mark.django_db(transaction=True)
def test_the_demo_zone_backed_up_and_restored_into_a_fresh_database_is_the_same(settings, tmp_path):
    # Given the demo zone, committed (pg_dump sees what other sessions see), with its media.
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("seed_demo", stdout=io.StringIO())
    make_media(Path(settings.MEDIA_ROOT))
    source_counts = table_row_counts(connection)
    source_media = media_checksum(Path(settings.MEDIA_ROOT))
    assert source_counts["enterprises_enterprise"] > 100 and source_media[1] >= 2

    # When `make backup` runs…
    out = io.StringIO()
    call_command("backup", "--folder", str(tmp_path / "backups"), stdout=out)
    (archive,) = (tmp_path / "backups").glob("jingkai-*.tar.gz")
    assert f"backup written: {archive}" in out.getvalue()

    # …and the archive is restored into a fresh database and a fresh media folder,
    fresh = f"{connection.settings_dict['NAME']}_restored"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{fresh}"')
        cursor.execute(f'CREATE DATABASE "{fresh}"')
    try:
        restored_media = tmp_path / "restored-media"
        target = {**connection.settings_dict, "NAME": fresh}
        result = backup_restore(archive_path=archive, database=target, media_root=restored_media)
        restored_counts = _counted(target)
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{fresh}" WITH (FORCE)')

    # then every table has the same number of rows and the media the same checksum.
    assert restored_counts == source_counts
    assert media_checksum(restored_media) == source_media
    assert (result.tables, result.rows, result.media_files) == (
        len(source_counts),
        sum(source_counts.values()),
        source_media[1],
    )
