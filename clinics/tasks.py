"""Celery tasks of the clinics app: appointment reminders to families, idempotent."""

from __future__ import annotations

import datetime

from celery import shared_task
from django.db import IntegrityError, transaction
from django.utils import timezone

from clinics import selectors
from clinics.models import Appointment, Reminder
from send_portal.london_time import long_date_with_weekday
from send_portal.notifications import send_email

#: Families are reminded from this long before the appointment (local practice).
REMIND_BEFORE = datetime.timedelta(days=2)


@shared_task(autoretry_for=(OSError,), retry_backoff=True, retry_jitter=True, max_retries=3)
def send_appointment_reminders() -> int:
    """Remind each family with a contact email of a booked appointment in the next 2 days;
    return how many were sent.

    Beat wakes this task every hour; nothing depends on it firing at a given minute or once.
    Each reminder is claimed by inserting its ``Reminder`` row (unique per kind, appointment
    and address) in the same transaction as the send, so a re-run sends nothing twice and a
    failed send rolls back its claim to be tried again. The email names the date and time
    only: nothing clinical, and not the child's name.
    """
    sent = 0
    for appointment in selectors.appointments_to_remind(timezone.now(), REMIND_BEFORE):
        address = appointment.contact_email
        if address:
            sent += _claim_and_send(appointment, address)
    return sent


def _claim_and_send(appointment: Appointment, address: str) -> int:
    starts_at = timezone.localtime(appointment.starts_at)
    try:
        with transaction.atomic():
            Reminder.objects.create(
                kind=Reminder.Kind.APPOINTMENT_SOON, appointment=appointment, recipient=address
            )
            send_email(
                address,
                "Reminder: your child's appointment on "
                + long_date_with_weekday(starts_at, year=False),
                "clinics/email/appointment_reminder.txt",
                {"starts_at": starts_at, "location": appointment.location},
            )
    except IntegrityError:
        return 0
    return 1
