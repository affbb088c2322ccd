"""Appointment reminders to families: due ones sent once, however often the task runs."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from clinics import services, tasks
from clinics.models import Appointment, Reminder
from clinics.tests.conftest import book, make_referral, tomorrow_at

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
    assert Reminder.objects.get().appointment == appointment


def test_no_email_no_reminder_and_cancelled_ones_are_not_reminded(dmo, clinical_lead):
    referral = make_referral(clinical_lead, accept=True)
    book(referral, [dmo], clinical_lead, tomorrow_at(10))
    with_email = make_referral(clinical_lead, accept=True, family_email="f@example.org")
    cancelled = book(with_email, [dmo], clinical_lead, tomorrow_at(12))
    services.record_attendance(cancelled, Appointment.Status.CANCELLED, None)
    assert tasks.send_appointment_reminders() == 0
    assert mail.outbox == []


def test_a_failed_send_releases_its_claim(dmo, clinical_lead, monkeypatch):
    referral = make_referral(clinical_lead, accept=True, family_email="family@example.org")
    book(referral, [dmo], clinical_lead, tomorrow_at(10))

    def broken(*args, **kwargs):
        raise OSError("mail server down")

    monkeypatch.setattr(tasks, "send_email", broken)
    with pytest.raises(OSError):
        tasks.send_appointment_reminders()
    assert not Reminder.objects.exists()
    monkeypatch.undo()
    assert tasks.send_appointment_reminders() == 1


def test_the_reminder_task_is_scheduled_hourly():
    from service_status.schedules import PERIODIC_SCHEDULES

    schedule = next(
        s for s in PERIODIC_SCHEDULES if s.task == tasks.send_appointment_reminders.name
    )
    assert schedule.every_seconds == 3600
    assert datetime.timedelta(seconds=schedule.expire_seconds) < datetime.timedelta(hours=1)
