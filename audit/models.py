"""The audit log: one append-only record of security events and of every view of a child's record.

Rows are written only through ``audit.services.record_event``; nothing in the portal
edits them, and on PostgreSQL a trigger refuses any UPDATE, and any DELETE but the
retention task's (audit/migrations/0002_*). Who, what, when (UTC, as every DateTimeField
here), from where, and the request it came from (the same id as in the logs). No clinical
text is stored: the event names its target by type and id, which is enough to find it and
says nothing to someone reading the log alone.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone


class AuditEvent(models.Model):
    class Kind(models.TextChoices):
        SIGNED_IN = "signed-in", "Signed in"
        SIGN_IN_FAILED = "sign-in-failed", "Sign-in failed"
        LOCKED_OUT = "locked-out", "Locked out after failed sign-ins"
        SIGNED_OUT = "signed-out", "Signed out"
        MFA_ENROLLED = "mfa-enrolled", "Second factor set up"
        MFA_VERIFIED = "mfa-verified", "Second factor accepted"
        MFA_FAILED = "mfa-failed", "Second factor refused"
        MFA_RESET = "mfa-reset", "Second factor removed"
        PASSWORD_CHANGED = "password-changed", "Password changed"
        PASSWORD_CONFIRMED = "password-confirmed", "Password confirmed for a sensitive action"
        SESSIONS_ENDED = "sessions-ended", "Other sessions signed out"
        ROLE_CHANGED = "role-changed", "Role assignment changed"
        EXPORTED = "exported", "Identifiable data exported"
        SIGNED_OFF = "signed-off", "Medical sections signed off"
        ACCESS_REFUSED = "access-refused", "Access refused"
        CHILD_RECORD_VIEWED = "child-record-viewed", "Child's record viewed"
        PASSWORD_RESET_REQUESTED = "password-reset-requested", "Password reset asked for"
        FEDERATED_SIGN_IN = "federated-sign-in", "Signed in through an identity provider"
        FEDERATED_REFUSED = "federated-refused", "Sign-in through an identity provider refused"
        FEDERATED_LINKED = "federated-linked", "Identity provider's sign-in linked to an account"
        FEDERATED_UNLINKED = "federated-unlinked", "Identity provider's link removed"
        SIGN_IN_INVITATION = "sign-in-invitation", "Invitation to link a sign-in made"
        SIGN_IN_METHOD_CHANGED = "sign-in-method-changed", "How an organisation signs in changed"
        BACK_CHANNEL_LOGOUT = "back-channel-logout", "Signed out by the identity provider"
        API_CALL = "api-call", "A case system called the API"
        CASE_SYSTEM_REGISTERED = "case-system-registered", "A case system was registered"
        CASE_SYSTEM_SECRET_ROTATED = "case-system-secret-rotated", "A case system's secret changed"
        CASE_SYSTEM_REVOKED = "case-system-revoked", "A case system's access was revoked"
        WEBHOOK_ENDPOINT_ADDED = "webhook-endpoint-added", "A webhook endpoint was added"
        WEBHOOK_ENDPOINT_CHANGED = "webhook-endpoint-changed", "A webhook endpoint was changed"
        WEBHOOK_SECRET_ROTATED = "webhook-secret-rotated", "A webhook endpoint's secret changed"
        WEBHOOK_ENDPOINT_REMOVED = "webhook-endpoint-removed", "A webhook endpoint was removed"
        WEBHOOK_SENT_AGAIN = "webhook-sent-again", "A webhook delivery was sent again"

    occurred_at = models.DateTimeField(default=timezone.now, db_index=True)
    kind = models.CharField(max_length=40, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="audit_events",
        help_text="Who did it; empty when nobody was signed in (a failed sign-in).",
    )
    identifier = models.CharField(
        max_length=254,
        blank=True,
        help_text="The account name typed at a failed sign-in or lockout, or the subject "
        "an identity provider named (never a token's contents).",
    )
    client_address = models.GenericIPAddressField(null=True, blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    url_name = models.CharField(
        max_length=120, blank=True, help_text="The page's URL name, never its address."
    )
    target_type = models.CharField(max_length=80, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    summary = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        indexes = [
            models.Index(fields=["kind", "-occurred_at"], name="audit_kind_when"),
            models.Index(fields=["actor", "-occurred_at"], name="audit_actor_when"),
            models.Index(fields=["target_type", "target_id"], name="audit_target"),
            models.Index(fields=["client_address", "-occurred_at"], name="audit_client_when"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} at {self.occurred_at:%Y-%m-%d %H:%M:%S}"
