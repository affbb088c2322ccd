"""The statutory clock: every EHC needs assessment and annual review deadline.

Expected dates are worked out by hand and written out in full, so that a test
fails if the module's arithmetic is wrong rather than agreeing with itself.
"""

import datetime

import pytest
import time_machine
from django.utils import timezone

from ehcp.statutory import (
    DeadlineStatus,
    HealthAdviceException,
    TwentyWeekException,
    annual_review_due,
    assessment_deadlines,
    deadline_status,
    health_advice_due,
    is_on_time,
    parent_response_ends,
    review_deadlines,
)

date = datetime.date


def utc(*args):
    """An instant in UTC, for time_machine."""
    return datetime.datetime(*args, tzinfo=datetime.UTC)


# --- EHC needs assessment: each period from a plain date ------------------------------
# A request on Monday 5 January 2026; no month shorter than 30 days in the way
# until February.


def test_decision_to_assess_is_due_six_weeks_after_the_request():
    # reg 5(1)
    assert assessment_deadlines(date(2026, 1, 5)).decision_due == date(2026, 2, 16)


def test_health_advice_is_due_six_weeks_after_the_request():
    # reg 8(1)
    assert health_advice_due(date(2026, 1, 5)) == date(2026, 2, 16)


def test_assessment_deadlines_leave_health_advice_to_each_request():
    # reg 8(1) counts from the council's request to the health body, not from the request
    # for assessment: each advice request carries its own due date.
    assert not hasattr(assessment_deadlines(date(2026, 1, 5)), "health_advice_due")


def test_assessments_should_be_complete_by_week_twelve():
    deadlines = assessment_deadlines(date(2026, 1, 5))
    assert deadlines.practice_assessment_complete == date(2026, 3, 30)


def test_draft_plan_should_go_out_by_week_sixteen():
    assert assessment_deadlines(date(2026, 1, 5)).practice_draft_plan == date(2026, 4, 27)


def test_final_plan_is_due_twenty_weeks_after_the_request():
    # reg 13(2)
    assert assessment_deadlines(date(2026, 1, 5)).final_plan_due == date(2026, 5, 25)


def test_assessment_deadlines_keep_the_request_date():
    assert assessment_deadlines(date(2026, 1, 5)).requested_on == date(2026, 1, 5)


def test_deadlines_are_plain_dates_not_datetimes():
    deadlines = assessment_deadlines(date(2026, 1, 5))
    for due in (
        deadlines.decision_due,
        deadlines.practice_assessment_complete,
        deadlines.practice_draft_plan,
        deadlines.final_plan_due,
    ):
        assert type(due) is datetime.date


# --- EHC needs assessment: month ends, year end, leap day, clock changes ----------------


@pytest.mark.parametrize(
    ("requested_on", "week_6", "week_12", "week_16", "week_20"),
    [
        pytest.param(
            date(2026, 1, 31),
            date(2026, 3, 14),
            date(2026, 4, 25),
            date(2026, 5, 23),
            date(2026, 6, 20),
            id="31-jan-2026-across-a-28-day-february",
        ),
        pytest.param(
            date(2025, 11, 30),
            date(2026, 1, 11),
            date(2026, 2, 22),
            date(2026, 3, 22),
            date(2026, 4, 19),
            id="30-nov-2025-across-the-year-end",
        ),
        pytest.param(
            date(2025, 12, 15),
            date(2026, 1, 26),
            date(2026, 3, 9),
            date(2026, 4, 6),
            date(2026, 5, 4),
            id="15-dec-2025-final-plan-next-year",
        ),
        pytest.param(
            date(2024, 2, 29),
            date(2024, 4, 11),
            date(2024, 5, 23),
            date(2024, 6, 20),
            date(2024, 7, 18),
            id="29-feb-2024-leap-day",
        ),
        pytest.param(
            date(2026, 3, 20),
            date(2026, 5, 1),
            date(2026, 6, 12),
            date(2026, 7, 10),
            date(2026, 8, 7),
            id="20-mar-2026-across-clocks-going-forward",
        ),
        pytest.param(
            date(2026, 10, 20),
            date(2026, 12, 1),
            date(2027, 1, 12),
            date(2027, 2, 9),
            date(2027, 3, 9),
            id="20-oct-2026-across-clocks-going-back",
        ),
    ],
)
def test_assessment_periods_are_counted_in_calendar_days_across_boundaries(
    requested_on, week_6, week_12, week_16, week_20
):
    deadlines = assessment_deadlines(requested_on)

    assert deadlines.decision_due == week_6
    assert health_advice_due(requested_on) == week_6
    assert deadlines.practice_assessment_complete == week_12
    assert deadlines.practice_draft_plan == week_16
    assert deadlines.final_plan_due == week_20


