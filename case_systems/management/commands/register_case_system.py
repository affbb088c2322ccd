"""``manage.py register_case_system``: register a council's case system for the API.

Prints the client id and the client secret once (the portal keeps only the secret's hash):
give them to the council's system administrator by a secure route and do not keep them.
``--json`` prints them as one JSON object, for a script (CI's schemathesis step).
"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from case_systems import scopes as api_scopes
from case_systems import services
from roles.models import LocalArea, Organisation
from send_portal.refusals import RefusedChange


class Command(BaseCommand):
    help = "Register a council's case system for the API and print its client id and secret."

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True, help="e.g. 'Mosaic, Sunderland Council'")
        parser.add_argument("--council", required=True, help="The council organisation's name.")
        parser.add_argument(
            "--area",
            action="append",
            required=True,
            help="A local area the council's system works in (by name); repeat for several.",
        )
        parser.add_argument(
            "--scope",
            action="append",
            choices=list(api_scopes.SCOPES),
            help="A scope it may have; repeat for several (default: every scope).",
        )
        parser.add_argument("--rate-limit", type=int, default=None, help="Requests a minute.")
        parser.add_argument("--json", action="store_true", help="Print one JSON object.")

    def handle(self, *args, **options):
        try:
            council = Organisation.objects.get(name=options["council"])
        except Organisation.DoesNotExist:
            raise CommandError(f"No organisation is called {options['council']!r}.") from None
        areas = list(LocalArea.objects.filter(name__in=options["area"]))
        missing = set(options["area"]) - {area.name for area in areas}
        if missing:
            raise CommandError(f"No local area is called {sorted(missing)[0]!r}.")
        try:
            credentials = services.register_case_system(
                name=options["name"],
                organisation=council,
                areas=areas,
                scopes=options["scope"] or api_scopes.DEFAULT_SCOPES,
                rate_limit_per_minute=options["rate_limit"],
            )
        except RefusedChange as refusal:
            raise CommandError(str(refusal)) from None
        if options["json"]:
            self.stdout.write(
                json.dumps(
                    {
                        "client_id": credentials.client_id,
                        "client_secret": credentials.client_secret,
                    }
                )
            )
            return
        self.stdout.write(f"Registered {credentials.case_system.name}.")
        self.stdout.write(f"Client id:     {credentials.client_id}")
        self.stdout.write(f"Client secret: {credentials.client_secret}")
        self.stdout.write(
            "The secret is shown this once: the portal keeps only its hash. Rotate it in the "
            "admin if it is lost."
        )
