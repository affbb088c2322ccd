"""``manage.py generate_load_data --scale N``: a synthetic region of N local areas.

Scale 1 is one area of South Tyneside's size (about 1,500 children with plans, 3 years of
meetings, 2,000 concerns); scale 100 is a region of 100 such areas. Deterministic for a
seed and a day (``--today``; default today). Fractional scales (0.01) make one small area,
for tests. Every account signs in with the demo password; emails are
``<role>.<area>@load.send-portal.example`` (``dmo.001@…``) and ``admin@…``.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError

from load_data.common import MissingRequirement
from load_data.generator import AlreadyLoaded, generate


class Command(BaseCommand):
    help = "Generate synthetic load data: --scale 1 is one local area, 100 a region."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=1.0)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument(
            "--today", type=datetime.date.fromisoformat, default=None, help="YYYY-MM-DD"
        )

    def handle(self, *args, scale, seed, today, **options):
        def progress(done, total, seconds):
            if total > 1 and (done % 10 == 0 or done == total):
                self.stdout.write(f"  area {done} of {total} ({seconds:.0f} s)")

        try:
            result = generate(scale, seed=seed, today=today, progress=progress)
        except (AlreadyLoaded, MissingRequirement, ValueError) as error:
            raise CommandError(str(error)) from None
        sizes = result["sizes"]
        self.stdout.write(
            self.style.SUCCESS(
                f"Scale {sizes.scale:g}: {sizes.areas} area(s) in {result['seconds']} s."
            )
        )
        for name, count in sorted(result["counts"].items()):
            self.stdout.write(f"  {name}: {count:,}")
