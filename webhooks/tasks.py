"""Webhooks' Celery tasks: thin, taking ids, each safe to run twice (``services.py``)."""

from __future__ import annotations

from celery import shared_task
from django.db import DatabaseError

from webhooks import services

#: Only a database failure retries a task: a failed POST is not a task failure, it is an
#: attempt logged on its delivery and tried again on the delivery's own schedule.
DATABASE_RETRY = {
    "autoretry_for": (DatabaseError,),
    "retry_backoff": True,
    "retry_jitter": True,
    "max_retries": 3,
}


@shared_task(ignore_result=True, **DATABASE_RETRY)
def queue_deliveries(change_id: int) -> int:
    """A delivery for each endpoint that should hear of the change, each queued to send."""
    return services.queue_deliveries(change_id)


@shared_task(ignore_result=True)
def deliver(delivery_id: int) -> bool:
    """Send one delivery once; True if the endpoint took it."""
    answer = services.deliver(delivery_id)
    return answer is not None and answer.delivered


@shared_task(ignore_result=True, **DATABASE_RETRY)
def queue_due_retries() -> int:
    """Beat, every minute: queue the deliveries whose next try is due."""
    return services.queue_due_retries()
