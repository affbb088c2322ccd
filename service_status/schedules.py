"""The periodic tasks the code needs, installed into django-celery-beat's database schedule.

Each app that needs a periodic task adds a ``PeriodicSchedule`` to
``PERIODIC_SCHEDULES``. Installation creates what is missing and leaves what
exists alone, so an administrator's change to an interval or an enabled flag
in the admin survives deployments. Beat only wakes tasks up; each task works
out from the database what is due, so a missed or doubled run does no harm.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone


@dataclass(frozen=True)
class PeriodicSchedule:
    name: str
    task: str
    every_seconds: int
    description: str

    @property
    def expire_seconds(self) -> int:
        # A run still queued after most of its period is stale: the next one will do.
        return max(1, int(self.every_seconds * 0.9))


PERIODIC_SCHEDULES: tuple[PeriodicSchedule, ...] = (
    PeriodicSchedule(
        name="Service heartbeat",
        task="service_status.tasks.record_heartbeat",
        every_seconds=60,
        description="Proves that beat, the broker and a worker are all running.",
    ),
    PeriodicSchedule(
        name="Send background work left waiting",
        task="outbox.tasks.relay_outbox",
        every_seconds=60,
        description=(
            "Hands the broker the work pages asked for while it was down (the outbox), oldest "
            "first. Each message is sent once its transaction has committed; nothing is lost."
        ),
    ),
    PeriodicSchedule(
        name="EHC plan deadline reminders",
        task="ehcp.tasks.send_deadline_reminders",
        every_seconds=3600,
        description=(
            "Health advice due in 7 days or overdue, to the provider's health professionals; "
            "plans waiting for sign-off, to the DMO once a day from 07:00. Each run sends what "
            "is due and not yet sent, so a missed or doubled run does no harm."
        ),
    ),
    PeriodicSchedule(
        name="Meeting reminders",
        task="meetings.tasks.send_meeting_reminders",
        every_seconds=900,
        description=(
            "Members' reminders before each meeting (with the .ics), moved and cancelled "
            "meetings, the chair's papers-due and publish-the-minutes reminders, actions due "
            "in 3 days or overdue; failed emails retried. Each run sends what is due and not "
            "yet sent, so a missed or doubled run does no harm."
        ),
    ),
    PeriodicSchedule(
        name="Clinic appointment reminders",
        task="clinics.tasks.send_appointment_reminders",
        every_seconds=3600,
        description=(
            "Families with a contact email are reminded of a booked clinic or individual "
            "appointment in the next 2 days. Each run sends what is due and not yet sent."
        ),
    ),
    PeriodicSchedule(
        name="Tribunal appeal reminders",
        task="tribunal.tasks.send_tribunal_reminders",
        every_seconds=3600,
        description=(
            "Evidence for the SEND Tribunal due in 7 days or overdue, to the provider's health "
            "professionals and the DCO; responses to recommendations due in 7 days or overdue "
            "(5 weeks, SI 2017/1306 reg 6), to the DCO; drafts waiting for approval, to the "
            "DMO and the commissioner. Each run sends what is due and not yet sent."
        ),
    ),
    PeriodicSchedule(
        name="Plan meetings 12 months ahead",
        task="meetings.tasks.plan_meetings_ahead",
        every_seconds=24 * 60 * 60,
        description="Adds each series' meetings as they come within 12 months.",
    ),
    PeriodicSchedule(
        name="Delete audit events past their retention period",
        task="audit.tasks.delete_expired_events",
        every_seconds=24 * 60 * 60,
        description=(
            "Deletes audit events older than AUDIT_RETENTION_DAYS, in batches. Each run deletes "
            "whatever is past the period by then, so a missed or doubled run does no harm."
        ),
    ),
    PeriodicSchedule(
        name="Delete old report packs",
        task="intelligence.tasks.delete_old_report_packs",
        every_seconds=60 * 60,
        description=(
            "Deletes the governance packs (their records and PDFs) asked for more than "
            "24 hours ago."
        ),
    ),
    PeriodicSchedule(
        name="Retry webhooks to case systems",
        task="webhooks.tasks.queue_due_retries",
        every_seconds=60,
        description=(
            "Queues again each webhook delivery whose next try is due (back-off from 1 minute "
            "to 12 hours, 7 tries), and deletes deliveries finished 90 days ago. Each run "
            "takes what is due by then, so a missed or doubled run does no harm."
        ),
    ),
    PeriodicSchedule(
        name="Clear expired sessions",
        task="session_security.tasks.clear_expired_sessions",
        every_seconds=24 * 60 * 60,
        description=(
            "Removes expired sessions from the session store (Django's clearsessions) and marks "
            "the sessions people simply left as ended when they were last used."
        ),
    ),
)


def install_schedules(**kwargs) -> int:
    """Create the periodic tasks that do not exist yet; return how many were created."""
    from django_celery_beat.models import IntervalSchedule, PeriodicTask

    using = kwargs.get("using", "default")
    created = 0
    for schedule in PERIODIC_SCHEDULES:
        if PeriodicTask.objects.using(using).filter(name=schedule.name).exists():
            continue
        interval, _ = IntervalSchedule.objects.using(using).get_or_create(
            every=schedule.every_seconds, period=IntervalSchedule.SECONDS
        )
        PeriodicTask.objects.using(using).create(
            name=schedule.name,
            task=schedule.task,
            interval=interval,
            expire_seconds=schedule.expire_seconds,
            description=schedule.description,
            # As if it last ran a period ago: the first beat sends it at once, rather than
            # a whole period after a new installation starts.
            last_run_at=timezone.now() - datetime.timedelta(seconds=schedule.every_seconds),
        )
        created += 1
    return created
