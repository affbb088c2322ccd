"""The signed-in person's unread notification count, for the header."""

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from notifications.selectors import unread_count, unread_shown


def notifications(request: HttpRequest) -> dict:
    """``unread_notification_count``: read with the signed-in user (no query of its own), or
    counted if a template shows it after the person's notifications changed in this
    request; ``unread_notifications_shown`` as the header shows it ("99+"); for signed-in
    users only."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    counted = {}

    def count() -> int:
        if "unread" not in counted:
            counted["unread"] = unread_count(user)
        return counted["unread"]

    return {
        "unread_notification_count": SimpleLazyObject(count),
        "unread_notifications_shown": SimpleLazyObject(lambda: unread_shown(count())),
    }
