"""`manage.py backup` and `restore`: a backup restored into a fresh database is the same data.

Each test makes real data through the services (EHC plans signed off by the DMO, with their
SHA-256 hashes, one returned for amendment; an uploaded file), backs it up, restores it into a
new, empty database and compares the row count of every table, the sign-off hashes, and that
each hash still matches the restored text. SQLite runs everywhere; PostgreSQL runs when
DATABASE_URL is PostgreSQL (CI), with pg_dump -Fc and pg_restore.
"""

import io
import json
import stat
import tarfile
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.utils import load_backend

from ehcp import services as ehcp_services
from ehcp.models import SectionsVersion, SignOff, text_hash
from ehcp.tests.factories import make_plan_waiting_for_sign_off
from service_status import backups
from tests.factories import DEFAULT_TEST_PASSWORD

# pg_dump and SQLite's backup see committed data only, as they would in production.
pytestmark = pytest.mark.django_db(transaction=True)

ON_POSTGRESQL = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    paper = settings.MEDIA_ROOT / "papers" / "2026" / "agenda.pdf"
    paper.parent.mkdir(parents=True)
    paper.write_bytes(b"%PDF-1.7 the agenda")
    return settings.MEDIA_ROOT


@pytest.fixture
def signed_plans(dmo, clinical_lead):
    signed = []
    for _ in range(2):
        plan = make_plan_waiting_for_sign_off(author=clinical_lead)
        signed.append(
            ehcp_services.sign_off(plan.versions.get(), dmo, DEFAULT_TEST_PASSWORD, "GMC 7012345")
        )
    returned = make_plan_waiting_for_sign_off(author=clinical_lead)
    ehcp_services.return_for_amendment(returned.versions.get(), dmo, "Quantify the therapy.")
    return signed


def open_database(database: dict):
    return load_backend(database["ENGINE"]).DatabaseWrapper(database, alias=f"check-{uuid.uuid4()}")


