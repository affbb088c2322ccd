"""What follows a change to a notification: the header's kept unread count is replaced
(notifications.selectors.notifications_changed)."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save

from notifications.models import Notification
from notifications.selectors import notifications_changed


def changed(sender, instance: Notification, **kwargs) -> None:
    notifications_changed(instance.recipient_id)


def connect() -> None:
    post_save.connect(changed, sender=Notification, dispatch_uid="notifications-unread-save")
    post_delete.connect(changed, sender=Notification, dispatch_uid="notifications-unread-delete")
