"""Handing work to Celery without losing it and without sending it early.

``enqueue(task, *args, **kwargs)`` inside the caller's transaction writes an
``OutboxMessage`` and asks for a publish once the transaction commits. Publishing hands
every waiting message (oldest first) to the broker with a connection that gives up at
once when the broker does not answer, so a page never waits for a Redis that is down:
the messages stay waiting, and the next publish (the relay task beat runs every minute,
or any later ``enqueue``) sends them.

A message can reach a worker more than once (the relay stopped after the broker took it
and before its ``sent_at`` was saved, or a worker died holding it and it was sent again:
``resend_unfinished``), never zero times once its transaction committed.
The tasks sent this way are idempotent (reminders and notices claim each message as a
``notifications.Delivery``, the "sections returned" email too; the report pack's build
claims its ``ReportPack`` row from waiting to building) or ask ``already_done`` first (the
password reset).
"""

from __future__ import annotations

import contextlib
import importlib
import json
import logging
import uuid
from datetime import timedelta

from celery import Task, current_app
from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.models import F
from django.utils import timezone

from outbox.models import OutboxMessage

logger = logging.getLogger(__name__)

#: How many messages one publish sends at most; the rest wait for the next.
BATCH_SIZE = 100
#: Seconds to wait for the broker to accept a connection before leaving messages waiting.
BROKER_CONNECT_TIMEOUT = 2.0
ERROR_MAX = OutboxMessage._meta.get_field("last_error").max_length


def enqueue(task: Task | str, *args, **kwargs) -> OutboxMessage:
    """Ask for ``task(*args, **kwargs)`` once the current transaction commits.

    Arguments must be JSON (ids and strings, as Celery's JSON serializer needs anyway).
    Outside a transaction the message is saved and published at once.
    """
    name = task if isinstance(task, str) else task.name
    registered_task(name)  # a typo fails here, in the caller, not later in a worker
    json.dumps([args, kwargs])  # so does an argument JSON cannot carry, before any write
    message = OutboxMessage.objects.create(task=name, args=list(args), kwargs=kwargs)
    transaction.on_commit(_publish_after_commit)
    return message


def _publish_after_commit() -> None:
    """The caller's change is committed and its page must not fail now: a database that is
    busy only delays the messages until the relay's next run."""
    try:
        publish_waiting()
    except DatabaseError as error:
        logger.warning("Outbox messages left for the relay: %s", error.__class__.__name__)


def publish_waiting(limit: int = BATCH_SIZE) -> int:
    """Hand the oldest waiting messages to the broker; return how many it accepted."""
    app = current_app
    if app.conf.task_always_eager:
        return _run_eagerly(limit)
    published = 0
    with transaction.atomic():
        waiting = OutboxMessage.objects.filter(sent_at__isnull=True).order_by("created_at")
        if connection.features.has_select_for_update_skip_locked:
            # Two relays (beat's and a page's) each take different messages, never the same.
            waiting = waiting.select_for_update(skip_locked=True)
        messages = list(waiting[:limit])
        if not messages:
            return 0
        try:
            with app.connection_for_write(connect_timeout=BROKER_CONNECT_TIMEOUT) as broker:
                # Celery's own publishing retries a lost broker for ever; fail at once instead.
                broker.ensure_connection(max_retries=0, timeout=BROKER_CONNECT_TIMEOUT)
                with broker.Producer() as producer:
                    for message in messages:
                        _publish(app, producer, message)
                        published += 1
        except Exception as error:  # noqa: BLE001 - any broker failure leaves the rest waiting
            failed = messages[published]
            text = f"{error.__class__.__name__}: {error}"[:ERROR_MAX]
            OutboxMessage.objects.filter(pk=failed.pk).update(
                attempts=F("attempts") + 1, last_error=text
            )
            logger.warning(
                "The broker did not take outbox message %s; %d message(s) wait for the relay: %s",
                failed.pk,
                len(messages) - published,
                text,
            )
        if published:
            OutboxMessage.objects.filter(pk__in=[m.pk for m in messages[:published]]).update(
                sent_at=timezone.now(), attempts=F("attempts") + 1, last_error=""
            )
    return published


def resend_unfinished(now=None) -> int:
    """Put back in the waiting line each message a worker took but never finished: handed
    over (sent, started or retried) more than ``OUTBOX_RESEND_AFTER_MINUTES`` ago, neither
    finished nor failed. Its worker died (or the broker lost it); the tasks are safe to run
    twice. After ``OUTBOX_MAX_DELIVERIES`` it is recorded as failed instead, where
    administrators see it. Return how many will be sent again."""
    now = now or timezone.now()
    abandoned = OutboxMessage.objects.filter(
        sent_at__lt=now - timedelta(minutes=settings.OUTBOX_RESEND_AFTER_MINUTES),
        finished_at__isnull=True,
        failed_at__isnull=True,
    )
    limit = settings.OUTBOX_MAX_DELIVERIES
    abandoned.filter(attempts__gte=limit).update(
        failed_at=now, last_error=f"Given up: no worker finished it after {limit} deliveries."
    )
    return abandoned.filter(attempts__lt=limit).update(
        sent_at=None, last_error="Sent again: no worker finished it in time."
    )


def _publish(app, producer, message: OutboxMessage) -> None:
    app.send_task(
        message.task,
        args=message.args,
        kwargs=message.kwargs,
        task_id=str(message.pk),
        producer=producer,
        retry=False,
        # No result is read back (outcomes come back through receivers.py), and asking for
        # one would make Celery subscribe to the result backend: one more thing to wait on.
        ignore_result=True,
    )


def already_done(task_id) -> bool:
    """Whether the outbox message delivered as ``task_id`` has already run to the end: a
    task that must not repeat (an email) returns early on a second delivery."""
    try:
        message_id = uuid.UUID(str(task_id))
    except ValueError:
        return False
    return OutboxMessage.objects.filter(pk=message_id, finished_at__isnull=False).exists()


def registered_task(name: str) -> Task:
    """The task registered as ``name`` ("app.tasks.function"), importing its module if this
    process has not yet (the web server imports task modules only as it uses them)."""
    module = name.rpartition(".")[0]
    if name not in current_app.tasks and module:
        with contextlib.suppress(ImportError):
            importlib.import_module(module)
    try:
        return current_app.tasks[name]
    except KeyError:
        raise LookupError(f"No Celery task is registered as {name!r}.") from None


def _run_eagerly(limit: int) -> int:
    """Tests and CELERY_TASK_ALWAYS_EAGER: run each waiting task here and now, as
    ``.delay()`` would. Each is claimed first, so a task that enqueues more work (which
    publishes again from inside this loop) cannot run a message twice."""
    ran = 0
    waiting = list(
        OutboxMessage.objects.filter(sent_at__isnull=True).order_by("created_at")[:limit]
    )
    for message in waiting:
        claimed = OutboxMessage.objects.filter(pk=message.pk, sent_at__isnull=True).update(
            sent_at=timezone.now(), attempts=F("attempts") + 1
        )
        if claimed:
            registered_task(message.task).apply_async(
                args=message.args, kwargs=message.kwargs, task_id=str(message.pk)
            )
            ran += 1
    return ran
