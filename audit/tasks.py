"""Removing audit events once their retention period (settings.AUDIT_RETENTION_DAYS) is over."""

from __future__ import annotations

import datetime
import logging
from contextlib import contextmanager

from celery import shared_task
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from audit.models import AuditEvent

logger = logging.getLogger("portal.audit")

BATCH_SIZE = 5000


def retention_cutoff(now: datetime.datetime | None = None) -> datetime.datetime:
    """Events before this moment are past their retention period."""
    return (now or timezone.now()) - datetime.timedelta(days=settings.AUDIT_RETENTION_DAYS)


@contextmanager
def _purge_allowed():
    """Let this transaction delete audit events, and only for as long as the block runs.

    On PostgreSQL the trigger (audit/migrations/0002_*) refuses every DELETE unless the
    transaction has set ``portal.audit_purge``. SET LOCAL would last to the end of the
    outermost transaction, which is longer than this block when the task runs inside
    another transaction (eagerly, in a test), so it is switched off again at the end.
    """
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL portal.audit_purge = 'on'")
    yield
    # Not on an error: rolling back the block's savepoint or transaction undoes the SET.
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL portal.audit_purge = 'off'")


@shared_task(autoretry_for=(OSError,), retry_backoff=True, retry_jitter=True, max_retries=3)
def delete_expired_events(batch_size: int = BATCH_SIZE) -> int:
    """Delete every event older than the retention period; return how many went.

    Each batch is one DELETE in its own short transaction, so a first run over years
    of events neither holds locks for long nor builds one huge transaction. Rows are
    chosen and removed by the database: none is loaded into Python.
    """
    cutoff = retention_cutoff()
    deleted = 0
    while True:
        oldest = (
            AuditEvent.objects.filter(occurred_at__lt=cutoff)
            .order_by("occurred_at", "pk")
            .values("pk")[:batch_size]
        )
        with transaction.atomic(), _purge_allowed():
            count, _ = AuditEvent.objects.filter(pk__in=oldest).delete()
        deleted += count
        if count < batch_size:
            break
    logger.info(
        "audit retention: %s events older than %s days deleted",
        deleted,
        settings.AUDIT_RETENTION_DAYS,
    )
    return deleted
