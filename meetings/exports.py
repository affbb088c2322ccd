"""A meeting's agenda and the action log as CSV, and the minutes as a PDF.

The CSVs are streamed row by row (Django's StreamingHttpResponse with ``csv.writer``),
so a long action log never sits in memory whole. Every text cell is guarded against
formula injection: a spreadsheet treats a cell starting with ``=``, ``+``, ``-`` or ``@``
as a formula, so such cells get a leading apostrophe (OWASP, "CSV Injection").

File names say what the file is and when, never who: no child's or person's name.
"""

from __future__ import annotations

import csv
import datetime
import logging
from collections.abc import Iterable, Iterator

from django.http import HttpResponse, StreamingHttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify

from meetings.models import Action, AgendaItem, Meeting
from send_portal.london_time import LONDON

# The PDF is drawn the same way as the EHC plan printouts: the same resource policy (no
# network, fonts only) and the same guard that keeps document text out of the logs.
from send_portal.pdf import PdfNotMade, pdf_font, render_pdf

logger = logging.getLogger(__name__)


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
    """A CSV download streamed row by row. Starts with a byte order mark so that Excel
    reads the UTF-8 (names such as "Café" or "Łukasz") correctly."""
    writer = csv.writer(_Echo())

    def lines() -> Iterator[str]:
        yield "\ufeff" + writer.writerow(header)
        for row in rows:
            yield writer.writerow([safe_cell(cell) for cell in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


def _meeting_slug(meeting: Meeting) -> str:
    local = timezone.localtime(meeting.starts_at, LONDON)
    return f"{slugify(meeting.series.name) or 'meeting'}-{local:%Y-%m-%d}"


# --- Agenda ---------------------------------------------------------------------------

AGENDA_HEADER = ["Position", "Title", "Presenter", "Minutes allotted", "Case reference"]


def agenda_rows(items: Iterable[AgendaItem], cases: dict) -> Iterator[list]:
    """One row per item; a panel case by its council reference only (no child's name)."""
    for item in items:
        case = cases.get(item.assessment_id) if item.assessment_id else None
        yield [
            item.position,
            item.title,
            item.presenter,
            item.minutes_allotted,
            case.reference if case else "",
        ]


def agenda_csv(meeting: Meeting, items: Iterable[AgendaItem], cases: dict):
    return stream_csv(
        AGENDA_HEADER, agenda_rows(items, cases), f"agenda-{_meeting_slug(meeting)}.csv"
    )


# --- Actions --------------------------------------------------------------------------

ACTIONS_HEADER = [
    "Meeting",
    "Meeting date",
    "Agenda item",
    "Action",
    "Owner",
    "Due",
    "Status",
    "Completed",
]


def action_rows(actions: Iterable[Action]) -> Iterator[list]:
    for action in actions:
        yield [
            action.meeting.series.name,
            timezone.localtime(action.meeting.starts_at, LONDON).date(),
            action.agenda_item.title if action.agenda_item_id else "",
            action.description,
            action.owner.display_name,
            action.due_on,
            action.get_status_display(),
            action.completed_on,
        ]


def actions_csv(actions, include_closed: bool):
    """The action log. ``actions`` is a queryset, read in chunks as the response streams."""
    rows = action_rows(actions.iterator(chunk_size=500))
    which = "all" if include_closed else "open"
    return stream_csv(ACTIONS_HEADER, rows, f"actions-{which}-{timezone.localdate():%Y-%m-%d}.csv")


# --- Minutes PDF ----------------------------------------------------------------------


def minutes_pdf(context: dict, meeting: Meeting) -> HttpResponse:
    """The minutes with the attendance list and the action log, as a PDF download."""
    html = render_to_string(
        "meetings/meeting/minutes_pdf.html", {**context, "pdf_font": pdf_font()}
    )
    try:
        pdf = render_pdf(html)
    except PdfNotMade:
        # The meeting's id is enough to find it again; nothing from the minutes.
        logger.exception("Could not make the minutes PDF of meeting %s", meeting.pk)
        raise
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="minutes-{_meeting_slug(meeting)}.pdf"'
    response["Cache-Control"] = "no-store"
    return response
