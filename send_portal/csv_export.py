"""Every CSV the portal sends: streamed row by row, each cell safe in a spreadsheet.

The rows are streamed (Django's StreamingHttpResponse with ``csv.writer``), so a long
export never sits in memory whole. Every text cell is guarded against formula injection:
a spreadsheet treats a cell starting with ``=``, ``+``, ``-`` or ``@`` as a formula, so
such cells get a leading apostrophe (OWASP, "CSV Injection"). A byte order mark comes
first, so that Excel reads the UTF-8 ("Café", "Łukasz") correctly.
"""

from __future__ import annotations

import csv
import datetime
from collections.abc import Iterable, Iterator

from django.http import StreamingHttpResponse

#: Characters that make a spreadsheet read a cell as a formula (tab and carriage return
#: too: some spreadsheets skip them and read the formula after).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> object:
    """The value as a CSV cell: text that a spreadsheet would run as a formula gets a
    leading apostrophe; dates as ISO 8601; None as empty; numbers as they are."""
    if value is None:
        return ""
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


class _Echo:
    """A file-like object whose ``write`` hands back the line, for streaming."""

    def write(self, value: str) -> str:
        return value


def stream_csv(header: list[str], rows: Iterable[Iterable], filename: str) -> StreamingHttpResponse:
    """A CSV download of ``rows`` under ``header``, streamed row by row, never cached."""
    writer = csv.writer(_Echo())

    def lines() -> Iterator[str]:
        yield "\ufeff" + writer.writerow(header)
        for row in rows:
            yield writer.writerow([safe_cell(cell) for cell in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
