"""Meeting and action reminders: what each 15-minute run sends, to whom, and that nothing goes
twice.

The task is called as a plain function at the London time each test names. People and the
Health Café (chaired by the DCO; the DCO, DMO and Clinical Lead are members) are made on
Monday 1 June 2026; its next meeting is on Tuesday 9 June 2026 at 10:00, with the default
reminders 7 days and 1 day before, and the agenda locking 48 hours before.
"""

import datetime
import smtplib
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_celery_beat.models import PeriodicTask
from icalendar import Calendar

from ehcp.tests.factories import ChildFactory, make_assessment
from meetings import selectors, services
from meetings.models import Action, AgendaItem, Attendance, Meeting, ReminderKind
from meetings.tasks import announce_minutes, send_meeting_reminders
from meetings.tests.factories import make_series
from notifications import selectors as delivery_selectors
from notifications.models import Delivery, Notification
from send_portal.london_time import LONDON
from service_status.schedules import PERIODIC_SCHEDULES

Kind = ReminderKind
Outcome = Delivery.Outcome
MEETING_DAY = datetime.date(2026, 6, 9)


def at(year, month, day, hour=10, minute=0):
    """Travel to a wall-clock time in London."""
    moment = datetime.datetime(year, month, day, hour, minute, tzinfo=LONDON)
    return time_machine.travel(moment, tick=False)


def at_day(day: datetime.date, hour=10, minute=0):
    return at(day.year, day.month, day.day, hour, minute)


@pytest.fixture(autouse=True)
def on_1_june_2026():
    with at(2026, 6, 1):
        yield


@pytest.fixture
def meeting(cafe_meeting):
    assert cafe_meeting.starts_at == datetime.datetime(2026, 6, 9, 10, tzinfo=LONDON)
    return cafe_meeting


def run_at(day: datetime.date, hour=10, minute=0) -> int:
    with at(day.year, day.month, day.day, hour, minute):
        return send_meeting_reminders()


def days_before(n: int, hour=10, minute=0) -> tuple:
    day = MEETING_DAY - datetime.timedelta(days=n)
    return day, hour, minute


def sent(kind=None) -> list[Delivery]:
    reminders = Delivery.objects.order_by("pk")
    return list(reminders.filter(kind=kind) if kind else reminders)


def recipients(emails) -> list[str]:
    return sorted(email.to[0] for email in emails)


def calendar_attachments(email) -> list[Calendar]:
    return [
        Calendar.from_ical(part.get_payload(decode=True))
        for part in email.message().walk()
        if part.get_content_type() == "text/calendar"
    ]


def smtp_down():
    return mock.patch(
        "django.core.mail.backends.locmem.EmailBackend.send_messages",
        side_effect=smtplib.SMTPServerDisconnected("Connection unexpectedly closed"),
    )


# --- Members' reminders before a meeting ---------------------------------------------------


@pytest.mark.django_db
def test_the_7_day_reminder_goes_7_days_before_and_not_a_minute_sooner(
    meeting, dco, dmo, clinical_lead
):
    assert run_at(*days_before(7, 9, 59)) == 0
    assert mail.outbox == []

    assert run_at(*days_before(7)) == 3

    assert recipients(mail.outbox) == sorted([dco.email, dmo.email, clinical_lead.email])
    email = next(e for e in mail.outbox if e.to == [dmo.email])
    assert email.subject == "Reminder: SEND Health Café on Tuesday 9 June 2026 at 10am"
    assert "Where: Jarrow Focus, Cambrian Street, Jarrow" in email.body
    assert f"http://127.0.0.1:8000/meetings/{meeting.pk}/" in email.body
    (invitation,) = calendar_attachments(email)
    assert invitation["METHOD"] == "REQUEST"
    assert invitation.events[0]["UID"] == f"{meeting.calendar_uid}@send-portal"
    assert {(r.kind, r.subject, r.outcome, r.attempts) for r in sent()} == {
        (Kind.MEETING_SOON, f"meeting:{meeting.pk}:7d:seq0", Outcome.SENT, 1)
    }
    assert Notification.objects.filter(recipient=dmo, link=f"/meetings/{meeting.pk}/").count() == 1


