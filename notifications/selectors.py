"""Read queries about notifications: always one person's own."""

from __future__ import annotations

from django.db.models import QuerySet

from notifications.models import Notification
from roles.models import User


def notifications_for(user: User) -> QuerySet[Notification]:
    """``user``'s own notifications, newest first."""
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-pk")


def unread_count(user: User) -> int:
    """One COUNT over the (recipient, read_at) index."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
