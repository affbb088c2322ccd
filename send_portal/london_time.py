"""London time, and dates written in sentences the one way the portal writes them.

The portal runs on Europe/London time (``settings.TIME_ZONE``): "today", a deadline, the
hour of a meeting are London's, whatever the clocks did. ``LONDON`` is that zone for code
that must name it (a meeting series' wall-clock dates, the calendar's TZID, the exports);
``django.utils.timezone.localtime`` gives the same.

A date in a sentence reads "5 December 2026" (no leading zero, the month in full), as on
the pages, where templates write ``|date:"j F Y"``. These functions use that same Django
date format, so a message made in Python and a page agree, on every platform: strftime's
``%-d`` is a glibc extension that other platforms refuse or print as it is.
"""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from django.utils import dateformat

LONDON = ZoneInfo("Europe/London")

#: Django date formats, as templates write them with the ``date`` filter.
LONG_DATE = "j F Y"  # 5 December 2026
LONG_DATE_WITH_WEEKDAY = "l j F Y"  # Saturday 5 December 2026
WEEKDAY_AND_DAY = "l j F"  # Saturday 5 December
CLOCK = "H:i"  # 14:30


def in_london(moment: datetime.date | datetime.datetime) -> datetime.date | datetime.datetime:
    """A moment (an aware datetime) as London's wall-clock time; a date as it is."""
    if isinstance(moment, datetime.datetime) and moment.tzinfo is not None:
        return moment.astimezone(LONDON)
    return moment


def long_date(day: datetime.date | datetime.datetime) -> str:
    """The day as "5 December 2026"; of a moment, the day it is in London."""
    return dateformat.format(in_london(day), LONG_DATE)


def long_date_with_weekday(day: datetime.date | datetime.datetime, *, year: bool = True) -> str:
    """The day as "Saturday 5 December 2026" ("Saturday 5 December" without the year)."""
    return dateformat.format(in_london(day), LONG_DATE_WITH_WEEKDAY if year else WEEKDAY_AND_DAY)


def time_on_date(moment: datetime.datetime) -> str:
    """The moment as "14:30 on Saturday 5 December 2026", in London time."""
    local = in_london(moment)
    return f"{dateformat.format(local, CLOCK)} on {long_date_with_weekday(local)}"
