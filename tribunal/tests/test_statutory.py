"""reg 6 of SI 2017/1306: health responds within 5 weeks of the date of the recommendation."""

import datetime
import zoneinfo

import pytest
import time_machine

from tribunal import statutory
from tribunal.statutory import DeadlineStatus

D = datetime.date
LONDON = zoneinfo.ZoneInfo("Europe/London")


@pytest.mark.parametrize(
    ("made_on", "due"),
    [
        (D(2026, 1, 5), D(2026, 2, 9)),  # a Monday: answered by the Monday 5 weeks later
        (D(2026, 1, 31), D(2026, 3, 7)),  # month end into a short February
        (D(2026, 2, 28), D(2026, 4, 4)),  # last day of February in a common year
        (D(2028, 2, 29), D(2028, 4, 4)),  # 29 February in a leap year
        (D(2028, 1, 25), D(2028, 2, 29)),  # due on 29 February
        (D(2027, 1, 25), D(2027, 3, 1)),  # same 35 days in a common year: 1 March
        (D(2026, 11, 30), D(2027, 1, 4)),  # across the year end
        (D(2026, 3, 15), D(2026, 4, 19)),  # across the spring clock change (29 March 2026)
        (D(2026, 10, 1), D(2026, 11, 5)),  # across the autumn clock change (25 October 2026)
    ],
)
def test_response_is_due_35_calendar_days_after_the_recommendation(made_on, due):
    assert statutory.response_due(made_on) == due
    assert statutory.is_response_on_time(made_on, due)
    assert not statutory.is_response_on_time(made_on, due + datetime.timedelta(days=1))


def test_the_period_is_the_5_weeks_of_regulation_6():
    assert datetime.timedelta(days=35) == statutory.RESPONSE_PERIOD
    assert "reg 6" in statutory.__doc__ and "SI 2017/1306" in statutory.__doc__


@pytest.mark.parametrize(
    ("moment_utc", "status"),
    [
        # Due 19 April 2026 (BST). 23:30 UTC on the 19th is already 20 April in London.
        (datetime.datetime(2026, 4, 19, 22, 59, tzinfo=datetime.UTC), DeadlineStatus.DUE_SOON),
        (datetime.datetime(2026, 4, 19, 23, 0, tzinfo=datetime.UTC), DeadlineStatus.OVERDUE),
    ],
)
def test_today_turns_at_midnight_in_london_after_the_clock_change(settings, moment_utc, status):
    due = statutory.response_due(D(2026, 3, 15))
    with time_machine.travel(moment_utc, tick=False):
        assert statutory.deadline_status(due) == status


def test_the_autumn_clock_change_keeps_the_calendar_date():
    due = statutory.response_due(D(2026, 10, 1))  # 5 November, GMT again
    at_midnight_gmt = datetime.datetime(2026, 11, 6, 0, 0, tzinfo=LONDON)
    with time_machine.travel(at_midnight_gmt - datetime.timedelta(minutes=1), tick=False):
        assert statutory.deadline_status(due) == DeadlineStatus.DUE_SOON
    with time_machine.travel(at_midnight_gmt, tick=False):
        assert statutory.deadline_status(due) == DeadlineStatus.OVERDUE