@pytest.mark.django_db
def test_the_reminder_carries_the_agenda(meeting, dmo):
    AgendaItem.objects.create(meeting=meeting, position=1, title="Welcome and apologies")
    AgendaItem.objects.create(meeting=meeting, position=2, title="Waiting times for therapy")

    run_at(*days_before(7))

    body = next(e for e in mail.outbox if e.to == [dmo.email]).body
    assert "1. Welcome and apologies\n2. Waiting times for therapy" in body


@pytest.mark.django_db
def test_the_1_day_reminder_goes_1_day_before(meeting):
    run_at(*days_before(7))
    run_at(*days_before(2))  # the chair's "papers due"
    mail.outbox.clear()

    assert run_at(*days_before(1, 9, 45)) == 0
    assert run_at(*days_before(1)) == 3

    assert {e.subject for e in mail.outbox} == {
        "Reminder: SEND Health Café on Tuesday 9 June 2026 at 10am"
    }
    assert {r.subject for r in sent(Kind.MEETING_SOON)} == {
        f"meeting:{meeting.pk}:7d:seq0",
        f"meeting:{meeting.pk}:1d:seq0",
    }


@pytest.mark.django_db
def test_a_reminder_missed_while_beat_was_down_goes_on_the_next_run_before_the_meeting(meeting):
    assert run_at(*days_before(4)) == 3

    assert {r.subject for r in sent()} == {f"meeting:{meeting.pk}:7d:seq0"}


@pytest.mark.django_db
def test_only_the_nearest_reminder_goes_when_two_are_due_at_once(meeting):
    # Nothing ran all week: the 1-day reminder goes, not a stale 7-day one as well.
    assert run_at(*days_before(1, 11)) == 3 + 1  # and the chair's "papers due"
    assert run_at(*days_before(1, 11, 15)) == 0

    assert {r.subject for r in sent(Kind.MEETING_SOON)} == {f"meeting:{meeting.pk}:1d:seq0"}


@pytest.mark.django_db
def test_no_reminder_once_the_meeting_has_started(meeting):
    assert run_at(MEETING_DAY, 10, 0) == 0
    assert run_at(MEETING_DAY, 10, 15) == 0
    assert sent() == []


@pytest.mark.django_db
def test_the_days_come_from_the_series(dco, dmo, clinical_lead):
    series = make_series(name="Intelligence sharing", reminder_days=[14, 3])
    meeting = series.meetings.order_by("starts_at").first()
    starts = meeting.starts_at.astimezone(LONDON)
    fourteen_before = starts - datetime.timedelta(days=14)

    assert run_at(fourteen_before.date(), starts.hour, starts.minute) == 3
    assert {r.subject for r in sent()} == {f"meeting:{meeting.pk}:14d:seq0"}


@pytest.mark.django_db
def test_someone_who_sent_apologies_is_not_reminded(meeting, dmo, dco, clinical_lead):
    with at(2026, 6, 1):
        services.send_apologies(meeting, dmo)

    run_at(*days_before(7))
    run_at(*days_before(1))

    reminders = [e for e in mail.outbox if e.subject.startswith("Reminder:")]
    assert recipients(reminders) == sorted([dco.email, clinical_lead.email] * 2)
    assert {r.recipient for r in sent(Kind.MEETING_SOON)} == {dco, clinical_lead}


# --- Never twice -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_running_again_sends_nothing_more(meeting):
    assert run_at(*days_before(7)) == 3

    assert run_at(*days_before(7, 10, 15)) == 0
    assert run_at(*days_before(6)) == 0

    assert len(mail.outbox) == 3
    assert Notification.objects.count() == 3


@pytest.mark.django_db
def test_two_beats_at_the_same_moment_send_each_reminder_once(meeting):
    day, hour, minute = days_before(7)
    with at(day.year, day.month, day.day, hour, minute):
        first = send_meeting_reminders()
        second = send_meeting_reminders()

    assert (first, second) == (3, 0)
    assert len(mail.outbox) == 3


