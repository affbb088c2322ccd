"""The relay: beat sends it every minute to publish what a down broker left waiting."""

from __future__ import annotations

import datetime

from celery import shared_task
from django.utils import timezone

from outbox.models import OutboxMessage
from outbox.services import publish_waiting, resend_unfinished

#: Messages sent and finished are kept this long (to see what ran), then deleted.
KEEP_FINISHED = datetime.timedelta(days=30)


@shared_task(ignore_result=True)
def relay_outbox() -> int:
    """Publish waiting messages, oldest first, with those a dead worker left unfinished;
    return how many went."""
    OutboxMessage.objects.filter(
        finished_at__lt=timezone.now() - KEEP_FINISHED, failed_at__isnull=True
    ).delete()
    resend_unfinished()
    return publish_waiting()
