"""What a person sees of their own sessions."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY
from django.utils.crypto import constant_time_compare

from session_security import sessions_store
from session_security.models import SignedInSession


@dataclass(frozen=True)
class ActiveSession:
    row: SignedInSession
    is_this_device: bool

    @property
    def pk(self) -> int:
        return self.row.pk


def _still_signed_in_as(user, data: dict) -> bool:
    """The stored session is this person's and still valid for them: the same user, and
    the password hash it was signed in with (a password change or reset voids it)."""
    return str(data.get(SESSION_KEY)) == str(user.pk) and constant_time_compare(
        data.get(HASH_SESSION_KEY, ""), user.get_session_auth_hash()
    )


def active_sessions(user, current_row_id: int | None = None) -> list[ActiveSession]:
    """The person's sessions that are still signed in, most recently used first.

    Two queries whatever the number of sessions: the person's open rows, then the store's
    copy of those sessions (anything expired or signed out is no longer there).
    """
    rows = list(
        SignedInSession.objects.filter(user=user, ended_at__isnull=True).order_by(
            "-last_seen_at", "-pk"
        )
    )
    stored = sessions_store.session_data(row.session_key for row in rows)
    active = []
    for row in rows:
        data = stored.get(row.session_key)
        if data is not None and _still_signed_in_as(user, data):
            active.append(ActiveSession(row=row, is_this_device=row.pk == current_row_id))
    # This device first, so the person finds it at once.
    active.sort(key=lambda session: not session.is_this_device)
    return active
