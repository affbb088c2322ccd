"""Meeting dates from a series' iCalendar RRULE, in Europe/London wall-clock time.

The rule runs over local dates and a local start time (python-dateutil's rrule),
and only then is each meeting given its instant in Europe/London. So "the second
Tuesday at 10:00" is 10:00 on the wall clock in January and in July alike, and a
meeting never drifts by an hour across the clock changes.

People never type the rule: they choose a ``Pattern`` (every N weeks on a weekday;
every N months on a date or on the first/second/third/fourth/last weekday), which
is written as the RRULE kept underneath and read back from it to be edited.

What the portal supports is bounded here, in one place: weekly and monthly rules
only (its meetings, the SEND Panel, the Health Café and intelligence sharing, are
at most weekly; nothing is daily or more often), a short list of rule parts, and
at most ``MAX_MEETINGS_A_YEAR`` meetings from one series in a year. A rule outside
these bounds is refused before dateutil is asked to expand it, so a rule such as
``FREQ=MINUTELY`` costs nothing to refuse.
"""

from __future__ import annotations

import datetime
import itertools
from dataclasses import dataclass

from dateutil.rrule import rrulestr

from send_portal.london_time import LONDON

#: Meetings are materialised this far ahead.
HORIZON = datetime.timedelta(days=366)

#: The frequencies a series may have. Weekly and monthly cover every meeting the portal
#: runs; daily (and anything more often) would fill members' calendars and the reminder
#: queue, so it is refused rather than bounded.
SUPPORTED_FREQUENCIES = ("WEEKLY", "MONTHLY")
#: The rule parts a weekly or monthly meeting needs. Parts that add times within a day
#: (BYHOUR, BYMINUTE, BYSECOND) or count by week or day of the year are refused: each
#: multiplies the meetings one rule gives.
SUPPORTED_PARTS = frozenset(
    {"FREQ", "INTERVAL", "BYDAY", "BYMONTHDAY", "BYMONTH", "BYSETPOS", "COUNT", "UNTIL", "WKST"}
)
#: The most meetings one series may make in a year: weekly on one day (53 in the longest
#: year) with room for a second weekly day in short bursts would already be more than any
#: panel meets; anything above this is a mistake in the rule, not a meeting pattern.
MAX_MEETINGS_A_YEAR = 60
#: The longest gap a person can choose between meetings.
MAX_INTERVAL = {"WEEKLY": 52, "MONTHLY": 12}


class RecurrenceError(ValueError):
    """A rule that cannot be read or gives no meetings; the message says which."""


def _parts(text: str) -> dict[str, str]:
    parts: dict[str, str] = {}
    for piece in text.split(";"):
        if not piece.strip():
            continue
        name, _, value = piece.partition("=")
        parts[name.strip().upper()] = value.strip()
    return parts


def check_bounds(rrule_text: str) -> None:
    """Refuse, without expanding it, a rule more frequent or wider than the portal supports."""
    text = rrule_text.strip()
    if text.upper().startswith("RRULE:"):
        text = text[6:]
    if "DTSTART" in text.upper() or "\n" in text:
        raise RecurrenceError("Write only the rule, e.g. FREQ=MONTHLY;BYDAY=1WE.")
    parts = _parts(text)
    freq = parts.get("FREQ", "").upper()
    if freq not in SUPPORTED_FREQUENCIES:
        raise RecurrenceError(
            "Meetings can repeat every so many weeks or every so many months, not "
            f"{freq.lower() or 'without a frequency'}: choose weekly or monthly."
        )
    unsupported = sorted(set(parts) - SUPPORTED_PARTS)
    if unsupported:
        raise RecurrenceError(
            f"This rule uses {', '.join(unsupported)}, which meetings do not need: "
            "choose weeks or months, and a day."
        )
    interval = parts.get("INTERVAL", "1")
    if not interval.isdigit() or not 1 <= int(interval) <= MAX_INTERVAL[freq]:
        unit = "weeks" if freq == "WEEKLY" else "months"
        raise RecurrenceError(
            f"The gap between meetings must be from 1 to {MAX_INTERVAL[freq]} {unit}."
        )


def _rule(rrule_text: str, starts_on: datetime.date, start_time: datetime.time):
    check_bounds(rrule_text)
    text = rrule_text.strip()
    if text.upper().startswith("RRULE:"):
        text = text[6:]
    try:
        return rrulestr(text, dtstart=datetime.datetime.combine(starts_on, start_time))
    except (ValueError, TypeError) as error:
        raise RecurrenceError(f"This is not a rule the calendar understands ({error}).") from None


