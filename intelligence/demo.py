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
from intelligence.models import Concern, ConcernSource, Theme
from roles.demo import PEOPLE, demo_email
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
SOURCES = [
    ConcernSource.SENDIASS,
    ConcernSource.SENDIASS,
    ConcernSource.HEALTH_CAFE,
    ConcernSource.PARENT_CARER_FORUM,
    ConcernSource.PRACTITIONER,
]


def _user(local_part: str) -> User:
    person = next(p for p in PEOPLE if p.local_part == local_part)
    return User.objects.get(email=demo_email(person))


@transaction.atomic
def seed(stdout=None) -> None:
    if Concern.objects.exists():
        return
    today = timezone.localdate()
    sendiass, dco, commissioner = _user("sendiass"), _user("dco"), _user("commissioner")
    themes = {t.name: t for t in Theme.objects.all()}
    made = 0
    for name, counts in PATTERN.items():
        for months_ago, count in zip(range(14, -1, -1), counts, strict=True):
            for n in range(count):
                service, summary = SUMMARIES[name][(months_ago + n) % len(SUMMARIES[name])]
                raised_on = today - datetime.timedelta(days=months_ago * 30 + 3 + n * 5)
                concern = services.log_concern(
                    raised_on=raised_on,
                    source=SOURCES[(months_ago + n) % len(SOURCES)],
                    service=service,
                    summary=summary,
                    themes=[themes[name]],
                    families=1 + (months_ago + n) % 4,
                    logged_by=sendiass,
                )
                made += 1
                if months_ago > 2 and n == 0 and months_ago % 3 == 0:
                    escalation = services.escalate(
                        dco, f"What will the ICB do about this? ({name.lower()})", concern=concern
                    )
                    services.answer(
                        escalation,
                        "The ICB has funded extra capacity and will report waits monthly.",
                        "Waiting times published at each Health Café.",
                        commissioner,
                    )
    services.escalate(
        dco,
        "Young people moving to adult services have no plan at 17: will the ICB commission a "
        "transition clinic?",
        theme=themes["Transition to adult services"],
    )
    if stdout is not None:
        stdout.write(f"Intelligence: {made} concerns over 15 months, escalations and answers.")
