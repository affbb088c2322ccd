"""The signed-in person's unread notification count, for the header."""

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from notifications.selectors import unread_count


def notifications(request: HttpRequest) -> dict:
    """``unread_notification_count``: read with the signed-in user (no query of its own), or
    counted if a template shows it after the person's notifications changed in this
    request; for signed-in users only."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notification_count": SimpleLazyObject(lambda: unread_count(user))}
