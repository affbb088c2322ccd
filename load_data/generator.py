"""Build a synthetic but realistic dataset of N local areas quickly, with bulk inserts.

``generate(scale, seed)`` makes, for each area: its organisations and people, children
with EHC needs assessments and plans at every stage, 3 years of meetings, concerns and
clinic referrals (see the modules beside this one). Each area is inserted in its own
transaction, so memory stays at one area's records whatever the scale.
"""

from __future__ import annotations

import datetime
import time
from collections import Counter

from django.db import connection, reset_queries, transaction
from django.utils import timezone

from ehcp.models import QualityCriterion
from load_data import clinics, intelligence, meetings, people, plans
from load_data.common import Area, Names, NhsNumbers, Sizes, area_rng
from roles.models import IntegratedCareBoard, LocalArea, Role, User


class AlreadyLoaded(Exception):
    pass


def area_name(number: int) -> str:
    return f"Load area {number:03d}"


#: The region's one ICB; its areas get synthetic ONS codes that match the pattern of a
#: district's (E07) but lie far above any real one.
LOAD_ICB = ("Load data Integrated Care Board", "E54999001")


def area_code(number: int) -> str:
    return f"E07{990000 + number:06d}"


def make_local_area(number: int) -> LocalArea:
    icb, _ = IntegratedCareBoard.objects.get_or_create(
        code=LOAD_ICB[1], defaults={"name": LOAD_ICB[0]}
    )
    return LocalArea.objects.create(
        name=area_name(number),
        council_name=f"{area_name(number)} Council",
        code=area_code(number),
        icb=icb,
    )


def generate(
    scale: float,
    seed: int = 2026,
    today: datetime.date | None = None,
    progress=None,
) -> dict:
    """Generate ``scale`` areas' worth of data; returns counts and the time taken."""
    sizes = Sizes.for_scale(scale)
    today = today or timezone.localdate()
    if User.objects.filter(email=people.email("dmo", 1)).exists():
        raise AlreadyLoaded(
            "This database holds load data already: generate into a fresh database."
        )
    started = time.monotonic()
    names = Names(seed)
    nhs_numbers = NhsNumbers()
    roles = {role.code: role for role in Role.objects.all()}
    criteria = list(QualityCriterion.objects.filter(is_active=True).order_by("display_order"))
    totals: Counter = Counter()
    for number in range(1, sizes.areas + 1):
        area = Area(
            number=number,
            today=today,
            rng=area_rng(seed, number),
            names=names,
            nhs_numbers=nhs_numbers,
            name=area_name(number),
        )
        with transaction.atomic():
            area.local_area = make_local_area(number)
            people.make_people(area, roles)
            made = plans.make_plans(area, sizes.children_per_area, criteria)
            assessments = made.pop("assessments")
            met = meetings.make_meetings(area, assessments)
            intelligence_meetings = met.pop("intelligence_meetings")
            made.update(met)
            made.update(
                intelligence.make_concerns(area, sizes.concerns_per_area, intelligence_meetings)
            )
            made.update(clinics.make_referrals(area, sizes.referrals_per_area))
        totals.update(made)
        reset_queries()  # with DEBUG on, Django would keep every insert's SQL in memory
        if progress is not None:
            progress(number, sizes.areas, time.monotonic() - started)
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        # What autovacuum would do in time: statistics for the planner, and the visibility
        # map that lets counts be answered from an index alone.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    return {
        "sizes": sizes,
        "counts": dict(totals),
        "seconds": round(time.monotonic() - started, 1),
    }
