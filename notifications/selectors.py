"""Read queries about notifications (always one person's own) and about deliveries (the
claims of ``notifications.delivery.send_once``)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from asgiref.local import Local
from django.db.models import (
    BooleanField,
    ExpressionWrapper,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
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


#: The header counts unread notifications up to this many and shows more as "99+": every
#: signed-in page reads it, and someone who reads their reminders by email alone may leave
#: thousands unread (10,000 took 1.6 ms to count; 100 take a few hundredths of one).
UNREAD_COUNTED_UP_TO = 100


def _unread(recipient) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=recipient, read_at__isnull=True)


def count_unread(user: User) -> int:
    """One COUNT over the (recipient, read_at) index, of at most ``UNREAD_COUNTED_UP_TO``."""
    return _unread(user)[:UNREAD_COUNTED_UP_TO].count()


class _CountOf(Subquery):
    """How many rows a subquery gives (``SELECT COUNT(*) FROM (…)``), as a column."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) AS counted)"
    output_field = IntegerField()


# --- The header's unread count, read with the user ------------------------------------
#
# Every signed-in page shows it. It is read in the signed-in user's own query (registered in
# NotificationsConfig.ready through roles.backends.read_with_user): a subquery over the
# (recipient, read_at) index, with no query or cache round trip of its own, and as true as
# the database at the start of the request. Before, it was kept in the shared cache under a
# mark that every change replaced: one Redis round trip on every page (0.6-0.7 of About's
# 3.7 ms in one process, scale 100) and a protocol every bulk change had to remember.


def unread_count_of_user_row() -> _CountOf:
    """The unread count of the user row the query is about (``OuterRef("pk")``), up to
    ``UNREAD_COUNTED_UP_TO``."""
    return _CountOf(_unread(OuterRef("pk")).order_by().values("pk")[:UNREAD_COUNTED_UP_TO])


#: The people whose notifications changed during this request (or task), in this thread:
#: their count read at the start of the request is out of date, and is counted again.
#: Emptied as each request starts; in a Celery worker, which draws no page, it holds at
#: most every person's id.
_changed = Local()


def notifications_changed(user_id: int) -> None:
    """A notification of ``user_id`` was made, read or deleted in this request (the
    receivers; a bulk change, which sends no signal, calls it itself)."""
    if not hasattr(_changed, "ids"):
        _changed.ids = set()
    _changed.ids.add(user_id)


def forget_changes(**kwargs) -> None:
    """A new request starts: every count it reads with its user is current."""
    _changed.ids = set()


def unread_shown(count: int) -> str:
    """The count as the header shows it: "99+" from ``UNREAD_COUNTED_UP_TO``."""
    return f"{UNREAD_COUNTED_UP_TO - 1}+" if count >= UNREAD_COUNTED_UP_TO else str(count)


def unread_count(user: User) -> int:
    """``user``'s unread notifications: as read with the signed-in user at the start of the
    request, otherwise one COUNT (a user loaded some other way, or whose notifications
    changed since: a page drawn after a change shows it)."""
    read = getattr(user, "unread_notification_count", None)
    if read is None or user.pk in getattr(_changed, "ids", ()):
        return count_unread(user)
    return read


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
