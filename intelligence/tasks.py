"""Background work of the intelligence app: the PDF governance pack of the report.

A pack job's state (queued, building, ready, failed), who asked for it and its period are
kept in a small JSON file beside the PDF under MEDIA_ROOT/report-packs/, which the web
server and the Celery worker share; only the user who asked may see or download it.
"""

from __future__ import annotations

import datetime
import json
import logging
import os
import uuid
from pathlib import Path

from celery import shared_task
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

logger = logging.getLogger(__name__)

QUEUED, BUILDING, READY, FAILED = "queued", "building", "ready", "failed"
STATUS_LABELS = {
    QUEUED: "Waiting to start",
    BUILDING: "Being built",
    READY: "Ready to download",
    FAILED: "Could not be built",
}


def pack_folder() -> Path:
    folder = Path(settings.MEDIA_ROOT) / "report-packs"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def pdf_path(job) -> Path:
    return pack_folder() / f"{uuid.UUID(str(job))}.pdf"


def _state_path(job) -> Path:
    return pack_folder() / f"{uuid.UUID(str(job))}.json"


def read_job(job) -> dict | None:
    try:
        return json.loads(_state_path(job).read_text())
    except (FileNotFoundError, ValueError):
        return None


def _write_job(job, state: dict) -> None:
    path = _state_path(job)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(state))
    os.replace(temporary, path)  # atomic: a reader never sees half a file


def _update(job, **changes) -> dict:
    state = read_job(job) or {}
    state.update(changes, updated_at=timezone.now().isoformat())
    _write_job(job, state)
    return state


def new_job(user, period) -> uuid.UUID:
    job = uuid.uuid4()
    _write_job(
        job,
        {
            "user_id": user.pk,
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
            "status": QUEUED,
            "progress": 0,
            "created_at": timezone.now().isoformat(),
        },
    )
    return job


def pack_html(period, today: datetime.date | None = None) -> str:
    from intelligence.report import build_report
    from send_portal.pdf import pdf_font

    data = build_report(period, today)
    for rows in (
        data["concerns"]["by_theme"],
        data["concerns"]["by_service"],
        data["trend"],
        data["meetings"]["attendance"],
    ):
        _add_bars(rows)
    return render_to_string(
        "intelligence/report/pack_pdf.html",
        {**data, "pdf_font": pdf_font(), "made_at": timezone.localtime()},
    )


def _add_bars(rows: list[dict]) -> None:
    """Bar lengths (percent of the largest) for charts drawn with table cells in the PDF:
    xhtml2pdf does not draw inline SVG."""
    largest = max((row["count"] for row in rows), default=0) or 1
    for row in rows:
        row["bar"] = round(100 * row["count"] / largest)
        row["rest"] = 100 - row["bar"]


@shared_task
def build_report_pack(job_id: str, start: str, end: str, user_id: int) -> str:
    """Build the governance pack PDF for the period; record how it went in the job's state."""
    from intelligence.report import Period
    from send_portal.pdf import render_pdf

    state = read_job(job_id)
    if state is None or state.get("user_id") != user_id:
        logger.warning("Report pack job %s not found", job_id)
        return FAILED
    _update(job_id, status=BUILDING, progress=10)
    try:
        period = Period(datetime.date.fromisoformat(start), datetime.date.fromisoformat(end))
        html = pack_html(period)
        _update(job_id, progress=50)
        pdf = render_pdf(html)
        pdf_path(job_id).write_bytes(pdf)
    except Exception:
        logger.exception("Report pack %s could not be built", job_id)
        _update(job_id, status=FAILED, progress=100)
        return FAILED
    _update(job_id, status=READY, progress=100)
    return READY


#: How long a built pack (and its job's state) stays for downloading. The figures are
#: anonymous, but a pack is a snapshot: asking again builds one from today's records.
PACK_KEEP = datetime.timedelta(hours=24)


@shared_task
def delete_old_report_packs() -> int:
    """Delete packs and job states last written more than PACK_KEEP ago; how many files went."""
    cutoff = (timezone.now() - PACK_KEEP).timestamp()
    deleted = 0
    for path in pack_folder().iterdir():
        if path.suffix in {".pdf", ".json", ".tmp"} and path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
            deleted += 1
    return deleted
