from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from service_status import backups


class Command(BaseCommand):
    help = (
        "Replace the configured database and the uploaded files with a backup made by "
        "`manage.py backup`. Stop the web server, the worker and beat first."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path, help="The backup archive (.tar.gz).")
        parser.add_argument(
            "--yes",
            action="store_true",
            help="Replace a database that already holds data (a migrated one always does).",
        )

    def handle(self, *args, archive: Path, yes: bool = False, **options):
        try:
            manifest = backups.read_manifest(archive)
            if not yes and backups.database_has_data():
                raise CommandError(
                    "The configured database already holds data, which the restore would "
                    "replace. Stop the portal, then run the restore again with --yes."
                )
            backups.restore(archive)
        except backups.BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Restored the backup of {manifest['created_at']} ({manifest['engine']}, "
            f"{manifest['media_files']} uploaded file(s)). Run `manage.py migrate` if this "
            "version of the portal is newer than the backup."
        )
