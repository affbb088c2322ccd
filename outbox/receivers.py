"""How a task sent from the outbox ended, written back to its message.

Celery's ``task_failure`` fires only when a task gives up (a retry is not a failure),
so a task that ran out of retries (an email server down for longer than its backoff)
is recorded as failed here, where administrators see it, instead of only in a log.
Tasks not sent from the outbox (beat's periodic tasks) have random ids that match no
row: the update changes nothing.
"""

from __future__ import annotations

import logging
import uuid

from celery.signals import task_failure, task_prerun, task_retry, task_success
from django.db import DatabaseError
from django.utils import timezone

from outbox.models import OutboxMessage

logger = logging.getLogger(__name__)


def _message_id(task_id) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(task_id))
    except ValueError:
        return None


@task_prerun.connect(dispatch_uid="outbox_task_started")
def task_started(sender=None, task_id=None, **kwargs) -> None:
    task_handed_on(task_id)


@task_retry.connect(dispatch_uid="outbox_task_retrying")
def task_retrying(sender=None, request=None, **kwargs) -> None:
    task_handed_on(getattr(request, "id", None))


def task_handed_on(task_id) -> None:
    """A worker started the task, or handed its retry back to the broker: renew the claim,
    so the relay sends it again only if this worker in turn never finishes it
    (outbox.services.resend_unfinished)."""
    message_id = _message_id(task_id)
    if message_id is None:
        return
    try:
        OutboxMessage.objects.filter(
            pk=message_id, finished_at__isnull=True, failed_at__isnull=True
        ).update(sent_at=timezone.now())
    except DatabaseError:
        logger.exception("Could not renew the claim of outbox message %s", message_id)


@task_success.connect(dispatch_uid="outbox_task_succeeded")
def task_succeeded(sender=None, **kwargs) -> None:
    message_id = _message_id(getattr(sender.request, "id", None)) if sender else None
    if message_id is None:
        return
    try:
        OutboxMessage.objects.filter(pk=message_id).update(finished_at=timezone.now())
    except DatabaseError:
        logger.exception("Could not record that outbox message %s finished", message_id)


@task_failure.connect(dispatch_uid="outbox_task_failed")
def task_failed(sender=None, task_id=None, exception=None, **kwargs) -> None:
    message_id = _message_id(task_id)
    if message_id is None:
        return
    # The exception's class only: its text can hold an address or other personal data.
    error = f"The task gave up: {exception.__class__.__name__}"[:300]
    try:
        OutboxMessage.objects.filter(pk=message_id).update(
            failed_at=timezone.now(), last_error=error
        )
    except DatabaseError:
        logger.exception("Could not record that outbox message %s failed", message_id)
    logger.error("Outbox message %s failed: %s", message_id, error)