def occurrence_dates(
    rrule_text: str,
    starts_on: datetime.date,
    start_time: datetime.time,
    until: datetime.date,
    ends_on: datetime.date | None = None,
    limit: int | None = None,
) -> list[datetime.date]:
    """Every date the rule gives from ``starts_on`` up to ``until`` (and ``ends_on``).

    Never more than ``limit`` dates, by default ``MAX_MEETINGS_A_YEAR`` for each year of
    the span: the rule is walked lazily and the walk stops there, whatever the rule says.
    """
    last = min(until, ends_on) if ends_on else until
    rule = _rule(rrule_text, starts_on, start_time)
    end = datetime.datetime.combine(last, datetime.time.max)
    if limit is None:
        limit = max(1, -(-((last - starts_on).days + 1) // 366)) * MAX_MEETINGS_A_YEAR
    dates = []
    for moment in itertools.islice(rule, limit):
        if moment > end:
            break
        dates.append(moment.date())
    return dates


def check_rule(rrule_text: str, starts_on: datetime.date, start_time: datetime.time) -> None:
    """Refuse a rule the portal does not support, one that gives no meeting in the next 2
    years, or one that gives more than ``MAX_MEETINGS_A_YEAR`` meetings in its first year."""
    first_year = occurrence_dates(
        rrule_text,
        starts_on,
        start_time,
        starts_on + datetime.timedelta(days=365),
        limit=MAX_MEETINGS_A_YEAR + 1,
    )
    if len(first_year) > MAX_MEETINGS_A_YEAR:
        raise RecurrenceError(
            f"This rule gives more than {MAX_MEETINGS_A_YEAR} meetings a year: meet at most weekly."
        )
    if first_year:
        return
    if not occurrence_dates(
        rrule_text, starts_on, start_time, starts_on + datetime.timedelta(days=2 * 366)
    ):
        raise RecurrenceError(
            "This rule gives no meetings in the next two years: check the day and interval."
        )


def local_start(day: datetime.date, start_time: datetime.time) -> datetime.datetime:
    """The instant a meeting starts: ``start_time`` on the wall clock in London on ``day``.

    In the hour that does not exist when the clocks go forward, zoneinfo reads the time
    as the instant it would have been (01:30 becomes 02:30 BST); meetings are in the day.
    """
    return datetime.datetime.combine(day, start_time, tzinfo=LONDON)


def next_dates(
    rrule_text: str,
    starts_on: datetime.date,
    start_time: datetime.time,
    count: int = 6,
    ends_on: datetime.date | None = None,
) -> list[datetime.date]:
    """The first ``count`` dates the rule gives (within two years), to show before saving."""
    return occurrence_dates(
        rrule_text,
        starts_on,
        start_time,
        until=starts_on + datetime.timedelta(days=2 * 366),
        ends_on=ends_on,
    )[:count]


# --- The rule as a person chooses it ----------------------------------------------------

#: RRULE weekday codes, Monday first (``datetime.date.weekday()`` order).
WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
#: Which weekday of the month: RRULE's ordinal and its words.
ORDINALS = {1: "first", 2: "second", 3: "third", 4: "fourth", -1: "last"}
#: A monthly date after the 28th is missing from some months (RFC 5545 skips them), so a
#: person picks from 1 to 28, or "the last <weekday>".
LAST_SAFE_MONTH_DAY = 28
_SAFE_MONTH_DAYS = {str(day) for day in range(1, LAST_SAFE_MONTH_DAY + 1)}


@dataclass(frozen=True)
class Pattern:
    """How often a series meets, as a person says it.

    ``frequency`` is "WEEKLY" or "MONTHLY"; ``interval`` the number of weeks or months
    between meetings. Weekly meetings, and monthly ones "on the <ordinal> <weekday>", are
    on ``weekday`` (0 = Monday); monthly ones "on a date" are on ``month_day``.
    """

    frequency: str
    interval: int = 1
    weekday: int | None = None
    ordinal: int | None = None
    month_day: int | None = None

    def to_rrule(self) -> str:
        parts = [f"FREQ={self.frequency}"]
        if self.interval != 1:
            parts.append(f"INTERVAL={self.interval}")
        if self.frequency == "MONTHLY" and self.month_day is not None:
            parts.append(f"BYMONTHDAY={self.month_day}")
        elif self.frequency == "MONTHLY":
            parts.append(f"BYDAY={self.ordinal}{WEEKDAY_CODES[self.weekday]}")
        else:
            parts.append(f"BYDAY={WEEKDAY_CODES[self.weekday]}")
        return ";".join(parts)

    def describe(self) -> str:
        """In words, e.g. "Every 2 months on the second Tuesday"."""
        unit = "week" if self.frequency == "WEEKLY" else "month"
        every = f"Every {unit}" if self.interval == 1 else f"Every {self.interval} {unit}s"
        if self.frequency == "MONTHLY" and self.month_day is not None:
            return f"{every} on the {_nth(self.month_day)}"
        if self.frequency == "MONTHLY":
            return f"{every} on the {ORDINALS[self.ordinal]} {WEEKDAY_NAMES[self.weekday]}"
        if self.interval == 1:
            return f"Every {WEEKDAY_NAMES[self.weekday]}"
        return f"{every} on {WEEKDAY_NAMES[self.weekday]}"

    @classmethod
    def from_rrule(cls, rrule_text: str) -> Pattern | None:
        """The pattern a rule was written from, or None if it is not one a person chooses
        in the form (a rule written by hand before the form offered patterns)."""
        parts = _parts(rrule_text.strip().removeprefix("RRULE:"))
        freq = parts.pop("FREQ", "").upper()
        interval = parts.pop("INTERVAL", "1")
        if freq not in SUPPORTED_FREQUENCIES or not interval.isdigit():
            return None
        byday, bymonthday = parts.pop("BYDAY", None), parts.pop("BYMONTHDAY", None)
        if parts:
            return None
        if freq == "WEEKLY" and byday in WEEKDAY_CODES and bymonthday is None:
            return cls(freq, int(interval), weekday=WEEKDAY_CODES.index(byday))
        if freq == "MONTHLY" and byday and bymonthday is None:
            ordinal, code = byday[:-2], byday[-2:]
            if code in WEEKDAY_CODES and ordinal in {str(n) for n in ORDINALS}:
                return cls(
                    freq, int(interval), weekday=WEEKDAY_CODES.index(code), ordinal=int(ordinal)
                )
        if freq == "MONTHLY" and byday is None and bymonthday in _SAFE_MONTH_DAYS:
            return cls(freq, int(interval), month_day=int(bymonthday))
        return None


def describe(rrule_text: str) -> str:
    """A series' rule in words, or the rule itself if it is not a pattern the form offers."""
    pattern = Pattern.from_rrule(rrule_text)
    return pattern.describe() if pattern else rrule_text


def _nth(day: int) -> str:
    suffix = "th" if 11 <= day % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"
