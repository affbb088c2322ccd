"""Backing up the portal and restoring it: the database and the uploaded files, in one archive.

An archive is a gzipped tar holding ``manifest.json`` (what it is and when it was made),
the database (``database.pgdump``: ``pg_dump -Fc``; or ``database.sqlite3``: a copy made
with SQLite's online backup API, consistent while the portal runs) and ``media/`` (everything
under MEDIA_ROOT: meeting papers and report packs). Archives are written readable by their
owner only (0600), under ``var/backups/`` by default: they hold every child's record, so
they are kept and moved as carefully as the database itself.

Nothing here logs or prints personal data: only file names, sizes and table counts. The
PostgreSQL password goes to ``pg_dump``/``pg_restore`` in their environment (PGPASSWORD),
never on a command line, where other users of the machine could read it.
"""

from __future__ import annotations

import datetime
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connections

FORMAT = "send-portal-backup/1"
MANIFEST = "manifest.json"
PG_DUMP_NAME = "database.pgdump"
SQLITE_NAME = "database.sqlite3"
MEDIA_PREFIX = "media"


class BackupError(Exception):
    """A backup or restore that could not be done; the message says why, without data."""


@dataclass(frozen=True)
class Manifest:
    engine: str  # "postgresql" or "sqlite"
    created_at: str
    media_files: int

    def as_json(self) -> str:
        return json.dumps(
            {
                "format": FORMAT,
                "engine": self.engine,
                "created_at": self.created_at,
                "media_files": self.media_files,
            },
            indent=2,
        )


def default_backup_path(now: datetime.datetime | None = None) -> Path:
    now = now or datetime.datetime.now(datetime.UTC)
    return Path(settings.VAR_DIR) / "backups" / f"portal-{now:%Y%m%dT%H%M%SZ}.tar.gz"


def engine_of(database: dict) -> str:
    engine = database["ENGINE"]
    if engine == "django.db.backends.sqlite3":
        return "sqlite"
    if engine == "django.db.backends.postgresql":
        return "postgresql"
    raise BackupError(f"Backups support PostgreSQL and SQLite, not {engine}.")


# --- Backup ---------------------------------------------------------------------------------


def backup(
    output: Path | None = None, *, database: dict | None = None, media_root: Path | None = None
) -> Path:
    """Write an archive of ``database`` (the portal's by default) and ``media_root``; return
    its path. The archive appears complete or not at all (written beside, then renamed)."""
    database = database or connections["default"].settings_dict
    media_root = Path(media_root or settings.MEDIA_ROOT)
    output = Path(output) if output else default_backup_path()
    output.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    engine = engine_of(database)
    with tempfile.TemporaryDirectory(dir=output.parent, prefix=".backup-") as work:
        work = Path(work)
        if engine == "postgresql":
            dump = work / PG_DUMP_NAME
            _pg_dump(database, dump)
        else:
            dump = work / SQLITE_NAME
            _sqlite_copy(Path(database["NAME"]), dump)
        media = (
            sorted(p for p in media_root.rglob("*") if p.is_file()) if media_root.is_dir() else []
        )
        manifest = Manifest(
            engine=engine,
            created_at=datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
            media_files=len(media),
        )
        (work / MANIFEST).write_text(manifest.as_json())
        partial = work / "archive.tar.gz"
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
            tar.add(work / MANIFEST, arcname=MANIFEST)
            tar.add(dump, arcname=dump.name)
            for path in media:
                tar.add(path, arcname=f"{MEDIA_PREFIX}/{path.relative_to(media_root).as_posix()}")
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(partial, output)
    return output


def _sqlite_copy(source: Path, target: Path) -> None:
    """SQLite's online backup: a consistent copy even while the portal writes to it."""
    if not source.is_file():
        raise BackupError(f"There is no SQLite database at {source}.")
    with _closing(sqlite3.connect(source)) as live, _closing(sqlite3.connect(target)) as copy:
        live.backup(copy)


def _pg_dump(database: dict, target: Path) -> None:
    _run_pg(
        ["pg_dump", "--format=custom", f"--file={target}", *_pg_connection_args(database)],
        database,
        "pg_dump",
    )


# --- Restore --------------------------------------------------------------------------------


def read_manifest(archive: Path) -> dict:
    try:
        with tarfile.open(archive, "r:gz") as tar:
            member = tar.extractfile(MANIFEST)
            manifest = json.loads(member.read()) if member else {}
    except (OSError, tarfile.TarError, KeyError, ValueError) as error:
        raise BackupError(f"{archive} is not a portal backup: {error.__class__.__name__}") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{archive} is not a portal backup this version can read.")
    return manifest


def check_members(archive: Path) -> None:
    """Refuse, before anything is replaced, an archive with a member that would land
    outside the folder it is unpacked into: a ``..`` or absolute path, or a link out of it
    (Python's "data" extraction filter, the same one the restore unpacks with)."""
    with tempfile.TemporaryDirectory(prefix=".restore-check-") as destination:
        try:
            with tarfile.open(archive, "r:gz") as tar:
                for member in tar:
                    tarfile.data_filter(member, destination)
        except tarfile.FilterError as error:
            raise BackupError(
                f"{archive} is refused: it holds {error.tarinfo.name!r}, which points "
                f"outside the backup ({error.__class__.__name__}). A backup made by "
                "`manage.py backup` never does; nothing was restored."
            ) from None
        except (OSError, tarfile.TarError) as error:
            raise BackupError(
                f"{archive} is not a portal backup: {error.__class__.__name__}"
            ) from None


