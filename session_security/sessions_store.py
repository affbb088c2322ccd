"""Reading and deleting sessions in Django's session store, many at a time.

With a database-backed store (the portal's: ``django.contrib.sessions.backends.db`` or
``cached_db``) each is one query for all the keys; with any other store each key is asked
on its own, which is a cache look-up, not a database query.
"""

from __future__ import annotations

from collections.abc import Iterable
from importlib import import_module

from django.conf import settings
from django.utils import timezone


def _store_class():
    return import_module(settings.SESSION_ENGINE).SessionStore


def session_data(keys: Iterable[str]) -> dict[str, dict]:
    """The data of each session that is still in the store and not expired, by key."""
    keys = [key for key in keys if key]
    if not keys:
        return {}
    store = _store_class()
    if hasattr(store, "get_model_class"):
        rows = store.get_model_class().objects.filter(
            session_key__in=keys, expire_date__gt=timezone.now()
        )
        decoder = store()
        return {row.session_key: decoder.decode(row.session_data) for row in rows}
    found = {}
    for key in keys:
        data = store(session_key=key).load()
        if data:  # load() gives {} for a session that is missing or expired
            found[key] = data
    return found


def delete_sessions(keys: Iterable[str]) -> None:
    keys = [key for key in keys if key]
    if not keys:
        return
    store = _store_class()
    if hasattr(store, "get_model_class") and not settings.SESSION_ENGINE.endswith("cached_db"):
        store.get_model_class().objects.filter(session_key__in=keys).delete()
        return
    for key in keys:  # cached_db and cache stores: the cached copy must go too
        store().delete(key)
