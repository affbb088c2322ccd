"""Demo concerns for South Tyneside: 15 months of what SENDIASS, the Health Café and the
Parent Carer Forum heard, with a rising theme, escalations and the commissioners' answers.

Deterministic (a fixed pattern, no randomness) and idempotent: made once, when the log is
empty. Every summary is anonymous by construction and passes the anonymity check.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from intelligence import services
from intelligence.models import Concern, ConcernSource, Escalation, Theme
from roles.demo import PEOPLE, SOUTH_TYNESIDE, SUNDERLAND, demo_area, demo_email, history_on
from roles.models import User

SUMMARIES = {
    "Waiting times": [
        ("salt", "Families wait more than 30 weeks for a speech and language assessment."),
        ("community-paediatrics", "Parents were not told how long the paediatric wait is."),
        ("ot", "Occupational therapy waits mean sensory needs go unmet at school."),
    ],
    "Communication between services": [
        ("", "Parents repeat their child's story to every service."),
        ("camhs", "CAMHS letters do not reach the school nurse."),
    ],
    "EHCP health advice quality": [
        ("salt", "Health advice says 'access to therapy' without saying how much."),
        ("community-paediatrics", "Advice in the plan was more than a year old."),
    ],
    "Access to therapy": [
        ("physiotherapy", "Physiotherapy stopped when the child moved to secondary school."),
    ],
    "Autism assessment": [
        ("community-paediatrics", "No support offered while waiting for an autism assessment."),
        ("", "Families of under-5s wait months for the Social Communication Clinic."),
    ],
    "Transition to adult services": [
        ("", "Young people aged 17 have no plan for moving to adult services."),
        ("camhs", "No adult mental health service accepts the referral at 18."),
    ],
    "School health support": [
        ("school-nursing", "Schools lack a care plan for medicines during trips."),
    ],
}
# Concerns per month for each theme over the last 15 months (oldest first); transition rises.
PATTERN = {
    "Waiting times": [2, 3, 2, 3, 2, 2, 3, 2, 3, 2, 2, 3, 3, 2, 3],
    "Communication between services": [1, 1, 0, 1, 1, 1, 0, 1, 1, 1, 0, 1, 1, 1, 1],
    "EHCP health advice quality": [1, 0, 1, 1, 0, 1, 1, 0, 1, 1, 0, 1, 0, 1, 1],
    "Access to therapy": [0, 1, 0, 0, 1, 0, 1, 0, 0, 1, 0, 0, 1, 0, 1],
    "Autism assessment": [1, 1, 1, 2, 1, 1, 1, 2, 1, 1, 1, 2, 1, 2, 1],
    "Transition to adult services": [0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 2, 3, 4],
    "School health support": [0, 0, 1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0],
}
# What the DCO asks and what the ICB answers, in each theme's own terms: (question, response,
# what will be done). An escalation's month picks the variant, so no two read the same.
ESCALATIONS = {
    "Waiting times": [
        (
            "Speech and language therapy waits are over 30 weeks again: what will the ICB do?",
            "The ICB has funded two more therapists from April for 12 months.",
            "Waits published monthly; the Health Café hears the figures each time.",
        ),
        (
            "Families are not told how long the paediatric wait is. Can the ICB require it?",
            "The trust will send every family a letter with the expected wait.",
            "Letters from next month; the ICB checks a sample each quarter.",
        ),
        (
            "Occupational therapy waits leave sensory needs unmet in school: any interim help?",
            "A sensory advice line for schools runs two mornings a week from next term.",
            "The line's use is reported to the SEND partnership board.",
        ),
    ],
    "Communication between services": [
        (
            "Parents repeat their child's story to every service: can records be shared?",
            "A shared one-page profile goes into the health record for children with a plan.",
            "Pilot with community paediatrics and speech and language therapy this year.",
        ),
        (
            "CAMHS letters do not reach the school nurse. Who should fix the pathway?",
            "CAMHS will copy clinic letters to the school nursing team with consent.",
            "Change to the letter template by the end of the quarter.",
        ),
    ],
    "EHCP health advice quality": [
        (
            "Health advice says 'access to therapy' without amounts: will the ICB set a standard?",
            "The ICB has adopted the specify-and-quantify standard for all health advice.",
            "Training for advice writers; the DCO audits ten pieces of advice a quarter.",
        ),
        (
            "Advice in plans is more than a year old at review: who updates it?",
            "Services will update advice for every annual review where needs have changed.",
            "Added to the provider contracts at the next variation.",
        ),
    ],
    "Access to therapy": [
        (
            "Physiotherapy stops when children move to secondary school: is this commissioned?",
            "Physiotherapy is commissioned to age 19; the gap was a referral error.",
            "Schools reminded of the referral route; families told directly.",
        ),
    ],
    "Autism assessment": [
        (
            "No support is offered while families wait for an autism assessment. Can it be?",
            "A pre-diagnosis parent programme is commissioned from the voluntary sector.",
            "Places offered at referral; take-up reported each quarter.",
        ),
        (
            "Under-5s wait months for the Social Communication Clinic: can capacity grow?",
            "One extra clinic a month is funded for the rest of the financial year.",
            "The clinic's waiting times are shown in the portal each month.",
        ),
    ],
    "Transition to adult services": [
        (
            "No adult mental health service accepts referrals at 18: what is the pathway?",
            "The ICB is agreeing a transition protocol with adult mental health services.",
            "Protocol to the partnership board for sign-off; interim case-by-case review.",
        ),
        (
            "Young people aged 17 have no plan for adult services: can reviews start at 14?",
            "Preparing-for-adulthood health reviews will start at year 9.",
            "Annual review template changed; school nurses briefed.",
        ),
    ],
    "School health support": [
        (
            "Schools lack care plans for medicines on trips: who writes them?",
            "School nurses will write trip care plans on request within 10 working days.",
            "Request form added to the schools' portal.",
        ),
    ],
}
SOURCES = [
    ConcernSource.SENDIASS,
    ConcernSource.SENDIASS,
    ConcernSource.HEALTH_CAFE,
    ConcernSource.PARENT_CARER_FORUM,
    ConcernSource.PRACTITIONER,
]


def _at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(11, 0)))


def _user(local_part: str) -> User:
    person = next(p for p in PEOPLE if p.local_part == local_part)
    return User.objects.get(email=demo_email(person))


#: Sunderland's first concerns, logged by its DCO (the demo's second area: held apart from
#: South Tyneside's log, shown to the DMO and the commissioner who cover both).
SUNDERLAND_CONCERNS = [
    (
        "Waiting times",
        "salt",
        "Families in Washington wait over 30 weeks for a first speech and language visit.",
        6,
    ),
    (
        "Transition to adult services",
        "",
        "Parents at the Sunderland Health Café did not know who takes over at 18.",
        20,
    ),
]


def _sunderland_concerns(themes, today: datetime.date) -> int:
    dco = _user("dco-sunderland")
    area = demo_area(SUNDERLAND)
    for name, service, summary, days_ago in SUNDERLAND_CONCERNS:
        raised_on = today - datetime.timedelta(days=days_ago)
        with history_on(Concern, _at(raised_on), by=dco):
            services.log_concern(
                raised_on=raised_on,
                source=ConcernSource.HEALTH_CAFE,
                service=service,
                summary=summary,
                themes=[themes[name]],
                families=2,
                logged_by=dco,
                area=area,
            )
    return len(SUNDERLAND_CONCERNS)


@transaction.atomic
def seed(stdout=None) -> None:
    if Concern.objects.exists():
        return
    today = timezone.localdate()
    sendiass, dco, commissioner = _user("sendiass"), _user("dco"), _user("commissioner")
    themes = {t.name: t for t in Theme.objects.all()}
    # The log so far is South Tyneside's; Sunderland's begins with two concerns (below).
    area = demo_area(SOUTH_TYNESIDE)
    made = 0
    for name, counts in PATTERN.items():
        for months_ago, count in zip(range(14, -1, -1), counts, strict=True):
            for n in range(count):
                service, summary = SUMMARIES[name][(months_ago + n) % len(SUMMARIES[name])]
                raised_on = today - datetime.timedelta(days=months_ago * 30 + 3 + n * 5)
                with history_on(Concern, _at(raised_on), by=sendiass):
                    concern = services.log_concern(
                        raised_on=raised_on,
                        source=SOURCES[(months_ago + n) % len(SOURCES)],
                        service=service,
                        summary=summary,
                        themes=[themes[name]],
                        families=1 + (months_ago + n) % 4,
                        logged_by=sendiass,
                        area=area,
                    )
                made += 1
                # Every other month a concern of each theme is escalated to the ICB and
                # answered a few weeks later, dated as it happened.
                if months_ago > 1 and n == 0 and months_ago % 2 == 0:
                    variants = ESCALATIONS[name]
                    question, response, action = variants[(months_ago // 2) % len(variants)]
                    escalated_on = raised_on + datetime.timedelta(days=4 + months_ago % 5)
                    answered_on = escalated_on + datetime.timedelta(days=12 + n)
                    with history_on(Concern, _at(escalated_on), concern.pk, by=dco):
                        escalation = services.escalate(dco, question, concern=concern)
                    with history_on(Concern, _at(answered_on), concern.pk, by=commissioner):
                        services.answer(
                            escalation,
                            f"{response} (Answered in {escalated_on:%B %Y}.)",
                            action,
                            commissioner,
                        )
                    Escalation.objects.filter(pk=escalation.pk).update(
                        escalated_at=_at(escalated_on), responded_at=_at(answered_on)
                    )
    services.escalate(
        dco,
        "Young people moving to adult services have no plan at 17: will the ICB commission a "
        "transition clinic?",
        theme=themes["Transition to adult services"],
        area=area,
    )
    made += _sunderland_concerns(themes, today)
    if stdout is not None:
        stdout.write(f"Intelligence: {made} concerns over 15 months, escalations and answers.")
