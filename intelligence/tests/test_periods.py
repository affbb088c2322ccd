"""The report's periods: calendar periods compared with the calendar period before, or with
the same period a year earlier; other ranges with as many days before (intelligence/periods.py)."""

import datetime

import pytest

from intelligence.periods import (
    BadPeriod,
    Period,
    checked_period,
    last_full_calendar_year,
    last_full_financial_year,
    last_full_month,
    last_full_quarter,
)

D = datetime.date


@pytest.mark.parametrize(
    "period, kind, before",
    [
        # The issue's own example: July to September against April to June.
        ((D(2026, 7, 1), D(2026, 9, 30)), "quarter", (D(2026, 4, 1), D(2026, 6, 30))),
        ((D(2026, 1, 1), D(2026, 3, 31)), "quarter", (D(2025, 10, 1), D(2025, 12, 31))),
        # March against February, in a leap year and not.
        ((D(2024, 3, 1), D(2024, 3, 31)), "month", (D(2024, 2, 1), D(2024, 2, 29))),
        ((D(2025, 3, 1), D(2025, 3, 31)), "month", (D(2025, 2, 1), D(2025, 2, 28))),
        ((D(2026, 1, 1), D(2026, 1, 31)), "month", (D(2025, 12, 1), D(2025, 12, 31))),
        # Financial years end on 31 March, over a leap day or not.
        ((D(2024, 4, 1), D(2025, 3, 31)), "financial year", (D(2023, 4, 1), D(2024, 3, 31))),
        ((D(2025, 4, 1), D(2026, 3, 31)), "financial year", (D(2024, 4, 1), D(2025, 3, 31))),
        ((D(2024, 1, 1), D(2024, 12, 31)), "calendar year", (D(2023, 1, 1), D(2023, 12, 31))),
        # Six whole months against the six before.
        ((D(2026, 1, 1), D(2026, 6, 30)), "months", (D(2025, 7, 1), D(2025, 12, 31))),
        # Any other range: as many days, ending the day before.
        ((D(2026, 3, 10), D(2026, 3, 24)), "days", (D(2026, 2, 23), D(2026, 3, 9))),
        ((D(2024, 3, 1), D(2024, 3, 30)), "days", (D(2024, 1, 31), D(2024, 2, 29))),
    ],
)
def test_a_period_is_compared_with_the_period_before_of_its_kind(period, kind, before):
    assert Period(*period).kind == kind
    assert Period(*period).before() == Period(*before)


@pytest.mark.parametrize(
    "period, year_earlier",
    [
        ((D(2026, 7, 1), D(2026, 9, 30)), (D(2025, 7, 1), D(2025, 9, 30))),
        # February of a leap year against February of the year before, and back.
        ((D(2024, 2, 1), D(2024, 2, 29)), (D(2023, 2, 1), D(2023, 2, 28))),
        ((D(2025, 2, 1), D(2025, 2, 28)), (D(2024, 2, 1), D(2024, 2, 29))),
        ((D(2025, 4, 1), D(2026, 3, 31)), (D(2024, 4, 1), D(2025, 3, 31))),
        # A range of days: the same dates, 29 February becoming 28 February.
        ((D(2024, 2, 20), D(2024, 2, 29)), (D(2023, 2, 20), D(2023, 2, 28))),
    ],
)
def test_the_same_period_a_year_earlier(period, year_earlier):
    assert Period(*period).year_earlier() == Period(*year_earlier)


@pytest.mark.parametrize(
    "today, month, quarter, financial_year, calendar_year",
    [
        (
            D(2026, 11, 24),
            (D(2026, 10, 1), D(2026, 10, 31)),
            (D(2026, 7, 1), D(2026, 9, 30)),
            (D(2025, 4, 1), D(2026, 3, 31)),
            (D(2025, 1, 1), D(2025, 12, 31)),
        ),
        (  # the first day of a financial year: the one just ended
            D(2026, 4, 1),
            (D(2026, 3, 1), D(2026, 3, 31)),
            (D(2026, 1, 1), D(2026, 3, 31)),
            (D(2025, 4, 1), D(2026, 3, 31)),
            (D(2025, 1, 1), D(2025, 12, 31)),
        ),
        (  # the last day of a financial year: it has not ended yet
            D(2024, 3, 31),
            (D(2024, 2, 1), D(2024, 2, 29)),
            (D(2023, 10, 1), D(2023, 12, 31)),
            (D(2022, 4, 1), D(2023, 3, 31)),
            (D(2023, 1, 1), D(2023, 12, 31)),
        ),
    ],
)
def test_the_last_finished_periods(today, month, quarter, financial_year, calendar_year):
    assert last_full_month(today) == Period(*month)
    assert last_full_quarter(today) == Period(*quarter)
    assert last_full_financial_year(today) == Period(*financial_year)
    assert last_full_calendar_year(today) == Period(*calendar_year)


def test_five_years_is_the_longest_period():
    today = D(2026, 12, 5)
    assert checked_period(D(2021, 1, 1), D(2025, 12, 31), today).whole_months == 60
    with pytest.raises(BadPeriod, match="5 years or less"):
        checked_period(D(2021, 1, 1), D(2026, 1, 1), today)
