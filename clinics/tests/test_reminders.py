"""Appointment reminders to families: due ones sent once, by email only (families have no
account), however often the task runs."""

import datetime
import smtplib
from unittest import mock

import pytest
from django.core import mail
from django.utils import timezone

from clinics import services, tasks
from clinics.models import Appointment, ReminderKind
from clinics.tests.conftest import book, make_referral, tomorrow_at
from notifications.models import Delivery, Notification

pytestmark = pytest.mark.django_db


def test_a_reminder_is_sent_once_and_names_nothing_clinical(dmo, clinical_lead):
    referral = make_referral(clinical_lead, accept=True, family_email="family@example.org")
    appointment = book(referral, [dmo], clinical_lead, tomorrow_at(10))
    book(referral, [dmo], clinical_lead, tomorrow_at(10, days=10))  # too far ahead

    assert tasks.send_appointment_reminders() == 1
    assert tasks.send_appointment_reminders() == 0  # a second beat or a retry sends nothing

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["family@example.org"]
    body = message.subject + message.body
    assert referral.child.first_name not in body and referral.child.last_name not in body
    assert "autism" not in body.lower() and "Social Communication" not in body
    assert f"{timezone.localtime(appointment.starts_at):%H:%M}" in body
    # Signed for the child's area, whatever the deployment is called.
    assert f"— {referral.child.area.name} on " in body
    delivery = Delivery.objects.get()
    assert (delivery.kind, delivery.subject, delivery.about) == (
        ReminderKind.APPOINTMENT_SOON,
        f"appointment:{appointment.pk}",
        f"appointment:{appointment.pk}",
    )
    assert (delivery.recipient, delivery.recipient_address) == (None, "family@example.org")
    assert (delivery.outcome, delivery.attempts) == (Delivery.Outcome.SENT, 1)
    # By email only: a family has no account, so nothing in the portal.
    assert not Notification.objects.exists()


def test_no_email_no_reminder_and_cancelled_ones_are_not_reminded(dmo, clinical_lead):
    referral = make_referral(clinical_lead, accept=True)
    book(referral, [dmo], clinical_lead, tomorrow_at(10))
    with_email = make_referral(clinical_lead, accept=True, family_email="f@example.org")
    cancelled = book(with_email, [dmo], clinical_lead, tomorrow_at(12))
    services.record_attendance(cancelled, Appointment.Status.CANCELLED, None)
    assert tasks.send_appointment_reminders() == 0
    assert mail.outbox == []


def smtp_down():
    return mock.patch(
        "django.core.mail.backends.locmem.EmailBackend.send_messages",
        side_effect=smtplib.SMTPRecipientsRefused({"family@example.org": (550, b"No such user")}),
    )


def test_a_failed_send_is_recorded_without_the_address_and_tried_again(dmo, clinical_lead):
    referral = make_referral(clinical_lead, accept=True, family_email="family@example.org")
    book(referral, [dmo], clinical_lead, tomorrow_at(10))

    with smtp_down():
        assert tasks.send_appointment_reminders() == 0
    failed = Delivery.objects.get()
    assert (failed.outcome, failed.attempts) == (Delivery.Outcome.FAILED, 1)
    # The server's answer names the address: only the error's kind is kept.
    assert failed.error == "SMTPRecipientsRefused"

    assert tasks.send_appointment_reminders() == 1
    assert tasks.send_appointment_reminders() == 0
    assert [m.to for m in mail.outbox] == [["family@example.org"]]
    sent = Delivery.objects.get()
    assert (sent.outcome, sent.attempts) == (Delivery.Outcome.SENT, 2)


def test_a_new_family_address_gets_its_own_reminder(dmo, clinical_lead):
    referral = make_referral(clinical_lead, accept=True, family_email="family@example.org")
    appointment = book(referral, [dmo], clinical_lead, tomorrow_at(10))
    assert tasks.send_appointment_reminders() == 1

    Appointment.objects.filter(pk=appointment.pk).update(family_email="new@example.org")

    assert tasks.send_appointment_reminders() == 1
    assert [m.to for m in mail.outbox] == [["family@example.org"], ["new@example.org"]]


def test_the_reminder_task_is_scheduled_hourly():
    from service_status.schedules import PERIODIC_SCHEDULES

    schedule = next(
        s for s in PERIODIC_SCHEDULES if s.task == tasks.send_appointment_reminders.name
    )
    assert schedule.every_seconds == 3600
    assert datetime.timedelta(seconds=schedule.expire_seconds) < datetime.timedelta(hours=1)


def test_a_family_elsewhere_is_told_the_service_of_their_childs_area(dmo, clinical_lead, settings):
    from tests.factories import LocalAreaFactory

    referral = make_referral(clinical_lead, accept=True, family_email="family@example.org")
    sunderland = LocalAreaFactory(name="Sunderland")
    type(referral.child).objects.filter(pk=referral.child_id).update(area=sunderland)
    referral.child.refresh_from_db()
    book(referral, [dmo], clinical_lead, tomorrow_at(10))
    tasks.send_appointment_reminders()
    (message,) = mail.outbox
    assert f"{settings.SERVICE_TITLE} — Sunderland" in message.body
    assert settings.LOCAL_AREA_NAME not in message.body
