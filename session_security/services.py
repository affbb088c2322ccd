"""Starting, following and ending signed-in sessions."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import update_session_auth_hash
from django.db import transaction
from django.utils import timezone

from audit.services import Kind, client_address, record_event
from session_security import browser, sessions_store, step_up
from session_security.models import SignedInSession

#: This session's row and what the middleware last wrote to it:
#: {"id": row id, "key": the session key then, "seen": seconds since the epoch}.
SESSION_ROW = "session_security.row"

#: "Last seen" is written at most this often, so following a session costs no extra
#: write on most requests. Writing it into the session also saves the session, which is
#: what renews the inactivity timeout (session_security.middleware: to within a minute).
LAST_SEEN_EVERY_SECONDS = 60


def _now_seconds() -> int:
    return int(timezone.now().timestamp())


def _ensure_key(request) -> str:
    if request.session.session_key is None:
        request.session.save()
    return request.session.session_key


def start_session(request, user) -> SignedInSession:
    """Record a new sign-in (from ``user_logged_in``); the password was just entered."""
    key = _ensure_key(request)
    now = timezone.now()
    row, _ = SignedInSession.objects.update_or_create(
        session_key=key,
        defaults={
            "user": user,
            "signed_in_at": now,
            "last_seen_at": now,
            "client_address": client_address(request),
            "browser": browser.describe(request.META.get("HTTP_USER_AGENT", "")),
            "ended_at": None,
        },
    )
    request.session[SESSION_ROW] = {"id": row.pk, "key": key, "seen": _now_seconds()}
    step_up.note_password_entered(request)
    return row


def current_row_id(request) -> int | None:
    state = request.session.get(SESSION_ROW)
    return state.get("id") if isinstance(state, dict) else None


def end_current_session(request) -> None:
    """Mark this session's row ended (from ``user_logged_out``; the store deletes the session)."""
    row_id = current_row_id(request)
    if row_id is not None:
        SignedInSession.objects.filter(pk=row_id, ended_at__isnull=True).update(
            ended_at=timezone.now()
        )


def note_activity(request) -> bool:
    """Keep this session's row up to date; False when the session was ended elsewhere.

    Writes only when a minute has passed since the last write or the session key has
    changed (Django changes it at a password change, for example), so "sign out your other
    sessions" always finds the key in use.
    """
    state = request.session.get(SESSION_ROW)
    if not isinstance(state, dict):
        # Signed in before this record was kept: start one now.
        row, _ = SignedInSession.objects.update_or_create(
            session_key=_ensure_key(request),
            defaults={
                "user": request.user,
                "client_address": client_address(request),
                "browser": browser.describe(request.META.get("HTTP_USER_AGENT", "")),
                "ended_at": None,
            },
        )
        request.session[SESSION_ROW] = {
            "id": row.pk,
            "key": row.session_key,
            "seen": _now_seconds(),
        }
        return True
    key = request.session.session_key
    now = _now_seconds()
    if state.get("key") == key and 0 <= now - state.get("seen", 0) < LAST_SEEN_EVERY_SECONDS:
        return True
    updated = SignedInSession.objects.filter(
        pk=state.get("id"), user=request.user, ended_at__isnull=True
    ).update(last_seen_at=timezone.now(), session_key=key)
    if not updated:
        return False
    request.session[SESSION_ROW] = {**state, "key": key, "seen": now}
    return True


def _end_others(user, keep_row_id: int | None, keep_key: str | None) -> int:
    """End every open session of ``user`` but this one; how many were still active."""
    others = SignedInSession.objects.filter(user=user, ended_at__isnull=True)
    if keep_row_id is not None:
        others = others.exclude(pk=keep_row_id)
    if keep_key:
        others = others.exclude(session_key=keep_key)
    rows = list(others.values_list("pk", "session_key"))
    keys = [key for _, key in rows]
    still_active = len(sessions_store.session_data(keys))
    sessions_store.delete_sessions(keys)
    SignedInSession.objects.filter(pk__in=[pk for pk, _ in rows]).update(ended_at=timezone.now())
    return still_active


@transaction.atomic
def end_every_session(user) -> int:
    """End every session of ``user`` (their identity provider signed them out: back-channel
    logout); how many were still active. The caller records why."""
    return _end_others(user, None, None)


@transaction.atomic
def sign_out_other_sessions(request) -> int:
    """The person's "sign out your other sessions": every session but this one ends."""
    ended = _end_others(request.user, current_row_id(request), request.session.session_key)
    record_event(
        Kind.SESSIONS_ENDED,
        request=request,
        target=request.user,
        summary=f"Signed out {ended} other session(s)",
    )
    return ended


@transaction.atomic
def password_changed(request, user) -> int:
    """After a password change: keep this session signed in, end every other one.

    Django's session hash would refuse the other sessions at their next request; they are
    also deleted from the store and marked ended, so they are gone, not just unusable.
    """
    update_session_auth_hash(request, user)  # a new session key for this one, still signed in
    row_id = current_row_id(request)
    if row_id is not None:
        SignedInSession.objects.filter(pk=row_id).update(session_key=_ensure_key(request))
        request.session[SESSION_ROW] = {
            "id": row_id,
            "key": request.session.session_key,
            "seen": _now_seconds(),
        }
    ended = _end_others(user, row_id, request.session.session_key)
    step_up.note_password_entered(request)
    record_event(
        Kind.PASSWORD_CHANGED,
        request=request,
        target=user,
        summary=f"Password changed; {ended} other session(s) signed out",
    )
    return ended


def idle_minutes() -> int:
    return settings.SESSION_IDLE_MINUTES