@pytest.mark.parametrize(
    ("advice_requested_on", "advice_due"),
    [
        pytest.param(date(2024, 1, 20), date(2024, 3, 2), id="2024-leap-year-29-feb-in-between"),
        pytest.param(date(2025, 1, 20), date(2025, 3, 3), id="2025-no-29-feb"),
        pytest.param(date(2026, 1, 20), date(2026, 3, 3), id="2026-no-29-feb"),
    ],
)
def test_six_weeks_from_20_january_ends_a_day_earlier_in_a_leap_year(
    advice_requested_on, advice_due
):
    assert health_advice_due(advice_requested_on) == advice_due


@pytest.mark.parametrize(
    ("advice_requested_on", "advice_due"),
    [
        pytest.param(date(2024, 1, 18), date(2024, 2, 29), id="2024-due-on-the-leap-day"),
        pytest.param(date(2025, 1, 18), date(2025, 3, 1), id="2025-due-on-1-march"),
        pytest.param(date(2024, 2, 29), date(2024, 4, 11), id="asked-on-the-leap-day"),
    ],
)
def test_health_advice_due_date_handles_the_leap_day(advice_requested_on, advice_due):
    assert health_advice_due(advice_requested_on) == advice_due


@pytest.mark.parametrize(
    ("advice_requested_on", "advice_due"),
    [
        # Clocks go forward at 01:00 GMT on Sunday 29 March 2026: a 23-hour day.
        pytest.param(date(2026, 3, 20), date(2026, 5, 1), id="spring-forward-29-mar-2026"),
        # Clocks go back at 01:00 GMT on Sunday 25 October 2026: a 25-hour day.
        pytest.param(date(2026, 10, 20), date(2026, 12, 1), id="fall-back-25-oct-2026"),
    ],
)
def test_health_advice_period_spanning_a_clock_change_is_whole_calendar_days(
    advice_requested_on, advice_due
):
    assert health_advice_due(advice_requested_on) == advice_due


def test_final_plan_period_spanning_the_autumn_clock_change_is_whole_calendar_days():
    assert assessment_deadlines(date(2026, 9, 10)).final_plan_due == date(2027, 1, 28)


# --- The family's 15 days to respond to the draft plan -----------------------------------


@pytest.mark.parametrize(
    ("draft_sent_on", "response_ends"),
    [
        pytest.param(date(2024, 2, 20), date(2024, 3, 5), id="2024-leap-year"),
        pytest.param(date(2025, 2, 20), date(2025, 3, 6), id="2025-not-a-leap-year"),
        pytest.param(date(2024, 2, 15), date(2024, 2, 29), id="ends-on-the-leap-day"),
        pytest.param(date(2025, 12, 20), date(2026, 1, 3), id="across-the-year-end"),
        pytest.param(date(2026, 6, 1), date(2026, 6, 15), id="plain"),
    ],
)
def test_parent_response_period_is_fifteen_days_counting_the_day_the_draft_is_served(
    draft_sent_on, response_ends
):
    assert parent_response_ends(draft_sent_on) == response_ends


