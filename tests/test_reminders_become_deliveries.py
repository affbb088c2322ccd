"""Moving to one record of messages sent once loses no reminder and sends none again: the
migrations of ehcp (0014), clinics (0002) and meetings (0003) copy every row of their old
reminder tables into notifications.Delivery before removing the tables, and back again when
migrated backwards. Run on SQLite and, in CI, on PostgreSQL."""

import datetime

import pytest
from django.core import mail
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from clinics.tests.conftest import book, make_referral, tomorrow_at
from meetings.models import Meeting
from meetings.tests.factories import make_series
from notifications.delivery import Due, Message, send_once
from notifications.models import Delivery

BEFORE = [
    ("ehcp", "0013_b_sign_off_acknowledgements"),
    ("clinics", "0001_initial"),
    ("meetings", "0002_dashboard_indexes"),
    ("notifications", "0002_delivery"),
]
AFTER = [
    ("ehcp", "0014_reminders_become_deliveries"),
    ("clinics", "0002_reminders_become_deliveries"),
    ("meetings", "0003_reminders_become_deliveries"),
]
OLD_TABLES = {"ehcp_reminder", "clinics_reminder", "meetings_meetingreminder"}
SENT_AT = datetime.datetime(2026, 6, 15, 7, 5, tzinfo=datetime.UTC)
CLAIMED_AT = datetime.datetime(2026, 6, 2, 9, 0, tzinfo=datetime.UTC)


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def latest():
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def tables() -> set[str]:
    return set(connection.introspection.table_names())


def email(due: Due) -> Message:
    return Message(email_subject="Reminder", template="notifications/email/notification.txt")


@pytest.fixture
def appointment(dmo, clinical_lead):
    referral = make_referral(clinical_lead, accept=True, family_email="family@example.org")
    return book(referral, [dmo], clinical_lead, tomorrow_at(10))


@pytest.fixture
def meeting(dco):
    series = make_series(materialise=False)
    starts = timezone.now() + datetime.timedelta(days=3)
    return Meeting.objects.create(
        series=series,
        occurrence_date=timezone.localdate(starts),
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=1),
    )


def make_old_reminders(old, dmo, dco, health_professional_a, appointment, meeting):
    Reminder = old.get_model("ehcp", "Reminder")
    Reminder.objects.create(
        kind="advice-due-soon",
        subject="advice:12",
        recipient_id=health_professional_a.pk,
        sent_at=SENT_AT,
    )
    Reminder.objects.create(
        kind="sign-off-summary", subject="date:2026-06-15", recipient_id=dmo.pk, sent_at=SENT_AT
    )
    old.get_model("clinics", "Reminder").objects.create(
        kind="appointment-soon", appointment_id=appointment.pk, recipient="family@example.org"
    )
    MeetingReminder = old.get_model("meetings", "MeetingReminder")
    MeetingReminder.objects.create(
        kind="meeting-soon",
        subject=f"meeting:{meeting.pk}:7d:seq0",
        recipient_id=dco.pk,
        meeting_id=meeting.pk,
        outcome="sent",
        attempts=1,
        sent_at=SENT_AT,
    )
    MeetingReminder.objects.create(
        kind="papers-due",
        subject=f"meeting:{meeting.pk}:papers:seq0",
        recipient_id=dco.pk,
        meeting_id=meeting.pk,
        outcome="failed",
        attempts=2,
        error="SMTPServerDisconnected: Connection unexpectedly closed",
    )
    MeetingReminder.objects.update(created_at=CLAIMED_AT)


