"""Deadline reminders: what each hourly run sends, to whom (in the portal and by email), and
that nothing goes twice.

The task is called as a plain function at the London time each test names. People and
records are made on 1 June 2026; the advice request below is due on Monday 22 June 2026.
"""

import datetime
import smtplib
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from ehcp.models import AdviceRequest, ReminderKind
from ehcp.tasks import send_deadline_reminders
from ehcp.tests.factories import (
    ChildFactory,
    make_advice_request,
    make_assessment,
    make_plan_waiting_for_sign_off,
)
from notifications import selectors as delivery_selectors
from notifications.models import Delivery, Notification
from roles.models import RoleCode
from send_portal.london_time import LONDON
from tests.factories import person_holding

DUE_ON = datetime.date(2026, 6, 22)


def at(year, month, day, hour=10, minute=0):
    """Travel to a wall-clock time in London."""
    moment = datetime.datetime(year, month, day, hour, minute, tzinfo=LONDON)
    return time_machine.travel(moment, tick=False)


@pytest.fixture(autouse=True)
def on_1_june_2026():
    with at(2026, 6, 1):
        yield


@pytest.fixture
def advice_request(provider_a):
    assessment = make_assessment(requested_on=datetime.date(2026, 5, 11))
    return make_advice_request(assessment, provider=provider_a, due_on=DUE_ON)


def run_on(day: datetime.date, hour=10, minute=0) -> int:
    with at(day.year, day.month, day.day, hour, minute):
        return send_deadline_reminders()


def days_before_due(n: int) -> datetime.date:
    return DUE_ON - datetime.timedelta(days=n)


def smtp_down():
    return mock.patch(
        "django.core.mail.backends.locmem.EmailBackend.send_messages",
        side_effect=smtplib.SMTPServerDisconnected("Connection unexpectedly closed"),
    )


# --- Health advice due in 7 days ----------------------------------------------------------


@pytest.mark.django_db
def test_the_due_soon_reminder_goes_7_days_before_the_due_date_and_not_8(
    advice_request, health_professional_a
):
    assert run_on(days_before_due(8)) == 0
    assert mail.outbox == []

    assert run_on(days_before_due(7)) == 1

    (email,) = mail.outbox
    assert email.to == [health_professional_a.email]
    assert email.subject == "Health advice due on 22 June 2026"
    assert "Provider A NHS Foundation Trust was asked for is due on Monday 22 June 2026" in (
        email.body
    )
    assert f"http://127.0.0.1:8000/advice/{advice_request.pk}/" in email.body
    reminder = Delivery.objects.get()
    assert (reminder.kind, reminder.subject, reminder.recipient, reminder.outcome) == (
        ReminderKind.ADVICE_DUE_SOON,
        f"advice:{advice_request.pk}",
        health_professional_a,
        Delivery.Outcome.SENT,
    )


@pytest.mark.django_db
def test_an_advice_reminder_is_also_a_notification_in_the_portal(
    advice_request, health_professional_a
):
    run_on(days_before_due(7))
    run_on(DUE_ON + datetime.timedelta(days=1))

    due_soon, overdue = Notification.objects.filter(recipient=health_professional_a).order_by("pk")
    assert due_soon.title == "Health advice due on 22 June 2026"
    assert overdue.title == "Health advice overdue: it was due on 22 June 2026"
    assert {due_soon.link, overdue.link} == {f"/advice/{advice_request.pk}/"}
    assert "Provider A NHS Foundation Trust" in due_soon.body
    assert f"request reference {advice_request.pk}" in due_soon.body
    # Run again: no second notification.
    run_on(DUE_ON + datetime.timedelta(days=2))
    assert Notification.objects.filter(recipient=health_professional_a).count() == 2


@pytest.mark.django_db
def test_a_due_soon_reminder_missed_on_the_day_goes_on_a_later_run_before_the_due_date(
    advice_request, health_professional_a
):
    # Beat was down for days: the next run still sends what should have gone.
    assert run_on(days_before_due(2)) == 1
    assert mail.outbox[0].subject == "Health advice due on 22 June 2026"


