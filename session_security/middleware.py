"""Following each signed-in session, and signing out one that was ended elsewhere."""

from django.contrib.auth import logout

from session_security import services


class SignedInSessionMiddleware:
    """Keeps the session's "last seen" time (written at most once a minute) and signs out a
    session whose record was ended from another device, in case the session store still
    held it. Comes after AuthenticationMiddleware; LoginRequiredMiddleware then sends the
    signed-out request to the sign-in page, as for any other anonymous one.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not services.note_activity(request):
            logout(request)
        return self.get_response(request)
