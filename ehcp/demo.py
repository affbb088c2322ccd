"""Demo children, assessments, health advice and plans at every stage, for South Tyneside.

Invented children with synthetic NHS numbers (the 999 range is never issued to a
real person). Idempotent: each child is found by its NHS number and made only once.
Dates are counted back from the day the demo is loaded, so there are always plans
overdue, due soon and on track, and plans signed off, agreed and issued in every month of
the last 18 months (each step dated as it would have happened), so that the commissioner's
report for any recent quarter has figures. Each professional writes their own advice.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import nhs_number
from django.db import transaction
from django.utils import timezone

from ehcp import services
from ehcp.models import (
    AdviceRequest,
    Child,
    Need,
    Plan,
    ProviderService,
    QualityCriterion,
    QualityResult,
)
from roles.demo import DEMO_PASSWORD, demo_email, history_on
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
    area: str = "South Tyneside"


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
    DemoChild("Ruby", "Scott", 7, Need.ASD, "Simonside Primary School", 23, "awaiting-agreement"),
]

# Plans from the last 18 months: signed off, agreed and issued along the way, one every
# few weeks, so every recent month and quarter has sign-offs, agreements and plans issued.
HISTORY = [
    ("Freddie", "Gibson", 9, Need.SLCN, "St Mary's RC Primary School", 22),
    ("Evie", "Hall", 6, Need.ASD, "Cleadon Village Primary School", 26),
    ("Alfie", "Brown", 12, Need.SEMH, "Boldon School", 30),
    ("Poppy", "Davison", 8, Need.PD, "Lord Blyton Primary School", 34),
    ("Archie", "Young", 15, Need.ASD, "Whitburn Church of England Academy", 38),
    ("Lily", "Kerr", 5, Need.SLCN, "Hedworth Lane Primary School", 42),
    ("Charlie", "Nesbitt", 10, Need.MLD, "Valley View Primary School", 46),
    ("Freya", "Shotton", 13, Need.HI, "Harton Academy", 50),
    ("George", "Appleby", 7, Need.ASD, "Laygate Community School", 54),
    ("Daisy", "Wood", 11, Need.SEMH, "Mortimer Community College", 58),
    ("Jacob", "Ridley", 4, Need.SLCN, "Jarrow Cross Nursery", 62),
    ("Millie", "Pattinson", 14, Need.SPLD, "St Wilfrid's RC College", 66),
    ("Thomas", "Errington", 9, Need.PD, "Dunn Street Primary School", 70),
    ("Rosie", "Hewitt", 6, Need.ASD, "Stanhope Primary School", 74),
    ("William", "Fenwick", 12, Need.VI, "Jarrow School", 78),
]
CHILDREN += [
    DemoChild(first, last, age, need, school, weeks, "issued")
    for first, last, age, need, school, weeks in HISTORY
]
# Sunderland's children, held apart from South Tyneside's: its own DCO and SEND officer
# see them, the DMO of both places sees both. Added last, so the NHS numbers above stay.
CHILDREN += [
    DemoChild(
        "Harriet", "Lumsden", 8, Need.ASD, "Barnes Junior School", 20, "waiting", area="Sunderland"
    ),
    DemoChild(
        "Callum",
        "Brannigan",
        6,
        Need.SLCN,
        "Hylton Red House Primary",
        11,
        "draft",
        area="Sunderland",
    ),
    DemoChild(
        "Niamh", "Ogilvie", 13, Need.SEMH, "Southmoor Academy", 40, "issued", area="Sunderland"
    ),
]

#: Each council's own case references.
REFERENCE_PREFIX = {"South Tyneside": "ST", "Sunderland": "SU"}

# Each professional writes in their own voice; the variant follows the child.
SALT_ADVICE = [
    "{name} was seen at {setting} with a parent. {name} uses single words and short phrases "
    "and understands more when adults add gestures and pictures. {name} finds it hard to "
    "take turns in conversation. Recommended provision: direct speech and language therapy, "
    "6 sessions of 45 minutes a term for 12 months, and a visual timetable in class.",
    "Assessment (CELF-5) places {name}'s expressive language well below age expectations; "
    "understanding is a relative strength. {name} avoids speaking in groups. Recommended "
    "provision: a language group of 4 children, weekly for 10 weeks, run by a speech and "
    "language therapy assistant, with a therapist review each term.",
    "{name}'s speech is hard for unfamiliar listeners to understand (speech sound disorder). "
    "{name} becomes frustrated when not understood. Recommended provision: 2 blocks of 8 "
    "weekly therapy sessions this year, and a home programme the family practise 10 minutes "
    "a day.",
    "Observed at {setting}: {name} follows classroom routines but misses instructions given "
    "to the whole class. {name} enjoys drawing and talks most about it. Recommended "
    "provision: staff training in simplifying instructions (one 2-hour session) and a "
    "termly consultation visit from the therapist.",
]
CAMHS_ADVICE = [
    "{name} was seen with a parent in the CAMHS clinic. Anxiety rises before school and "
    "shows as stomach aches and refusing to leave the car. Recommended provision: 8 sessions "
    "of cognitive behavioural therapy with a CAMHS practitioner, and a named adult in school "
    "for a check-in each morning.",
    "No mental health disorder found. {name} is a happy child at home; worries are about "
    "friendships at break times. No CAMHS provision is needed; school's pastoral team can "
    "support with a structured lunchtime club.",
    "{name} has low mood and poor sleep since a family bereavement last year. Recommended "
    "provision: 6 sessions of bereavement-focused therapy through the Mental Health Support "
    "Team, and a quiet space in school {name} may use when upset.",
    "{name} has emotional outbursts when routines change, linked to sensory overload. "
    "Recommended provision: a sensory profile by occupational therapy, a calm box in class, "
    "and parent sessions on co-regulation (4 sessions, CAMHS parenting practitioner).",
]
RETURN_COMMENTS = [
    "Section G row 2 says 'as required': say how often the training is repeated. "
    "Link the sleep difficulties in the advice to section C.",
    "The therapy in section G has no end date: say how long it runs and when it is reviewed.",
]
QUALITY_GRADES = ["good", "outstanding", "good", "requires-improvement"]

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
    officers = {
        people.SOUTH_TYNESIDE: User.objects.get(email=demo_email(_person("send-officer"))),
        people.SUNDERLAND: User.objects.get(email=demo_email(_person("send-officer-sunderland"))),
    }
    areas = {name: people.demo_area(name) for name, _, _ in people.AREAS}
    salt = User.objects.get(email=demo_email(_person("salt")))
    camhs = User.objects.get(email=demo_email(_person("camhs")))
    clinical_lead = User.objects.get(email=demo_email(_person("clinical-lead")))
    dmo = User.objects.get(email=demo_email(_person("dmo")))
    commissioner = User.objects.get(email=demo_email(_person("commissioner")))
    dco = User.objects.get(email=demo_email(_person("dco")))
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
        send_officer = officers[demo.area]
        child = Child.objects.create(
            area=areas[demo.area],
            first_name=demo.first_name,
            last_name=demo.last_name,
            date_of_birth=today - datetime.timedelta(days=demo.age_years * 365 + serial * 11),
            nhs_number=number,
            school_or_setting=demo.school,
            primary_need=demo.need,
        )
        requested_on = today - datetime.timedelta(weeks=demo.requested_weeks_ago)
        with _plan_history_on(None, requested_on):
            assessment = services.start_assessment(
                child,
                requested_on,
                case_officer=send_officer,
                council_reference=f"{REFERENCE_PREFIX[demo.area]}-EHC-{serial:04d}",
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
        _return_advice(salt_request, salt, SALT_ADVICE, serial, demo, demo.advice_returned_late)
        _return_advice(camhs_request, camhs, CAMHS_ADVICE, serial, demo, late=False)

        plan = assessment.plan
        name = demo.first_name
        section_c = DEMO_SECTION_C.format(name=name, need=Need(demo.need).label.lower())
        # Sent for sign-off about 14 weeks into the 20, unless that is still to come; written
        # the day before (a draft: about 13 weeks in, or lately).
        submitted_on = min(
            requested_on + datetime.timedelta(weeks=14, days=serial % 3),
            today - datetime.timedelta(days=2 + serial % 5),
        )
        written_on = (
            max(requested_on, min(requested_on + datetime.timedelta(weeks=13), today))
            if demo.stage == "draft"
            else submitted_on - datetime.timedelta(days=1)
        )
        with _plan_history_on(plan.pk, written_on):
            services.save_sections(plan, clinical_lead, section_c, DEMO_SECTION_G, plan.edit_count)
        _dated(plan, "last_edited_at", written_on)
        if demo.stage == "draft":
            continue
        plan.refresh_from_db()
        # Versions and sign-offs never change once made (a database trigger refuses it), so
        # they are made on their day rather than dated afterwards.
        with _plan_history_on(plan.pk, submitted_on):
            version = services.submit_for_sign_off(
                plan, clinical_lead, plan.edit_count, at=_at(submitted_on)
            )
        if demo.stage == "returned":
            returned_on = min(submitted_on + datetime.timedelta(days=6), today)
            with _plan_history_on(plan.pk, returned_on):
                returned = services.return_for_amendment(
                    version, dmo, RETURN_COMMENTS[serial % len(RETURN_COMMENTS)]
                )
            _dated(returned, "returned_at", returned_on)
        elif demo.stage in ("signed", "issued", "awaiting-agreement"):
            review = _quality_review(plan, dco if serial % 2 else clinical_lead, serial)
            _dated(review, "reviewed_at", submitted_on + datetime.timedelta(days=2))
            signed_on = min(submitted_on + datetime.timedelta(days=4 + serial % 9), today)
            with _plan_history_on(plan.pk, signed_on):
                services.sign_off(
                    version,
                    dmo,
                    DEMO_PASSWORD,
                    dmo.registration_number,
                    _demo_reasons(version),
                    at=_at(signed_on),
                )
            if demo.stage == "awaiting-agreement":
                continue
            agreed_on = min(signed_on + datetime.timedelta(days=5), today)
            with _plan_history_on(plan.pk, agreed_on):
                agreement = services.agree_provision(
                    version, commissioner, "Agreed at the ICB panel."
                )
            _dated(agreement, "agreed_at", agreed_on)
            if demo.stage == "issued":
                # Most on time (20 weeks); now and then a week or two late.
                weeks = 21 if serial % 5 == 0 else 19
                issued_on = min(requested_on + datetime.timedelta(weeks=weeks), today)
                with _plan_history_on(plan.pk, max(issued_on, signed_on)):
                    services.issue_final_plan(assessment, max(issued_on, signed_on))
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


def _return_advice(
    advice_request: AdviceRequest,
    author: User,
    variants: list[str],
    serial: int,
    demo: DemoChild,
    late: bool,
):
    text = variants[serial % len(variants)].format(name=demo.first_name, setting=demo.school)
    services.submit_advice(advice_request, author, text, no_health_needs=False)
    # Back-date the return so the demo shows advice on time and late.
    days = 44 if late else 35 - serial % 6
    advice_request.refresh_from_db()
    advice_request.returned_on = min(
        advice_request.requested_on + datetime.timedelta(days=days), timezone.localdate()
    )
    advice_request.submitted_at = _at(advice_request.returned_on)
    advice_request.save()


def _quality_review(plan: Plan, reviewer: User, serial: int):
    """A QA checklist, nearly all met; the grade varies from plan to plan."""
    criteria = list(QualityCriterion.objects.filter(is_active=True).order_by("pk"))
    ratings = {
        criterion.pk: (
            QualityResult.Rating.PARTLY_MET
            if (criterion.pk + serial) % 7 == 0
            else QualityResult.Rating.MET,
            "",
        )
        for criterion in criteria
    }
    plan.refresh_from_db()
    return services.record_quality_review(
        plan, reviewer, QUALITY_GRADES[serial % len(QUALITY_GRADES)], ratings
    )


def _at(day: datetime.date) -> datetime.datetime:
    """Mid-morning, London time, on ``day``."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 30)))


def _plan_history_on(plan_id: int | None, day: datetime.date):
    """The plan's history rows a step writes, put back on the step's day (``None``: the step
    makes the plan, starting the assessment)."""
    return history_on(Plan, _at(day), plan_id)


def _dated(record, field: str, day: datetime.date) -> None:
    """Put a step the services stamp "now" back on the day it happens in the demo's story.
    A single-column update of demo data, which no person changed: no history row is wanted."""
    type(record).objects.filter(pk=record.pk).update(**{field: _at(day)})