def table_counts(wrapper) -> dict[str, int]:
    with wrapper.cursor() as cursor:
        tables = wrapper.introspection.table_names(cursor)
        counts = {}
        for table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM {wrapper.ops.quote_name(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


def signed_texts(wrapper) -> dict[int, tuple[str, str, list]]:
    """Each sign-off's hash with the version's stored text, read straight from the tables."""
    sign_off, version = SignOff._meta.db_table, SectionsVersion._meta.db_table
    with wrapper.cursor() as cursor:
        cursor.execute(
            f"SELECT s.id, s.text_hash, v.section_c, v.section_g FROM {sign_off} s "
            f"JOIN {version} v ON v.id = s.version_id ORDER BY s.id"
        )
        rows = cursor.fetchall()
    return {
        pk: (digest, section_c, json.loads(g) if isinstance(g, str) else g)
        for pk, digest, section_c, g in rows
    }


def assert_same_data(source, restored, signed):
    source_counts, restored_counts = table_counts(source), table_counts(restored)
    assert restored_counts == source_counts
    assert source_counts[SignOff._meta.db_table] == len(signed) == 2
    restored_texts = signed_texts(restored)
    assert {pk: t[0] for pk, t in restored_texts.items()} == {s.pk: s.text_hash for s in signed}
    for digest, section_c, section_g in restored_texts.values():
        assert text_hash(section_c, section_g) == digest  # the signed text came back unchanged


def assert_same_media(original: Path, restored: Path):
    def files(root):
        return {p.relative_to(root): p.read_bytes() for p in root.rglob("*") if p.is_file()}

    assert files(restored) == files(original) != {}


def test_the_archive_is_readable_by_its_owner_only_and_named_by_time(media, signed_plans, settings):
    settings.VAR_DIR = media.parent / "var"

    call_command("backup")

    (archive,) = (settings.VAR_DIR / "backups").glob("portal-*Z.tar.gz")
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    manifest = backups.read_manifest(archive)
    assert manifest["media_files"] == 1
    assert manifest["engine"] == ("postgresql" if ON_POSTGRESQL else "sqlite")


@pytest.mark.skipif(ON_POSTGRESQL, reason="the SQLite backup; DATABASE_URL is PostgreSQL")
def test_a_sqlite_backup_restores_into_a_fresh_database(media, signed_plans, tmp_path):
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", output=archive)
    fresh = {**connection.settings_dict, "NAME": str(tmp_path / "fresh.sqlite3")}

    backups.restore(archive, database=fresh, media_root=tmp_path / "restored-media")

    restored = open_database(fresh)
    try:
        assert_same_data(connection, restored, signed_plans)
    finally:
        restored.close()
    assert_same_media(media, tmp_path / "restored-media")


@pytest.mark.skipif(
    not ON_POSTGRESQL,
    reason="needs PostgreSQL: set DATABASE_URL to a PostgreSQL database (CI does) for pg_dump",
)
def test_a_postgresql_backup_restores_into_a_fresh_database(media, signed_plans, tmp_path):
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", output=archive)
    fresh = {**connection.settings_dict, "NAME": f"{connection.settings_dict['NAME']}_restored"}
    with connection.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {fresh['NAME']}")
        cursor.execute(f"CREATE DATABASE {fresh['NAME']}")
    restored = open_database(fresh)
    try:
        assert not backups.database_has_data(fresh)

        backups.restore(archive, database=fresh, media_root=tmp_path / "restored-media")

        assert_same_data(connection, restored, signed_plans)
        with restored.cursor() as cursor:
            # The trigger that keeps signed text unchangeable came back with the schema.
            cursor.execute(
                "SELECT COUNT(*) FROM information_schema.triggers WHERE event_object_table = %s",
                [SignOff._meta.db_table],
            )
            assert cursor.fetchone()[0] >= 1
    finally:
        restored.close()
        with connection.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {fresh['NAME']} WITH (FORCE)")
    assert_same_media(media, tmp_path / "restored-media")


def test_restore_refuses_to_replace_data_without_yes_and_puts_the_backup_back_with_it(
    media, signed_plans, tmp_path, clinical_lead
):
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", output=archive)
    before = table_counts(connection)
    # A change after the backup, which the restore will undo.
    make_plan_waiting_for_sign_off(author=clinical_lead)
    (media / "late.txt").write_text("uploaded after the backup")

    with pytest.raises(CommandError, match="already holds data"):
        call_command("restore", str(archive))
    assert (media / "late.txt").exists()

    call_command("restore", str(archive), "--yes")

    assert table_counts(connection) == before
    assert not (media / "late.txt").exists()
    assert (media / "papers" / "2026" / "agenda.pdf").read_bytes() == b"%PDF-1.7 the agenda"


def test_restore_refuses_a_file_that_is_not_a_portal_backup(tmp_path):
    not_a_backup = tmp_path / "notes.tar.gz"
    not_a_backup.write_bytes(b"not a tar file")

    with pytest.raises(CommandError, match="not a portal backup"):
        call_command("restore", str(not_a_backup), "--yes")


def _with_member(archive: Path, crafted: Path, member: tarfile.TarInfo, data: bytes = b""):
    """A copy of ``archive`` with ``member`` added, as someone crafting an archive would."""
    with tarfile.open(archive, "r:gz") as source, tarfile.open(crafted, "w:gz") as target:
        for existing in source.getmembers():
            target.addfile(existing, source.extractfile(existing) if existing.isfile() else None)
        member.size = len(data)
        target.addfile(member, io.BytesIO(data) if member.isfile() else None)


@pytest.mark.parametrize(
    ("name", "kind", "link"),
    [
        ("../escaped.txt", tarfile.REGTYPE, ""),
        ("media/../../escaped.txt", tarfile.REGTYPE, ""),
        ("media/passwd", tarfile.SYMTYPE, "/etc/passwd"),
        ("media/up", tarfile.SYMTYPE, "../../.."),
    ],
    ids=["parent", "parent inside media", "absolute link", "link upwards"],
)
def test_restore_refuses_an_archive_with_paths_outside_it_with_a_clear_error(
    media, tmp_path, name, kind, link
):
    archive = tmp_path / "backups" / "backup.tar.gz"
    archive.parent.mkdir()
    call_command("backup", output=archive)
    crafted = tmp_path / "backups" / "crafted.tar.gz"
    member = tarfile.TarInfo(name)
    member.type, member.linkname = kind, link
    _with_member(archive, crafted, member, b"outside" if kind == tarfile.REGTYPE else b"")
    before = table_counts(connection)

    with pytest.raises(CommandError, match="refused: it holds .* outside the backup") as error:
        call_command("restore", str(crafted), "--yes")

    assert name in str(error.value)
    assert not (tmp_path / "escaped.txt").exists()
    assert not (tmp_path.parent / "escaped.txt").exists()
    assert table_counts(connection) == before
    assert (media / "papers" / "2026" / "agenda.pdf").exists()


def test_the_postgresql_password_never_goes_on_a_command_line():
    database = {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "portal",
        "USER": "portal",
        "PASSWORD": "correct-horse-battery",
        "HOST": "db.internal",
        "PORT": "5432",
        "OPTIONS": {"sslmode": "verify-full"},
    }

    arguments = backups._pg_connection_args(database)
    environment = backups._pg_environment(database)

    assert not any("correct-horse-battery" in argument for argument in arguments)
    assert "--no-password" in arguments
    assert environment["PGPASSWORD"] == "correct-horse-battery"
    assert environment["PGSSLMODE"] == "verify-full"