@pytest.mark.django_db
def test_every_current_health_professional_at_the_provider_is_reminded(
    advice_request, health_professional_a, provider_a
):
    colleague = person_holding(RoleCode.HEALTH_PROFESSIONAL, provider_a)

    assert run_on(days_before_due(7)) == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [health_professional_a.email, colleague.email]
    )


# --- Health advice overdue ------------------------------------------------------------------


@pytest.mark.django_db
def test_the_overdue_reminder_goes_the_day_after_the_due_date_and_not_on_it(
    advice_request, health_professional_a
):
    run_on(days_before_due(7))
    mail.outbox.clear()

    assert run_on(DUE_ON, hour=23, minute=30) == 0
    assert mail.outbox == []

    assert run_on(DUE_ON + datetime.timedelta(days=1), hour=0, minute=30) == 1
    (email,) = mail.outbox
    assert email.subject == "Health advice overdue: it was due on 22 June 2026"
    assert "It is 1 day late." in email.body
    assert Delivery.objects.filter(kind=ReminderKind.ADVICE_OVERDUE).count() == 1


@pytest.mark.django_db
def test_the_overdue_reminder_goes_once(advice_request, health_professional_a):
    assert run_on(DUE_ON + datetime.timedelta(days=1)) == 1
    assert run_on(DUE_ON + datetime.timedelta(days=2)) == 0
    assert run_on(DUE_ON + datetime.timedelta(days=30)) == 0
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_advice_first_seen_overdue_gets_only_the_overdue_reminder(
    advice_request, health_professional_a
):
    run_on(DUE_ON + datetime.timedelta(days=3))

    assert list(Delivery.objects.values_list("kind", flat=True)) == [ReminderKind.ADVICE_OVERDUE]


# --- Idempotency -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_running_the_task_twice_sends_nothing_more(advice_request, health_professional_a, dmo):
    make_plan_waiting_for_sign_off()
    day = days_before_due(5)

    assert run_on(day, hour=9) == 2  # the advice reminder and the DMO's summary
    assert run_on(day, hour=9) == 0
    assert run_on(day, hour=10) == 0
    assert len(mail.outbox) == 2


@pytest.mark.django_db
def test_a_reminder_claimed_by_another_run_is_not_sent_again(advice_request, health_professional_a):
    # A second beat (or a retried task) got there first and claimed the reminder.
    Delivery.objects.create(
        kind=ReminderKind.ADVICE_DUE_SOON,
        subject=f"advice:{advice_request.pk}",
        recipient=health_professional_a,
        outcome=Delivery.Outcome.SENT,
        attempts=1,
    )

    assert run_on(days_before_due(7)) == 0
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_claim_lost_in_a_race_skips_that_reminder_and_the_run_goes_on(
    advice_request, health_professional_a, provider_a
):
    colleague = person_holding(RoleCode.HEALTH_PROFESSIONAL, provider_a)
    # Two beats at once: both read "not sent yet"; the other one then claimed this one.
    Delivery.objects.create(
        kind=ReminderKind.ADVICE_DUE_SOON,
        subject=f"advice:{advice_request.pk}",
        recipient=health_professional_a,
        outcome=Delivery.Outcome.SENT,
        attempts=1,
    )

    with mock.patch.object(delivery_selectors, "claimed", return_value={}):
        sent = run_on(days_before_due(7))

    # The unique constraint refused the second claim inside its own savepoint; the run
    # carried on and sent the colleague's reminder.
    assert sent == 1
    assert [m.to for m in mail.outbox] == [[colleague.email]]
    assert Delivery.objects.count() == 2


@pytest.mark.django_db
def test_a_failed_send_is_recorded_and_tried_again_by_the_next_run(
    advice_request, health_professional_a
):
    with smtp_down():
        assert run_on(days_before_due(7)) == 0
    failed = Delivery.objects.get()
    assert (failed.outcome, failed.attempts) == (Delivery.Outcome.FAILED, 1)
    assert failed.error == "SMTPServerDisconnected: Connection unexpectedly closed"
    assert Notification.objects.filter(recipient=health_professional_a).count() == 1

    assert run_on(days_before_due(7), hour=11) == 1

    sent = Delivery.objects.get()
    assert (sent.outcome, sent.attempts, sent.error) == (Delivery.Outcome.SENT, 2, "")
    assert [m.to for m in mail.outbox] == [[health_professional_a.email]]
    # The retry is the email only: the notification in the portal was made the first time.
    assert Notification.objects.filter(recipient=health_professional_a).count() == 1


