"""Sign-in events to the audit log, from Django's and django-axes' signals.

Receivers rather than code in the sign-in view, so every way of signing in or out is
recorded. A failed sign-in keeps what was typed as the account (the email), never the
password: Django's signal already hides it, and only the username is read here.
"""

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from audit.models import AuditEvent
from audit.services import record_event


def _typed_account(credentials: dict | None) -> str:
    if not credentials:
        return ""
    typed = credentials.get("username") or credentials.get("email") or ""
    return typed.strip() if isinstance(typed, str) else ""


@receiver(user_logged_in, dispatch_uid="security_signed_in")
def record_sign_in(sender, request, user, **kwargs):
    record_event(AuditEvent.Kind.SIGNED_IN, request=request, actor=user)


@receiver(user_login_failed, dispatch_uid="security_sign_in_failed")
def record_failed_sign_in(sender, credentials, request=None, **kwargs):
    record_event(
        AuditEvent.Kind.SIGN_IN_FAILED, request=request, identifier=_typed_account(credentials)
    )


@receiver(user_locked_out, dispatch_uid="security_locked_out")
def record_lockout(sender, request, username, ip_address, **kwargs):
    record_event(AuditEvent.Kind.LOCKED_OUT, request=request, identifier=username or "")


@receiver(user_logged_out, dispatch_uid="security_signed_out")
def record_sign_out(sender, request, user, **kwargs):
    if user is None:  # signing out a session that was not signed in
        return
    record_event(AuditEvent.Kind.SIGNED_OUT, request=request, actor=user)