def database_has_data(database: dict | None = None) -> bool:
    """Whether any table of the database holds a row (a migrated database does: its
    reference data), so that a restore would replace something."""
    alias = "default" if database is None else None
    with _connection(database, alias) as connection, connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT 1 FROM {connection.ops.quote_name(table)} LIMIT 1")  # noqa: S608
            if cursor.fetchone():
                return True
    return False


def restore(archive: Path, *, database: dict | None = None, media_root: Path | None = None) -> dict:
    """Replace ``database`` (the portal's by default) and the files under ``media_root`` with
    the archive's; return its manifest. Stop the web server, worker and beat first."""
    archive = Path(archive)
    manifest = read_manifest(archive)
    database = database or connections["default"].settings_dict
    engine = engine_of(database)
    if manifest["engine"] != engine:
        raise BackupError(
            f"The backup is of a {manifest['engine']} database; the portal is configured for "
            f"{engine}. Restore it into a {manifest['engine']} database."
        )
    media_root = Path(media_root or settings.MEDIA_ROOT)
    check_members(archive)
    # The portal's own connections must not hold the database open while it is replaced.
    connections.close_all()
    with tempfile.TemporaryDirectory(prefix=".restore-") as work:
        work = Path(work)
        with tarfile.open(archive, "r:gz") as tar:
            tar.extractall(work, filter="data")  # no absolute paths, links or ".." escape
        if engine == "postgresql":
            _pg_restore(database, work / PG_DUMP_NAME)
        else:
            _sqlite_restore(work / SQLITE_NAME, Path(database["NAME"]))
        _replace_media(work / MEDIA_PREFIX, media_root)
    return manifest


def _sqlite_restore(copy: Path, target: Path) -> None:
    """The backup API in reverse: the copy's pages written into the configured file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with _closing(sqlite3.connect(copy)) as source, _closing(sqlite3.connect(target)) as live:
        source.backup(live)


def _pg_restore(database: dict, dump: Path) -> None:
    _run_pg(
        [
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            "--exit-on-error",
            *_pg_connection_args(database),
            str(dump),
        ],
        database,
        "pg_restore",
    )


def _replace_media(extracted: Path, media_root: Path) -> None:
    """MEDIA_ROOT becomes exactly the archive's files (moved in, then the old ones removed)."""
    media_root.mkdir(parents=True, exist_ok=True)
    for old in list(media_root.iterdir()):
        if old.is_dir() and not old.is_symlink():
            shutil.rmtree(old)
        else:
            old.unlink()
    if extracted.is_dir():
        for item in extracted.iterdir():
            shutil.move(str(item), media_root / item.name)


# --- PostgreSQL connection details ------------------------------------------------------------


def _pg_connection_args(database: dict) -> list[str]:
    args = [f"--dbname={database['NAME']}"]
    if database.get("HOST"):
        args.append(f"--host={database['HOST']}")
    if database.get("PORT"):
        args.append(f"--port={database['PORT']}")
    if database.get("USER"):
        args.append(f"--username={database['USER']}")
    return [*args, "--no-password"]  # never prompt: the password comes from PGPASSWORD


def _pg_environment(database: dict) -> dict:
    env = dict(os.environ)
    if database.get("PASSWORD"):
        env["PGPASSWORD"] = str(database["PASSWORD"])
    options = database.get("OPTIONS") or {}
    for option, variable in (
        ("sslmode", "PGSSLMODE"),
        ("sslrootcert", "PGSSLROOTCERT"),
        ("sslcert", "PGSSLCERT"),
        ("sslkey", "PGSSLKEY"),
    ):
        if options.get(option):
            env[variable] = str(options[option])
    return env


def _run_pg(command: list[str], database: dict, program: str) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(f"{program} is not installed (the PostgreSQL client tools).")
    result = subprocess.run(  # noqa: S603 - a fixed program with arguments, no shell
        command, env=_pg_environment(database), capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        # pg_dump/pg_restore's own messages name objects, not row data.
        raise BackupError(f"{program} failed ({result.returncode}): {result.stderr.strip()[-500:]}")


# --- Small helpers ------------------------------------------------------------------------------


class _closing:
    """sqlite3's connection context manager commits but does not close; this closes."""

    def __init__(self, connection: sqlite3.Connection):
        self.connection = connection

    def __enter__(self) -> sqlite3.Connection:
        return self.connection

    def __exit__(self, *exc) -> None:
        self.connection.close()


class _connection:
    """A Django connection to ``database`` (a settings dict) for a moment, or the portal's."""

    def __init__(self, database: dict | None, alias: str | None):
        self.database, self.alias, self.wrapper = database, alias, None

    def __enter__(self):
        if self.alias:
            return connections[self.alias]
        from django.db.utils import load_backend

        self.wrapper = load_backend(self.database["ENGINE"]).DatabaseWrapper(
            self.database, alias="backup-target"
        )
        return self.wrapper

    def __exit__(self, *exc) -> None:
        if self.wrapper is not None:
            self.wrapper.close()
