"""Webhooks: a council's case system told at once of each change it follows.

A ``WebhookEndpoint`` is an address of a case system's that wants some kinds of change
(``ehcp.CaseChange.Kind``), with the secret the portal signs each body with. Each change an
endpoint should hear of becomes one ``WebhookDelivery`` (unique per endpoint and change),
which is sent, retried with back-off and logged attempt by attempt (``WebhookAttempt``).
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone

from ehcp.models import CaseChange

#: The longest address an endpoint may have: room for any real receiver's, and no more.
URL_MAX_LENGTH = 500


class WebhookEndpoint(models.Model):
    case_system = models.ForeignKey(
        "case_systems.CaseSystem", on_delete=models.PROTECT, related_name="webhook_endpoints"
    )
    url = models.URLField(
        "address",
        max_length=URL_MAX_LENGTH,
        help_text="Where the portal posts each change: https, on the public internet.",
    )
    description = models.CharField(max_length=200, blank=True)
    events = models.JSONField(
        default=list, help_text="The kinds of change sent to it (ehcp.CaseChange.Kind)."
    )
    # The signing secret ("whsec_" and base64, Standard Webhooks), sealed (webhooks.signing:
    # encrypted with a key derived from SECRET_KEY): the portal must sign with it, so it
    # cannot keep only a hash, and a copy of the database alone (a backup) does not give it
    # away. Shown once, when made, and never in the admin.
    sealed_secret = models.CharField(max_length=300, editable=False)
    # While a rotation settles, bodies are signed with the previous secret too, so the
    # receiver can switch to the new one without refusing a message.
    sealed_previous_secret = models.CharField(max_length=300, blank=True, editable=False)
    previous_secret_until = models.DateTimeField(null=True, blank=True, editable=False)
    is_active = models.BooleanField("active", default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    secret_rotated_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["case_system", "url"]
        verbose_name = "webhook endpoint"

    def __str__(self) -> str:
        return f"{self.case_system}: {self.url}"

    def wants(self, kind: str) -> bool:
        return kind in self.events


class WebhookDelivery(models.Model):
    """One change sent to one endpoint: every attempt, until it is delivered or given up."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued to send"
        SENDING = "sending", "Sending"
        WAITING = "waiting", "Waiting to try again"
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Failed: no more tries"

    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    change = models.ForeignKey(CaseChange, on_delete=models.PROTECT, related_name="+")
    # The message's id (the ``webhook-id`` header), the same on every attempt so that the
    # receiver can tell a message it has already handled.
    message_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # The body exactly as sent, so every attempt sends the same bytes.
    body = models.TextField(editable=False)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(
        null=True, blank=True, help_text="When the attempt now sending (or the last) began."
    )
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "webhook deliveries"
        constraints = [
            models.UniqueConstraint(fields=["endpoint", "change"], name="one_delivery_per_change")
        ]
        indexes = [
            # The retry sweep: the deliveries waiting whose next try is due.
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(status="waiting"),
                name="webhook_delivery_due",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.change.get_kind_display()} to {self.endpoint.url}"


class WebhookAttempt(models.Model):
    """One try at sending a delivery: when, how long, the answer (or why none), what next."""

    delivery = models.ForeignKey(
        WebhookDelivery, on_delete=models.CASCADE, related_name="attempt_log"
    )
    number = models.PositiveSmallIntegerField()
    started_at = models.DateTimeField()
    duration_ms = models.PositiveIntegerField("duration (ms)")
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    # What went wrong, without the body or any header (the signature stays out of logs).
    error = models.CharField(max_length=300, blank=True)
    next_attempt_at = models.DateTimeField(
        null=True, blank=True, help_text="When it will be tried again; empty: not again."
    )

    class Meta:
        ordering = ["delivery", "number"]
        constraints = [
            models.UniqueConstraint(fields=["delivery", "number"], name="one_attempt_per_number")
        ]

    def __str__(self) -> str:
        return f"Attempt {self.number}"

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300
