"""What every part of the load data generator shares: the sizes a scale stands for, one
local area's context (its people, organisations and its own seeded random numbers), names,
NHS numbers, and bulk inserts.

Scale 1 is one local area the size of South Tyneside: about 1,500 children with plans,
2,000 concerns and 300 clinic referrals over 3 years, and its meeting series. Scale N is a
region of N such areas (a fractional scale is one area with that fraction of the records,
for tests). Everything is drawn from ``random.Random`` seeded by the seed and the area's
number, so the same seed, scale and day give the same data.
"""

from __future__ import annotations

import contextlib
import datetime
import math
import random
import uuid
from dataclasses import dataclass, field

import nhs_number

from send_portal.london_time import LONDON

EMAIL_DOMAIN = "load.send-portal.example"
#: Every load-data account signs in with this password (the demo's, so one is remembered).
LOAD_PASSWORD = "demo-portal-password-2026"
YEARS = 3
BATCH_SIZE = 2000

# Per local area at scale 1.
CHILDREN_WITH_PLANS = 1500
CONCERNS = 2000
CLINIC_REFERRALS = 300

# The synthetic NHS numbers start here, in the 999 range that is never issued to a person
# (the demo's numbers are far below: ehcp/demo.py), so the two never collide.
NHS_NUMBER_FIRST_BASE = 999_500_000
NHS_NUMBER_LAST_BASE = 999_999_999


@dataclass(frozen=True)
class Sizes:
    """How many areas, and how many records of each kind in each area."""

    scale: float
    areas: int
    children_per_area: int
    concerns_per_area: int
    referrals_per_area: int

    @classmethod
    def for_scale(cls, scale: float) -> Sizes:
        if scale <= 0:
            raise ValueError("The scale must be more than 0.")
        areas = max(1, round(scale))
        share = scale / areas

        def per_area(at_scale_one: int) -> int:
            return max(1, round(at_scale_one * share))

        sizes = cls(
            scale=scale,
            areas=areas,
            children_per_area=per_area(CHILDREN_WITH_PLANS),
            concerns_per_area=per_area(CONCERNS),
            referrals_per_area=per_area(CLINIC_REFERRALS),
        )
        children = sizes.areas * (sizes.children_per_area + sizes.referrals_per_area)
        if children > NhsNumbers.capacity():
            raise ValueError(f"Scale {scale} needs more synthetic NHS numbers than there are.")
        return sizes

    @property
    def children_with_plans(self) -> int:
        return self.areas * self.children_per_area

    @property
    def concerns(self) -> int:
        return self.areas * self.concerns_per_area


class NhsNumbers:
    """Valid NHS numbers (modulus 11) in the synthetic 999 range, one after another."""

    def __init__(self, first_base: int = NHS_NUMBER_FIRST_BASE):
        self.base = first_base

    @staticmethod
    def capacity() -> int:
        # About one base in eleven has check digit 10 and no valid number.
        return (NHS_NUMBER_LAST_BASE - NHS_NUMBER_FIRST_BASE) * 10 // 11

    def next(self) -> str:
        while True:
            if self.base > NHS_NUMBER_LAST_BASE:
                raise ValueError("No synthetic NHS numbers left.")
            base = str(self.base)
            self.base += 1
            check = nhs_number.calculate_checksum(base)
            if check is not None and check < 10:
                return base + str(check)


class MissingRequirement(RuntimeError):
    """A package the load generator needs is not installed (a development requirement)."""


class Names:
    """Pools of invented English names and schools, made once from a seeded Faker."""

    def __init__(self, seed: int):
        try:
            from faker import Faker  # a development requirement (requirements-dev.txt)
        except ModuleNotFoundError as missing:
            raise MissingRequirement(
                "The load generator needs the development requirements: "
                "make setup .venv/.dev-installed"
            ) from missing

        faker = Faker("en_GB")
        faker.seed_instance(seed)
        self.first_names = sorted({faker.first_name() for _ in range(1500)})
        self.last_names = sorted({faker.last_name() for _ in range(3000)})
        self.staff_names = [
            f"{faker.first_name()} {faker.last_name()}" for _ in range(50)
        ]  # drawn per area below
        kinds = ("Primary School", "Academy", "Community College", "Nursery", "School")
        self.schools = sorted({f"{faker.last_name()} {kinds[i % len(kinds)]}" for i in range(400)})
        self.towns = sorted({faker.city() for _ in range(400)})


@dataclass
class Area:
    """One local area being generated: its number, its own random numbers and its people."""

    number: int
    today: datetime.date
    rng: random.Random
    names: Names
    nhs_numbers: NhsNumbers
    name: str = ""
    # The roles.LocalArea row: the area's children belong to it, its people work in it.
    local_area: object = None
    organisations: dict = field(default_factory=dict)
    people: dict = field(default_factory=dict)

    @property
    def starts_on(self) -> datetime.date:
        return self.today - datetime.timedelta(days=YEARS * 365)

    def days_ago(self, days: int) -> datetime.date:
        return self.today - datetime.timedelta(days=days)

    def moment(self, day: datetime.date, hour: int = 10, minute: int = 0) -> datetime.datetime:
        return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=LONDON)

    def past_moment(self, day: datetime.date, hour: int | None = None) -> datetime.datetime:
        """A working-hours moment on ``day``, never later than now."""
        hour = self.rng.randint(9, 16) if hour is None else hour
        moment = self.moment(min(day, self.today), hour, self.rng.randint(0, 59))
        now = datetime.datetime.now(LONDON)
        return min(moment, now - datetime.timedelta(minutes=1))

    def uuid(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def pick(self, weighted: dict):
        return self.rng.choices(list(weighted), weights=list(weighted.values()))[0]

    def clamp(self, day: datetime.date) -> datetime.date:
        return min(day, self.today)


def area_rng(seed: int, number: int) -> random.Random:
    return random.Random(f"{seed}:{number}")  # noqa: S311 - synthetic data, not secrets


#: The most parameters PostgreSQL binds in one statement (its protocol counts them in 16
#: bits). The portal binds on the server (send_portal/settings.py), so a bulk insert of more
#: rows times columns than this is refused; Django does not split it for PostgreSQL.
MAX_PARAMETERS = 65_535


def rows_per_insert(model, wanted: int = BATCH_SIZE) -> int:
    """``wanted`` rows of ``model`` per INSERT, or fewer if their values would be more
    parameters than one statement binds."""
    return max(1, min(wanted, MAX_PARAMETERS // len(model._meta.concrete_fields)))


def bulk(model, objects, batch_size: int = BATCH_SIZE):
    """Insert ``objects`` in batches; the primary keys come back on SQLite and PostgreSQL."""
    objects = list(objects)
    if objects:
        model.objects.bulk_create(objects, batch_size=rows_per_insert(model, batch_size))
    return objects


@contextlib.contextmanager
def explicit_timestamps(*fields):
    """Let bulk inserts keep the dates we give to ``auto_now_add``/``auto_now`` fields.

    Load data is three years old: a concern logged in 2024 must say so, not today.
    ``fields`` are model fields (``Model._meta.get_field(name)``); restored afterwards.
    """
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]
    for f in fields:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


def fields_of(model, *names):
    return [model._meta.get_field(name) for name in names]


def spread(count: int, parts: int) -> list[int]:
    """``count`` split into ``parts`` near-equal whole numbers."""
    base = count // parts
    return [base + (1 if i < count - base * parts else 0) for i in range(parts)]


def ceil_div(a: int, b: int) -> int:
    return math.ceil(a / b)
