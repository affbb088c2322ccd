"""send_once: each message claimed before it goes, sent once, a failed email tried again up to
the limit, one interrupted mid-send never sent again; and the database's own guard."""

import datetime
import smtplib
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from notifications import selectors
from notifications.delivery import Due, Message, pending, send_once
from notifications.models import Delivery, Notification

pytestmark = pytest.mark.django_db

Outcome = Delivery.Outcome
TEMPLATE = "notifications/email/notification.txt"


def message(due: Due) -> Message:
    return Message(
        title="Agenda closed",
        body="Check the papers.",
        link="/meetings/1/",
        email_subject="Papers due",
        template=TEMPLATE,
        context={"title": "Agenda closed"},
    )


def to(person, subject="meeting:1:papers", **kwargs) -> Due:
    return Due("tests.papers-due", subject, message, recipient=person, about="meeting:1", **kwargs)


def to_family(address="family@example.org", subject="appointment:1") -> Due:
    return Due("tests.appointment-soon", subject, message, address=address, about=subject)


def smtp_down():
    return mock.patch(
        "django.core.mail.backends.locmem.EmailBackend.send_messages",
        side_effect=smtplib.SMTPServerDisconnected("Connection unexpectedly closed"),
    )


# --- Once ---------------------------------------------------------------------------------------


def test_a_person_hears_in_the_portal_and_by_email_once(dco, dmo):
    assert send_once([to(dco), to(dmo)]) == 2
    assert send_once([to(dco), to(dmo)]) == 0  # a second run sends nothing

    assert sorted(m.to[0] for m in mail.outbox) == sorted([dco.email, dmo.email])
    assert mail.outbox[0].subject == "Papers due"
    notification = Notification.objects.get(recipient=dco)
    assert (notification.title, notification.body, notification.link) == (
        "Agenda closed",
        "Check the papers.",
        "/meetings/1/",
    )
    assert Notification.objects.count() == 2
    row = Delivery.objects.get(recipient=dco)
    assert (row.kind, row.subject, row.about, row.recipient_address) == (
        "tests.papers-due",
        "meeting:1:papers",
        "meeting:1",
        "",
    )
    assert (row.outcome, row.attempts, row.error) == (Outcome.SENT, 1, "")
    assert row.sent_at is not None


def test_a_family_gets_the_email_only_and_once():
    assert send_once([to_family()]) == 1
    assert send_once([to_family()]) == 0

    assert [m.to for m in mail.outbox] == [["family@example.org"]]
    assert not Notification.objects.exists()
    row = Delivery.objects.get()
    assert (row.recipient, row.recipient_address, row.outcome) == (
        None,
        "family@example.org",
        Outcome.SENT,
    )


def test_the_same_message_twice_in_one_run_goes_once(dco):
    assert send_once([to(dco), to(dco), to_family(), to_family()]) == 2
    assert len(mail.outbox) == 2


def test_another_subject_kind_or_recipient_is_another_message(dco, dmo):
    assert send_once([to(dco)]) == 1
    assert send_once([to(dco, subject="meeting:2:papers"), to(dmo)]) == 2
    assert send_once([to_family(), to_family(address="other@example.org")]) == 2
    assert Delivery.objects.count() == 5


def test_a_message_claimed_by_another_run_is_left_to_it(dco):
    Delivery.objects.create(
        kind="tests.papers-due", subject="meeting:1:papers", recipient=dco, attempts=1
    )

    assert send_once([to(dco)]) == 0
    assert mail.outbox == [] and not Notification.objects.exists()


def test_a_claim_made_between_reading_and_inserting_is_refused_by_the_database(dco, dmo):
    real_claimed = selectors.claimed

    def claimed_then_race(subjects):
        found = real_claimed(subjects)
        Delivery.objects.create(
            kind="tests.papers-due",
            subject="meeting:1:papers",
            recipient=dco,
            outcome=Outcome.SENT,
            attempts=1,
        )
        Delivery.objects.create(
            kind="tests.appointment-soon",
            subject="appointment:1",
            recipient_address="family@example.org",
            outcome=Outcome.SENT,
            attempts=1,
        )
        return found

    with mock.patch.object(selectors, "claimed", claimed_then_race):
        assert send_once([to(dco), to_family(), to(dmo)]) == 1

    assert [m.to for m in mail.outbox] == [[dmo.email]]


# --- The database's guard ----------------------------------------------------------------------


def test_the_database_refuses_a_second_row_for_the_same_message(dco):
    Delivery.objects.create(kind="tests.k", subject="s:1", recipient=dco)
    Delivery.objects.create(kind="tests.k", subject="s:1", recipient_address="a@example.org")
    with pytest.raises(IntegrityError), transaction.atomic():
        Delivery.objects.create(kind="tests.k", subject="s:1", recipient=dco)
    with pytest.raises(IntegrityError), transaction.atomic():
        Delivery.objects.create(kind="tests.k", subject="s:1", recipient_address="a@example.org")


