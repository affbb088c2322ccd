"""The report's exports. The concern log as CSV rows: who may export what, filtered as the
concern list filters, streamed a chunk at a time (send_portal/csv_export.py writes the
file). The PDF governance pack's page (services.build_report_pack makes the PDF of it).

Commissioners, governance readers and the DMO get the aggregated columns only; those who
keep the log (the DCO and the Clinical Lead, and a SENDIASS officer for their own
concerns) get the summaries too.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.core.exceptions import PermissionDenied
from django.template.loader import render_to_string
from django.utils import timezone

from intelligence.filters import ConcernFilter
from intelligence.models import SERVICE_CHOICES, Concern, ConcernSource, Theme
from intelligence.report import Period, build_report, period_from
from intelligence.rules import sees_all_intelligence
from roles.selectors import areas_of

AGGREGATE_HEADERS = ["Date raised", "Source", "Service", "Themes", "Families", "Status"]
FULL_HEADERS = [*AGGREGATE_HEADERS, "Summary"]
#: Concerns read per query: memory stays at one chunk, however long the log.
CHUNK_SIZE = 2000


def concern_header(with_summary: bool) -> list[str]:
    return FULL_HEADERS if with_summary else AGGREGATE_HEADERS


def concerns_for_export(user, params):
    """The concerns ``user`` may export for the period ``params`` give (start, end),
    filtered as the concern list is (theme, service, status, source), oldest first; whether
    the summaries go with them; and the period."""
    mine = Concern.objects.filter(area_id__in=areas_of(user))  # the areas they work in
    if sees_all_intelligence.test(user):
        concerns, with_summary = mine, True
    elif user.has_perm("intelligence.read_reports"):
        concerns, with_summary = mine, False
    elif user.has_perm("intelligence.list_concerns"):
        concerns, with_summary = mine.filter(logged_by=user), True
    else:
        raise PermissionDenied
    period = period_from(params)
    concerns = concerns.filter(raised_on__range=(period.start, period.end))
    names = ("area", "theme", "service", "status", "source")
    choices = {name: params.get(name, "") for name in names}
    concerns = ConcernFilter(choices, queryset=concerns, areas=areas_of(user)).qs
    return concerns.order_by("raised_on", "pk"), with_summary, period


def concern_rows(concerns, with_summary: bool) -> Iterator[list]:
    """One list of cells per concern; the themes of each chunk read in one query."""
    themes = dict(Theme.objects.values_list("pk", "name"))
    sources, services = dict(ConcernSource.choices), dict(SERVICE_CHOICES)
    statuses = dict(Concern.Status.choices)
    through = Concern.themes.through.objects
    fields = ["pk", "raised_on", "source", "service", "families", "status"]
    if with_summary:
        fields.append("summary")

    def rows_of(batch: list[dict]) -> Iterator[list]:
        theme_names: dict[int, list[str]] = {}
        for concern_id, theme_id in through.filter(
            concern_id__in=[row["pk"] for row in batch]
        ).values_list("concern_id", "theme_id"):
            theme_names.setdefault(concern_id, []).append(themes.get(theme_id, ""))
        for row in batch:
            cells = [
                row["raised_on"],
                sources.get(row["source"], row["source"]),
                services.get(row["service"], ""),
                "; ".join(sorted(theme_names.get(row["pk"], []))),
                row["families"],
                statuses.get(row["status"], row["status"]),
            ]
            if with_summary:
                cells.append(row["summary"])
            yield cells

    batch: list[dict] = []
    for row in concerns.values(*fields).iterator(chunk_size=CHUNK_SIZE):
        batch.append(row)
        if len(batch) >= CHUNK_SIZE:
            yield from rows_of(batch)
            batch = []
    if batch:
        yield from rows_of(batch)


def concerns_csv_name(period: Period) -> str:
    return f"concerns-{period.start:%Y%m%d}-{period.end:%Y%m%d}.csv"


def concerns_csv_summary(period: Period, with_summary: bool) -> str:
    """What the audit log records of a download: the period, never a concern."""
    return f"Concerns CSV {period.start:%Y-%m-%d} to {period.end:%Y-%m-%d}" + (
        " with summaries" if with_summary else ""
    )


# --- The PDF governance pack ------------------------------------------------------------


def pack_html(period: Period, today: datetime.date | None = None, *, areas) -> str:
    """The governance pack's page, of the areas ``areas`` (those of who asked for it)."""
    from roles.selectors import names_of_areas
    from send_portal.pdf import pdf_font

    data = build_report(period, today, areas=areas)
    # The areas the pack is of, named on its first page (None: every area, for the tools).
    data["area_names"] = (
        ["Every local area"] if areas is None else [name for _, name in names_of_areas(areas)]
    )
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


def pack_file_name(pack) -> str:
    return f"governance-pack-{pack.starts_on:%Y-%m-%d}-to-{pack.ends_on:%Y-%m-%d}.pdf"


def pack_summary(pack) -> str:
    """What the audit log records of a download: the period, nothing else."""
    return f"Governance pack PDF {pack.starts_on:%Y-%m-%d} to {pack.ends_on:%Y-%m-%d}"
