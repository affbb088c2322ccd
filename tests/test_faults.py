"""What the portal does when Redis or the mail server is down.

- Redis down: a page that asks for background work (the DCO publishing minutes) answers as
  usual and quickly; the work waits in the outbox and nothing is lost. When the broker is
  back, the relay publishes it and a real worker (another process) runs it.
- A rolled-back change sends nothing (also tests/test_outbox.py).
- Mail server down: a task that sends email retries with exponential backoff; one that
  still fails after its retries is recorded as failed on its outbox message, not lost.
"""

import datetime
import os
import smtplib
import subprocess
import sys
import time
from contextlib import nullcontext
from unittest import mock

import pytest
from celery.utils.time import get_exponential_backoff_interval
from django.conf import settings
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as MemoryBackend
from django.core.mail.backends.smtp import EmailBackend as SmtpBackend
from django.urls import reverse
from django.utils import timezone

from ehcp import services as ehcp_services
from ehcp.tasks import notify_sections_returned
from ehcp.tests.factories import make_plan_waiting_for_sign_off
from meetings.models import Meeting, ReminderKind
from meetings.tests.factories import make_series
from notifications.models import Delivery
from outbox import services as outbox_services
from outbox.models import OutboxMessage
from outbox.tests.brokers import BROKER_DOWN, broker_at
from send_portal.celery import app
from send_portal.notifications import EMAIL_TASK_RETRY
from tests import redis_server
from tests.celery_worker import PROJECT, process_env, real_worker, wait_for

# --- Redis down ------------------------------------------------------------------------------


def closed_meeting() -> Meeting:
    """A Health Café held yesterday and closed, its minutes not yet published."""
    series = make_series(materialise=False)
    starts = timezone.now() - datetime.timedelta(days=1)
    return Meeting.objects.create(
        series=series,
        occurrence_date=timezone.localdate(starts),
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=1),
        status=Meeting.Status.CLOSED,
        closed_at=starts + datetime.timedelta(hours=1),
    )


def publish_minutes_with_the_broker_down(client, dco, meeting, on_commit=nullcontext):
    """The DCO publishes the minutes while nothing answers at the broker's address;
    ``on_commit`` runs the page's commit callbacks in a test inside a transaction.
    Returns the page the DCO lands on, and the seconds the POST took with its commit
    callbacks and the longest attempt to reach the broker."""
    attempts = []
    publish = outbox_services.publish_waiting

    def timed_publish(*args, **kwargs):
        started = time.monotonic()
        try:
            return publish(*args, **kwargs)
        finally:
            attempts.append(time.monotonic() - started)

    client.force_login(dco)
    with mock.patch.object(outbox_services, "publish_waiting", timed_publish):
        started = time.monotonic()
        with broker_at(BROKER_DOWN), on_commit():
            response = client.post(reverse("meetings:publish", args=[meeting.pk]))
        took = time.monotonic() - started
    assert response.status_code == 302
    assert attempts, "the page tried to hand the work to the broker"
    return client.get(response["Location"]), took, max(attempts)


@pytest.mark.django_db
def test_with_redis_down_publishing_minutes_still_works_and_the_announcement_waits(
    client, dco, dmo, clinical_lead, django_capture_on_commit_callbacks
):
    meeting = closed_meeting()

    response, took, broker_wait = publish_minutes_with_the_broker_down(
        client, dco, meeting, lambda: django_capture_on_commit_callbacks(execute=True)
    )

    assert response.status_code == 200
    assert "The minutes are published" in response.content.decode()
    # Celery's own publishing would retry a lost broker for ever; the outbox gives up at once
    # (the page's own bound is loose: the test machine may be busy).
    assert broker_wait < 3, f"the page waited {broker_wait:.1f}s for the broker"
    assert took < 10, f"the page took {took:.1f}s with the broker down"
    meeting.refresh_from_db()
    assert meeting.minutes_published_at is not None
    message = OutboxMessage.objects.get()
    assert (message.task, message.args, message.state) == (
        "meetings.tasks.announce_minutes",
        [meeting.pk],
        "waiting",
    )
    assert message.attempts == 1 and "127.0.0.1:1" in message.last_error
    assert Delivery.objects.count() == 0 and mail.outbox == []


BROKERS = [
    pytest.param({}, id="filesystem"),
    pytest.param(
        {"REDIS_URL": os.environ.get("REDIS_URL", "")},
        id="redis",
        marks=pytest.mark.skipif(
            not redis_server.reachable(os.environ.get("REDIS_URL", "")),
            reason="needs a reachable Redis server at REDIS_URL (CI has one)",
        ),
    ),
]