@pytest.mark.django_db(transaction=True)
def test_every_old_reminder_becomes_a_delivery_and_none_is_sent_again(
    dmo, dco, health_professional_a, appointment, meeting
):
    try:
        old = migrate(BEFORE)
        assert tables() >= OLD_TABLES
        make_old_reminders(old, dmo, dco, health_professional_a, appointment, meeting)

        migrate(AFTER)
        copied = {
            (row.kind, row.subject): row for row in Delivery.objects.order_by("pk").iterator()
        }
        left = tables()
    finally:
        latest()

    assert not OLD_TABLES & left
    assert set(copied) == {
        ("ehcp.advice-due-soon", "advice:12"),
        ("ehcp.sign-off-summary", "date:2026-06-15"),
        ("clinics.appointment-soon", f"appointment:{appointment.pk}"),
        ("meetings.meeting-soon", f"meeting:{meeting.pk}:7d:seq0"),
        ("meetings.papers-due", f"meeting:{meeting.pk}:papers:seq0"),
    }
    advice = copied["ehcp.advice-due-soon", "advice:12"]
    assert (advice.recipient_id, advice.about, advice.outcome, advice.attempts) == (
        health_professional_a.pk,
        "advice:12",
        "sent",
        1,
    )
    assert advice.created_at == advice.sent_at == SENT_AT
    family = copied["clinics.appointment-soon", f"appointment:{appointment.pk}"]
    assert (family.recipient_id, family.recipient_address, family.about, family.outcome) == (
        None,
        "family@example.org",
        f"appointment:{appointment.pk}",
        "sent",
    )
    papers = copied["meetings.papers-due", f"meeting:{meeting.pk}:papers:seq0"]
    assert (papers.recipient_id, papers.about, papers.outcome, papers.attempts) == (
        dco.pk,
        f"meeting:{meeting.pk}",
        "failed",
        2,
    )
    assert papers.error == "SMTPServerDisconnected: Connection unexpectedly closed"
    assert papers.created_at == CLAIMED_AT
    soon = copied["meetings.meeting-soon", f"meeting:{meeting.pk}:7d:seq0"]
    assert (soon.outcome, soon.sent_at, soon.created_at) == ("sent", SENT_AT, CLAIMED_AT)

    # What went before the move does not go again; the failed one is tried again.
    again = [
        Due("ehcp.advice-due-soon", "advice:12", email, recipient=health_professional_a),
        Due("ehcp.sign-off-summary", "date:2026-06-15", email, recipient=dmo),
        Due(
            "clinics.appointment-soon",
            f"appointment:{appointment.pk}",
            email,
            address="family@example.org",
        ),
        Due("meetings.meeting-soon", f"meeting:{meeting.pk}:7d:seq0", email, recipient=dco),
        Due("meetings.papers-due", f"meeting:{meeting.pk}:papers:seq0", email, recipient=dco),
    ]
    mail.outbox.clear()
    assert send_once(again) == 1
    assert [m.to for m in mail.outbox] == [[dco.email]]
    papers.refresh_from_db()
    assert (papers.outcome, papers.attempts) == ("sent", 3)


@pytest.mark.django_db(transaction=True)
def test_migrating_back_puts_the_reminders_back(
    dmo, dco, health_professional_a, appointment, meeting
):
    try:
        old = migrate(BEFORE)
        make_old_reminders(old, dmo, dco, health_professional_a, appointment, meeting)
        migrate(AFTER)

        old = migrate(BEFORE)
        back = {
            "ehcp": sorted(
                old.get_model("ehcp", "Reminder").objects.values_list(
                    "kind", "subject", "recipient_id", "sent_at"
                )
            ),
            "clinics": list(
                old.get_model("clinics", "Reminder").objects.values_list(
                    "kind", "appointment_id", "recipient"
                )
            ),
            "meetings": sorted(
                old.get_model("meetings", "MeetingReminder").objects.values_list(
                    "kind", "subject", "recipient_id", "meeting_id", "outcome", "attempts"
                )
            ),
        }
        deliveries_left = Delivery.objects.count()

        migrate(AFTER)  # and forward again: nothing copied twice
        forward_again = Delivery.objects.count()
    finally:
        latest()

    assert back["ehcp"] == [
        ("advice-due-soon", "advice:12", health_professional_a.pk, SENT_AT),
        ("sign-off-summary", "date:2026-06-15", dmo.pk, SENT_AT),
    ]
    assert back["clinics"] == [("appointment-soon", appointment.pk, "family@example.org")]
    assert back["meetings"] == [
        ("meeting-soon", f"meeting:{meeting.pk}:7d:seq0", dco.pk, meeting.pk, "sent", 1),
        ("papers-due", f"meeting:{meeting.pk}:papers:seq0", dco.pk, meeting.pk, "failed", 2),
    ]
    assert deliveries_left == 0
    assert forward_again == 5
