"""Backups of the portal: the database and the uploaded files, in one archive.

``backup_create`` writes ``jingkai-<UTC time>.tar.gz`` holding

- ``database.dump``: ``pg_dump -Fc`` of the PostgreSQL database (one consistent
  snapshot, taken while the portal keeps running), or ``database.sqlite3``: a copy
  made with SQLite's online backup API (consistent even while the web server and
  the worker write, unlike copying the file);
- ``media/``: every uploaded and generated file (``MEDIA_ROOT``);
- ``manifest.json``: the engine, the time, the row count of every table and a
  checksum of the media, which ``backup_restore`` checks the restored copy against.

``backup_restore`` puts an archive back into the configured database (``pg_restore
--clean`` in one transaction: all or nothing) and ``MEDIA_ROOT`` (swapped in whole).
Stop the web server, the worker and beat first (README, "Backup and recovery").
"""

import datetime
import hashlib
import json
import shutil
import sqlite3
import subprocess  # nosec B404  # pg_dump / pg_restore, with argument lists, never a shell
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.db.utils import load_backend

FORMAT = 1
MANIFEST = "manifest.json"
POSTGRES_DUMP = "database.dump"
SQLITE_COPY = "database.sqlite3"


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why."""


@dataclass(frozen=True)
class RestoreResult:
    tables: int
    rows: int
    media_files: int


def media_checksum(root: Path) -> tuple[str, int]:
    """(sha256 over every file's path and content, number of files) of the tree at ``root``."""
    digest, count = hashlib.sha256(), 0
    if root.exists():
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            digest.update(path.relative_to(root).as_posix().encode() + b"\0")
            with open(path, "rb") as handle:
                for block in iter(lambda: handle.read(1 << 20), b""):
                    digest.update(block)
            digest.update(b"\0")
            count += 1
    return digest.hexdigest(), count


def table_row_counts(db_connection) -> dict[str, int]:
    """The number of rows of every table of the database behind ``db_connection``."""
    with db_connection.cursor() as cursor:
        names = db_connection.introspection.table_names(cursor)
        counts = {}
        for name in sorted(names):
            cursor.execute(f"SELECT COUNT(*) FROM {db_connection.ops.quote_name(name)}")  # nosec B608  # a table name the database gave
            counts[name] = cursor.fetchone()[0]
    return counts


def _connect(database: dict, **changes):
    """A connection of its own to ``database`` (a settings dict), e.g. another copy of it."""
    return load_backend(database["ENGINE"]).DatabaseWrapper({**database, **changes}, "backup")


def _counted(database: dict, **changes) -> dict[str, int]:
    wrapper = _connect(database, **changes)
    try:
        return table_row_counts(wrapper)
    finally:
        wrapper.close()


def _engine(database: dict) -> str:
    engine = database["ENGINE"]
    if engine == "django.db.backends.postgresql":
        return "postgresql"
    if engine == "django.db.backends.sqlite3":
        return "sqlite"
    raise BackupError(f"no backup for the database engine {engine}")


def _pg_arguments(database: dict) -> tuple[list[str], dict]:
    """The connection options of pg_dump / pg_restore, and the environment holding the password."""
    arguments = ["--host", database.get("HOST") or "127.0.0.1", "--port", str(database.get("PORT") or 5432)]
    if database.get("USER"):
        arguments += ["--username", database["USER"]]
    environment = {"PATH": "/usr/local/bin:/usr/bin:/bin"}
    if database.get("PASSWORD"):
        environment["PGPASSWORD"] = database["PASSWORD"]
    return arguments, environment


def _run(command: list[str], environment: dict) -> None:
    try:
        subprocess.run(command, env=environment, check=True, capture_output=True, text=True)  # nosec B603  # argument list, our own options
    except FileNotFoundError as error:
        raise BackupError(f"{command[0]} is not installed (the PostgreSQL client tools)") from error
    except subprocess.CalledProcessError as error:
        raise BackupError(f"{command[0]} failed: {error.stderr.strip()[-2000:]}") from error


def _pg_dump(database: dict, dump: Path) -> dict[str, int]:
    """pg_dump of one snapshot, and the row counts of that same snapshot.

    The snapshot is exported from a read-only repeatable-read transaction that stays open
    while pg_dump runs (``--snapshot``): the counts are exactly what the dump holds, even
    while the portal keeps writing.
    """
    wrapper = _connect(database)
    try:
        wrapper.set_autocommit(False)
        with wrapper.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
        counts = table_row_counts(wrapper)
        arguments, environment = _pg_arguments(database)
        _run(
            ["pg_dump", "--format=custom", "--no-owner", f"--snapshot={snapshot}", *arguments]
            + ["--file", str(dump), database["NAME"]],
            environment,
        )
        wrapper.rollback()
    finally:
        wrapper.close()
    return counts


def backup_create(*, folder: Path, database: dict, media_root: Path, now: datetime.datetime | None = None) -> Path:
    """Write one archive of ``database`` and ``media_root`` into ``folder``; returns its path."""
    engine = _engine(database)
    moment = now or datetime.datetime.now(datetime.UTC)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"jingkai-{moment:%Y%m%dT%H%M%SZ}.tar.gz"
    with tempfile.TemporaryDirectory(dir=folder) as work:
        work_path = Path(work)
        if engine == "postgresql":
            dump = work_path / POSTGRES_DUMP
            counts = _pg_dump(database, dump)
        else:
            dump = work_path / SQLITE_COPY
            source, copy = sqlite3.connect(str(database["NAME"])), sqlite3.connect(str(dump))
            try:
                source.backup(copy)
            finally:
                copy.close()
                source.close()
            counts = _counted(database, NAME=str(dump))
        checksum, files = media_checksum(media_root)
        manifest = {
            "format": FORMAT,
            "engine": engine,
            "created_at": moment.isoformat(),
            "tables": counts,
            "media_sha256": checksum,
            "media_files": files,
        }
        (work_path / MANIFEST).write_text(json.dumps(manifest, indent=1, ensure_ascii=False))
        partial = target.with_suffix(".partial")
        with tarfile.open(partial, "w:gz") as archive:
            archive.add(work_path / MANIFEST, arcname=MANIFEST)
            archive.add(dump, arcname=dump.name)
            if media_root.exists():
                archive.add(media_root, arcname="media")
        partial.rename(target)  # an archive is there whole or not at all
    return target


def _extract(archive_path: Path, into: Path) -> dict:
    try:
        with tarfile.open(archive_path, "r:gz") as archive:
            # "data": no absolute paths, no "..", no links out of the folder, no devices.
            archive.extractall(into, filter="data")
    except (tarfile.TarError, OSError, EOFError) as error:
        raise BackupError(f"{archive_path} is not a readable backup archive: {error}") from error
    try:
        manifest = json.loads((into / MANIFEST).read_text())
    except (OSError, ValueError) as error:
        raise BackupError(f"{archive_path} has no manifest: not a backup of the portal") from error
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{archive_path}: unknown backup format {manifest.get('format')!r}")
    return manifest


def _swap_media(restored: Path, media_root: Path) -> None:
    """Put ``restored`` in place of ``media_root`` (the old tree is removed only once the new one is in)."""
    media_root.parent.mkdir(parents=True, exist_ok=True)
    incoming = media_root.with_name(f".{media_root.name}.restoring")
    outgoing = media_root.with_name(f".{media_root.name}.replaced")
    for leftover in (incoming, outgoing):
        shutil.rmtree(leftover, ignore_errors=True)
    if restored.exists():
        shutil.copytree(restored, incoming)
    else:
        incoming.mkdir()
    if media_root.exists():
        media_root.rename(outgoing)
    incoming.rename(media_root)
    shutil.rmtree(outgoing, ignore_errors=True)


def backup_restore(*, archive_path: Path, database: dict, media_root: Path) -> RestoreResult:
    """Replace ``database`` and ``media_root`` by the archive's; checks the result against the dump."""
    engine = _engine(database)
    with tempfile.TemporaryDirectory() as work:
        work_path = Path(work)
        manifest = _extract(archive_path, work_path)
        if manifest["engine"] != engine:
            raise BackupError(f"the archive holds a {manifest['engine']} database, the portal uses {engine}")
        if engine == "postgresql":
            arguments, environment = _pg_arguments(database)
            _run(
                [
                    "pg_restore",
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--single-transaction",  # all or nothing
                    "--exit-on-error",
                    *arguments,
                    "--dbname",
                    database["NAME"],
                    str(work_path / POSTGRES_DUMP),
                ],
                environment,
            )
        else:
            source, target = sqlite3.connect(str(work_path / SQLITE_COPY)), sqlite3.connect(str(database["NAME"]))
            try:
                source.backup(target)
            finally:
                target.close()
                source.close()
        _swap_media(work_path / "media", media_root)
    restored = _counted(database)
    differing = sorted(name for name in manifest["tables"] if restored.get(name) != manifest["tables"][name])
    if differing:
        raise BackupError(f"the restored database differs from the backup in: {', '.join(differing[:20])}")
    checksum, files = media_checksum(media_root)
    if checksum != manifest["media_sha256"]:
        raise BackupError("the restored media files differ from the archive's checksum")
    return RestoreResult(tables=len(manifest["tables"]), rows=sum(manifest["tables"].values()), media_files=files)
