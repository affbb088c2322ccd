"""Meeting dates from a series' iCalendar RRULE, in Europe/London wall-clock time.

The rule runs over local dates and a local start time (python-dateutil's rrule),
and only then is each meeting given its instant in Europe/London. So "the second
Tuesday at 10:00" is 10:00 on the wall clock in January and in July alike, and a
meeting never drifts by an hour across the clock changes.
"""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr

LONDON = ZoneInfo("Europe/London")
#: Meetings are materialised this far ahead.
HORIZON = datetime.timedelta(days=366)


class RecurrenceError(ValueError):
    """A rule that cannot be read or gives no meetings; the message says which."""


def _rule(rrule_text: str, starts_on: datetime.date, start_time: datetime.time):
    text = rrule_text.strip()
    if text.upper().startswith("RRULE:"):
        text = text[6:]
    if "DTSTART" in text.upper() or "\n" in text:
        raise RecurrenceError("Write only the rule, e.g. FREQ=MONTHLY;BYDAY=1WE.")
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
) -> list[datetime.date]:
    """Every date the rule gives from ``starts_on`` up to ``until`` (and ``ends_on``)."""
    last = min(until, ends_on) if ends_on else until
    rule = _rule(rrule_text, starts_on, start_time)
    end = datetime.datetime.combine(last, datetime.time.max)
    return [
        moment.date()
        for moment in rule.between(
            datetime.datetime.combine(starts_on, datetime.time.min), end, inc=True
        )
    ]


def check_rule(rrule_text: str, starts_on: datetime.date, start_time: datetime.time) -> None:
    """Refuse a rule that cannot be read or gives no meeting in the next 2 years."""
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
