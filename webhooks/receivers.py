"""Hearing of each case change from ``ehcp`` (``ehcp.signals.case_changed``), which cannot
import this floor: the webhooks it sets off are queued through the outbox in the change's own
transaction, so they exist exactly when the change does."""

from __future__ import annotations

from ehcp.models import CaseChange
from outbox.services import enqueue
from webhooks.models import WebhookEndpoint


def queue_webhooks(sender, change: CaseChange, **kwargs) -> None:
    """One outbox message per change, and only while some endpoint is on: which endpoints
    hear of it is worked out by the task, so the change's transaction (a DMO's sign-off)
    pays one small query and one insert, not a query per council."""
    if WebhookEndpoint.objects.filter(is_active=True).exists():
        enqueue("webhooks.tasks.queue_deliveries", change.pk)
