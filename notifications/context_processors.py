"""The signed-in person's unread notification count, for the header."""

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from notifications.selectors import unread_count


def notifications(request: HttpRequest) -> dict:
    """``unread_notification_count``: counted once, and only if a template shows it (kept in
    the shared cache until one of the person's notifications changes, otherwise one query),
    for signed-in users only."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notification_count": SimpleLazyObject(lambda: unread_count(user))}
