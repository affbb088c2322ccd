"""Importing concerns from a CSV file: a preview with each row's errors, then all or nothing.

The columns (first row, in any order): raised_on, source, service, themes, summary,
families. Dates as 2026-11-03 or 03/11/2026; themes separated by semicolons, by name;
source and service by their code or their label.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from dataclasses import dataclass, field

from django.db import transaction

from intelligence import services
from intelligence.anonymity import MAX_TEXT_LENGTH, identifying_details
from intelligence.models import SERVICE_CHOICES, Concern, ConcernSource, Theme
from send_portal.forms import INTEGER_MAX, control_character_problem, date_problem, whole_number

COLUMNS = ("raised_on", "source", "service", "themes", "summary", "families")
REQUIRED = ("raised_on", "source", "themes", "summary")
MAX_ROWS = 2000

# Control characters other than tab and line ends: a file holding them is not text (a
# program or a document renamed .csv), and NUL in particular is refused by PostgreSQL.
NOT_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
NOT_TEXT_MESSAGE = (
    "The file is not a CSV file: it holds characters that are not text. Save it as CSV "
    "(UTF-8) and check it again."
)


@dataclass
class Row:
    number: int  # the line in the file, counting the header as 1
    raw: dict[str, str]
    errors: list[str] = field(default_factory=list)
    values: dict = field(default_factory=dict)


@dataclass
class Preview:
    rows: list[Row]
    file_errors: list[str]

    @property
    def ok(self) -> bool:
        return not self.file_errors and bool(self.rows) and not any(r.errors for r in self.rows)

    @property
    def error_count(self) -> int:
        return sum(1 for r in self.rows if r.errors)


def _choice(value: str, choices) -> str | None:
    wanted = value.strip().lower()
    for code, label in choices:
        if wanted in (str(code).lower(), str(label).lower()):
            return code
    return None


def _date(value: str) -> datetime.date | None:
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime(value.strip(), fmt).date()
        except ValueError:
            continue
    return None


def preview(text: str, today: datetime.date, area) -> Preview:
    """The rows of ``text`` checked, for the area ``area`` they are to be logged in (a
    concern already logged is looked for in that area only: another area's log is not
    the importer's to know of)."""
    # The confirm step posts the text back, so it is checked here too, not only on upload.
    if NOT_TEXT.search(text):
        return Preview([], [NOT_TEXT_MESSAGE])
    try:
        return _preview(text, today, area)
    except csv.Error:
        # The csv module's own limits, such as a field over 128 KB.
        return Preview([], ["The file cannot be read as CSV: check it is saved as CSV (UTF-8)."])


def _preview(text: str, today: datetime.date, area) -> Preview:
    reader = csv.DictReader(io.StringIO(text))
    headers = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in REQUIRED if c not in headers]
    unknown = [h for h in headers if h not in COLUMNS]
    if missing or unknown:
        problems = []
        if missing:
            problems.append("The file has no column " + ", ".join(missing) + ".")
        if unknown:
            problems.append("Unknown column " + ", ".join(unknown) + ".")
        problems.append("The first row must name the columns: " + ", ".join(COLUMNS) + ".")
        return Preview([], problems)
    themes = {t.name.lower(): t for t in Theme.objects.select_related("merged_into")}
    rows: list[Row] = []
    seen: set[tuple] = set()
    for number, raw in enumerate(reader, start=2):
        if len(rows) >= MAX_ROWS:
            return Preview(rows, [f"Import at most {MAX_ROWS} rows at a time."])
        raw = {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items()}
        row = Row(number, raw)
        raised_on = _date(raw.get("raised_on", ""))
        if raised_on is None:
            row.errors.append("raised_on: enter a date like 2026-11-03 or 03/11/2026")
        elif raised_on > today:
            row.errors.append("raised_on: the date must be today or in the past")
        elif problem := date_problem(raised_on, today):
            row.errors.append(f"raised_on: the date {problem}")
        source = _choice(raw.get("source", ""), ConcernSource.choices)
        if source is None:
            row.errors.append(f"source: unknown source “{raw.get('source', '')}”")
        service = ""
        if raw.get("service"):
            service = _choice(raw["service"], SERVICE_CHOICES)
            if service is None:
                row.errors.append(f"service: unknown service “{raw['service']}”")
        names = [n.strip() for n in raw.get("themes", "").split(";") if n.strip()]
        row_themes = []
        for name in names:
            theme = themes.get(name.lower())
            if theme is None:
                row.errors.append(f"themes: unknown theme “{name}”")
            else:
                row_themes.append(theme)
        if not names:
            row.errors.append("themes: name at least one theme")
        summary = raw.get("summary", "")
        if not summary:
            row.errors.append("summary: write the concern")
        if len(summary) > MAX_TEXT_LENGTH:
            row.errors.append(f"summary: at most {MAX_TEXT_LENGTH} characters")
        elif problem := control_character_problem(summary, multi_line=True):
            row.errors.append(f"summary: the text {problem}")
        else:
            row.errors.extend(f"summary: {p}" for p in identifying_details(summary))
        # The same bounds as the form's: at least 1, and what the column holds.
        families = whole_number(raw.get("families") or "1", default=0, low=1, high=INTEGER_MAX)
        if not families:
            row.errors.append(f"families: a whole number from 1 to {INTEGER_MAX:,}")
        key = (raised_on, summary.lower())
        if key in seen:
            row.errors.append("the same concern appears earlier in the file")
        seen.add(key)
        row.values = {
            "raised_on": raised_on,
            "source": source,
            "service": service or "",
            "themes": row_themes,
            "summary": summary,
            "families": families or 1,
        }
        rows.append(row)
    if not rows:
        return Preview([], ["The file has no rows under its header."])
    _mark_already_logged(rows, area)
    return Preview(rows, [])


def _mark_already_logged(rows: list[Row], area) -> None:
    dates = {r.values["raised_on"] for r in rows if r.values.get("raised_on")}
    existing = {
        (d, s.lower())
        for d, s in Concern.objects.filter(raised_on__in=dates, area=area).values_list(
            "raised_on", "summary"
        )
    }
    for row in rows:
        if (row.values.get("raised_on"), row.values.get("summary", "").lower()) in existing:
            row.errors.append("this concern is already in the log")


@transaction.atomic
def import_rows(text: str, user, today: datetime.date, area) -> int:
    """Check the file again and log every row, or none (any error rolls the whole file back)."""
    checked = preview(text, today, area)
    if not checked.ok:
        raise services.RefusedChange("The file has errors: nothing was imported.")
    for row in checked.rows:
        services.log_concern(logged_by=user, area=area, **row.values)
    return len(checked.rows)