def test_a_delivery_goes_to_a_person_or_an_address_never_both_or_neither(dco):
    with pytest.raises(IntegrityError), transaction.atomic():
        Delivery.objects.create(
            kind="tests.k", subject="s:1", recipient=dco, recipient_address="a@example.org"
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Delivery.objects.create(kind="tests.k", subject="s:1")
    with pytest.raises(ValueError):
        Due("tests.k", "s:1", message)
    with pytest.raises(ValueError):
        Due("tests.k", "s:1", message, recipient=dco, address="a@example.org")


# --- When the email cannot be sent ---------------------------------------------------------------


def test_a_failed_email_is_recorded_keeps_the_notification_and_is_retried_by_a_later_run(dco):
    with smtp_down():
        assert send_once([to(dco)]) == 0

    row = Delivery.objects.get()
    assert (row.outcome, row.attempts) == (Outcome.FAILED, 1)
    assert row.error == "SMTPServerDisconnected: Connection unexpectedly closed"
    assert Notification.objects.count() == 1

    assert send_once([to(dco)]) == 1

    row.refresh_from_db()
    assert (row.outcome, row.attempts, row.error) == (Outcome.SENT, 2, "")
    assert [m.to for m in mail.outbox] == [[dco.email]]
    assert Notification.objects.count() == 1  # the retry is the email only


def test_a_failed_email_is_tried_up_to_the_limit_then_left(dco):
    with smtp_down():
        for _ in range(selectors.MAX_ATTEMPTS + 2):
            send_once([to(dco)])

    row = Delivery.objects.get()
    assert (row.outcome, row.attempts) == (Outcome.FAILED, selectors.MAX_ATTEMPTS)
    assert send_once([to(dco)]) == 0
    assert mail.outbox == []


def test_a_retry_another_run_has_taken_is_left_to_it(dco):
    with smtp_down():
        send_once([to(dco)])
    # Another run's conditional update took the retry a moment ago.
    Delivery.objects.update(outcome=Outcome.SENDING, attempts=2)

    assert send_once([to(dco)]) == 0
    assert mail.outbox == []


def test_a_message_interrupted_mid_send_is_never_sent_again_and_is_shown_after_an_hour(dco):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        Delivery.objects.create(
            kind="tests.papers-due",
            subject="meeting:1:papers",
            about="meeting:1",
            recipient=dco,
            outcome=Outcome.SENDING,
            attempts=1,
        )
    later = start + datetime.timedelta(hours=2)
    with time_machine.travel(later, tick=False):
        assert send_once([to(dco)]) == 0
        (shown,) = selectors.failed_or_interrupted("meeting:")

    assert mail.outbox == []
    assert (shown.outcome, shown.will_retry) == (Outcome.SENDING, False)
    assert list(selectors.failed_or_interrupted("meeting:", now=start)) == []


def test_failed_ones_are_listed_by_what_they_are_about_and_whether_they_will_be_retried(dco, dmo):
    with smtp_down():
        send_once([to(dco), to(dmo, subject="advice:1:x"), to_family()])
    Delivery.objects.filter(recipient=dmo).update(about="advice:1")
    Delivery.objects.filter(recipient=dco).update(attempts=selectors.MAX_ATTEMPTS)

    (meeting_one,) = selectors.failed_or_interrupted("meeting:")
    assert (meeting_one.recipient, meeting_one.will_retry) == (dco, False)
    listed = selectors.failed_or_interrupted()
    assert len(listed) == 3
    assert {row.will_retry for row in listed if row.recipient != dco} == {True}


def test_a_family_address_is_never_kept_in_the_error():
    refused = smtplib.SMTPRecipientsRefused({"family@example.org": (550, b"No such user")})
    with mock.patch(
        "django.core.mail.backends.locmem.EmailBackend.send_messages", side_effect=refused
    ):
        assert send_once([to_family()]) == 0

    assert Delivery.objects.get().error == "SMTPRecipientsRefused"


def test_raise_failures_records_the_failure_then_raises_it(dco):
    with smtp_down(), pytest.raises(smtplib.SMTPServerDisconnected):
        send_once([to(dco)], raise_failures=True)

    assert Delivery.objects.get().outcome == Outcome.FAILED


def test_a_caller_may_leave_the_retries_to_its_own_task(dco):
    with smtp_down():
        for _ in range(selectors.MAX_ATTEMPTS + 1):
            send_once([to(dco, max_attempts=None)])

    assert send_once([to(dco, max_attempts=None)]) == 1
    assert Delivery.objects.get().attempts == selectors.MAX_ATTEMPTS + 2


def test_a_notice_whose_notification_the_caller_made_is_emailed_only(dco):
    assert send_once([to(dco, in_portal=False)]) == 1

    assert [m.to for m in mail.outbox] == [[dco.email]]
    assert not Notification.objects.exists()


# --- What is left to send ----------------------------------------------------------------------


def test_pending_leaves_out_what_went_or_is_going_and_keeps_what_may_be_retried(
    dco, dmo, sendiass_officer
):
    send_once([to(dco)])
    with smtp_down():
        send_once([to(dmo)])
    Delivery.objects.create(
        kind="tests.papers-due", subject="meeting:1:papers", recipient=sendiass_officer
    )
    items = [to(dco), to(dmo), to(sendiass_officer), to_family()]

    assert [item.key for item in pending(items)] == [items[1].key, items[3].key]
    assert pending([]) == []
