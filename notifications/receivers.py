"""What follows a change to a notification: the header's unread count, read with the user at
the start of the request, is counted again if the page is drawn after it
(notifications.selectors.notifications_changed); a new request starts afresh."""

from __future__ import annotations

from django.core.signals import request_started
from django.db.models.signals import post_delete, post_save

from notifications.models import Notification
from notifications.selectors import forget_changes, notifications_changed


def changed(sender, instance: Notification, **kwargs) -> None:
    notifications_changed(instance.recipient_id)


def connect() -> None:
    post_save.connect(changed, sender=Notification, dispatch_uid="notifications-unread-save")
    post_delete.connect(changed, sender=Notification, dispatch_uid="notifications-unread-delete")
    request_started.connect(forget_changes, dispatch_uid="notifications-unread-request")
