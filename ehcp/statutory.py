"""The statutory clock for EHC needs assessments, health advice and annual reviews.

Every deadline in the portal comes from this module, and each names its source:

- SEND Code of Practice: 0 to 25 years (DfE/DHSC, January 2015), chapter 9;
- the Special Educational Needs and Disability Regulations 2014 (SI 2014/1530),
  cited as "reg";
- the Children and Families Act 2014, cited as "CFA 2014".

Deadlines are calendar dates: a period "of 6 weeks from the request" ends 42
days after the request date, whatever the clock change does to the hours in
between. "Today" is always the date in Europe/London (``timezone.localdate``),
so the day turns at midnight in England, not in UTC.
"""

from __future__ import annotations

import datetime
import unicodedata
from dataclasses import dataclass

import nhs_number
from dateutil.relativedelta import relativedelta
from django.db import models
from django.utils import timezone

# --- Periods ----------------------------------------------------------------------

#: reg 5(1): the council decides whether to assess within 6 weeks of the request.
DECISION_TO_ASSESS = datetime.timedelta(weeks=6)
#: reg 8(1): health advice is given within 6 weeks of the council's request for it.
HEALTH_ADVICE = datetime.timedelta(weeks=6)
#: reg 13(2): the final EHC plan is issued within 20 weeks of the request for assessment.
FINAL_PLAN = datetime.timedelta(weeks=20)
#: Code of Practice 9.40 and local practice: assessments complete by week 12.
PRACTICE_ASSESSMENT_COMPLETE = datetime.timedelta(weeks=12)
#: Code of Practice 9.77 and local practice: the draft plan goes out by week 16.
PRACTICE_DRAFT_PLAN = datetime.timedelta(weeks=16)
#: reg 13(1)(a): the parent or young person has at least 15 days, beginning with the day the
#: draft plan is served, to comment and to ask for a school or setting.
PARENT_RESPONSE_DAYS = 15
#: CFA 2014 s44(1) and reg 2: a plan is reviewed within 12 months of being made, then of
#: each previous review.
ANNUAL_REVIEW = relativedelta(months=12)
#: reg 20(4) (reg 21(4) for a child not at a school): advice and information are circulated
#: at least 2 weeks before the review meeting.
REVIEW_ADVICE_BEFORE_MEETING = datetime.timedelta(weeks=2)
#: reg 20(10): the council decides to keep, amend or cease the plan within 4 weeks of the
#: review meeting.
REVIEW_DECISION = datetime.timedelta(weeks=4)
#: regs 20(10) and 22(3): the amendment notice follows the meeting within 4 weeks and the
#: amended plan is final within 8 weeks of the notice: 12 weeks from the meeting at most.
AMENDED_PLAN_FINAL = datetime.timedelta(weeks=12)

#: A deadline within this many days is shown as "due soon".
DUE_SOON = datetime.timedelta(days=14)


# --- Exceptions: recorded with a reason, never used to hide a breach ------------------


class HealthAdviceException(models.TextChoices):
    """reg 8(2): when health advice need not be given within 6 weeks."""

    EXCEPTIONAL_CIRCUMSTANCES = "exceptional", "Exceptional circumstances (reg 8(2)(a))"
    OUT_OF_AREA = "out-of-area", "Child or family out of the area for 4 weeks or more (reg 8(2)(b))"
    MISSED_APPOINTMENT = (
        "missed-appointment",
        "Child or young person missed an appointment (reg 8(2)(c))",
    )


class TwentyWeekException(models.TextChoices):
    """reg 10(4): when the 20-week limit does not apply."""

    SCHOOL_CLOSED = (
        "school-closed",
        (
            "School or college closed for 4 weeks or more when information was asked for "
            "(reg 10(4)(a))"
        ),
    )
    EXCEPTIONAL_PERSONAL = (
        "exceptional-personal",
        ("Exceptional personal circumstances of the child or family (reg 10(4)(b))"),
    )
    OUT_OF_AREA = (
        "out-of-area",
        "Child or family out of the area for 4 weeks or more (reg 10(4)(c))",
    )


# --- Deadlines ----------------------------------------------------------------------


@dataclass(frozen=True)
class AssessmentDeadlines:
    requested_on: datetime.date
    decision_due: datetime.date
    practice_assessment_complete: datetime.date
    practice_draft_plan: datetime.date
    final_plan_due: datetime.date


def assessment_deadlines(requested_on: datetime.date) -> AssessmentDeadlines:
    """The statutory and practice dates of an EHC needs assessment from its request date.

    Health advice is not among them: reg 8(1) counts its 6 weeks from the day the
    council asks each health body for advice (``health_advice_due``), so each
    request has its own due date.
    """
    return AssessmentDeadlines(
        requested_on=requested_on,
        decision_due=requested_on + DECISION_TO_ASSESS,
        practice_assessment_complete=requested_on + PRACTICE_ASSESSMENT_COMPLETE,
        practice_draft_plan=requested_on + PRACTICE_DRAFT_PLAN,
        final_plan_due=requested_on + FINAL_PLAN,
    )


