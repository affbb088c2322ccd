"""How often a page fetches a record: a record page asks its rule of the record it then
shows, fetched once (send_portal/page_records.py)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def times_fetched(client, url: str, table: str) -> int:
    """The SELECTs of rows of ``table`` (its own columns first) when ``url`` is opened again."""
    client.get(url)  # the session's first request writes more than the rest
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200, url
    return sum(1 for q in queries if q["sql"].startswith(f'SELECT "{table}"."id", '))