# --- Annual review -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("plan_issued_on", "review_due"),
    [
        pytest.param(date(2024, 2, 29), date(2025, 2, 28), id="issued-on-leap-day"),
        pytest.param(date(2023, 2, 28), date(2024, 2, 28), id="into-a-leap-year-not-29-feb"),
        pytest.param(date(2024, 2, 28), date(2025, 2, 28), id="28-feb-of-a-leap-year"),
        pytest.param(date(2024, 3, 1), date(2025, 3, 1), id="1-mar-of-a-leap-year"),
        pytest.param(date(2025, 12, 31), date(2026, 12, 31), id="year-end"),
        pytest.param(date(2026, 3, 20), date(2027, 3, 20), id="plain"),
    ],
)
def test_annual_review_is_due_within_twelve_months(plan_issued_on, review_due):
    assert annual_review_due(plan_issued_on) == review_due


def test_annual_reviews_count_from_the_previous_review_so_29_feb_does_not_come_back():
    # CFA 2014 s44(1): each review is due within 12 months of the previous one, so a
    # plan made on 29 Feb 2024 and reviewed on each due date stays on 28 Feb.
    issued = date(2024, 2, 29)
    first = annual_review_due(issued)
    second = annual_review_due(first)
    third = annual_review_due(second)
    fourth = annual_review_due(third)

    assert [first, second, third, fourth] == [
        date(2025, 2, 28),
        date(2026, 2, 28),
        date(2027, 2, 28),
        date(2028, 2, 28),
    ]


# --- After the annual review meeting ---------------------------------------------------


@pytest.mark.parametrize(
    ("meeting_on", "advice_circulated_by"),
    [
        pytest.param(date(2024, 3, 10), date(2024, 2, 25), id="10-mar-2024"),
        pytest.param(date(2024, 3, 13), date(2024, 2, 28), id="13-mar-2024"),
        pytest.param(date(2024, 3, 14), date(2024, 2, 29), id="14-mar-2024-leap-day"),
        pytest.param(date(2024, 3, 15), date(2024, 3, 1), id="15-mar-2024"),
        pytest.param(date(2025, 3, 14), date(2025, 2, 28), id="14-mar-2025"),
        pytest.param(date(2025, 3, 15), date(2025, 3, 1), id="15-mar-2025"),
        pytest.param(date(2026, 1, 5), date(2025, 12, 22), id="back-across-the-year-end"),
    ],
)
def test_review_advice_is_circulated_two_weeks_before_the_meeting(meeting_on, advice_circulated_by):
    assert review_deadlines(meeting_on).advice_circulated_by == advice_circulated_by


@pytest.mark.parametrize(
    ("meeting_on", "decision_due", "amended_plan_final_due"),
    [
        pytest.param(date(2024, 3, 10), date(2024, 4, 7), date(2024, 6, 2), id="10-mar-2024"),
        pytest.param(date(2024, 2, 1), date(2024, 2, 29), date(2024, 4, 25), id="1-feb-2024"),
        pytest.param(date(2025, 2, 1), date(2025, 3, 1), date(2025, 4, 26), id="1-feb-2025"),
        pytest.param(
            date(2025, 12, 15), date(2026, 1, 12), date(2026, 3, 9), id="across-the-year-end"
        ),
        pytest.param(
            date(2026, 10, 20), date(2026, 11, 17), date(2027, 1, 12), id="across-clocks-back"
        ),
    ],
)
def test_review_decision_is_due_in_four_weeks_and_amended_plan_in_twelve(
    meeting_on, decision_due, amended_plan_final_due
):
    deadlines = review_deadlines(meeting_on)

    assert deadlines.decision_due == decision_due
    assert deadlines.amended_plan_final_due == amended_plan_final_due


def test_review_deadlines_keep_the_meeting_date():
    assert review_deadlines(date(2024, 3, 10)).meeting_on == date(2024, 3, 10)


# --- How an open deadline stands ------------------------------------------------------
# Due on Monday 15 June 2026.

DUE = date(2026, 6, 15)


