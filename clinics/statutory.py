"""The Social Communication Clinic's deadline and eligibility rules, each in one place
with its source.

Named ``statutory.py`` like ``ehcp/statutory.py``: the portal keeps every deadline and the
rule behind it, with its source, in a module of that name (who may do what is
``clinics/rules.py``). The clinic's rules are not statute but national guidance (NICE) and
the local service specification; each says which below.

Sources:
- The clinic is for pre-school children: a child must be *under 5 on the date the
  referral is received* (local service specification for the Social Communication
  Clinic). A child who turns 5 on that date is not under 5. A child born on 29 February
  has their birthday on 1 March in years that are not leap years (as in English law,
  Family Law Reform Act 1969 s9 and common practice).
- NICE clinical guideline CG128 (Autism spectrum disorder in under 19s: recognition,
  referral and diagnosis), recommendation 1.2.4: an autism diagnostic assessment should
  start within 3 months of the referral to the autism team.
"""

from __future__ import annotations

import datetime

from dateutil.relativedelta import relativedelta

#: The clinic sees children under this age on the referral date.
AGE_LIMIT_YEARS = 5
#: NICE CG128 1.2.4: the assessment starts within this many months of referral.
NICE_TARGET_MONTHS = 3

OTHER_PATHWAY = "the community paediatrics neurodevelopmental (school-age autism) pathway"


def age_on(date_of_birth: datetime.date, on: datetime.date) -> int:
    """Whole years of age on ``on``. relativedelta treats a 29 February birthday as falling
    on 28 February in a common year, so we count 1 March as the birthday instead."""
    years = on.year - date_of_birth.year
    birthday_this_year = _birthday_in(date_of_birth, on.year)
    if on < birthday_this_year:
        years -= 1
    return years


def _birthday_in(date_of_birth: datetime.date, year: int) -> datetime.date:
    try:
        return date_of_birth.replace(year=year)
    except ValueError:  # 29 February in a common year: the birthday is 1 March
        return datetime.date(year, 3, 1)


def is_under_age_limit(date_of_birth: datetime.date, referred_on: datetime.date) -> bool:
    """Under 5 on the referral date (a child turning 5 that day is not)."""
    return age_on(date_of_birth, referred_on) < AGE_LIMIT_YEARS


def assessment_due_by(received_on: datetime.date) -> datetime.date:
    """NICE CG128: the assessment should start by 3 months after the referral was received."""
    return received_on + relativedelta(months=NICE_TARGET_MONTHS)


def weeks_waited(received_on: datetime.date, on: datetime.date) -> int:
    """Whole weeks from the referral being received to ``on`` (never negative)."""
    return max(0, (on - received_on).days // 7)


ON_TRACK = "on-track"
BREACHING = "breaching"
MET = "met"
MISSED = "missed"


def nice_target_status(
    received_on: datetime.date, started_on: datetime.date | None, on: datetime.date
) -> str:
    """Against NICE CG128's 3 months: "met"/"missed" once the assessment has started,
    otherwise "on-track" up to and including the due date and "breaching" after it."""
    due = assessment_due_by(received_on)
    if started_on is not None and started_on <= on:
        return MET if started_on <= due else MISSED
    return ON_TRACK if on <= due else BREACHING
