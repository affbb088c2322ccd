"""Sign-in starts a session's record, sign-out ends it, whichever page did either."""

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver

from session_security import services


@receiver(user_logged_in, dispatch_uid="session_security_signed_in")
def session_started(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        services.start_session(request, user)


@receiver(user_logged_out, dispatch_uid="session_security_signed_out")
def session_ended(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        services.end_current_session(request)