@pytest.mark.parametrize(
    ("today", "status"),
    [
        pytest.param(date(2026, 3, 1), DeadlineStatus.ON_TRACK, id="months-ahead"),
        pytest.param(date(2026, 5, 31), DeadlineStatus.ON_TRACK, id="15-days-before"),
        pytest.param(date(2026, 6, 1), DeadlineStatus.DUE_SOON, id="exactly-14-days-before"),
        pytest.param(date(2026, 6, 14), DeadlineStatus.DUE_SOON, id="the-day-before"),
        pytest.param(date(2026, 6, 15), DeadlineStatus.DUE_SOON, id="due-today"),
        pytest.param(date(2026, 6, 16), DeadlineStatus.OVERDUE, id="the-day-after"),
        pytest.param(date(2026, 9, 1), DeadlineStatus.OVERDUE, id="months-after"),
    ],
)
def test_open_deadline_status_by_days_left(today, status):
    assert deadline_status(DUE, today=today) == status


def test_a_deadline_due_today_is_due_soon_not_overdue():
    assert deadline_status(DUE, today=DUE) == DeadlineStatus.DUE_SOON


def test_a_deadline_is_overdue_the_day_after_it_is_due():
    assert deadline_status(DUE, today=date(2026, 6, 16)) == DeadlineStatus.OVERDUE


# --- How a finished deadline stands ---------------------------------------------------


@pytest.mark.parametrize(
    ("done_on", "today", "status"),
    [
        pytest.param(date(2026, 6, 15), date(2026, 6, 15), DeadlineStatus.MET, id="on-due-date"),
        pytest.param(date(2026, 6, 1), date(2026, 6, 2), DeadlineStatus.MET, id="early"),
        pytest.param(
            date(2026, 6, 1), date(2026, 7, 1), DeadlineStatus.MET, id="early-today-past-due"
        ),
        pytest.param(
            date(2026, 6, 15), date(2026, 9, 1), DeadlineStatus.MET, id="on-due-date-long-ago"
        ),
        pytest.param(date(2026, 6, 16), date(2026, 6, 16), DeadlineStatus.MISSED, id="a-day-late"),
        pytest.param(date(2026, 8, 1), date(2026, 9, 1), DeadlineStatus.MISSED, id="weeks-late"),
    ],
)
def test_done_deadline_status_depends_only_on_when_it_was_done(done_on, today, status):
    assert deadline_status(DUE, done_on=done_on, today=today) == status


def test_done_on_the_due_date_is_met():
    assert deadline_status(DUE, done_on=date(2026, 6, 15)) == DeadlineStatus.MET


def test_done_a_day_late_is_met_late():
    status = deadline_status(DUE, done_on=date(2026, 6, 16))

    assert status == DeadlineStatus.MISSED
    assert status.label == "Met late"


def test_done_early_is_met_even_when_today_is_past_the_due_date():
    status = deadline_status(DUE, done_on=date(2026, 6, 10), today=date(2026, 7, 1))

    assert status == DeadlineStatus.MET


@pytest.mark.parametrize(
    ("done_on", "on_time"),
    [
        pytest.param(None, None, id="still-open"),
        pytest.param(date(2026, 6, 1), True, id="early"),
        pytest.param(date(2026, 6, 15), True, id="on-due-date"),
        pytest.param(date(2026, 6, 16), False, id="a-day-late"),
    ],
)
def test_is_on_time_is_none_while_open_then_true_or_false(done_on, on_time):
    assert is_on_time(DUE, done_on) is on_time


# --- "Today" is the date in London -------------------------------------------------------


