"""Nightly housekeeping of sessions: Django leaves expired sessions in its store until
something clears them, and a session that simply timed out never had its row ended."""

from __future__ import annotations

from celery import shared_task
from django.db.models import F
from django.utils import timezone

from session_security.models import SignedInSession
from session_security.sessions_store import _store_class, session_data

#: Rows are looked at in batches, so a year of sign-ins never loads at once.
BATCH = 1000


@shared_task
def clear_expired_sessions() -> dict[str, int]:
    """Remove expired sessions from the store (Django's ``clearsessions``) and mark the rows of
    sessions that are no longer there as ended when they were last used. Running it twice
    changes nothing more."""
    _store_class().clear_expired()
    ended = 0
    last_pk = 0
    while True:
        batch = list(
            SignedInSession.objects.filter(ended_at__isnull=True, pk__gt=last_pk)
            .order_by("pk")
            .values_list("pk", "session_key")[:BATCH]
        )
        if not batch:
            break
        last_pk = batch[-1][0]
        alive = session_data(key for _, key in batch).keys()
        gone = [pk for pk, key in batch if key not in alive]
        ended += SignedInSession.objects.filter(pk__in=gone, ended_at__isnull=True).update(
            ended_at=F("last_seen_at")
        )
    return {"ended": ended, "checked_at": int(timezone.now().timestamp())}
