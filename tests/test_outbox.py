"""The transactional outbox: work for Celery exists exactly when the change asking for it does.

Most tests run with Celery eager (the conftest's default): ``enqueue`` then runs the task at
commit, as ``.delay()`` did. The broker tests turn eager off and point the app at an
in-memory broker, or at a port where nothing listens (a Redis that is down).
"""

import datetime
import threading
import time

import pytest
from django.conf import settings
from django.core import mail
from django.db import connections, transaction
from django.urls import reverse
from django.utils import timezone

from meetings import services as meeting_services
from meetings.models import Meeting
from meetings.tests.factories import make_series
from notifications.models import Delivery
from outbox.models import OutboxMessage
from outbox.services import enqueue, publish_waiting
from outbox.tasks import relay_outbox
from outbox.tests.brokers import BROKER_DOWN, broker_at, take_all
from service_status.models import Heartbeat

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed_meeting(dco, dmo, clinical_lead):
    series = make_series(materialise=False)
    starts = timezone.now() - datetime.timedelta(days=1)
    meeting = Meeting.objects.create(
        series=series,
        occurrence_date=timezone.localdate(starts),
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=1),
        status=Meeting.Status.CLOSED,
        closed_at=starts + datetime.timedelta(hours=1),
    )
    return meeting


def test_a_rolled_back_transaction_leaves_no_message_and_sends_nothing(
    closed_meeting, dco, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        meeting_services.publish_minutes(closed_meeting)
        assert OutboxMessage.objects.count() == 1  # written inside the transaction
        raise RuntimeError("something later in the same change failed")

    assert callbacks == []
    assert OutboxMessage.objects.count() == 0
    assert Delivery.objects.count() == 0
    assert mail.outbox == []
    closed_meeting.refresh_from_db()
    assert closed_meeting.minutes_published_at is None


def test_a_committed_change_runs_its_task_once_and_records_it_done(
    closed_meeting, dco, dmo, clinical_lead, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        meeting_services.publish_minutes(closed_meeting)

    message = OutboxMessage.objects.get()
    assert (message.task, message.args) == ("meetings.tasks.announce_minutes", [closed_meeting.pk])
    assert message.state == "done"
    assert message.attempts == 1
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [dco.email, dmo.email, clinical_lead.email]
    )
    # A second publish finds nothing waiting: the task is not run again.
    assert publish_waiting() == 0
    assert len(mail.outbox) == 3


def test_only_registered_tasks_and_json_arguments_are_accepted():
    with pytest.raises(LookupError):
        enqueue("meetings.tasks.no_such_task")
    with pytest.raises(TypeError):
        enqueue("service_status.tasks.record_heartbeat", object())
    assert OutboxMessage.objects.count() == 0


def test_with_the_broker_down_the_message_waits_and_the_caller_is_not_held_up(
    django_capture_on_commit_callbacks,
):
    with broker_at(BROKER_DOWN):
        started = time.monotonic()
        with django_capture_on_commit_callbacks(execute=True):
            enqueue("service_status.tasks.record_heartbeat", "outbox-test")
        took = time.monotonic() - started

    message = OutboxMessage.objects.get()
    assert took < 3
    assert message.state == "waiting"
    assert message.attempts == 1
    assert "OperationalError" in message.last_error or "Connection" in message.last_error
    assert not Heartbeat.objects.filter(name="outbox-test").exists()


def test_the_relay_sends_waiting_messages_oldest_first_a_batch_at_a_time():
    now = timezone.now()
    for minutes_ago, name in ((1, "third"), (3, "first"), (2, "second")):
        OutboxMessage.objects.create(
            task="service_status.tasks.record_heartbeat",
            args=[name],
            created_at=now - datetime.timedelta(minutes=minutes_ago),
        )
    take_all()

    with broker_at("memory://"):
        assert publish_waiting(limit=2) == 2
        first_batch = take_all()
        assert relay_outbox() == 1
        second_batch = take_all()
        assert relay_outbox() == 0

    sent = [headers["argsrepr"] for headers in first_batch + second_batch]
    assert sent == ["['first']", "['second']", "['third']"]
    ids = [headers["id"] for headers in first_batch + second_batch]
    assert ids == [str(m.pk) for m in OutboxMessage.objects.order_by("created_at")], (
        "the Celery task id is the message's id"
    )
    assert all(m.state == "sent" and m.attempts == 1 for m in OutboxMessage.objects.all())


def test_a_message_left_waiting_by_a_broker_failure_goes_when_the_broker_is_back(
    django_capture_on_commit_callbacks,
):
    with broker_at(BROKER_DOWN), django_capture_on_commit_callbacks(execute=True):
        enqueue("service_status.tasks.record_heartbeat", "later")
    take_all()

    with broker_at("memory://"):
        assert relay_outbox() == 1

    message = OutboxMessage.objects.get()
    assert (message.state, message.attempts, message.last_error) == ("sent", 2, "")
    assert [h["id"] for h in take_all()] == [str(message.pk)]


def test_a_later_enqueue_sends_what_an_earlier_one_left_waiting(
    django_capture_on_commit_callbacks,
):
    with broker_at(BROKER_DOWN), django_capture_on_commit_callbacks(execute=True):
        enqueue("service_status.tasks.record_heartbeat", "earlier")
    take_all()

    with broker_at("memory://"), django_capture_on_commit_callbacks(execute=True):
        enqueue("service_status.tasks.record_heartbeat", "later")

    assert [h["argsrepr"] for h in take_all()] == ["['earlier']", "['later']"]
    assert not OutboxMessage.objects.filter(sent_at__isnull=True).exists()


def test_the_relay_forgets_finished_messages_after_30_days_but_keeps_failed_ones():
    old = timezone.now() - datetime.timedelta(days=31)
    task = "service_status.tasks.record_heartbeat"
    OutboxMessage.objects.create(task=task, sent_at=old, finished_at=old)
    failed = OutboxMessage.objects.create(task=task, sent_at=old, failed_at=old)
    recent = OutboxMessage.objects.create(
        task=task, sent_at=timezone.now(), finished_at=timezone.now()
    )

    relay_outbox()

    assert set(OutboxMessage.objects.values_list("pk", flat=True)) == {failed.pk, recent.pk}


def test_the_relay_is_scheduled_every_minute():
    from django_celery_beat.models import PeriodicTask

    relay = PeriodicTask.objects.get(task="outbox.tasks.relay_outbox")
    assert relay.interval.every == 60 and relay.enabled


def test_administrators_see_the_outbox_and_send_a_failed_message_again(client, administrator, dco):
    message = OutboxMessage.objects.create(
        task="ehcp.tasks.notify_sections_returned",
        args=[1],
        sent_at=timezone.now(),
        failed_at=timezone.now(),
        last_error="The task gave up: SMTPServerDisconnected",
    )
    changelist = reverse("admin:outbox_outboxmessage_changelist")

    client.force_login(dco)
    assert client.get(changelist).status_code == 403

    client.force_login(administrator)
    page = client.get(changelist + "?state=failed")
    assert page.status_code == 200
    assert "SMTPServerDisconnected" in page.content.decode()
    client.post(changelist, {"action": "send_again", "_selected_action": [str(message.pk)]})

    message.refresh_from_db()
    assert message.state == "waiting" and message.last_error == ""


@pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="SKIP LOCKED is PostgreSQL's; SQLite serialises writers instead",
)
@pytest.mark.django_db(transaction=True)
def test_two_relays_at_once_never_take_the_same_message():
    message = OutboxMessage.objects.create(task="service_status.tasks.record_heartbeat")
    taken, release = threading.Event(), threading.Event()

    def another_relay_holding_the_message():
        try:
            with transaction.atomic():
                list(OutboxMessage.objects.select_for_update().filter(pk=message.pk))
                taken.set()
                release.wait(10)
        finally:
            connections.close_all()

    other = threading.Thread(target=another_relay_holding_the_message)
    other.start()
    try:
        assert taken.wait(10)
        with broker_at("memory://"):
            assert publish_waiting() == 0  # skipped, not waited for
    finally:
        release.set()
        other.join()
    take_all()
    with broker_at("memory://"):
        assert publish_waiting() == 1
    assert [h["id"] for h in take_all()] == [str(message.pk)]


