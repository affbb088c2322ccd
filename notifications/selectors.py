"""Read queries about notifications (always one person's own) and about deliveries (the
claims of ``notifications.delivery.send_once``)."""

from __future__ import annotations

import contextlib
import datetime
import uuid
from collections.abc import Iterable
from functools import partial

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


def count_unread(user: User) -> int:
    """One COUNT over the (recipient, read_at) index."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


# --- The header's unread count, kept in the shared cache ---------------------------------
#
# Every signed-in page shows it, and it changes only when one of the person's notifications
# is made, read or deleted. So it is kept with a *mark* of the person's notifications: a
# random token that every change replaces (``notifications_changed``: as it is made and
# again once it commits). The count and the mark are read in one round trip; a count kept
# under an older mark is counted again. A count taken while a change was committing is
# kept under a mark the change replaces after it: nothing stale is served, whatever the
# order. Only with a cache every process shares (Redis): a worker's own memory would not
# hear of a notification read through another worker. A bulk change (QuerySet.update)
# sends no signal and must call ``notifications_changed`` itself (services.mark_all_read).

UNREAD_KEEP_SECONDS = 24 * 60 * 60


def _keys(user_id: int) -> tuple[str, str]:
    return f"notifications:unread:{user_id}", f"notifications:mark:{user_id}"


def unread_count(user: User) -> int:
    """``user``'s unread notifications: from the shared cache while none of theirs has
    changed since it was counted, otherwise one COUNT (count_unread)."""
    from django.conf import settings

    if not settings.SHARED_CACHE:
        return count_unread(user)
    from django.core.cache import cache

    count_key, mark_key = _keys(user.pk)
    try:
        kept = cache.get_many([count_key, mark_key])
    except Exception:  # noqa: BLE001 (any cache backend's connection error)
        return count_unread(user)
    mark = kept.get(mark_key)
    counted = kept.get(count_key)
    if mark is not None and counted is not None and counted[0] == mark:
        return counted[1]
    count = count_unread(user)
    with contextlib.suppress(Exception):  # the cache out of reach: counted each time
        if mark is None:
            # No mark yet (or evicted): set one; the count is kept from the next request.
            cache.add(mark_key, uuid.uuid4().hex, timeout=None)
        else:
            cache.set(count_key, (mark, count), timeout=UNREAD_KEEP_SECONDS)
    return count


def _replace_mark(user_id: int) -> None:
    from django.core.cache import cache

    # With the cache out of reach (Redis down) the pages count afresh anyway.
    with contextlib.suppress(Exception):
        cache.set(_keys(user_id)[1], uuid.uuid4().hex, timeout=None)


def notifications_changed(user_id: int) -> None:
    """A notification of ``user_id`` is being made, read or deleted: the count kept is stale.

    The mark is replaced at once and again when the change commits: a count taken in
    between (which cannot see the change yet) is kept under the first new mark, and the
    second replaces it."""
    from django.conf import settings
    from django.db import transaction

    if not settings.SHARED_CACHE:
        return
    _replace_mark(user_id)
    transaction.on_commit(partial(_replace_mark, user_id))


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
