from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from service_status import backups


class Command(BaseCommand):
    help = (
        "Back up the database (pg_dump -Fc, or SQLite's online backup) and the uploaded files "
        "into one archive, readable by its owner only. Safe while the portal runs."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            type=Path,
            help="Where to write the archive (default: var/backups/portal-<UTC time>.tar.gz).",
        )

    def handle(self, *args, output=None, **options):
        try:
            path = backups.backup(output)
        except backups.BackupError as error:
            raise CommandError(str(error)) from None
        size = path.stat().st_size
        self.stdout.write(f"Backup written to {path} ({size:,} bytes).")
