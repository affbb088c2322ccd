"""The age limit on the referral date and the NICE CG128 waiting-time clock."""

import datetime

import pytest

from clinics import statutory
from clinics.statutory import BREACHING, MET, MISSED, ON_TRACK

D = datetime.date


@pytest.mark.parametrize(
    ("born", "referred", "under_5"),
    [
        (D(2020, 6, 15), D(2025, 6, 14), True),  # the day before the 5th birthday
        (D(2020, 6, 15), D(2025, 6, 15), False),  # turns 5 on the referral date: not under 5
        (D(2020, 6, 15), D(2025, 6, 16), False),
        (D(2020, 2, 29), D(2025, 2, 28), True),  # leap-day birthday: 5 on 1 March in 2025
        (D(2020, 2, 29), D(2025, 3, 1), False),
        (D(2019, 2, 28), D(2024, 2, 28), False),  # 28 Feb birthday in a leap year
        (D(2019, 3, 1), D(2024, 2, 29), True),
        (D(2024, 2, 29), D(2024, 2, 29), True),  # referred on the day of birth
    ],
)
def test_under_5_on_the_referral_date(born, referred, under_5):
    assert statutory.is_under_age_limit(born, referred) is under_5


def test_age_of_a_leap_day_child_in_a_leap_year():
    assert statutory.age_on(D(2020, 2, 29), D(2028, 2, 28)) == 7
    assert statutory.age_on(D(2020, 2, 29), D(2028, 2, 29)) == 8


def test_assessment_is_due_3_calendar_months_after_referral():
    assert statutory.assessment_due_by(D(2025, 1, 15)) == D(2025, 4, 15)
    # relativedelta keeps the end of a short month
    assert statutory.assessment_due_by(D(2025, 11, 30)) == D(2026, 2, 28)


def test_weeks_waited_counts_whole_weeks():
    assert statutory.weeks_waited(D(2025, 1, 1), D(2025, 1, 7)) == 0
    assert statutory.weeks_waited(D(2025, 1, 1), D(2025, 1, 8)) == 1
    assert statutory.weeks_waited(D(2025, 1, 1), D(2025, 4, 2)) == 13
    assert statutory.weeks_waited(D(2025, 1, 10), D(2025, 1, 1)) == 0


@pytest.mark.parametrize(
    ("started", "on", "status"),
    [
        (None, D(2025, 4, 15), ON_TRACK),  # the due date itself is still on track
        (None, D(2025, 4, 16), BREACHING),
        (D(2025, 4, 15), D(2025, 6, 1), MET),
        (D(2025, 4, 16), D(2025, 6, 1), MISSED),
        (D(2025, 5, 1), D(2025, 4, 20), BREACHING),  # started later than the day asked about
    ],
)
def test_nice_target_status(started, on, status):
    assert statutory.nice_target_status(D(2025, 1, 15), started, on) == status
