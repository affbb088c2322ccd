"""Telling a person something: in the portal always, and by email when there is a template.

The in-app notification is what makes the embedded run (email written to files) still
reach people; the email is the same message where email works. Nothing here names a
child: callers pass titles and bodies that say what needs doing and link into the portal,
where access is checked.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from notifications.models import Notification
from notifications.selectors import notifications_changed
from roles.models import User
from roles.selectors import service_name_for
from send_portal.notifications import Attachment, send_email

TITLE_MAX = Notification._meta.get_field("title").max_length
LINK_MAX = Notification._meta.get_field("link").max_length


def notify(
    recipient: User,
    title: str,
    body: str = "",
    link: str = "",
    *,
    email_subject: str | None = None,
    email_template: str | None = None,
    email_context: dict | None = None,
    attachments: Iterable[Attachment] = (),
) -> Notification:
    """Create ``recipient``'s notification and, given a template, email them too.

    ``link`` is a path inside the portal ("/meetings/12/"), never a full address. The
    notification is saved before the email is sent and stays if sending fails: the
    email's error is raised for the caller to record and retry with
    ``send_notification_email``, which does not make a second notification.
    """
    if link and (not link.startswith("/") or link.startswith("//") or len(link) > LINK_MAX):
        raise ValueError(f"A notification links to a path inside the portal, not {link!r}.")
    notification = Notification.objects.create(
        recipient=recipient, title=_shorten(title, TITLE_MAX), body=body, link=link
    )
    if email_template:
        send_notification_email(
            recipient, email_subject or title, email_template, email_context or {}, attachments
        )
    return notification


def send_notification_email(
    recipient: User,
    subject: str,
    template: str,
    context: dict,
    attachments: Iterable[Attachment] = (),
) -> None:
    """Email ``recipient`` only (a retry of a notification's email); raises on failure."""
    send_email(
        recipient.email,
        subject,
        template,
        # Named for the places the recipient works in, as the pages they sign in to.
        {"recipient": recipient, "service_name": service_name_for(recipient), **context},
        attachments=attachments,
    )


@transaction.atomic
def mark_all_read(user: User) -> int:
    """Mark every unread notification of ``user`` read; return how many there were."""
    marked = Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    # A bulk update sends no signal: the header's count is taken again if this request
    # draws a page.
    notifications_changed(user.pk)
    return marked


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
