"""Demo organisations, local areas and people: South Tyneside, one person per role, and
Sunderland, the ICB's neighbouring place, with its own DCO.

Called by ``manage.py seed_demo``. Idempotent: it looks each record up by its
natural key and creates only what is missing, so a second run changes nothing.
The people are invented; the organisations are the real local partners.
"""

from __future__ import annotations

import datetime
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from roles.models import (
    ROLES_NOT_BOUND_TO_AREAS,
    IntegratedCareBoard,
    LocalArea,
    Organisation,
    Role,
    RoleAssignment,
    RoleCode,
    User,
)

DEMO_PASSWORD = "demo-portal-password-2026"
DEMO_EMAIL_DOMAIN = "demo.send-portal.example"

ORGANISATIONS = [
    ("NHS North East and North Cumbria Integrated Care Board", Organisation.Kind.COMMISSIONER),
    ("South Tyneside and Sunderland NHS Foundation Trust", Organisation.Kind.NHS_TRUST),
    ("Cumbria, Northumberland, Tyne and Wear NHS Foundation Trust", Organisation.Kind.NHS_TRUST),
    ("South Tyneside Council", Organisation.Kind.COUNCIL),
    ("South Tyneside SENDIASS", Organisation.Kind.SENDIASS),
    ("South Tyneside Parent Carer Forum", Organisation.Kind.PARENT_CARER_FORUM),
    ("South Tyneside 0–19 Public Health Service", Organisation.Kind.ZERO_TO_NINETEEN),
    ("Sunderland City Council", Organisation.Kind.COUNCIL),
]

(
    ICB,
    TRUST,
    MENTAL_HEALTH_TRUST,
    COUNCIL,
    SENDIASS,
    FORUM,
    ZERO_TO_NINETEEN,
    SUNDERLAND_COUNCIL,
) = (name for name, _ in ORGANISATIONS)


#: The ICB and two of its thirteen places, with their real ONS codes.
DEMO_ICB = ("NHS North East and North Cumbria Integrated Care Board", "E54000050")
SOUTH_TYNESIDE = "South Tyneside"
SUNDERLAND = "Sunderland"
AREAS = [
    (SOUTH_TYNESIDE, "E08000023", "South Tyneside Council"),
    (SUNDERLAND, "E08000024", "Sunderland City Council"),
]
#: Held across every area of the ICB rather than in named areas.
WHOLE_ICB = "whole ICB"


@dataclass(frozen=True)
class DemoPerson:
    local_part: str
    full_name: str
    job_title: str
    role: str
    organisation: str
    # Days before today the assignment started; a past holder also has an end.
    started_days_ago: int = 400
    ended_days_ago: int | None = None
    # The areas the role is held in (names in AREAS), or WHOLE_ICB; ignored for the roles
    # that are not held in areas (ROLES_NOT_BOUND_TO_AREAS).
    areas: tuple[str, ...] | str = (SOUTH_TYNESIDE,)


PEOPLE = [
    # One foundation trust serves both places: its DMO covers both.
    DemoPerson(
        "dmo",
        "Dr Amira Haddad",
        "Consultant Community Paediatrician",
        RoleCode.DMO,
        TRUST,
        areas=(SOUTH_TYNESIDE, SUNDERLAND),
    ),
    DemoPerson(
        "dco", "Joanne Whitfield", "Designated Clinical Officer for SEND", RoleCode.DCO, ICB
    ),
    DemoPerson(
        "dco-sunderland",
        "Rachel Purvis",
        "Designated Clinical Officer for SEND (Sunderland)",
        RoleCode.DCO,
        ICB,
        areas=(SUNDERLAND,),
    ),
    DemoPerson(
        "clinical-lead",
        "Sarah Robson",
        "Clinical Lead, children with additional needs",
        RoleCode.CLINICAL_LEAD,
        ZERO_TO_NINETEEN,
    ),
    DemoPerson(
        "commissioner",
        "Mark Ellison",
        "Children's commissioning manager",
        RoleCode.COMMISSIONER,
        ICB,
        areas=WHOLE_ICB,
    ),
    DemoPerson("sendiass", "Claire Dunn", "SENDIASS adviser", RoleCode.SENDIASS_OFFICER, SENDIASS),
    DemoPerson(
        "send-officer", "Paul Armstrong", "SEND case officer", RoleCode.SEND_OFFICER, COUNCIL
    ),
    DemoPerson(
        "send-officer-sunderland",
        "Kirsty Laidler",
        "SEND case officer (Sunderland)",
        RoleCode.SEND_OFFICER,
        SUNDERLAND_COUNCIL,
        areas=(SUNDERLAND,),
    ),
    DemoPerson(
        "salt", "Priya Nair", "Speech and language therapist", RoleCode.HEALTH_PROFESSIONAL, TRUST
    ),
    DemoPerson(
        "camhs",
        "Tom Hedley",
        "CAMHS clinical psychologist",
        RoleCode.HEALTH_PROFESSIONAL,
        MENTAL_HEALTH_TRUST,
    ),
    DemoPerson(
        "governance",
        "Helen Carr",
        "Member, SEND Partnership Board",
        RoleCode.GOVERNANCE_READER,
        ICB,
        areas=WHOLE_ICB,
    ),
    DemoPerson(
        "forum",
        "Lisa Todd",
        "Parent Carer Forum representative",
        RoleCode.PARENT_CARER_FORUM,
        FORUM,
    ),
    DemoPerson("admin", "Gary Pearson", "Portal administrator", RoleCode.ADMINISTRATOR, ICB),
    # Former holders, so the role history has a past.
    DemoPerson(
        "former-dmo",
        "Dr Michael Stephenson",
        "Consultant Paediatrician (retired)",
        RoleCode.DMO,
        TRUST,
        started_days_ago=2200,
        ended_days_ago=401,
    ),
    DemoPerson(
        "former-dco",
        "Angela Burns",
        "Designated Clinical Officer (moved post)",
        RoleCode.DCO,
        ICB,
        started_days_ago=1500,
        ended_days_ago=401,
    ),
]


