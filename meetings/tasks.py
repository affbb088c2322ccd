"""Celery tasks of the meetings app (being completed: reminders and announcements)."""

from celery import shared_task


@shared_task
def send_meeting_reminders() -> int:
    return 0


@shared_task
def announce_minutes(meeting_id: int) -> int:
    return 0
