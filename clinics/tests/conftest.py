import datetime

import pytest
from django.utils import timezone

from clinics import services
from clinics.models import Appointment, Referral
from ehcp.tests.factories import ChildFactory


def make_child(age_days: int = 3 * 365, **kwargs):
    return ChildFactory(
        date_of_birth=timezone.localdate() - datetime.timedelta(days=age_days), **kwargs
    )


def make_referral(user, *, child=None, received_on=None, accept=False, **kwargs) -> Referral:
    received_on = received_on or timezone.localdate() - datetime.timedelta(weeks=2)
    child = child or make_child(age_days=(timezone.localdate() - received_on).days + 3 * 365)
    referral = services.refer(
        child=child,
        received_on=received_on,
        source=kwargs.pop("source", "gp"),
        referrer_name="Dr Referrer",
        reason="Concerns about social communication.",
        consent_recorded=True,
        user=user,
        **kwargs,
    )
    if accept:
        referral = services.triage(referral, "accept", user)
    return referral


def tomorrow_at(hour: int, minute: int = 0, days: int = 1) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def book(referral, clinicians, user, starts_at=None, minutes=60) -> Appointment:
    return services.book_appointment(
        kind=Appointment.Kind.CLINIC,
        referral=referral,
        child=referral.child,
        starts_at=starts_at or tomorrow_at(10),
        minutes=minutes,
        clinicians=clinicians,
        user=user,
    )


@pytest.fixture
def waiting_referral(clinical_lead):
    return make_referral(clinical_lead, accept=True)


@pytest.fixture
def appointment(waiting_referral, dmo, clinical_lead):
    return book(waiting_referral, [dmo], clinical_lead)