@pytest.mark.django_db
def test_a_reminder_another_run_has_claimed_is_left_to_it(meeting, dmo, dco, clinical_lead):
    # Another worker inserted the claim and is sending it right now.
    Delivery.objects.create(
        kind=Kind.MEETING_SOON,
        subject=f"meeting:{meeting.pk}:7d:seq0",
        recipient=dmo,
        about=f"meeting:{meeting.pk}",
        outcome=Outcome.SENDING,
        attempts=1,
    )

    assert run_at(*days_before(7)) == 2

    assert recipients(mail.outbox) == sorted([dco.email, clinical_lead.email])
    assert not Notification.objects.filter(recipient=dmo).exists()


@pytest.mark.django_db
def test_a_claim_made_between_reading_and_inserting_is_respected(meeting, dmo):
    # The run read no claims, then another run inserted one before this run's insert: the
    # unique constraint refuses this run's claim, and it skips the reminder.
    real_claims = delivery_selectors.claimed

    def claims_then_race(subjects):
        found = real_claims(subjects)
        Delivery.objects.get_or_create(
            kind=Kind.MEETING_SOON,
            subject=f"meeting:{meeting.pk}:7d:seq0",
            recipient=dmo,
            defaults={"about": f"meeting:{meeting.pk}", "outcome": Outcome.SENT, "attempts": 1},
        )
        return found

    with mock.patch.object(delivery_selectors, "claimed", claims_then_race):
        assert run_at(*days_before(7)) == 2

    assert dmo.email not in recipients(mail.outbox)


# --- Moved and cancelled meetings --------------------------------------------------------------


def move(meeting, starts_at, place="Town Hall, South Shields"):
    return services.move_meeting(Meeting.objects.get(pk=meeting.pk), starts_at, place)


@pytest.mark.django_db
def test_a_moved_meeting_is_announced_once_per_move_with_fresh_reminders(
    meeting, dco, dmo, clinical_lead
):
    run_at(*days_before(7))  # 2 June: the 7-day reminder, for the old time
    mail.outbox.clear()

    # Moved on 3 June to 9am on 10 June: already within 7 days of the new time.
    with at(2026, 6, 3, 9):
        move(meeting, datetime.datetime(2026, 6, 10, 9, tzinfo=LONDON))
    assert run_at(datetime.date(2026, 6, 3), 9, 15) == 6
    assert run_at(datetime.date(2026, 6, 3), 9, 30) == 0

    subjects = sorted(e.subject for e in mail.outbox)
    assert subjects == sorted(
        ["Meeting moved: SEND Health Café is now on Wednesday 10 June 2026 at 9am"] * 3
        + ["Reminder: SEND Health Café on Wednesday 10 June 2026 at 9am"] * 3
    )
    moved_email = next(e for e in mail.outbox if e.subject.startswith("Meeting moved"))
    (invitation,) = calendar_attachments(moved_email)
    event = invitation.events[0]
    assert (event["UID"], event["SEQUENCE"]) == (f"{meeting.calendar_uid}@send-portal", 1)
    assert event.start == datetime.datetime(2026, 6, 10, 9, tzinfo=LONDON)
    assert {r.subject for r in sent(Kind.MEETING_MOVED)} == {f"meeting:{meeting.pk}:moved:seq1"}

    mail.outbox.clear()
    with at(2026, 6, 4, 9):
        move(meeting, datetime.datetime(2026, 6, 11, 9, tzinfo=LONDON))
    assert run_at(datetime.date(2026, 6, 4), 9, 15) == 6
    assert len([e for e in mail.outbox if e.subject.startswith("Meeting moved")]) == 3
    assert len(sent(Kind.MEETING_MOVED)) == 6
    assert {r.subject for r in sent(Kind.MEETING_SOON)} == {
        f"meeting:{meeting.pk}:7d:seq0",
        f"meeting:{meeting.pk}:7d:seq1",
        f"meeting:{meeting.pk}:7d:seq2",
    }


