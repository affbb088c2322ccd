from django.conf import settings
from django.db import models
from django.utils import timezone


class Notification(models.Model):
    """A message for one person, shown in the portal whether or not email works."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    link = models.CharField(max_length=300, blank=True, help_text="A path inside the portal.")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return self.title


class Delivery(models.Model):
    """A message to a person, sent once: every reminder and notice the portal sends.

    The row is the claim, inserted before anything is sent: "sending" from then, "sent" once
    it went, or "failed" with the error (a later run may try again,
    ``notifications.delivery.send_once``). Unique per (kind, subject, recipient) for someone
    with an account and per (kind, subject, address) for someone reached by email only (a
    family), so a task run twice, two beats, a retried task or a worker killed mid-send
    never sends the same message twice.

    Nothing here names a child: ``kind`` is the sort of message, namespaced by the app that
    sends it ("meetings.meeting-soon"); ``subject`` and ``about`` hold ids ("meeting:12:7d",
    "meeting:12").
    """

    class Outcome(models.TextChoices):
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    kind = models.CharField(
        max_length=40, help_text="The app and the sort of message, e.g. meetings.meeting-soon."
    )
    subject = models.CharField(
        max_length=80, help_text="What it is about, e.g. meeting:12:7d or advice:12."
    )
    about = models.CharField(
        max_length=40, blank=True, help_text="What it belongs with, e.g. meeting:12."
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deliveries",
    )
    recipient_address = models.EmailField(
        blank=True, help_text="For someone without an account (a family): their email address."
    )
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.SENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "deliveries"
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "subject", "recipient"],
                condition=models.Q(recipient__isnull=False),
                name="delivery_once_to_a_person",
            ),
            models.UniqueConstraint(
                fields=["kind", "subject", "recipient_address"],
                condition=models.Q(recipient__isnull=True),
                name="delivery_once_to_an_address",
            ),
            models.CheckConstraint(
                condition=models.Q(recipient__isnull=False, recipient_address="")
                | (models.Q(recipient__isnull=True) & ~models.Q(recipient_address="")),
                name="delivery_to_a_person_or_an_address",
            ),
        ]
        indexes = [
            # The claims of a run, looked up by subject (selectors.claimed).
            models.Index(fields=["subject"], name="delivery_by_subject"),
            # Those that did not go, newest first (selectors.failed_or_interrupted): few.
            models.Index(
                fields=["-created_at"],
                condition=models.Q(outcome__in=["sending", "failed"]),
                name="delivery_not_sent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} ({self.subject})"
