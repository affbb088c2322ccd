"""Read queries about notifications (always one person's own) and about deliveries (the
claims of ``notifications.delivery.send_once``)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet
from django.utils import timezone

from notifications.models import Delivery, Notification
from roles.models import User

#: A message that fails to send is tried again by later runs, up to this many attempts in all.
MAX_ATTEMPTS = 5
#: A message claimed this long ago and still "sending" was interrupted (a worker stopped
#: mid-send): whether it went is unknown, so it is never sent again, only shown.
INTERRUPTED_AFTER = datetime.timedelta(hours=1)

#: How a claim is found for a message due: (kind, subject, recipient id or None, address).
ClaimKey = tuple[str, str, int | None, str]


def notifications_for(user: User) -> QuerySet[Notification]:
    """``user``'s own notifications, newest first."""
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-pk")


def unread_count(user: User) -> int:
    """One COUNT over the (recipient, read_at) index."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def claimed(subjects: Iterable[str]) -> dict[ClaimKey, Delivery]:
    """The deliveries claimed already for ``subjects``, by (kind, subject, recipient id,
    address): the recipient id with "" for a person, None with the address for someone
    reached by email only. One query."""
    return {
        (row.kind, row.subject, row.recipient_id, row.recipient_address): row
        for row in Delivery.objects.filter(subject__in=list(subjects)).only(
            "pk", "kind", "subject", "recipient_id", "recipient_address", "outcome", "attempts"
        )
    }


def failed_or_interrupted(
    about_prefix: str = "", now: datetime.datetime | None = None
) -> QuerySet[Delivery]:
    """Deliveries that did not reach their recipient, newest first: those that failed to
    send (``will_retry`` while attempts are left, false once they have run out) and those
    interrupted mid-send (still "sending" ``INTERRUPTED_AFTER`` after they were claimed:
    never sent again, as they may have gone). Only those whose ``about`` starts with
    ``about_prefix`` ("meeting:" for the DCO's dashboard). Each with its recipient. One
    query."""
    now = now or timezone.now()
    failed = Q(outcome=Delivery.Outcome.FAILED)
    interrupted = Q(outcome=Delivery.Outcome.SENDING, created_at__lt=now - INTERRUPTED_AFTER)
    rows = Delivery.objects.filter(failed | interrupted)
    if about_prefix:
        rows = rows.filter(about__startswith=about_prefix)
    return (
        rows.annotate(
            will_retry=ExpressionWrapper(
                failed & Q(attempts__lt=MAX_ATTEMPTS), output_field=BooleanField()
            )
        )
        .select_related("recipient")
        .order_by("-created_at", "-pk")
    )
