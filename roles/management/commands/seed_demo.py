"""``manage.py seed_demo``: demo organisations, people and sample records for every app.

Each installed app may have a ``demo`` module with a ``seed(stdout)`` function;
they run in INSTALLED_APPS order (roles first, as the others need its people),
all in one transaction. Running it twice changes nothing.
"""

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from roles.demo import DEMO_EMAIL_DOMAIN, DEMO_PASSWORD, PEOPLE, demo_email
from roles.models import User


class Command(BaseCommand):
    help = "Create demo organisations, one demo user per role and sample records (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing if the database already has any user (used by `make run`).",
        )

    def handle(self, *args, if_empty: bool = False, **options):
        if settings.IS_PRODUCTION:
            raise CommandError("Demo data is never loaded into a production portal.")
        if if_empty and User.objects.exists():
            self.stdout.write("The database already has users: demo data not loaded.")
            return
        with transaction.atomic():
            for config in apps.get_app_configs():
                module_name = f"{config.name}.demo"
                if find_spec(module_name) is None:
                    continue
                import_module(module_name).seed(self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data is ready. Sign in with:"))
        for person in PEOPLE:
            if person.ended_days_ago is None:
                self.stdout.write(f"  {demo_email(person):<45} {person.full_name}")
        self.stdout.write(
            f"All demo accounts (@{DEMO_EMAIL_DOMAIN}) use the password: {DEMO_PASSWORD}"
        )
