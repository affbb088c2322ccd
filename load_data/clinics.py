"""Each area's Social Communication Clinic referrals over 3 years: pre-school children
referred, triaged, waiting, assessed, with an outcome (the figures the commissioner report
shows). Appointments and support offers are left out: no benchmarked page lists them."""

from __future__ import annotations

import datetime

from clinics import statutory
from clinics.models import Outcome, Referral, ReferralSource
from ehcp.models import Child, Need
from load_data.common import YEARS, Area, bulk, explicit_timestamps, fields_of


def make_referrals(area: Area, count: int) -> dict:
    rng = area.rng
    today = area.today
    lead = area.people["clinical-lead"]
    children, referrals = [], []
    for _ in range(count):
        received_on = today - datetime.timedelta(days=rng.randint(0, YEARS * 365))
        born = received_on - datetime.timedelta(days=rng.randint(2 * 365, 4 * 365))
        child = Child(
            area=area.local_area,
            first_name=rng.choice(area.names.first_names),
            last_name=rng.choice(area.names.last_names),
            date_of_birth=born,
            nhs_number=area.nhs_numbers.next(),
            school_or_setting=rng.choice(area.names.schools),
            primary_need=Need.SLCN,
            created_at=area.past_moment(received_on),
        )
        children.append(child)
        referral = Referral(
            area=area.local_area,  # the child's (bulk_create skips Referral.save)
            received_on=received_on,
            source=rng.choice(ReferralSource.values),
            referrer_name="Health visitor",
            reason="Limited shared attention and delayed speech; family concerned at nursery.",
            consent_recorded=True,
            assessment_due_by=statutory.assessment_due_by(received_on),
            created_by=lead,
            created_at=area.past_moment(received_on),
        )
        age = (today - received_on).days
        if age > 10:
            referral.triaged_by = lead
            referral.triaged_on = received_on + datetime.timedelta(days=rng.randint(3, 10))
            if rng.random() < 0.08:
                referral.status = Referral.Status.SIGNPOSTED
                referral.triage_note = "Signposted to the speech and language therapy drop-in."
            else:
                referral.status = Referral.Status.WAITING
                referral.accepted_on = referral.triaged_on
                started = received_on + datetime.timedelta(weeks=rng.randint(6, 22))
                if started <= today:
                    referral.assessment_started_on = started
                    referral.status = Referral.Status.IN_ASSESSMENT
                    outcome_on = started + datetime.timedelta(weeks=rng.randint(2, 10))
                    if outcome_on <= today:
                        referral.status = Referral.Status.COMPLETE
                        referral.outcome = rng.choice(Outcome.values)
                        referral.outcome_on = outcome_on
        referrals.append(referral)
    with explicit_timestamps(*fields_of(Child, "created_at")):
        bulk(Child, children)
    for child, referral in zip(children, referrals, strict=True):
        referral.child = child
    with explicit_timestamps(*fields_of(Referral, "created_at")):
        bulk(Referral, referrals)
    return {"referrals": len(referrals)}
