"""Celery tasks of the clinics app: appointment reminders to families, idempotent."""

from __future__ import annotations

import datetime
import functools

from celery import shared_task
from django.utils import timezone

from clinics import selectors
from clinics.models import Appointment, ReminderKind
from notifications.delivery import REMINDER_TASK_RETRY, Due, Message, send_once
from roles.selectors import service_name_in
from send_portal.london_time import long_date_with_weekday

#: Families are reminded from this long before the appointment (local practice).
REMIND_BEFORE = datetime.timedelta(days=2)


@shared_task(**REMINDER_TASK_RETRY)
def send_appointment_reminders() -> int:
    """Remind each family with a contact email of a booked appointment in the next 2 days;
    return how many were sent.

    Beat wakes this task every hour; nothing depends on it firing at a given minute or once.
    Families have no account: each reminder is an email to their address only, sent once
    by ``notifications.delivery.send_once`` (a failed one is tried again by the next runs).
    The email names the date and time only: nothing clinical, and not the child's name.
    """
    due = [
        Due(
            ReminderKind.APPOINTMENT_SOON,
            f"appointment:{appointment.pk}",
            functools.partial(_appointment_message, appointment),
            address=appointment.contact_email,
            about=f"appointment:{appointment.pk}",
        )
        for appointment in selectors.appointments_to_remind(timezone.now(), REMIND_BEFORE)
        if appointment.contact_email
    ]
    return send_once(due)


def _appointment_message(appointment: Appointment, due: Due) -> Message:
    starts_at = timezone.localtime(appointment.starts_at)
    return Message(
        email_subject="Reminder: your child's appointment on "
        + long_date_with_weekday(starts_at, year=False),
        template="clinics/email/appointment_reminder.txt",
        context={
            "starts_at": starts_at,
            "location": appointment.location,
            # The child's own area: a Sunderland family is not told it is South Tyneside's.
            "service_name": service_name_in(appointment.area.name),
        },
    )