def health_advice_due(advice_requested_on: datetime.date) -> datetime.date:
    """reg 8(1): 6 weeks from the date the council asked the health body for advice."""
    return advice_requested_on + HEALTH_ADVICE


def parent_response_ends(draft_sent_on: datetime.date) -> datetime.date:
    """reg 13(1)(a): the last of the 15 days, counted from (and including) the day served."""
    return draft_sent_on + datetime.timedelta(days=PARENT_RESPONSE_DAYS - 1)


def annual_review_due(plan_issued_or_last_reviewed_on: datetime.date) -> datetime.date:
    """CFA 2014 s44(1): within 12 months. A plan made on 29 February is due on 28 February."""
    return plan_issued_or_last_reviewed_on + ANNUAL_REVIEW


@dataclass(frozen=True)
class ReviewDeadlines:
    meeting_on: datetime.date
    advice_circulated_by: datetime.date
    decision_due: datetime.date
    amended_plan_final_due: datetime.date


def review_deadlines(meeting_on: datetime.date) -> ReviewDeadlines:
    """The dates that follow from an annual review meeting (regs 20 and 22)."""
    return ReviewDeadlines(
        meeting_on=meeting_on,
        advice_circulated_by=meeting_on - REVIEW_ADVICE_BEFORE_MEETING,
        decision_due=meeting_on + REVIEW_DECISION,
        amended_plan_final_due=meeting_on + AMENDED_PLAN_FINAL,
    )


def review_input_due(meeting_on: datetime.date | None, asked_on: datetime.date) -> datetime.date:
    """When health input asked for on ``asked_on`` for an annual review is due.

    Advice is circulated at least 2 weeks before the meeting (reg 20(3)(b)), so input is
    due on that date when the meeting is booked. Asked for later than that, it is due on
    the day of the meeting at the latest. With no meeting booked, or once it has been held,
    the 6 weeks of reg 8(1) apply.
    """
    if meeting_on is not None:
        deadlines = review_deadlines(meeting_on)
        if deadlines.advice_circulated_by >= asked_on:
            return deadlines.advice_circulated_by
        if deadlines.meeting_on >= asked_on:
            return deadlines.meeting_on
    return health_advice_due(asked_on)


# --- How a deadline stands -------------------------------------------------------------


class DeadlineStatus(models.TextChoices):
    ON_TRACK = "on-track", "On track"
    DUE_SOON = "due-soon", "Due soon"
    OVERDUE = "overdue", "Overdue"
    MET = "met", "Met"
    MISSED = "missed", "Met late"


def deadline_status(
    due: datetime.date,
    done_on: datetime.date | None = None,
    today: datetime.date | None = None,
) -> DeadlineStatus:
    """On track, due soon or overdue while open; met or met late once done.

    A deadline is met when the thing is done on or before the due date: the due
    date itself is inside the period.
    """
    if done_on is not None:
        return DeadlineStatus.MET if done_on <= due else DeadlineStatus.MISSED
    today = today or timezone.localdate()
    if today > due:
        return DeadlineStatus.OVERDUE
    if due - today <= DUE_SOON:
        return DeadlineStatus.DUE_SOON
    return DeadlineStatus.ON_TRACK


def is_on_time(due: datetime.date, done_on: datetime.date | None) -> bool | None:
    """True or False once done; None while still open."""
    if done_on is None:
        return None
    return done_on <= due


# --- NHS numbers ------------------------------------------------------------------

#: Characters people put between the groups of an NHS number ("943 476 5919", "943-476-5919").
_NHS_NUMBER_SEPARATORS = frozenset(" -\u00a0\u2010\u2011\u2012\u2013\u2212\u202f\u2009")


class InvalidNhsNumber(ValueError):
    """Text that is not an NHS number that could be issued; the message says why."""


def nhs_number_digits(text: str) -> str:
    """The ten ASCII digits of an NHS number however it was typed, or "" when nothing was.

    Digits of any script (Arabic-Indic "٩٤٣", full-width "９４３") are the same digits, so
    they are stored as 0-9: otherwise the same child could be added twice. Raises
    ``InvalidNhsNumber`` for text that is not ten digits, or a number that can never be
    issued: the check digit fails Modulus 11 (NHS Data Dictionary, "NHS Number"), or all
    ten digits are the same (their check digit passes, but no such number is issued).
    """
    digits = []
    for character in text or "":
        if character in _NHS_NUMBER_SEPARATORS or unicodedata.category(character) == "Zs":
            continue
        value = unicodedata.digit(character, None)
        if value is None or unicodedata.category(character) != "Nd":
            raise InvalidNhsNumber("Enter an NHS number of 10 digits, like 485 777 3456.")
        digits.append(str(value))
    number = "".join(digits)
    if not number:
        return ""
    if len(number) != 10:
        raise InvalidNhsNumber("Enter an NHS number of 10 digits, like 485 777 3456.")
    if len(set(number)) == 1 or not nhs_number.is_valid(number):
        raise InvalidNhsNumber(
            "This is not a valid NHS number: check each digit (the last one is a check digit)."
        )
    return number
