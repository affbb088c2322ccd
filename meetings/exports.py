"""A meeting's agenda and the action log as CSV, and the minutes as a PDF.

The CSVs are streamed and guarded against formula injection by send_portal/csv_export.py,
as every CSV of the portal is.

File names say what the file is and when, never who: no child's or person's name.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify

from meetings.models import Action, AgendaItem, Meeting
from send_portal.csv_export import stream_csv
from send_portal.london_time import LONDON

# The PDF is drawn the same way as the EHC plan printouts: the same resource policy (no
# network, fonts only) and the same guard that keeps document text out of the logs.
from send_portal.pdf import PdfNotMade, pdf_download, pdf_font, render_pdf

logger = logging.getLogger(__name__)


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
    response = pdf_download(pdf, f"minutes-{_meeting_slug(meeting)}.pdf")
    response["Cache-Control"] = "no-store"
    return response
