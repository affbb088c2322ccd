"""Following each signed-in session, and signing out one that was ended elsewhere."""

from django.contrib.auth import logout

from session_security import services


class SignedInSessionMiddleware:
    """Keeps the session's "last seen" time (written at most once a minute) and signs out a
    session whose record was ended from another device, in case the session store still
    held it. Comes after AuthenticationMiddleware; LoginRequiredMiddleware then sends the
    signed-out request to the sign-in page, as for any other anonymous one.

    It also keeps the inactivity timeout, to within a minute, without saving the session on
    every request (SESSION_SAVE_EVERY_REQUEST is off: it cost every page an UPDATE in a
    transaction). A signed-in session is saved, and its expiry moved on, whenever it
    changed: "last seen" is written into it at most once a minute (services.note_activity),
    so an active session is saved at least once a minute. A POST always saves it, so "Stay
    signed in" moves the expiry on at once.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not services.note_activity(request):
            logout(request)
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if request.method == "POST" and session is not None and session.session_key is not None:
            session.modified = True
        return response
