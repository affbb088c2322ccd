"""The meeting reminders sent by a real Celery worker, as beat and the worker send them in a run.

A worker process (started by the test, on its own queue) takes the task from a real broker,
works out from this test's database what is due, claims and sends each reminder, and writes
each email to a file under its VAR_DIR/mail (EMAIL_URL unset: the embedded file backend).
The test then reads the database rows and the email files the worker wrote.

Through Redis when REDIS_URL is set (as in CI); through the embedded filesystem broker always.
"""

import datetime
import os
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from django.utils import timezone

from meetings.models import Meeting, ReminderKind
from meetings.tests.factories import make_series
from notifications.models import Delivery
from tests.celery_worker import process_env, real_worker, send_task, wait_for

# The worker reads what the test wrote, so the test's writes are committed (and the tables
# emptied afterwards; the root conftest puts the reference data back).
pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


BROKERS = [
    pytest.param({}, id="filesystem"),
    pytest.param(
        {"REDIS_URL": os.environ.get("REDIS_URL", "")},
        id="redis",
        marks=pytest.mark.skipif(
            not os.environ.get("REDIS_URL"),
            reason="needs a Redis server: set REDIS_URL (CI does) to run a worker through Redis",
        ),
    ),
]


def send_through_a_real_worker(env: dict, tmp_path: Path, expected: int) -> list:
    """Start a worker, send it send_meeting_reminders, and wait for ``expected`` reminders
    to be sent; return the reminder rows."""

    def finished():
        rows = list(Delivery.objects.order_by("pk"))
        done = [r for r in rows if r.outcome != Delivery.Outcome.SENDING]
        return rows if len(done) >= expected else None

    with real_worker(env, tmp_path) as queue:
        send_task(env, "meetings.tasks.send_meeting_reminders", queue)
        return wait_for(finished, tmp_path, "send the reminders")


@pytest.mark.parametrize("broker_env", BROKERS)
def test_a_real_worker_sends_each_member_one_reminder_with_the_invitation(
    tmp_path, broker_env, dco, dmo, clinical_lead
):
    # A Health Café meeting in 3 days: inside the 7-day reminder, before the agenda locks.
    series = make_series(materialise=False)
    starts = (timezone.now() + datetime.timedelta(days=3)).replace(second=0, microsecond=0)
    meeting = Meeting.objects.create(
        series=series,
        occurrence_date=timezone.localdate(starts),
        starts_at=starts,
        ends_at=starts + datetime.timedelta(minutes=90),
        place=series.place,
    )
    env = process_env(broker_env, tmp_path)
    env.pop("EMAIL_URL", None)  # the embedded file backend, under VAR_DIR/mail

    rows = send_through_a_real_worker(env, tmp_path, expected=3)

    assert {(r.kind, r.subject, r.outcome, r.attempts) for r in rows} == {
        (ReminderKind.MEETING_SOON, f"meeting:{meeting.pk}:7d:seq0", "sent", 1)
    }
    assert sorted(r.recipient_id for r in rows) == sorted([dco.pk, dmo.pk, clinical_lead.pk])
    mail_files = sorted((tmp_path / "mail").glob("*.log"))
    messages = [
        message_from_bytes(chunk, policy=policy.default)
        for path in mail_files
        for chunk in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n")
        if chunk.strip()
    ]
    assert sorted(m["To"] for m in messages) == sorted([dco.email, dmo.email, clinical_lead.email])
    for message in messages:
        assert message["Subject"].strip().startswith("Reminder: SEND Health Café on ")
        (invitation,) = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
        assert invitation.get_param("method") == "REQUEST"
        assert (
            f"UID:{meeting.calendar_uid}@send-portal"
            in invitation.get_payload(decode=True).decode()
        )