@pytest.mark.django_db
def test_a_meeting_moved_weeks_ahead_is_announced_now_and_reminded_later(meeting, dco):
    with at(2026, 6, 1, 11):
        move(meeting, datetime.datetime(2026, 7, 7, 10, tzinfo=LONDON))

    assert run_at(datetime.date(2026, 6, 1), 11, 15) == 3
    assert {r.kind for r in sent()} == {Kind.MEETING_MOVED}
    assert run_at(datetime.date(2026, 6, 30)) == 3
    assert {r.subject for r in sent(Kind.MEETING_SOON)} == {f"meeting:{meeting.pk}:7d:seq1"}


@pytest.mark.django_db
def test_a_cancelled_meeting_gets_one_cancellation_notice_and_nothing_else(
    meeting, dco, dmo, clinical_lead
):
    services.send_apologies(meeting, dmo)
    with at(2026, 6, 1, 11):
        services.cancel_meeting(meeting, "The venue is closed for repairs.")

    assert run_at(datetime.date(2026, 6, 1), 11, 15) == 3
    for moment in (days_before(7), days_before(2), days_before(1)):
        assert run_at(*moment) == 0

    assert {r.kind for r in sent()} == {Kind.MEETING_CANCELLED}
    # Everyone, those who sent apologies too, has the meeting in their calendar.
    assert recipients(mail.outbox) == sorted([dco.email, dmo.email, clinical_lead.email])
    email = mail.outbox[0]
    assert email.subject == "Meeting cancelled: SEND Health Café on Tuesday 9 June 2026 at 10am"
    assert "Reason: The venue is closed for repairs." in email.body
    (cancel,) = calendar_attachments(email)
    assert cancel["METHOD"] == "CANCEL"
    assert cancel.events[0]["STATUS"] == "CANCELLED"


@pytest.mark.django_db
def test_a_failed_reminder_is_not_retried_once_the_meeting_is_cancelled(meeting, dco):
    with smtp_down():
        assert run_at(*days_before(7)) == 0
    with at_day(*days_before(6)):
        services.cancel_meeting(meeting, "No quorum.")

    assert run_at(*days_before(6, 10, 15)) == 3

    assert {e.subject.split(":")[0] for e in mail.outbox} == {"Meeting cancelled"}
    assert {r.outcome for r in sent(Kind.MEETING_SOON)} == {Outcome.FAILED}


# --- The chair: papers due, and minutes to publish ---------------------------------------------


@pytest.mark.django_db
def test_the_chair_is_told_papers_are_due_when_the_agenda_locks(meeting, dco):
    run_at(*days_before(7))
    mail.outbox.clear()

    assert run_at(*days_before(2, 9, 59)) == 0
    assert run_at(*days_before(2)) == 1

    (email,) = mail.outbox
    assert email.to == [dco.email]
    assert email.subject == (
        "Papers due: the agenda for SEND Health Café on Tuesday 9 June 2026 at 10am has closed"
    )
    assert [r.subject for r in sent(Kind.PAPERS_DUE)] == [f"meeting:{meeting.pk}:papers:seq0"]
    assert run_at(*days_before(2, 10, 15)) == 0


def close_on(meeting, moment: datetime.datetime):
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.CLOSED, closed_at=moment)


@pytest.mark.django_db
def test_the_chair_is_reminded_to_publish_minutes_5_working_days_after_closing(meeting, dco):
    # Closed on Thursday 11 June: Fri, Mon, Tue, Wed, Thu: reminded on Thursday 18 June.
    close_on(meeting, datetime.datetime(2026, 6, 11, 12, tzinfo=LONDON))

    assert run_at(datetime.date(2026, 6, 17), 23, 45) == 0
    assert run_at(datetime.date(2026, 6, 18), 0, 15) == 1
    assert run_at(datetime.date(2026, 6, 19)) == 0

    (email,) = mail.outbox
    assert email.to == [dco.email]
    assert email.subject == "Publish the minutes of the SEND Health Café of Tuesday 9 June 2026"
    assert [r.subject for r in sent(Kind.PUBLISH_MINUTES)] == [
        f"meeting:{meeting.pk}:publish-minutes"
    ]


