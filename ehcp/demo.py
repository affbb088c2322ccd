"""Demo children, assessments, health advice and plans at every stage, for South Tyneside.

Invented children with synthetic NHS numbers (the 999 range is never issued to a
real person). Idempotent: each child is found by its NHS number and made only once.
Dates are counted back from the day the demo is loaded, so there are always plans
overdue, due soon and on track.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import nhs_number
from django.db import transaction
from django.utils import timezone

from ehcp import services
from ehcp.models import AdviceRequest, Child, Need, ProviderService
from roles.demo import DEMO_PASSWORD, demo_email
from roles.models import Organisation, User


def synthetic_nhs_number(serial: int) -> str:
    """A valid NHS number in the synthetic 999 range.

    A base whose modulus-11 check digit would be 10 has no valid number: move on.
    """
    while True:
        base = f"999{serial:06d}"
        check = nhs_number.calculate_checksum(base)
        if check is not None and check < 10:
            return base + str(check)
        serial += 1


@dataclass(frozen=True)
class DemoChild:
    first_name: str
    last_name: str
    age_years: int
    need: str
    school: str
    requested_weeks_ago: int
    # What has happened: "draft", "waiting", "returned", "signed", "issued"
    stage: str
    advice_returned_late: bool = False


CHILDREN = [
    DemoChild("Olivia", "Hedley", 7, Need.ASD, "Westoe Crown Primary School", 21, "waiting"),
    DemoChild(
        "Noah",
        "Robson",
        5,
        Need.SLCN,
        "Hadrian Primary School",
        19,
        "waiting",
        advice_returned_late=True,
    ),
    DemoChild("Amelia", "Charlton", 11, Need.SEMH, "Harton Academy", 17, "waiting"),
    DemoChild("Jack", "Milburn", 9, Need.PD, "Bede Burn Primary School", 15, "returned"),
    DemoChild("Isla", "Forster", 4, Need.SLCN, "Little Stars Nursery", 13, "waiting"),
    DemoChild("Leo", "Armstrong", 14, Need.SPLD, "Mortimer Community College", 12, "draft"),
    DemoChild("Ava", "Dodds", 6, Need.HI, "Marine Park Primary School", 9, "draft"),
    DemoChild("Harry", "Wallace", 16, Need.ASD, "Jarrow School", 30, "signed"),
    DemoChild("Mia", "Thompson", 8, Need.MLD, "Boldon School", 60, "issued"),
    DemoChild("Oscar", "Bell", 3, Need.SLCN, "Hebburn Children's Centre", 3, "draft"),
    DemoChild(
        "Sophie", "Purvis", 12, Need.SEMH, "Whitburn Church of England Academy", 24, "waiting"
    ),
    DemoChild("Ethan", "Cairns", 10, Need.ASD, "Biddick Hall Junior School", 70, "issued"),
    DemoChild("Grace", "Lamb", 13, Need.VI, "Harton Academy", 76, "issued"),
]

DEMO_SECTION_C = (
    "{name} has a diagnosis of {need} (community paediatrics). {name} finds busy, noisy rooms "
    "hard and communicates best with visual supports; this affects learning and friendships "
    "in class (section B: communication and interaction). {name} is good at puzzles and "
    "enjoys music. {name}'s parents say mornings are the hardest part of the day."
)
DEMO_SECTION_G = [
    {
        "provision": "Speech and language therapy: direct sessions on social communication",
        "provided_by": "NHS speech and language therapist, South Tyneside and Sunderland "
        "NHS Foundation Trust",
        "frequency": "6 sessions of 45 minutes each school term",
        "duration": "12 months, reviewed at the annual review",
        "outcome": "By July, will ask an adult for help using a visual card",
    },
    {
        "provision": "Training for class staff on visual supports",
        "provided_by": "NHS speech and language therapist",
        "frequency": "One 2-hour session in the autumn term, then as required",
        "duration": "This school year",
        "outcome": "Staff use a visual timetable every day",
    },
]


def _org(name: str) -> Organisation:
    return Organisation.objects.get(name=name)


@transaction.atomic
def seed(stdout=None) -> None:
    from roles import demo as people

    today = timezone.localdate()
    send_officer = User.objects.get(email=demo_email(_person("send-officer")))
    salt = User.objects.get(email=demo_email(_person("salt")))
    camhs = User.objects.get(email=demo_email(_person("camhs")))
    clinical_lead = User.objects.get(email=demo_email(_person("clinical-lead")))
    dmo = User.objects.get(email=demo_email(_person("dmo")))
    commissioner = User.objects.get(email=demo_email(_person("commissioner")))
    trust, mental_health = _org(people.TRUST), _org(people.MENTAL_HEALTH_TRUST)
    if not dmo.registration_number:
        dmo.registration_number = "GMC 7012345"
        dmo.save(update_fields=["registration_number"])

    made = 0
    for serial, demo in enumerate(CHILDREN, start=1):
        number = synthetic_nhs_number(serial * 7919)
        if Child.objects.filter(nhs_number=number).exists():
            continue
        made += 1
        child = Child.objects.create(
            first_name=demo.first_name,
            last_name=demo.last_name,
            date_of_birth=today - datetime.timedelta(days=demo.age_years * 365 + serial * 11),
            nhs_number=number,
            school_or_setting=demo.school,
            primary_need=demo.need,
        )
        requested_on = today - datetime.timedelta(weeks=demo.requested_weeks_ago)
        assessment = services.start_assessment(
            child, requested_on, case_officer=send_officer, council_reference=f"ST-EHC-{serial:04d}"
        )
        if demo.requested_weeks_ago >= 6:
            assessment.decision = assessment.Decision.ASSESS
            assessment.decided_on = requested_on + datetime.timedelta(weeks=5)
            assessment.save()
        # Health advice is requested once the council decides to assess.
        advice_asked_on = min(requested_on + datetime.timedelta(weeks=5), today)
        salt_request = services.request_advice(
            assessment,
            ProviderService.SALT,
            trust,
            advice_asked_on,
            send_officer,
            question="How do communication needs affect learning, and what provision is needed?",
        )
        camhs_request = services.request_advice(
            assessment,
            ProviderService.CAMHS,
            mental_health,
            advice_asked_on,
            send_officer,
            question="Are there emotional wellbeing needs that affect learning?",
        )
        if demo.stage == "draft" and demo.requested_weeks_ago < 10:
            continue  # advice still being written: open requests, some due soon
        _return_advice(salt_request, salt, demo, late=demo.advice_returned_late)
        _return_advice(camhs_request, camhs, demo, late=False)

        plan = assessment.plan
        name = demo.first_name
        section_c = DEMO_SECTION_C.format(name=name, need=Need(demo.need).label.lower())
        services.save_sections(plan, clinical_lead, section_c, DEMO_SECTION_G, plan.edit_count)
        if demo.stage == "draft":
            continue
        plan.refresh_from_db()
        version = services.submit_for_sign_off(plan, clinical_lead, plan.edit_count)
        if demo.stage == "returned":
            services.return_for_amendment(
                version,
                dmo,
                "Section G row 2 says 'as required': say how often the training is repeated. "
                "Link the sleep difficulties in the advice to section C.",
            )
        elif demo.stage in ("signed", "issued"):
            services.sign_off(
                version, dmo, DEMO_PASSWORD, dmo.registration_number, _demo_reasons(version)
            )
            services.agree_provision(version, commissioner, "Agreed at the ICB panel.")
            if demo.stage == "issued":
                services.issue_final_plan(assessment, requested_on + datetime.timedelta(weeks=19))
    if stdout is not None:
        stdout.write(f"EHC plans: {made} demo children with assessments, advice and plans.")


#: What the demo DMO says when signing off despite an open quality finding, by the field
#: the finding is about (see ehcp.quality.sign_off_findings).
DEMO_REASONS = {
    "checklist": "This plan was not in this month's quality checklist sample; I checked it "
    "against the advice myself.",
    "frequency": "Training is repeated when new staff join the class; the school nurse "
    "confirmed this is how it is delivered locally.",
}


def _demo_reasons(version) -> dict[str, str]:
    from ehcp.selectors import open_sign_off_findings

    return {
        finding.key: DEMO_REASONS.get(finding.field, "Discussed with the author and agreed.")
        for finding in open_sign_off_findings(version)
    }


def _person(local_part: str):
    from roles.demo import PEOPLE

    return next(p for p in PEOPLE if p.local_part == local_part)


def _return_advice(advice_request: AdviceRequest, author: User, demo: DemoChild, late: bool):
    services.submit_advice(
        advice_request,
        author,
        f"{demo.first_name} was seen in clinic with a parent. {demo.first_name} communicates "
        "in short phrases and understands more with pictures. Strengths: good visual memory, "
        "loves music. Needs: help to join in with others and to ask for help. Recommended "
        "provision: direct therapy 6 sessions a term for 12 months, and staff training.",
        no_health_needs=False,
    )
    # Back-date the return so the demo shows advice on time and late.
    days = 44 if late else 35
    advice_request.refresh_from_db()
    advice_request.returned_on = min(
        advice_request.requested_on + datetime.timedelta(days=days), timezone.localdate()
    )
    advice_request.save()
