"""Each signed-in session, so a person can see where they are signed in and end the others.

The session itself lives in Django's session store; this row is what the person sees of
it (when and from where it started, which browser, when it was last used) and outlives it
as a record. A session counts as active only while the store still holds it (see
``selectors.active_sessions``): an expired or signed-out session is gone from the store
even if its row was never marked ended.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone


class SignedInSession(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="signed_in_sessions"
    )
    session_key = models.CharField(max_length=40, unique=True)
    signed_in_at = models.DateTimeField(default=timezone.now)
    last_seen_at = models.DateTimeField(default=timezone.now)
    client_address = models.GenericIPAddressField(null=True, blank=True)
    browser = models.CharField(
        max_length=120, blank=True, help_text="Browser and system, e.g. “Firefox on Windows”."
    )
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-last_seen_at", "-pk"]
        indexes = [models.Index(fields=["user", "ended_at"], name="signed_in_user_open")]

    def __str__(self) -> str:
        return f"Session of user {self.user_id} from {self.signed_in_at:%Y-%m-%d %H:%M}"
