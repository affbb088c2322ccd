"""The record a page names, fetched once per request.

A page asks its permission rule of its record (rules' ``permission_required(fn=...)``)
before it fetches that record to show it: the same query twice. ``fetched_once`` keeps what
the first fetch found on the request, so that the page shows the very object the rule was
asked about. The getter a page names in its decorator is the one it calls for its record.
"""

from collections.abc import Callable, Hashable
from typing import TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404

Record = TypeVar("Record")


def fetched_once(request, key: Hashable, fetch: Callable[[], Record]) -> Record:
    """``fetch()`` the first time ``key`` is asked for in this request, then what it gave. A
    record that is not there (``fetch`` raising a model's ``DoesNotExist``, as a selector's
    ``get`` does, or ``Http404``) answers 404."""
    fetched = request.__dict__.setdefault("_records_fetched", {})
    if key not in fetched:
        try:
            fetched[key] = fetch()
        except ObjectDoesNotExist:
            raise Http404 from None
    return fetched[key]
