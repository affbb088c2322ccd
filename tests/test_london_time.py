"""Dates in sentences, as the pages write them ("5 December 2026"), in London time."""

import datetime

from django.template import Context, Template

from send_portal.london_time import (
    LONDON,
    long_date,
    long_date_with_weekday,
    time_on_date,
)

UTC = datetime.UTC


def test_a_long_date_has_no_leading_zero_and_the_month_in_full():
    assert long_date(datetime.date(2026, 12, 5)) == "5 December 2026"
    assert long_date(datetime.date(2026, 9, 30)) == "30 September 2026"


def test_a_long_date_with_its_weekday_with_or_without_the_year():
    day = datetime.date(2026, 12, 5)
    assert long_date_with_weekday(day) == "Saturday 5 December 2026"
    assert long_date_with_weekday(day, year=False) == "Saturday 5 December"


def test_a_moment_is_dated_by_the_day_it_is_in_london():
    # 23:30 UTC on 30 June is half past midnight on 1 July in London (BST).
    moment = datetime.datetime(2026, 6, 30, 23, 30, tzinfo=UTC)
    assert long_date(moment) == "1 July 2026"
    assert long_date_with_weekday(moment) == "Wednesday 1 July 2026"


def test_a_time_on_a_date_is_london_time_either_side_of_the_clock_change():
    assert time_on_date(datetime.datetime(2026, 1, 13, 10, tzinfo=UTC)) == (
        "10:00 on Tuesday 13 January 2026"
    )
    assert time_on_date(datetime.datetime(2026, 7, 14, 9, 5, tzinfo=UTC)) == (
        "10:05 on Tuesday 14 July 2026"
    )
    assert time_on_date(datetime.datetime(2026, 7, 14, 10, 5, tzinfo=LONDON)) == (
        "10:05 on Tuesday 14 July 2026"
    )


def test_python_and_the_templates_date_filter_write_a_date_the_same_way():
    day = datetime.date(2027, 3, 1)
    rendered = Template('{{ day|date:"j F Y" }}|{{ day|date:"l j F Y" }}').render(
        Context({"day": day})
    )
    assert rendered == f"{long_date(day)}|{long_date_with_weekday(day)}"