@pytest.mark.django_db
def test_a_meeting_closed_before_its_day_is_chased_from_its_day_not_from_the_close(meeting, dco):
    # Started early (confirmed) and closed on Monday 1 June; the café is on Tuesday 9 June,
    # before which its minutes cannot be published: reminded 5 working days after the 9th.
    close_on(meeting, datetime.datetime(2026, 6, 1, 12, tzinfo=LONDON))

    assert run_at(datetime.date(2026, 6, 8)) == 0
    assert run_at(datetime.date(2026, 6, 15), 23, 45) == 0
    assert run_at(datetime.date(2026, 6, 16), 0, 15) == 1


@pytest.mark.django_db
def test_no_publish_reminder_when_the_minutes_are_out(meeting, dco):
    close_on(meeting, datetime.datetime(2026, 6, 11, 12, tzinfo=LONDON))
    Meeting.objects.filter(pk=meeting.pk).update(
        minutes_published_at=datetime.datetime(2026, 6, 15, 9, tzinfo=LONDON)
    )
    mail.outbox.clear()

    run_at(datetime.date(2026, 6, 18))

    assert sent(Kind.PUBLISH_MINUTES) == []


@pytest.mark.django_db
def test_working_days_skip_the_weekend():
    thursday = datetime.date(2026, 6, 11)

    assert services.add_working_days(thursday, 5) == datetime.date(2026, 6, 18)
    assert services.add_working_days(datetime.date(2026, 6, 13), 1) == datetime.date(2026, 6, 15)


# --- Minutes published -----------------------------------------------------------------------


@pytest.mark.django_db
def test_members_are_told_the_minutes_are_published_with_the_attendance(
    meeting, dco, dmo, clinical_lead
):
    with at(2026, 6, 9, 9, 55):
        services.send_apologies(meeting, clinical_lead)
    with at(2026, 6, 9, 10, 0):
        services.open_meeting(meeting, early_start_confirmed=True)
        rows = {a.user_id: a for a in meeting.attendance.all()}
        services.record_attendance(
            meeting,
            {
                rows[dco.pk].pk: Attendance.Status.PRESENT,
                rows[dmo.pk].pk: Attendance.Status.PRESENT,
            },
        )
        services.add_guest(meeting, "Pat Parent-Carer", "Parent Carer Forum")
    with at(2026, 6, 9, 11, 30):
        services.close_meeting(meeting)
    with at(2026, 6, 10, 9):
        services.publish_minutes(meeting)  # the task goes on commit: not in this test
        mail.outbox.clear()
        assert announce_minutes(meeting.pk) == 3
        assert announce_minutes(meeting.pk) == 0

    assert recipients(mail.outbox) == sorted([dco.email, dmo.email, clinical_lead.email])
    email = mail.outbox[0]
    assert email.subject == "Minutes published: SEND Health Café of Tuesday 9 June 2026"
    assert f"http://127.0.0.1:8000/meetings/{meeting.pk}/" in email.body
    assert "Present: Dee Ceeo, Dr Dee Emmo" in email.body
    assert "Apologies: Cee Lead" in email.body
    assert "Guests: Pat Parent-Carer (Parent Carer Forum)" in email.body
    # The 15-minute run, the backstop if the task was lost, finds nothing left to send.
    assert run_at(datetime.date(2026, 6, 10), 9, 15) == 0


@pytest.mark.django_db
def test_the_run_announces_minutes_whose_task_was_lost(meeting, dco):
    close_on(meeting, datetime.datetime(2026, 6, 9, 12, tzinfo=LONDON))
    Meeting.objects.filter(pk=meeting.pk).update(
        minutes_published_at=datetime.datetime(2026, 6, 10, 9, tzinfo=LONDON)
    )

    assert run_at(datetime.date(2026, 6, 10), 9, 15) == 3
    assert {r.kind for r in sent()} == {Kind.MINUTES_PUBLISHED}


@pytest.mark.django_db
def test_announcing_minutes_not_published_or_of_a_deleted_meeting_sends_nothing(meeting):
    assert announce_minutes(meeting.pk) == 0
    assert announce_minutes(999999) == 0
    assert mail.outbox == []


# --- Actions ---------------------------------------------------------------------------------


