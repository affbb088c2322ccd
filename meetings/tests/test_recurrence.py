"""Meeting dates from the series' rule: counts over two years, clock changes, month ends."""

import datetime
import time

import pytest
from django.utils import timezone

from meetings import recurrence, services
from meetings.recurrence import local_start, occurrence_dates
from meetings.tests.factories import make_series
from send_portal.london_time import LONDON

TEN = datetime.time(10, 0)


def test_bi_monthly_second_tuesday_gives_exactly_twelve_cafes_in_24_months():
    dates = occurrence_dates(
        "FREQ=MONTHLY;INTERVAL=2;BYDAY=2TU",
        datetime.date(2026, 1, 1),
        TEN,
        until=datetime.date(2027, 12, 31),
    )

    assert len(dates) == 12
    assert dates[:3] == [
        datetime.date(2026, 1, 13),
        datetime.date(2026, 3, 10),
        datetime.date(2026, 5, 12),
    ]
    assert all(d.weekday() == 1 and 8 <= d.day <= 14 for d in dates)


def test_monthly_first_wednesday_over_24_months():
    dates = occurrence_dates(
        "FREQ=MONTHLY;BYDAY=1WE", datetime.date(2026, 1, 1), TEN, until=datetime.date(2027, 12, 31)
    )

    assert len(dates) == 24
    assert dates[0] == datetime.date(2026, 1, 7)
    assert all(d.weekday() == 2 and d.day <= 7 for d in dates)


def test_every_other_thursday():
    dates = occurrence_dates(
        "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH",
        datetime.date(2026, 1, 1),
        TEN,
        until=datetime.date(2026, 2, 28),
    )

    assert dates == [
        datetime.date(2026, 1, 1),
        datetime.date(2026, 1, 15),
        datetime.date(2026, 1, 29),
        datetime.date(2026, 2, 12),
        datetime.date(2026, 2, 26),
    ]


def test_the_31st_is_skipped_in_shorter_months_not_moved():
    # RFC 5545: a BYMONTHDAY that a month does not have gives no meeting that month.
    dates = occurrence_dates(
        "FREQ=MONTHLY;BYMONTHDAY=31",
        datetime.date(2026, 1, 1),
        TEN,
        until=datetime.date(2026, 12, 31),
    )

    assert [d.month for d in dates] == [1, 3, 5, 7, 8, 10, 12]


def test_the_last_day_of_each_month_including_a_leap_february():
    dates = occurrence_dates(
        "FREQ=MONTHLY;BYMONTHDAY=-1",
        datetime.date(2028, 1, 1),
        TEN,
        until=datetime.date(2028, 4, 30),
    )

    assert dates == [
        datetime.date(2028, 1, 31),
        datetime.date(2028, 2, 29),
        datetime.date(2028, 3, 31),
        datetime.date(2028, 4, 30),
    ]


def test_meetings_keep_their_wall_clock_time_across_the_clock_changes():
    # 24 Mar 2026 is GMT, 31 Mar BST (clocks went forward on the 29th); the 10:00 meeting is
    # 10:00 in London both weeks, 10:00 UTC and then 09:00 UTC.
    before, after = (
        local_start(datetime.date(2026, 3, 24), TEN),
        local_start(datetime.date(2026, 3, 31), TEN),
    )

    assert before.astimezone(LONDON).hour == after.astimezone(LONDON).hour == 10
    assert before.astimezone(datetime.UTC).hour == 10
    assert after.astimezone(datetime.UTC).hour == 9
    autumn = local_start(datetime.date(2026, 10, 27), TEN)  # after the 25 Oct change
    assert autumn.astimezone(datetime.UTC).hour == 10


def test_a_meeting_on_the_clock_change_sunday_itself():
    moment = local_start(datetime.date(2026, 10, 25), datetime.time(9, 30))

    assert moment.astimezone(LONDON).strftime("%H:%M") == "09:30"
    assert moment.astimezone(datetime.UTC).strftime("%H:%M") == "09:30"  # GMT again


@pytest.mark.parametrize(
    "rule,message",
    [
        ("FREQ=FORTNIGHTLY", "choose weekly or monthly"),
        ("FREQ=MONTHLY;BYMONTH=2;BYMONTHDAY=30", "gives no meetings"),
        ("DTSTART:20260101T100000\nRRULE:FREQ=DAILY", "only the rule"),
        ("FREQ=WEEKLY;BYDAY=XX", "not a rule"),
        ("FREQ=DAILY", "not daily: choose weekly or monthly"),
        ("FREQ=YEARLY", "not yearly"),
        ("FREQ=WEEKLY;BYDAY=MO;BYHOUR=9,10,11", "uses BYHOUR"),
        ("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", "more than 60 meetings a year"),
        ("FREQ=WEEKLY;INTERVAL=0;BYDAY=MO", "from 1 to 52 weeks"),
        ("FREQ=MONTHLY;INTERVAL=99999999999999999999;BYDAY=1MO", "from 1 to 12 months"),
    ],
)
def test_a_rule_that_cannot_work_is_refused_with_a_message(rule, message):
    with pytest.raises(recurrence.RecurrenceError, match=message):
        recurrence.check_rule(rule, datetime.date(2026, 1, 1), TEN)


