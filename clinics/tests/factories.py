"""Referrals as they stand on record, for tests of the clinic's figures (no workflow)."""

import datetime

from clinics.models import Referral
from ehcp.tests.factories import ChildFactory


def recorded_referral(
    user, received, *, accepted=None, started=None, outcome="", outcome_on=None, status=None
) -> Referral:
    """A referral received on ``received``, written straight to the table with the dates of
    what has happened to it since; its NICE due date follows from ``received``."""
    return Referral.objects.create(
        child=ChildFactory(date_of_birth=datetime.date(2021, 1, 1)),
        received_on=received,
        source="gp",
        referrer_name="GP",
        reason="r",
        consent_recorded=True,
        accepted_on=accepted,
        assessment_started_on=started,
        outcome=outcome,
        outcome_on=outcome_on,
        status=status or (Referral.Status.WAITING if accepted else Referral.Status.AWAITING_TRIAGE),
        created_by=user,
    )