@contextmanager
def history_on(model, at: datetime.datetime, pk: int | None = None, by=None):
    """The history rows (django-simple-history) a step of a demo's story writes for ``model``,
    stamped "now", put back at ``at``, when the step happens in the story: a record's page
    then shows its history in the story's order, not the day the demo was loaded. ``pk``:
    only that record's rows (else every row the step wrote, as when it makes the record).
    ``by``: who took the step, where the service does not say (outside a request, the rows
    name nobody)."""
    history = model.history.model.objects
    before = history.aggregate(last=Max("history_id"))["last"] or 0
    yield
    written = history.filter(history_id__gt=before)
    if pk is not None:
        written = written.filter(id=pk)
    written.update(history_date=at, **({"history_user": by} if by is not None else {}))


def demo_email(person: DemoPerson) -> str:
    return f"{person.local_part}@{DEMO_EMAIL_DOMAIN}"


def seed_areas() -> dict[str, LocalArea]:
    """The demo's ICB and its two areas, by name (made once)."""
    icb, _ = IntegratedCareBoard.objects.get_or_create(
        code=DEMO_ICB[1], defaults={"name": DEMO_ICB[0]}
    )
    areas = {}
    for name, code, council in AREAS:
        areas[name], _ = LocalArea.objects.get_or_create(
            code=code, defaults={"name": name, "council_name": council, "icb": icb}
        )
    return areas


def demo_area(name: str = SOUTH_TYNESIDE) -> LocalArea:
    return LocalArea.objects.get(code=dict((n, c) for n, c, _ in AREAS)[name])


def _place(assignment: RoleAssignment, person: DemoPerson, areas: dict[str, LocalArea]) -> None:
    """Where the demo person's role is held, set once (an administrator may change it)."""
    if person.role in ROLES_NOT_BOUND_TO_AREAS:
        return
    if assignment.every_area_of_icb_id or assignment.areas.exists():
        return
    if person.areas == WHOLE_ICB:
        assignment.every_area_of_icb = next(iter(areas.values())).icb
        assignment.save(update_fields=["every_area_of_icb"])
    else:
        assignment.areas.set([areas[name] for name in person.areas])


@transaction.atomic
def seed(stdout=None) -> None:
    today = timezone.localdate()
    areas = seed_areas()
    organisations = {}
    for name, kind in ORGANISATIONS:
        organisations[name], _ = Organisation.objects.get_or_create(
            name=name, defaults={"kind": kind}
        )
    roles = {role.code: role for role in Role.objects.all()}
    for person in PEOPLE:
        user = User.objects.filter(email=demo_email(person)).first()
        if user is None:
            user = User.objects.create_user(
                demo_email(person),
                DEMO_PASSWORD,
                full_name=person.full_name,
                job_title=person.job_title,
            )
        starts_on = today - datetime.timedelta(days=person.started_days_ago)
        ends_on = (
            today - datetime.timedelta(days=person.ended_days_ago)
            if person.ended_days_ago is not None
            else None
        )
        # One assignment of this role per demo person: the dates move with the seed day
        # only when it is first created.
        assignment = RoleAssignment.objects.filter(user=user, role=roles[person.role]).first()
        if assignment is None:
            assignment = RoleAssignment.objects.create(
                user=user,
                role=roles[person.role],
                organisation=organisations[person.organisation],
                starts_on=starts_on,
                ends_on=ends_on,
                note="Demo data",
            )
        _place(assignment, person, areas)
    if stdout is not None:
        stdout.write(
            f"People: {len(PEOPLE)} demo accounts: one per role in South Tyneside, a DCO and "
            "a SEND officer for Sunderland, and two former role holders."
        )
