"""The reporting periods of the commissioner report, and what each is compared with.

Commissioners report in calendar months, quarters, financial years (1 April to 31 March,
the NHS and local government year) and calendar years. A period made of whole calendar
months is compared with the same number of whole months just before it, so

- a month with the month before (March with February, whatever their lengths),
- a quarter with the quarter before (1 July to 30 September with 1 April to 30 June),
- a financial year with the financial year before, a calendar year with the year before,
- any other run of whole months (January to June) with as many whole months before.

Any other range (say 10 to 24 March) is compared with the same number of days ending
the day before it starts, the only comparison that fits every range.

Each period can instead be compared with the same period a year earlier: the same
calendar months a year before, or for a range of days the same dates a year before
(29 February becomes 28 February).

This module is the one home of these rules; the report, its CSV and its PDF pack call it.
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from send_portal.london_time import long_date

# Part 3 of the Children and Families Act 2014 and the SEND Code of Practice came into
# force on 1 September 2014: no EHC plan, and so nothing to report, comes before it.
EARLIEST_REPORT_DAY = datetime.date(2014, 9, 1)
#: The longest period the report covers (its monthly chart stays readable to here).
LONGEST_PERIOD_YEARS = 5
#: The financial year of the NHS and local government starts on 1 April.
FINANCIAL_YEAR_STARTS_IN_MONTH = 4

#: What a period is compared with (the report's "Compare with" choice).
COMPARE_BEFORE = "before"
COMPARE_YEAR_EARLIER = "year-earlier"
COMPARISONS = {
    COMPARE_BEFORE: "The period before",
    COMPARE_YEAR_EARLIER: "The same period a year earlier",
}


class BadPeriod(ValueError):
    """A period the report cannot show; the message says why, for the page."""


def _last_day_of_month(day: datetime.date) -> datetime.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date  # inclusive

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def whole_months(self) -> int | None:
        """How many calendar months the period is, if it is whole months; else ``None``."""
        if self.start.day != 1 or self.end != _last_day_of_month(self.end):
            return None
        return (self.end.year - self.start.year) * 12 + self.end.month - self.start.month + 1

    @property
    def kind(self) -> str:
        """What the period is, in words: "month", "quarter", "financial year", "calendar
        year", "months" (another run of whole months) or "days"."""
        months = self.whole_months
        if months == 1:
            return "month"
        if months == 3 and self.start.month % 3 == 1:
            return "quarter"
        if months == 12 and self.start.month == FINANCIAL_YEAR_STARTS_IN_MONTH:
            return "financial year"
        if months == 12 and self.start.month == 1:
            return "calendar year"
        return "days" if months is None else "months"

    def before(self) -> Period:
        """The period just before: as many whole months, or else as many days."""
        months = self.whole_months
        if months is None:
            end = self.start - datetime.timedelta(days=1)
            return Period(end - datetime.timedelta(days=self.days - 1), end)
        start = self.start - relativedelta(months=months)
        return Period(start, self.start - datetime.timedelta(days=1))

    def year_earlier(self) -> Period:
        """The same months (or dates) a year before."""
        if self.whole_months is not None:
            return Period(
                self.start - relativedelta(years=1),
                _last_day_of_month(self.end - relativedelta(years=1)),
            )
        return Period(self.start - relativedelta(years=1), self.end - relativedelta(years=1))

    def compared_with(self, compare: str) -> Period:
        """The period this one is shown beside: ``COMPARE_BEFORE`` or ``COMPARE_YEAR_EARLIER``."""
        return self.year_earlier() if compare == COMPARE_YEAR_EARLIER else self.before()

    def months(self) -> list[datetime.date]:
        """The first day of every calendar month the period touches."""
        month = self.start.replace(day=1)
        found = []
        while month <= self.end:
            found.append(month)
            month += relativedelta(months=1)
        return found

    def __str__(self) -> str:
        return f"{long_date(self.start)} to {long_date(self.end)}"


# --- The periods offered ---------------------------------------------------------------


def last_full_month(today: datetime.date) -> Period:
    end = today.replace(day=1) - datetime.timedelta(days=1)
    return Period(end.replace(day=1), end)


def last_full_quarter(today: datetime.date) -> Period:
    """The last calendar quarter that has ended: on 24 Nov 2026, 1 Jul to 30 Sep 2026."""
    this_quarter = datetime.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    start = this_quarter - relativedelta(months=3)
    return Period(start, this_quarter - datetime.timedelta(days=1))


def last_full_financial_year(today: datetime.date) -> Period:
    """The last financial year that has ended: on 24 Nov 2026, 1 Apr 2025 to 31 Mar 2026."""
    year = today.year if today.month >= FINANCIAL_YEAR_STARTS_IN_MONTH else today.year - 1
    this_year = datetime.date(year, FINANCIAL_YEAR_STARTS_IN_MONTH, 1)
    return Period(this_year - relativedelta(years=1), this_year - datetime.timedelta(days=1))


def last_full_calendar_year(today: datetime.date) -> Period:
    return Period(datetime.date(today.year - 1, 1, 1), datetime.date(today.year - 1, 12, 31))


def quick_periods(today: datetime.date) -> list[tuple[str, Period]]:
    """The finished calendar periods the report offers in one click."""
    return [
        ("Last full month", last_full_month(today)),
        ("Last full quarter", last_full_quarter(today)),
        ("Last financial year", last_full_financial_year(today)),
        ("Last calendar year", last_full_calendar_year(today)),
    ]


# --- Checking a period asked for --------------------------------------------------------


def latest_report_day(today: datetime.date) -> datetime.date:
    return datetime.date(today.year + 1, 12, 31)


def checked_period(
    start: datetime.date, end: datetime.date, today: datetime.date | None = None
) -> Period:
    """``Period(start, end)`` if the report can show it; else ``BadPeriod`` saying why."""
    today = today or timezone.localdate()
    if start < EARLIEST_REPORT_DAY:
        raise BadPeriod(
            "The period must start on or after 1 September 2014, when the SEND reforms began."
        )
    latest = latest_report_day(today)
    if end > latest:
        raise BadPeriod(f"The period must end on or before {long_date(latest)}.")
    if end < start:
        raise BadPeriod("The end of the period must be the same as or after its start.")
    if start + relativedelta(years=LONGEST_PERIOD_YEARS) <= end:
        raise BadPeriod(f"Choose a period of {LONGEST_PERIOD_YEARS} years or less.")
    return Period(start, end)


def period_from(params, today: datetime.date | None = None) -> Period:
    """The period asked for in ``start`` and ``end`` (ISO dates, as the report's links and
    exports carry them), else the last full quarter. Raises BadPeriod with a message."""
    today = today or timezone.localdate()
    default = last_full_quarter(today)
    raw_start, raw_end = params.get("start", "").strip(), params.get("end", "").strip()
    if not raw_start and not raw_end:
        return default
    try:
        start = datetime.date.fromisoformat(raw_start) if raw_start else default.start
    except ValueError:
        raise BadPeriod("The start date must be a real date, for example 2026-07-01.") from None
    try:
        end = datetime.date.fromisoformat(raw_end) if raw_end else default.end
    except ValueError:
        raise BadPeriod("The end date must be a real date, for example 2026-09-30.") from None
    return checked_period(start, end, today)


def comparison_from(params) -> str:
    """``COMPARE_YEAR_EARLIER`` when asked for, else ``COMPARE_BEFORE``."""
    asked = params.get("compare", "")
    return asked if asked in COMPARISONS else COMPARE_BEFORE