@pytest.mark.django_db
def test_materialising_twice_makes_each_meeting_once_and_keeps_moved_and_cancelled(dco):
    series = make_series(starts_on=timezone.localdate(), rrule="FREQ=MONTHLY;BYDAY=1WE")
    meetings = list(series.meetings.order_by("starts_at"))
    assert 12 <= len(meetings) <= 13
    first, second = meetings[0], meetings[1]
    services.move_meeting(first, first.starts_at + datetime.timedelta(days=1), "Another room")
    services.cancel_meeting(second, "Clashes with the half-term break")

    assert services.materialise(series) == 0

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.moved and first.place == "Another room" and first.sequence == 1
    assert second.status == second.Status.CANCELLED
    assert series.meetings.count() == len(meetings)


@pytest.mark.django_db
def test_moving_keeps_the_calendar_uid_and_the_length(dco):
    meeting = make_series().meetings.order_by("starts_at").first()
    uid, length = meeting.calendar_uid, meeting.ends_at - meeting.starts_at

    moved = services.move_meeting(
        meeting, meeting.starts_at + datetime.timedelta(days=2, hours=3), meeting.place
    )

    assert moved.calendar_uid == uid
    assert moved.ends_at - moved.starts_at == length


@pytest.mark.django_db
def test_a_meeting_cannot_be_moved_into_the_past_or_cancelled_without_a_reason(dco):
    meeting = make_series().meetings.order_by("starts_at").first()

    with pytest.raises(services.RefusedChange, match="future"):
        services.move_meeting(meeting, timezone.now() - datetime.timedelta(hours=1), "")
    with pytest.raises(services.RefusedChange, match="Say why"):
        services.cancel_meeting(meeting, " ")
    meeting.refresh_from_db()
    assert meeting.status == meeting.Status.SCHEDULED and not meeting.moved


@pytest.mark.parametrize("frequency", ["SECONDLY", "MINUTELY", "HOURLY"])
def test_a_rule_more_frequent_than_the_portal_supports_is_refused_at_once(frequency):
    # FREQ=MINUTELY once took 30 s to expand and timed the worker out.
    started = time.perf_counter()
    with pytest.raises(recurrence.RecurrenceError, match="choose weekly or monthly"):
        recurrence.check_rule(f"FREQ={frequency}", datetime.date(2026, 1, 1), TEN)
    assert time.perf_counter() - started < 0.05


@pytest.mark.django_db
@pytest.mark.parametrize("rule", ["FREQ=SECONDLY", "FREQ=MINUTELY;INTERVAL=1", "FREQ=HOURLY"])
def test_the_service_refuses_a_series_more_frequent_than_weekly_fast(dco, rule):
    # A series that reached the database by another road (an import, the shell, the admin)
    # is refused when its meetings are made, before the rule is expanded.
    series = make_series(rrule="FREQ=WEEKLY;BYDAY=MO", materialise=False)
    series.rrule = rule
    started = time.perf_counter()

    with pytest.raises(services.SeriesRefused, match="choose weekly or monthly"):
        services.check_series(series)
    with pytest.raises(services.RefusedChange, match="choose weekly or monthly"):
        services.materialise(series)

    assert time.perf_counter() - started < 0.5
    assert not series.meetings.exists()


def test_no_series_makes_more_than_its_yearly_share_of_meetings():
    # Even a rule that slipped past the check is walked no further than the cap.
    dates = occurrence_dates(
        "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR,SA,SU",
        datetime.date(2026, 1, 1),
        TEN,
        until=datetime.date(2026, 12, 31),
    )

    assert len(dates) == recurrence.MAX_MEETINGS_A_YEAR


@pytest.mark.parametrize(
    "rule,words",
    [
        ("FREQ=MONTHLY;INTERVAL=2;BYDAY=2TU", "Every 2 months on the second Tuesday"),
        ("FREQ=MONTHLY;BYDAY=1WE", "Every month on the first Wednesday"),
        ("FREQ=MONTHLY;BYDAY=-1FR", "Every month on the last Friday"),
        ("FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=15", "Every 3 months on the 15th"),
        ("FREQ=WEEKLY;INTERVAL=2;BYDAY=TH", "Every 2 weeks on Thursday"),
        ("FREQ=WEEKLY;BYDAY=MO", "Every Monday"),
    ],
)
def test_a_rule_reads_back_as_the_pattern_it_was_written_from(rule, words):
    pattern = recurrence.Pattern.from_rrule(rule)

    assert pattern.to_rrule() == rule
    assert pattern.describe() == words == recurrence.describe(rule)


def test_a_rule_the_form_cannot_offer_is_shown_as_it_is():
    assert recurrence.Pattern.from_rrule("FREQ=MONTHLY;BYMONTH=7,12;BYDAY=2TU") is None
    assert recurrence.describe("FREQ=MONTHLY;BYMONTHDAY=31") == "FREQ=MONTHLY;BYMONTHDAY=31"