@pytest.fixture
def action(meeting, dmo):
    return Action.objects.create(
        meeting=meeting,
        description="Write to Jessamine Quarrington's school about her therapy",
        owner=dmo,
        due_on=datetime.date(2026, 6, 22),
    )


@pytest.mark.django_db
def test_the_owner_is_reminded_3_days_before_an_action_is_due(action, dmo):
    assert run_at(datetime.date(2026, 6, 18), 23, 45) == 0
    assert run_at(datetime.date(2026, 6, 19), 0, 15) == 1

    (email,) = mail.outbox
    assert email.to == [dmo.email]
    assert email.subject == "Action due on Monday 22 June 2026"
    assert [(r.kind, r.subject) for r in sent()] == [
        (Kind.ACTION_DUE_SOON, f"action:{action.pk}:2026-06-22")
    ]
    assert run_at(datetime.date(2026, 6, 22), 23, 45) == 0


@pytest.mark.django_db
def test_the_owner_is_told_the_day_after_an_action_is_overdue_and_only_once(action, dmo):
    run_at(datetime.date(2026, 6, 19))
    mail.outbox.clear()

    assert run_at(datetime.date(2026, 6, 23), 0, 15) == 1
    assert run_at(datetime.date(2026, 6, 30)) == 0

    (email,) = mail.outbox
    assert email.subject == "Action overdue: it was due on Monday 22 June 2026"
    assert "(1 day late)" in email.body


@pytest.mark.django_db
def test_a_done_action_is_not_chased(action, dmo):
    Action.objects.filter(pk=action.pk).update(status=Action.Status.DONE)

    assert run_at(datetime.date(2026, 6, 19)) == 0
    assert run_at(datetime.date(2026, 6, 23)) == 0


@pytest.mark.django_db
def test_action_reminders_do_not_repeat_its_text(action):
    run_at(datetime.date(2026, 6, 19))
    run_at(datetime.date(2026, 6, 23))

    for email in mail.outbox:
        assert "Jessamine" not in email.body and "Quarrington" not in email.subject
    for notification in Notification.objects.all():
        assert "Jessamine" not in notification.title + notification.body


# --- No child is named --------------------------------------------------------------------------


@pytest.mark.django_db
def test_no_email_or_notification_names_a_child(meeting, dco):
    child = ChildFactory(first_name="Jessamine", last_name="Quarrington")
    AgendaItem.objects.create(
        meeting=meeting,
        position=1,
        title="Jessamine Quarrington: request for assessment",
        assessment=make_assessment(child=child),
    )

    run_at(*days_before(7))
    run_at(*days_before(2))
    with at_day(*days_before(1, 9)):
        services.cancel_meeting(meeting, "Chair unwell.")
    run_at(*days_before(1))

    assert {r.kind for r in sent()} == {Kind.MEETING_SOON, Kind.PAPERS_DUE, Kind.MEETING_CANCELLED}
    assert "1. Panel case" in mail.outbox[0].body
    for email in mail.outbox:
        message = email.message().as_bytes()
        assert b"Jessamine" not in message and b"Quarrington" not in message
    for notification in Notification.objects.all():
        assert "Jessamine" not in f"{notification.title} {notification.body}"


# --- When the email cannot be sent ----------------------------------------------------------------


@pytest.mark.django_db
def test_a_failed_email_is_recorded_and_retried_on_the_next_run(meeting, dmo):
    with smtp_down():
        assert run_at(*days_before(7)) == 0

    failed = sent()
    assert {(r.outcome, r.attempts) for r in failed} == {(Outcome.FAILED, 1)}
    assert "SMTPServerDisconnected: Connection unexpectedly closed" in failed[0].error
    assert mail.outbox == []
    # The portal still tells them.
    assert Notification.objects.count() == 3

    assert run_at(*days_before(7, 10, 15)) == 3

    assert {(r.outcome, r.attempts, r.error) for r in sent()} == {(Outcome.SENT, 2, "")}
    assert len(mail.outbox) == 3
    assert Notification.objects.count() == 3  # not a second one
    assert run_at(*days_before(7, 10, 30)) == 0
    assert len(mail.outbox) == 3


