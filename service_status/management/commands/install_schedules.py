from django.core.management.base import BaseCommand

from service_status.schedules import install_schedules


class Command(BaseCommand):
    help = "Create the periodic tasks the portal needs in beat's schedule (existing ones are kept)."

    def handle(self, *args, **options):
        created = install_schedules()
        self.stdout.write(f"{created} periodic task(s) created.")