@pytest.mark.parametrize(
    ("instant", "london_today", "due", "status"),
    [
        # Saturday 28 March 2026, 23:30 GMT: London and UTC agree it is the 28th.
        pytest.param(
            utc(2026, 3, 28, 23, 30),
            date(2026, 3, 28),
            date(2026, 3, 28),
            DeadlineStatus.DUE_SOON,
            id="28-mar-23:30-gmt-due-today",
        ),
        # Sunday 29 March 2026, 00:30 GMT, half an hour before the clocks go forward.
        pytest.param(
            utc(2026, 3, 29, 0, 30),
            date(2026, 3, 29),
            date(2026, 3, 28),
            DeadlineStatus.OVERDUE,
            id="29-mar-00:30-gmt-due-yesterday",
        ),
        pytest.param(
            utc(2026, 3, 29, 0, 30),
            date(2026, 3, 29),
            date(2026, 3, 29),
            DeadlineStatus.DUE_SOON,
            id="29-mar-00:30-gmt-due-today",
        ),
        # 23:30 UTC on Sunday 29 March is 00:30 BST on Monday 30 March in London.
        pytest.param(
            utc(2026, 3, 29, 23, 30),
            date(2026, 3, 30),
            date(2026, 3, 29),
            DeadlineStatus.OVERDUE,
            id="29-mar-23:30-utc-is-30-mar-in-london",
        ),
        # 22:59 UTC on Saturday 24 October is 23:59 BST: still the 24th in London.
        pytest.param(
            utc(2026, 10, 24, 22, 59),
            date(2026, 10, 24),
            date(2026, 10, 24),
            DeadlineStatus.DUE_SOON,
            id="24-oct-22:59-utc-still-24-oct-in-london",
        ),
        # 23:30 UTC on Saturday 24 October is 00:30 BST on Sunday 25 October in London.
        pytest.param(
            utc(2026, 10, 24, 23, 30),
            date(2026, 10, 25),
            date(2026, 10, 24),
            DeadlineStatus.OVERDUE,
            id="24-oct-23:30-utc-is-25-oct-in-london",
        ),
        # The same instant: 8 November is 14 days away in London (15 by the UTC date).
        pytest.param(
            utc(2026, 10, 24, 23, 30),
            date(2026, 10, 25),
            date(2026, 11, 8),
            DeadlineStatus.DUE_SOON,
            id="24-oct-23:30-utc-14-days-left-in-london",
        ),
        # After the clocks go back, London is on GMT again: 23:30 UTC is 23:30 in London.
        pytest.param(
            utc(2026, 10, 25, 23, 30),
            date(2026, 10, 25),
            date(2026, 10, 25),
            DeadlineStatus.DUE_SOON,
            id="25-oct-23:30-gmt-due-today",
        ),
    ],
)
def test_today_turns_at_midnight_in_london_not_utc(instant, london_today, due, status):
    with time_machine.travel(instant, tick=False):
        assert timezone.localdate() == london_today
        assert deadline_status(due) == status


# --- Exceptions carry their regulation -------------------------------------------------


@pytest.mark.parametrize(
    ("reason", "regulation"),
    [
        (HealthAdviceException.EXCEPTIONAL_CIRCUMSTANCES, "(reg 8(2)(a))"),
        (HealthAdviceException.OUT_OF_AREA, "(reg 8(2)(b))"),
        (HealthAdviceException.MISSED_APPOINTMENT, "(reg 8(2)(c))"),
    ],
)
def test_health_advice_exception_labels_cite_reg_8_2(reason, regulation):
    assert reason.label.endswith(regulation)


def test_there_are_three_health_advice_exceptions():
    assert len(HealthAdviceException.choices) == 3


@pytest.mark.parametrize(
    ("reason", "regulation"),
    [
        (TwentyWeekException.SCHOOL_CLOSED, "(reg 10(4)(a))"),
        (TwentyWeekException.EXCEPTIONAL_PERSONAL, "(reg 10(4)(b))"),
        (TwentyWeekException.OUT_OF_AREA, "(reg 10(4)(c))"),
    ],
)
def test_twenty_week_exception_labels_cite_reg_10_4(reason, regulation):
    assert reason.label.endswith(regulation)


def test_there_are_three_twenty_week_exceptions():
    assert len(TwentyWeekException.choices) == 3