def _handed_over(minutes_ago: float, **fields) -> OutboxMessage:
    return OutboxMessage.objects.create(
        task="service_status.tasks.record_heartbeat",
        args=["again"],
        sent_at=timezone.now() - datetime.timedelta(minutes=minutes_ago),
        attempts=1,
        **fields,
    )


def test_the_relay_sends_again_what_no_worker_finished_within_the_resend_time():
    resend = settings.OUTBOX_RESEND_AFTER_MINUTES
    stale = _handed_over(resend + 1)
    recent = _handed_over(resend - 1)
    finished = _handed_over(resend + 1, finished_at=timezone.now())
    failed = _handed_over(resend + 1, failed_at=timezone.now())
    take_all()

    with broker_at("memory://"):
        assert relay_outbox() == 1

    assert [h["id"] for h in take_all()] == [str(stale.pk)]  # the same task id again
    stale.refresh_from_db()
    assert stale.attempts == 2 and stale.sent_at > timezone.now() - datetime.timedelta(minutes=1)
    for untouched in (recent, finished, failed):
        before = untouched.sent_at
        untouched.refresh_from_db()
        assert untouched.sent_at == before and untouched.attempts == 1


def test_a_message_no_worker_ever_finishes_is_recorded_as_failed_after_its_deliveries():
    limit = settings.OUTBOX_MAX_DELIVERIES
    message = _handed_over(settings.OUTBOX_RESEND_AFTER_MINUTES + 1)
    OutboxMessage.objects.filter(pk=message.pk).update(attempts=limit)
    take_all()

    with broker_at("memory://"):
        assert relay_outbox() == 0

    message.refresh_from_db()
    assert take_all() == []
    assert message.state == "failed"
    assert f"no worker finished it after {limit} deliveries" in message.last_error


def test_a_task_starting_or_retrying_renews_its_claim_so_it_is_not_sent_again():
    from outbox.receivers import task_handed_on

    message = _handed_over(settings.OUTBOX_RESEND_AFTER_MINUTES + 1)

    task_handed_on(task_id=str(message.pk))

    message.refresh_from_db()
    assert message.sent_at > timezone.now() - datetime.timedelta(minutes=1)
    take_all()
    with broker_at("memory://"):
        assert relay_outbox() == 0


def test_redis_redelivers_only_after_the_longest_a_healthy_worker_holds_a_message():
    from send_portal.notifications import EMAIL_TASK_RETRY

    longest_hold = EMAIL_TASK_RETRY["retry_backoff_max"] + settings.CELERY_TASK_TIME_LIMIT
    assert longest_hold == settings.LONGEST_HOLD_SECONDS
    assert longest_hold < settings.CELERY_VISIBILITY_TIMEOUT_SECONDS
    assert EMAIL_TASK_RETRY["retry_backoff_max"] < settings.OUTBOX_RESEND_AFTER_MINUTES * 60
    assert settings.CELERY_TASK_ACKS_LATE and settings.CELERY_TASK_REJECT_ON_WORKER_LOST