@pytest.mark.django_db
def test_a_failed_send_is_tried_5_times_in_all(advice_request, health_professional_a):
    with smtp_down():
        for hour in range(10, 17):
            run_on(days_before_due(7), hour=hour)

    failed = Delivery.objects.get()
    assert (failed.outcome, failed.attempts) == (Delivery.Outcome.FAILED, 5)
    assert run_on(days_before_due(7), hour=18) == 0
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_reminder_interrupted_mid_send_is_never_sent_again(advice_request, health_professional_a):
    # A worker was stopped after claiming it: whether it went is unknown.
    Delivery.objects.create(
        kind=ReminderKind.ADVICE_DUE_SOON,
        subject=f"advice:{advice_request.pk}",
        recipient=health_professional_a,
        outcome=Delivery.Outcome.SENDING,
        attempts=1,
    )

    assert run_on(days_before_due(7), hour=10) == 0
    assert run_on(days_before_due(6), hour=10) == 0
    assert mail.outbox == []


# --- Who is reminded --------------------------------------------------------------------------


@pytest.mark.django_db
def test_nobody_is_reminded_whose_role_has_ended_or_who_works_elsewhere(
    advice_request, provider_a, health_professional_b
):
    person_holding(
        RoleCode.HEALTH_PROFESSIONAL,
        provider_a,
        starts_on=datetime.date(2025, 1, 1),
        ends_on=days_before_due(8),
    )
    person_holding(RoleCode.HEALTH_PROFESSIONAL, provider_a, user__is_active=False)
    person_holding(RoleCode.DCO, provider_a)  # another role at the same provider

    assert run_on(days_before_due(7)) == 0
    assert mail.outbox == []


@pytest.mark.django_db
def test_someone_who_starts_at_the_provider_later_is_reminded_from_then(advice_request, provider_a):
    newcomer = person_holding(
        RoleCode.HEALTH_PROFESSIONAL, provider_a, starts_on=days_before_due(3)
    )

    assert run_on(days_before_due(7)) == 0
    assert run_on(days_before_due(3)) == 1
    assert mail.outbox[0].to == [newcomer.email]


@pytest.mark.django_db
def test_submitted_advice_gets_no_reminder(advice_request, health_professional_a):
    AdviceRequest.objects.filter(pk=advice_request.pk).update(
        advice="Written.", submitted_at=timezone.now(), returned_on=datetime.date(2026, 6, 10)
    )

    assert run_on(days_before_due(7)) == 0
    assert run_on(DUE_ON + datetime.timedelta(days=1)) == 0
    assert mail.outbox == []


@pytest.mark.django_db
def test_reminder_emails_name_no_child(provider_a, health_professional_a):
    child = ChildFactory(
        first_name="Zebedee",
        last_name="Quillfeather",
        nhs_number="9434765919",
        date_of_birth=datetime.date(2017, 3, 27),
    )
    assessment = make_assessment(child=child, requested_on=datetime.date(2026, 5, 11))
    make_advice_request(assessment, provider=provider_a, due_on=DUE_ON)
    make_advice_request(assessment, provider=provider_a, due_on=days_before_due(10))

    assert run_on(days_before_due(7)) == 2  # one due soon, one overdue

    for email in mail.outbox:
        text = email.subject + email.body
        for identifying in ("Zebedee", "Quillfeather", "943", "2017", "27 March", "27/03"):
            assert identifying not in text
        assert "does not name the child" in email.body


