"""Each area's organisations and the people who hold its roles.

One password hash is computed once and given to every account: hashing it again for
each of a region's 1,300 accounts would take minutes and prove nothing.
"""

from __future__ import annotations

import datetime

from django.contrib.auth.hashers import make_password

from load_data.common import EMAIL_DOMAIN, LOAD_PASSWORD, Area, bulk, explicit_timestamps, fields_of
from roles.models import (
    ROLES_NOT_BOUND_TO_AREAS,
    Organisation,
    Role,
    RoleAssignment,
    RoleCode,
    User,
)

ORGANISATIONS = {
    "icb": ("{area} ICB place", Organisation.Kind.COMMISSIONER),
    "trust": ("{area} NHS Foundation Trust", Organisation.Kind.NHS_TRUST),
    "mental-health": ("{area} Mental Health NHS Trust", Organisation.Kind.NHS_TRUST),
    "council": ("{area} Council", Organisation.Kind.COUNCIL),
    "sendiass": ("{area} SENDIASS", Organisation.Kind.SENDIASS),
    "forum": ("{area} Parent Carer Forum", Organisation.Kind.PARENT_CARER_FORUM),
    "0-19": ("{area} 0–19 Public Health Service", Organisation.Kind.ZERO_TO_NINETEEN),
}

# (key, role, organisation, job title)
PEOPLE = [
    ("dmo", RoleCode.DMO, "trust", "Consultant Community Paediatrician"),
    ("dco", RoleCode.DCO, "icb", "Designated Clinical Officer for SEND"),
    ("clinical-lead", RoleCode.CLINICAL_LEAD, "0-19", "Clinical Lead, additional needs"),
    ("commissioner", RoleCode.COMMISSIONER, "icb", "Children's commissioning manager"),
    ("sendiass", RoleCode.SENDIASS_OFFICER, "sendiass", "SENDIASS adviser"),
    ("send-officer-1", RoleCode.SEND_OFFICER, "council", "SEND case officer"),
    ("send-officer-2", RoleCode.SEND_OFFICER, "council", "SEND case officer"),
    ("send-officer-3", RoleCode.SEND_OFFICER, "council", "SEND case officer"),
    ("salt", RoleCode.HEALTH_PROFESSIONAL, "trust", "Speech and language therapist"),
    ("paediatrics", RoleCode.HEALTH_PROFESSIONAL, "trust", "Community paediatrician"),
    ("ot", RoleCode.HEALTH_PROFESSIONAL, "trust", "Occupational therapist"),
    ("camhs", RoleCode.HEALTH_PROFESSIONAL, "mental-health", "CAMHS clinical psychologist"),
    ("forum", RoleCode.PARENT_CARER_FORUM, "forum", "Parent Carer Forum representative"),
    ("governance", RoleCode.GOVERNANCE_READER, "icb", "Member, SEND Partnership Board"),
]
#: The region's one administrator, made with the first area.
ADMINISTRATOR = ("admin", RoleCode.ADMINISTRATOR, "icb", "Portal administrator")


def email(key: str, area_number: int | None) -> str:
    if area_number is None:
        return f"{key}@{EMAIL_DOMAIN}"
    return f"{key}.{area_number:03d}@{EMAIL_DOMAIN}"


class PasswordHash:
    """The hash of LOAD_PASSWORD, computed once per run."""

    _value: str | None = None

    @classmethod
    def get(cls) -> str:
        if cls._value is None:
            cls._value = make_password(LOAD_PASSWORD)
        return cls._value


def make_people(area: Area, roles: dict[str, Role]) -> None:
    orgs = bulk(
        Organisation,
        [
            Organisation(
                name=pattern.format(area=area.name), kind=kind, ods_code=f"L{area.number:03d}{i}"
            )
            for i, (pattern, kind) in enumerate(ORGANISATIONS.values())
        ],
    )
    area.organisations = dict(zip(ORGANISATIONS, orgs, strict=True))
    people = list(PEOPLE) + ([ADMINISTRATOR] if area.number == 1 else [])
    password = PasswordHash.get()
    joined = area.moment(area.starts_on - datetime.timedelta(days=200))
    users = bulk(
        User,
        [
            User(
                email=email(key, None if key == "admin" else area.number),
                full_name=area.rng.choice(area.names.staff_names).replace(
                    " ", f" {chr(65 + area.rng.randrange(26))}. ", 1
                ),
                job_title=title,
                registration_number=f"GMC {7000000 + area.number:07d}" if key == "dmo" else "",
                password=password,
                is_staff=key == "admin",
                date_joined=joined,
            )
            for key, _, _, title in people
        ],
    )
    area.people = {key: user for (key, *_), user in zip(people, users, strict=True)}
    with explicit_timestamps(*fields_of(RoleAssignment, "created_at")):
        assignments = bulk(
            RoleAssignment,
            [
                RoleAssignment(
                    user=user,
                    role=roles[role],
                    organisation=area.organisations[org],
                    starts_on=area.starts_on - datetime.timedelta(days=200),
                    note="Load data",
                    created_at=joined,
                )
                for (key, role, org, _), user in zip(people, users, strict=True)
            ],
        )
    # Everyone but the region's administrator and the providers' health professionals
    # works in this area only (roles.models.ROLES_NOT_BOUND_TO_AREAS).
    Through = RoleAssignment.areas.through
    bulk(
        Through,
        [
            Through(roleassignment_id=assignment.pk, localarea_id=area.local_area.pk)
            for assignment, (_, role, _, _) in zip(assignments, people, strict=True)
            if role not in ROLES_NOT_BOUND_TO_AREAS
        ],
    )