def run_the_relay(env: dict, queue: str) -> int:
    """Beat's relay, run in another process once the broker is back, onto the worker's queue."""
    code = (
        "import django; django.setup(); "
        "from send_portal.celery import app; "
        f"app.conf.task_default_queue = {queue!r}; "
        "from outbox.tasks import relay_outbox; print(relay_outbox())"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=PROJECT,
        env=env,
        check=True,
        timeout=60,
        capture_output=True,
        text=True,
    )
    return int(done.stdout.strip().splitlines()[-1])


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("broker_env", BROKERS)
def test_work_left_waiting_while_redis_was_down_is_done_once_it_is_back(
    client, dco, dmo, clinical_lead, tmp_path, broker_env
):
    meeting = closed_meeting()
    response, _, broker_wait = publish_minutes_with_the_broker_down(client, dco, meeting)
    assert response.status_code == 200 and broker_wait < 3
    message = OutboxMessage.objects.get()
    assert message.state == "waiting"

    env = process_env(broker_env, tmp_path)
    env.pop("EMAIL_URL", None)  # the worker writes its email to files under tmp_path/mail
    with real_worker(env, tmp_path) as queue:
        assert run_the_relay(env, queue) == 1

        def announced():
            message.refresh_from_db()
            return message.finished_at and list(Delivery.objects.all())

        reminders = wait_for(announced, tmp_path, "announce the minutes")

    assert {(r.kind, r.outcome) for r in reminders} == {
        (ReminderKind.MINUTES_PUBLISHED, Delivery.Outcome.SENT)
    }
    assert sorted(r.recipient_id for r in reminders) == sorted([dco.pk, dmo.pk, clinical_lead.pk])
    assert message.state == "done"


# --- The mail server down --------------------------------------------------------------------


class FailsTwiceBackend(MemoryBackend):
    """The mail server drops the first two connections, then takes the message."""

    calls = 0

    def send_messages(self, messages):
        type(self).calls += 1
        if type(self).calls <= 2:
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)


class AlwaysFailsBackend(MemoryBackend):
    calls = 0

    def send_messages(self, messages):
        type(self).calls += 1
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


@pytest.fixture
def worker_like_retries():
    """Eager tasks retried in this process as a worker would (Celery's eager mode re-runs a
    retried task at once, skipping the countdown); a task that gives up is recorded, not
    raised into the test, as in a worker."""
    app.conf.task_eager_propagates = False
    FailsTwiceBackend.calls = AlwaysFailsBackend.calls = 0
    yield
    app.conf.task_eager_propagates = True


def return_sections(dmo, clinical_lead, django_capture_on_commit_callbacks):
    plan = make_plan_waiting_for_sign_off(author=clinical_lead)
    with django_capture_on_commit_callbacks(execute=True):
        ehcp_services.return_for_amendment(plan.versions.get(), dmo, "Quantify the therapy.")
    return OutboxMessage.objects.get(task=notify_sections_returned.name)


@pytest.mark.django_db
def test_an_email_the_server_refused_twice_goes_on_the_third_attempt(
    settings, dmo, clinical_lead, worker_like_retries, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.test_faults.FailsTwiceBackend"

    message = return_sections(dmo, clinical_lead, django_capture_on_commit_callbacks)

    assert FailsTwiceBackend.calls == 3
    assert [m.to for m in mail.outbox] == [[clinical_lead.email]]
    assert mail.outbox[0].subject == "Health sections returned for amendment"
    assert message.state == "done" and message.last_error == ""


@pytest.mark.django_db
def test_an_email_that_never_goes_is_recorded_as_failed_not_lost(
    settings, dmo, clinical_lead, worker_like_retries, django_capture_on_commit_callbacks, caplog
):
    settings.EMAIL_BACKEND = "tests.test_faults.AlwaysFailsBackend"

    message = return_sections(dmo, clinical_lead, django_capture_on_commit_callbacks)

    assert AlwaysFailsBackend.calls == 1 + EMAIL_TASK_RETRY["max_retries"]
    assert mail.outbox == []
    assert message.state == "failed"
    assert message.last_error == "The task gave up: SMTPServerDisconnected"
    failures = [r for r in caplog.records if r.name == "outbox.receivers"]
    assert failures and failures[0].levelname == "ERROR"
    assert clinical_lead.email not in caplog.text  # the address is not logged


def test_email_retries_back_off_exponentially_up_to_15_minutes():
    policy = EMAIL_TASK_RETRY
    assert notify_sections_returned.autoretry_for == policy["autoretry_for"]
    assert issubclass(smtplib.SMTPException, policy["autoretry_for"])
    assert notify_sections_returned.retry_jitter is True
    waits = [
        get_exponential_backoff_interval(
            policy["retry_backoff"], attempt, policy["retry_backoff_max"], full_jitter=False
        )
        for attempt in range(policy["max_retries"])
    ]
    assert waits == [30, 60, 120, 240, 480, 900]


def test_a_mail_server_that_hangs_times_out():
    assert settings.EMAIL_TIMEOUT == 10
    assert SmtpBackend().timeout == settings.EMAIL_TIMEOUT


@pytest.mark.django_db
def test_a_second_delivery_of_the_same_message_sends_no_second_email(
    dmo, clinical_lead, django_capture_on_commit_callbacks
):
    message = return_sections(dmo, clinical_lead, django_capture_on_commit_callbacks)
    assert message.state == "done" and len(mail.outbox) == 1

    # As if the relay had stopped after the broker took the message and sent it again.
    again = notify_sections_returned.apply(args=message.args, task_id=str(message.pk))

    assert again.result is False
    assert len(mail.outbox) == 1