@pytest.mark.django_db
def test_a_reminder_is_tried_5_times_then_shown_to_the_dco(meeting):
    with smtp_down():
        for minute in (0, 15, 30, 45):
            run_at(*days_before(7, 10, minute))
        assert {(r.outcome, r.attempts) for r in sent()} == {(Outcome.FAILED, 4)}
        run_at(*days_before(7, 11, 0))
        run_at(*days_before(7, 11, 15))  # no sixth attempt
    assert {(r.outcome, r.attempts) for r in sent()} == {(Outcome.FAILED, 5)}

    assert run_at(*days_before(7, 11, 30)) == 0
    assert mail.outbox == []
    shown = list(selectors.failed_reminders(None))
    assert len(shown) == 3
    assert {r.will_retry for r in shown} == {False}


@pytest.mark.django_db
def test_a_failed_reminder_still_being_retried_is_shown_as_such(meeting):
    with smtp_down():
        run_at(*days_before(7))

    with at_day(*days_before(7, 10, 5)):
        shown = list(selectors.failed_reminders(None))

    assert len(shown) == 3 and {r.will_retry for r in shown} == {True}


@pytest.mark.django_db
def test_a_retry_another_run_has_taken_is_left_to_it(meeting, dmo):
    with smtp_down():
        run_at(*days_before(7))
    # Another run's conditional update took dmo's retry a moment ago.
    Delivery.objects.filter(recipient=dmo).update(outcome=Outcome.SENDING, attempts=2)

    assert run_at(*days_before(7, 10, 15)) == 2

    assert dmo.email not in recipients(mail.outbox)


@pytest.mark.django_db
def test_an_interrupted_send_is_never_repeated_and_is_shown_after_an_hour(meeting, dmo):
    with at_day(*days_before(7)):
        Delivery.objects.create(
            kind=Kind.MEETING_SOON,
            subject=f"meeting:{meeting.pk}:7d:seq0",
            recipient=dmo,
            about=f"meeting:{meeting.pk}",
            outcome=Outcome.SENDING,
            attempts=1,
        )

    run_at(*days_before(7, 10, 15))
    run_at(*days_before(7, 11, 15))

    assert dmo.email not in recipients(mail.outbox)
    with at_day(*days_before(7, 10, 30)):
        assert list(selectors.failed_reminders(None)) == []
    with at_day(*days_before(7, 11, 30)):
        (shown,) = selectors.failed_reminders(None)
    assert (shown.recipient, shown.outcome, shown.will_retry) == (dmo, Outcome.SENDING, False)


# --- The schedule, and the cost of a run ----------------------------------------------------------


@pytest.mark.django_db
def test_beat_wakes_the_task_every_15_minutes():
    (schedule,) = [s for s in PERIODIC_SCHEDULES if s.name == "Meeting reminders"]
    assert (schedule.task, schedule.every_seconds) == ("meetings.tasks.send_meeting_reminders", 900)
    task = PeriodicTask.objects.get(name="Meeting reminders")
    assert task.interval.every == 900
    assert task.expire_seconds < 900


def queries_of_a_quiet_run(moment) -> int:
    run_at(*moment)  # sends what is due
    with CaptureQueriesContext(connection) as queries:
        assert run_at(*moment) == 0
    return len(queries)


@pytest.mark.django_db
def test_a_run_takes_the_same_queries_however_many_meetings_and_actions(meeting, dmo, dco):
    moment = days_before(1)
    one = queries_of_a_quiet_run(moment)

    for name in ("SEND Panel", "Intelligence sharing", "Parent carer forum"):
        other = make_series(name=name, rrule="FREQ=WEEKLY;BYDAY=MO")
        for day in range(3):
            Action.objects.create(
                meeting=other.meetings.order_by("starts_at").first(),
                description="Follow up",
                owner=dco,
                due_on=datetime.date(2026, 6, 5 + day),
            )
    many = queries_of_a_quiet_run(moment)

    # The longest notice; the meetings, their agendas, their apologies; the meetings whose
    # minutes are to chase, and to announce; the series' named and role members; the actions;
    # the claims already made.
    assert one == many == 10
