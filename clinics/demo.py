"""Demo Social Communication Clinic referrals, appointments, outcomes and a support plan.

Invented pre-school children with synthetic NHS numbers (serials from 500000, not used by
ehcp's demo). Idempotent: each child is found by its NHS number and made only once. Dates
count back from the day the demo is loaded. Past appointments are written as history
directly (the booking service rightly refuses to book a time in the past).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from clinics import services
from clinics.models import (
    Appointment,
    Outcome,
    Referral,
    ReferralSource,
    SupportOffer,
)
from ehcp.demo import synthetic_nhs_number
from ehcp.models import Child, Need
from roles.demo import PEOPLE, SOUTH_TYNESIDE, demo_area, demo_email
from roles.models import User

SERIAL_BASE = 500000


@dataclass(frozen=True)
class DemoReferral:
    first_name: str
    last_name: str
    age_months: int
    source: str
    received_weeks_ago: int
    # "triage", "waiting", "booked", "signposted", "diagnosed", "not-autistic"
    stage: str
    started_weeks_ago: int | None = None


REFERRALS = [
    DemoReferral("Ava", "Milburn", 34, ReferralSource.HEALTH_VISITOR, 1, "triage"),
    DemoReferral("Leo", "Charlton", 41, ReferralSource.NURSERY, 2, "triage"),
    DemoReferral("Isla", "Dodds", 38, ReferralSource.GP, 5, "waiting"),
    DemoReferral("Jack", "Forster", 50, ReferralSource.SALT, 16, "waiting"),
    DemoReferral("Mia", "Tate", 30, ReferralSource.PARENT, 9, "booked"),
    DemoReferral("Oscar", "Lamb", 46, ReferralSource.GP, 3, "signposted"),
    DemoReferral("Harry", "Elliott", 52, ReferralSource.HEALTH_VISITOR, 20, "diagnosed", 10),
    DemoReferral("Freya", "Bell", 44, ReferralSource.NURSERY, 26, "not-autistic", 12),
]

REASONS = {
    ReferralSource.HEALTH_VISITOR: "Limited shared attention and few words at the 2-year review.",
    ReferralSource.NURSERY: "Plays alone, distressed by changes to routine at nursery.",
    ReferralSource.GP: "Parent worried about speech and social interaction.",
    ReferralSource.SALT: "Social communication difficulties beyond the language delay.",
    ReferralSource.PARENT: "Parent worried about eye contact and repetitive play.",
}


def _user(local_part: str) -> User:
    person = next(p for p in PEOPLE if p.local_part == local_part)
    return User.objects.get(email=demo_email(person))


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


@transaction.atomic
def seed(stdout=None) -> None:
    today = timezone.localdate()
    dmo, lead = _user("dmo"), _user("clinical-lead")
    made = 0
    for serial, demo in enumerate(REFERRALS, start=SERIAL_BASE):
        number = synthetic_nhs_number(serial)
        if Child.objects.filter(nhs_number=number).exists():
            continue
        made += 1
        child = Child.objects.create(
            # The clinic is South Tyneside's (clinics by area come with the clinics' areas).
            area=demo_area(SOUTH_TYNESIDE),
            first_name=demo.first_name,
            last_name=demo.last_name,
            date_of_birth=today - datetime.timedelta(days=round(demo.age_months * 30.44)),
            nhs_number=number,
            school_or_setting="Pre-school",
            primary_need=Need.SLCN,
        )
        received_on = today - datetime.timedelta(weeks=demo.received_weeks_ago)
        referral = services.refer(
            child=child,
            received_on=received_on,
            source=demo.source,
            referrer_name="Demo referrer",
            reason=REASONS[demo.source],
            consent_recorded=True,
            family_email=f"family.{demo.first_name.lower()}@example.org",
            user=lead,
        )
        if demo.stage == "triage":
            continue
        if demo.stage == "signposted":
            services.triage(
                referral, "signpost", lead, "Signposted to the speech and language therapy drop-in."
            )
            continue
        services.triage(referral, "accept", lead)
        referral.refresh_from_db()
        referral.triaged_on = referral.accepted_on = received_on + datetime.timedelta(days=7)
        referral.save()
        if demo.stage == "booked":
            services.book_appointment(
                kind=Appointment.Kind.CLINIC,
                referral=referral,
                child=child,
                starts_at=_at(today + datetime.timedelta(days=7), 10),
                minutes=90,
                clinicians=[dmo],
                location="Social Communication Clinic, Palmer Community Hospital",
                user=lead,
            )
        elif demo.started_weeks_ago is not None:
            _past_assessment(referral, demo, today, dmo, lead)
    if stdout is not None:
        stdout.write(f"Clinics: {made} demo referrals made.")


def _past_assessment(referral, demo, today, dmo, lead) -> None:
    seen_on = today - datetime.timedelta(weeks=demo.started_weeks_ago)
    appointment = Appointment.objects.create(
        kind=Appointment.Kind.CLINIC,
        referral=referral,
        child=referral.child,
        starts_at=_at(seen_on, 10),
        ends_at=_at(seen_on, 12),
        location="Social Communication Clinic, Palmer Community Hospital",
        status=Appointment.Status.ATTENDED,
        status_recorded_on=seen_on,
        clinical_notes="Multidisciplinary assessment completed (demo notes).",
        booked_by=lead,
    )
    appointment.clinicians.set([dmo, lead])
    outcome = Outcome.AUTISM_DIAGNOSED if demo.stage == "diagnosed" else Outcome.NOT_AUTISTIC
    appointment.outcome = outcome
    appointment.save()
    referral.assessment_started_on = seen_on
    referral.outcome = outcome
    referral.outcome_on = seen_on
    referral.status = Referral.Status.COMPLETE
    referral.save()
    if outcome == Outcome.AUTISM_DIAGNOSED:
        for kind, days, taken in (
            (SupportOffer.Kind.INFORMATION_PACK, 0, SupportOffer.TakenUp.YES),
            (SupportOffer.Kind.PARENT_PROGRAMME, 7, SupportOffer.TakenUp.YES),
            (SupportOffer.Kind.PARENT_CARER_FORUM, 7, SupportOffer.TakenUp.NOT_YET_KNOWN),
        ):
            services.offer_support(
                referral,
                kind=kind,
                offered_on=seen_on + datetime.timedelta(days=days),
                user=lead,
                taken_up=taken,
            )
        # An individual appointment with the family after the diagnosis.
        family_day = today - datetime.timedelta(weeks=3)
        individual = Appointment.objects.create(
            kind=Appointment.Kind.INDIVIDUAL,
            child=referral.child,
            starts_at=_at(family_day, 14),
            ends_at=_at(family_day, 15),
            location="Palmer Community Hospital",
            status=Appointment.Status.ATTENDED,
            status_recorded_on=family_day,
            booked_by=lead,
        )
        individual.clinicians.set([lead])
