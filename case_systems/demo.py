"""The demo's case system (``manage.py seed_demo``): South Tyneside Council's, so the API
can be tried on the demo data. Its secret is not printed (the demo's output is not a place
for a secret): an administrator rotates it in the admin (*Case systems*) to be shown one,
or registers another with ``manage.py register_case_system``."""

from __future__ import annotations

from case_systems import services
from case_systems.models import CaseSystem
from roles import demo as people
from roles.models import Organisation

DEMO_NAME = "Mosaic (demo), South Tyneside Council"


def seed(stdout=None) -> None:
    if CaseSystem.objects.filter(name=DEMO_NAME).exists():
        return
    services.register_case_system(
        name=DEMO_NAME,
        organisation=Organisation.objects.get(name=people.COUNCIL),
        areas=[people.demo_area(people.SOUTH_TYNESIDE)],
    )
    if stdout is not None:
        stdout.write(
            f"Registered the demo case system {DEMO_NAME!r} for the API: rotate its secret in "
            "the admin (Case systems) to be shown one."
        )
