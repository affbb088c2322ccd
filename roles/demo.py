"""Demo organisations and people for South Tyneside, one person per role.

Called by ``manage.py seed_demo``. Idempotent: it looks each record up by its
natural key and creates only what is missing, so a second run changes nothing.
The people are invented; the organisations are the real local partners.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from roles.models import Organisation, Role, RoleAssignment, RoleCode, User

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
]

ICB, TRUST, MENTAL_HEALTH_TRUST, COUNCIL, SENDIASS, FORUM, ZERO_TO_NINETEEN = (
    name for name, _ in ORGANISATIONS
)


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


PEOPLE = [
    DemoPerson("dmo", "Dr Amira Haddad", "Consultant Community Paediatrician", RoleCode.DMO, TRUST),
    DemoPerson(
        "dco", "Joanne Whitfield", "Designated Clinical Officer for SEND", RoleCode.DCO, ICB
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
    ),
    DemoPerson("sendiass", "Claire Dunn", "SENDIASS adviser", RoleCode.SENDIASS_OFFICER, SENDIASS),
    DemoPerson(
        "send-officer", "Paul Armstrong", "SEND case officer", RoleCode.SEND_OFFICER, COUNCIL
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


def demo_email(person: DemoPerson) -> str:
    return f"{person.local_part}@{DEMO_EMAIL_DOMAIN}"


@transaction.atomic
def seed(stdout=None) -> None:
    today = timezone.localdate()
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
        if not RoleAssignment.objects.filter(user=user, role=roles[person.role]).exists():
            RoleAssignment.objects.create(
                user=user,
                role=roles[person.role],
                organisation=organisations[person.organisation],
                starts_on=starts_on,
                ends_on=ends_on,
                note="Demo data",
            )
    if stdout is not None:
        stdout.write(
            f"People: {len(PEOPLE)} demo accounts: one per role, and two former role holders."
        )
