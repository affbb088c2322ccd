"""Everything that changes clinic records, and the rules that guard each change.

Each function raises ``RefusedChange`` with a message fit to show the person, and then
changes nothing (each runs in one transaction).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from clinics import statutory
from clinics.models import Appointment, Outcome, Referral, ReferralSource, SupportOffer
from roles.models import User
from send_portal.refusals import RefusedChange


def _today() -> datetime.date:
    return timezone.localdate()


# --- Referrals and triage -------------------------------------------------------------


@transaction.atomic
def refer(
    *,
    child,
    received_on: datetime.date,
    source: str,
    referrer_name: str,
    reason: str,
    consent_recorded: bool,
    user: User,
    family_email: str = "",
) -> Referral:
    if received_on > _today():
        raise RefusedChange("The date the referral was received must be today or in the past.")
    if received_on < child.date_of_birth:
        raise RefusedChange("The referral cannot be received before the child was born.")
    if not statutory.is_under_age_limit(child.date_of_birth, received_on):
        age = statutory.age_on(child.date_of_birth, received_on)
        raise RefusedChange(
            f"The Social Communication Clinic sees children under 5 on the date of referral; "
            f"this child was {age} then. Refer them to {statutory.OTHER_PATHWAY} instead."
        )
    if source not in ReferralSource.values:
        raise RefusedChange("Choose who referred the child.")
    if not consent_recorded:
        raise RefusedChange("Record that the family consented to the referral.")
    if not reason.strip():
        raise RefusedChange("Say why the child was referred.")
    return Referral.objects.create(
        child=child,
        received_on=received_on,
        source=source,
        referrer_name=referrer_name.strip(),
        reason=reason.strip(),
        consent_recorded=True,
        family_email=family_email,
        created_by=user,
    )


TRIAGE_DECISIONS = {
    "accept": Referral.Status.WAITING,
    "signpost": Referral.Status.SIGNPOSTED,
    "more-information": Referral.Status.MORE_INFORMATION,
}


@transaction.atomic
def triage(referral: Referral, decision: str, user: User, note: str = "") -> Referral:
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if referral.status not in (
        Referral.Status.AWAITING_TRIAGE,
        Referral.Status.MORE_INFORMATION,
    ):
        raise RefusedChange("This referral has been triaged already.")
    if decision not in TRIAGE_DECISIONS:
        raise RefusedChange("Choose whether to accept, signpost or ask for more information.")
    if decision != "accept" and not note.strip():
        raise RefusedChange("Say where the family was signposted or what information is needed.")
    referral.status = TRIAGE_DECISIONS[decision]
    referral.triaged_by = user
    referral.triaged_on = _today()
    referral.triage_note = note.strip()
    if decision == "accept":
        referral.accepted_on = _today()
    referral.save()
    return referral


# --- Appointments ----------------------------------------------------------------------


@transaction.atomic
def book_appointment(
    *,
    kind: str,
    child,
    starts_at: datetime.datetime,
    minutes: int,
    clinicians: Iterable[User],
    user: User,
    referral: Referral | None = None,
    location: str = "",
    family_email: str = "",
) -> Appointment:
    """Book an appointment, refusing a time in the past and a clinician already booked then.

    The clinicians' rows are locked (``SELECT ... FOR UPDATE`` on PostgreSQL, in id order
    so two bookings cannot deadlock) before the overlap check, so two bookings of the same
    clinician made at the same moment are checked one after the other. On SQLite the
    IMMEDIATE transactions do the same (one writer at a time).
    """
    clinicians = sorted(set(clinicians), key=lambda c: c.pk)
    if not clinicians:
        raise RefusedChange("Choose the clinician or clinicians who will see the family.")
    if starts_at <= timezone.now():
        raise RefusedChange(
            "An appointment in the past cannot be booked. Choose a date and time in the future."
        )
    if minutes < 5:
        raise RefusedChange("An appointment lasts at least 5 minutes.")
    if kind == Appointment.Kind.CLINIC:
        if referral is None:
            raise RefusedChange("A clinic appointment is for a referral.")
        if referral.status not in (Referral.Status.WAITING, Referral.Status.IN_ASSESSMENT):
            raise RefusedChange(
                "Only a referral on the waiting list or in assessment can be booked."
            )
        child = referral.child
    ends_at = starts_at + datetime.timedelta(minutes=minutes)
    list(User.objects.select_for_update().filter(pk__in=[c.pk for c in clinicians]).order_by("pk"))
    clash = (
        Appointment.objects.filter(
            clinicians__in=clinicians,
            status=Appointment.Status.BOOKED,
            starts_at__lt=ends_at,
            ends_at__gt=starts_at,
        )
        .prefetch_related("clinicians")
        .first()
    )
    if clash is not None:
        busy = [c for c in clash.clinicians.all() if c in clinicians]
        name = busy[0].display_name if busy else "A clinician"
        raise RefusedChange(
            f"{name} is already booked from {timezone.localtime(clash.starts_at):%H:%M} to "
            f"{timezone.localtime(clash.ends_at):%H:%M} that day. Choose another time."
        )
    appointment = Appointment.objects.create(
        kind=kind,
        referral=referral,
        child=child,
        starts_at=starts_at,
        ends_at=ends_at,
        location=location,
        family_email=family_email,
        booked_by=user,
    )
    appointment.clinicians.set(clinicians)
    return appointment


@transaction.atomic
def record_attendance(
    appointment: Appointment, status: str, on: datetime.date | None
) -> Appointment:
    """Attended, did not attend or cancelled. A DNA needs the date it happened."""
    appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
    if status not in (
        Appointment.Status.ATTENDED,
        Appointment.Status.DID_NOT_ATTEND,
        Appointment.Status.CANCELLED,
    ):
        raise RefusedChange("Choose attended, did not attend or cancelled.")
    if appointment.status != Appointment.Status.BOOKED:
        raise RefusedChange(
            f"This appointment is already recorded as {appointment.get_status_display().lower()}."
        )
    if status in (Appointment.Status.ATTENDED, Appointment.Status.DID_NOT_ATTEND):
        what = "did not attend" if status == Appointment.Status.DID_NOT_ATTEND else "attended"
        if on is None:
            raise RefusedChange(f"Enter the date the family {what}.")
        if on > _today():
            raise RefusedChange(f"The date the family {what} must be today or in the past.")
        if on < timezone.localtime(appointment.starts_at).date():
            raise RefusedChange(f"The date the family {what} cannot be before the appointment.")
    appointment.status = status
    appointment.status_recorded_on = on or _today()
    appointment.save()
    referral = appointment.referral
    if (
        status == Appointment.Status.ATTENDED
        and referral is not None
        and referral.assessment_started_on is None
    ):
        referral = Referral.objects.select_for_update().get(pk=referral.pk)
        referral.assessment_started_on = on
        referral.status = Referral.Status.IN_ASSESSMENT
        referral.save()
    return appointment


@transaction.atomic
def save_clinical_notes(appointment: Appointment, notes: str, user: User) -> Appointment:
    appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
    appointment.clinical_notes = notes
    appointment._history_user = user
    appointment.save()
    return appointment


@transaction.atomic
def record_outcome(appointment: Appointment, outcome: str) -> Appointment:
    appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
    if outcome not in Outcome.values:
        raise RefusedChange("Choose the outcome.")
    if appointment.status != Appointment.Status.ATTENDED:
        raise RefusedChange("Record that the family attended before recording an outcome.")
    appointment.outcome = outcome
    appointment.save()
    if appointment.referral_id:
        referral = Referral.objects.select_for_update().get(pk=appointment.referral_id)
        referral.outcome = outcome
        referral.outcome_on = appointment.status_recorded_on
        referral.status = Referral.Status.COMPLETE
        referral.save()
    return appointment


# --- Post-diagnosis support ------------------------------------------------------------


@transaction.atomic
def offer_support(
    referral: Referral,
    *,
    kind: str,
    offered_on: datetime.date,
    user: User,
    due_on: datetime.date | None = None,
    taken_up: str = "",
) -> SupportOffer:
    if referral.outcome != Outcome.AUTISM_DIAGNOSED:
        raise RefusedChange("Post-diagnosis support is offered after a diagnosis of autism.")
    if kind not in SupportOffer.Kind.values:
        raise RefusedChange("Choose what was offered.")
    if offered_on > _today():
        raise RefusedChange("The date of the offer must be today or in the past.")
    if referral.outcome_on and offered_on < referral.outcome_on:
        raise RefusedChange("Support cannot be offered before the diagnosis.")
    return SupportOffer.objects.create(
        referral=referral,
        kind=kind,
        offered_on=offered_on,
        due_on=due_on,
        taken_up=taken_up,
        recorded_by=user,
    )


@transaction.atomic
def record_take_up(offer: SupportOffer, taken_up: str) -> SupportOffer:
    if taken_up not in SupportOffer.TakenUp.values:
        raise RefusedChange("Choose whether the offer was taken up.")
    offer = SupportOffer.objects.select_for_update().get(pk=offer.pk)
    offer.taken_up = taken_up
    offer.save()
    return offer
