"""The record a page names, fetched once per request.

A page asks its permission rule of its record (rules' ``permission_required(fn=...)``)
before it fetches that record to show it: the same query twice. ``fetched_once`` keeps what
the first fetch found on the request, so that the page shows the very object the rule was
asked about. The getter a page names in its decorator is the one it calls for its record.
"""

from collections.abc import Callable, Hashable
from typing import TypeVar

Record = TypeVar("Record")


def fetched_once(request, key: Hashable, fetch: Callable[[], Record]) -> Record:
    """``fetch()`` the first time ``key`` is asked for in this request, then what it gave."""
    fetched = request.__dict__.setdefault("_records_fetched", {})
    if key not in fetched:
        fetched[key] = fetch()
    return fetched[key]