@pytest.mark.django_db
def test_the_run_reads_a_fixed_number_of_queries_however_many_requests(
    provider_a, provider_b, health_professional_a, health_professional_b, django_assert_num_queries
):
    for provider in (provider_a, provider_b) * 3:
        make_advice_request(provider=provider, due_on=DUE_ON)
    run_on(days_before_due(7))
    assert len(mail.outbox) == 6

    # the open requests with their providers, the health professionals at those providers,
    # the DMOs (none here: no summary to look up), the reminders claimed already
    with django_assert_num_queries(4):
        assert run_on(days_before_due(6)) == 0


# --- The DMO's daily summary --------------------------------------------------------------


@pytest.fixture
def long_serving_dmo(provider_a):
    return person_holding(RoleCode.DMO, provider_a, starts_on=datetime.date(2025, 1, 1))


@pytest.fixture
def two_plans_waiting():
    make_plan_waiting_for_sign_off()
    make_plan_waiting_for_sign_off()


@pytest.mark.django_db
def test_the_dmo_hears_how_many_plans_wait_once_a_day_from_7_in_the_morning(
    long_serving_dmo, two_plans_waiting
):
    assert run_on(datetime.date(2026, 6, 15), hour=6, minute=59) == 0

    assert run_on(datetime.date(2026, 6, 15), hour=7, minute=0) == 1
    assert run_on(datetime.date(2026, 6, 15), hour=8) == 0
    assert run_on(datetime.date(2026, 6, 15), hour=23, minute=59) == 0
    assert run_on(datetime.date(2026, 6, 16), hour=6) == 0
    assert run_on(datetime.date(2026, 6, 16), hour=7, minute=5) == 1

    first, second = mail.outbox
    assert first.to == [long_serving_dmo.email]
    assert first.subject == "2 plans waiting for your medical sign-off"
    assert "2 plans are waiting for your medical sign-off." in first.body
    assert "http://127.0.0.1:8000/sign-off/" in first.body
    assert list(Delivery.objects.values_list("subject", flat=True).order_by("subject")) == [
        "date:2026-06-15",
        "date:2026-06-16",
    ]
    # And in the portal, once a day.
    notices = Notification.objects.filter(recipient=long_serving_dmo).order_by("pk")
    assert [n.title for n in notices] == ["2 plans waiting for your medical sign-off"] * 2
    assert {n.link for n in notices} == {"/sign-off/"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "day",
    [datetime.date(2026, 3, 29), datetime.date(2026, 10, 25)],
    ids=["clocks-go-forward", "clocks-go-back"],
)
def test_the_dmo_summary_follows_london_time_on_the_days_the_clocks_change(
    long_serving_dmo, two_plans_waiting, day
):
    # On 29 March 07:30 in London is 06:30 UTC; on 25 October it is 07:30 UTC.
    assert run_on(day, hour=6, minute=30) == 0
    assert run_on(day, hour=7, minute=30) == 1
    assert run_on(day, hour=8, minute=30) == 0
    assert Delivery.objects.get().subject == f"date:{day.isoformat()}"


@pytest.mark.django_db
def test_the_dmo_hears_nothing_when_no_plan_waits(long_serving_dmo):
    make_assessment()  # a plan in draft is not waiting

    assert run_on(datetime.date(2026, 6, 15), hour=9) == 0
    assert not Delivery.objects.exists()


@pytest.mark.django_db
def test_only_people_holding_the_dmo_role_today_hear_about_sign_offs(
    provider_a, two_plans_waiting, dco
):
    person_holding(
        RoleCode.DMO,
        provider_a,
        starts_on=datetime.date(2025, 1, 1),
        ends_on=datetime.date(2026, 6, 14),
    )
    successor = person_holding(RoleCode.DMO, provider_a, starts_on=datetime.date(2026, 6, 15))

    assert run_on(datetime.date(2026, 6, 15), hour=9) == 1
    assert mail.outbox[0].to == [successor.email]


# --- The schedule -------------------------------------------------------------------------


@pytest.mark.django_db
def test_migrate_installs_the_hourly_reminder_schedule():
    task = PeriodicTask.objects.get(name="EHC plan deadline reminders")

    assert task.task == "ehcp.tasks.send_deadline_reminders"
    assert (task.interval.every, task.interval.period) == (3600, "seconds")
    assert 0 < task.expire_seconds < 3600
    assert task.enabled
