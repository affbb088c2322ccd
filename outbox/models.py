"""The transactional outbox: a row per piece of work for Celery.

The row is written in the same database transaction as the change that calls for the
work, so the work exists exactly when the change does: a rolled-back transaction leaves
no row and sends nothing, and a broker that is down loses nothing (the row waits until
the relay can publish it). The row's id is the Celery task id, which is how the task's
outcome finds its way back here.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone


class OutboxMessage(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    task = models.CharField(max_length=200, help_text="The Celery task's registered name.")
    args = models.JSONField(default=list, blank=True)
    kwargs = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(
        null=True, blank=True, help_text="When the broker accepted it; empty while waiting."
    )
    attempts = models.PositiveIntegerField(
        default=0, help_text="How many times the relay has tried to hand it to the broker."
    )
    last_error = models.CharField(max_length=300, blank=True)
    finished_at = models.DateTimeField(
        null=True, blank=True, help_text="When the task ran to the end in a worker."
    )
    failed_at = models.DateTimeField(
        null=True, blank=True, help_text="When the task gave up after its own retries."
    )

    class Meta:
        ordering = ["created_at"]
        indexes = [
            # The relay's query: the oldest messages still waiting.
            models.Index(
                fields=["created_at"],
                condition=models.Q(sent_at__isnull=True),
                name="outbox_waiting",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.task} ({self.state})"

    @property
    def state(self) -> str:
        if self.failed_at:
            return "failed"
        if self.finished_at:
            return "done"
        if self.sent_at:
            return "sent"
        return "waiting"
