"""Setting up a series through its page, and moving or cancelling one meeting."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.models import Meeting, MeetingSeries
from meetings.tests.factories import in_three_weeks, make_series, next_meeting
from roles.models import Role, RoleCode
from send_portal.london_time import long_date_with_weekday
from tests.factories import the_test_area


def series_form(**overrides):
    start = timezone.localdate()
    data = {
        "name": "Transition to adult services forum",
        "kind": "other",
        "chair_role": Role.objects.get(code=RoleCode.DCO).pk,
        "frequency": "MONTHLY",
        "interval": "3",
        "monthly_on": "weekday",
        "ordinal": "3",
        "weekday": "3",
        "starts_on_day": start.day,
        "starts_on_month": start.month,
        "starts_on_year": start.year,
        "start_time": "14:00",
        "duration_minutes": "60",
        "place": "Town Hall, South Shields",
        "online_link": "teams.example.nhs.uk/forum",
        "quorum_minimum": "2",
        "agenda_lock_hours": "48",
        "member_roles": [
            Role.objects.get(code=RoleCode.DCO).pk,
            Role.objects.get(code=RoleCode.CLINICAL_LEAD).pk,
        ],
        "reminder_days": "7, 1",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_the_dco_sets_up_a_quarterly_series_and_its_year_of_meetings(client, dco, clinical_lead):
    client.force_login(dco)

    response = client.post(reverse("meetings:series-create"), series_form())

    assert response.status_code == 302, response.content.decode()[:3000]
    series = MeetingSeries.objects.get()
    assert series.online_link == "https://teams.example.nhs.uk/forum"
    assert series.reminder_days == [7, 1]
    assert 4 <= series.meetings.count() <= 5
    assert all(
        timezone.localtime(m.starts_at).time() == datetime.time(14, 0)
        for m in series.meetings.all()
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "overrides,message",
    [
        ({"frequency": "MINUTELY"}, "meetings cannot repeat more often"),
        ({"frequency": "HOURLY", "interval": "1"}, "meetings cannot repeat more often"),
        ({"interval": "13"}, "at most 12 months apart"),
        ({"interval": "99999999999999999999"}, "at most 52 weeks or 12 months apart"),
        ({"monthly_on": "date", "month_day": "31"}, "from 1 to 28, or choose the last"),
        ({"monthly_on": "date", "month_day": ""}, "Enter the date of the month"),
        ({"ordinal": ""}, "Choose which week of the month"),
        ({"frequency": "WEEKLY", "weekday": ""}, "Choose the day of the week"),
        ({"quorum_minimum": "9"}, "could never be quorate"),
        ({"reminder_days": "seven"}, "whole numbers of days"),
        (
            {"ends_on_day": "1", "ends_on_month": "1", "ends_on_year": "2020"},
            "cannot end before it starts",
        ),
    ],
)
def test_a_series_that_cannot_work_is_refused_and_nothing_saved(
    client, dco, clinical_lead, overrides, message
):
    client.force_login(dco)

    response = client.post(reverse("meetings:series-create"), series_form(**overrides))

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not MeetingSeries.objects.exists() and not Meeting.objects.exists()


@pytest.mark.django_db
def test_only_the_dco_sets_up_series(client, dmo):
    client.force_login(dmo)

    assert client.get(reverse("meetings:series-create")).status_code == 403


@pytest.mark.django_db
def test_the_chair_moves_one_meeting_through_the_page(client, health_cafe, dco):
    meeting = next_meeting(health_cafe)
    new_day = timezone.localtime(meeting.starts_at).date() + datetime.timedelta(days=1)
    client.force_login(dco)

    response = client.post(
        reverse("meetings:move", args=[meeting.pk]),
        {
            "day_day": new_day.day,
            "day_month": new_day.month,
            "day_year": new_day.year,
            "time": "15:30",
            "place": "Online only",
        },
    )

    assert response.status_code == 302
    meeting.refresh_from_db()
    assert timezone.localtime(meeting.starts_at).strftime("%Y-%m-%d %H:%M") == (
        f"{new_day.isoformat()} 15:30"
    )
    assert meeting.moved and meeting.sequence == 1
    others = health_cafe.meetings.exclude(pk=meeting.pk)
    assert not others.filter(moved=True).exists()


@pytest.mark.django_db
def test_the_chair_cancels_one_meeting_with_a_reason(client, health_cafe, dco):
    meeting = next_meeting(health_cafe)
    client.force_login(dco)

    empty = client.post(reverse("meetings:cancel", args=[meeting.pk]), {"reason": ""})
    assert "Say why the meeting is cancelled" in empty.content.decode()
    client.post(reverse("meetings:cancel", args=[meeting.pk]), {"reason": "Venue flooded"})

    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CANCELLED
    assert health_cafe.meetings.filter(status=Meeting.Status.SCHEDULED).exists()


@pytest.mark.django_db
def test_the_series_list_comes_a_page_at_a_time_running_series_first(
    client, dco, django_assert_num_queries
):
    from meetings.tests.factories import make_series

    for n in range(27):
        make_series(name=f"Series {n:02d}")
    ended = MeetingSeries.objects.get(name="Series 00")
    ended.is_active = False
    ended.save()
    client.force_login(dco)
    client.get(reverse("meetings:series-list"))  # warm the session

    # session, user (with its roles and the header's unread count), count, the page of series
    # with their chair role
    with django_assert_num_queries(4):
        first = client.get(reverse("meetings:series-list"))
    second = client.get(reverse("meetings:series-list"), {"page": 2})

    assert [s.name for s in first.context["page"].object_list][:2] == ["Series 01", "Series 02"]
    assert len(first.context["page"].object_list) == 25
    assert [s.name for s in second.context["page"].object_list] == ["Series 26", "Series 00"]
    assert "27 series, those still running first." in first.content.decode()


@pytest.mark.django_db
def test_the_dco_sees_the_next_dates_before_saving_and_nothing_is_saved(client, dco, clinical_lead):
    client.force_login(dco)
    data = series_form(
        frequency="MONTHLY",
        interval="2",
        monthly_on="weekday",
        ordinal="2",
        weekday="1",
        starts_on_day="1",
        starts_on_month="1",
        starts_on_year=str(timezone.localdate().year + 1),
        preview="Show the next dates",
    )

    response = client.post(reverse("meetings:series-create"), data)

    assert response.status_code == 200
    page = response.content.decode()
    year = timezone.localdate().year + 1
    # Every 2 months on the second Tuesday, counted from 1 January.
    expected = [
        datetime.date(year, month, 1)
        + datetime.timedelta(days=(1 - datetime.date(year, month, 1).weekday()) % 7 + 7)
        for month in (1, 3, 5, 7, 9, 11)
    ]
    assert "Every 2 months on the second Tuesday, at 14:00" in page
    for day in expected:
        assert long_date_with_weekday(day) in page
    assert not MeetingSeries.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "answers,rule,words",
    [
        (
            {"frequency": "WEEKLY", "interval": "2", "weekday": "3"},
            "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH",
            "Every 2 weeks on Thursday",
        ),
        (
            {"frequency": "WEEKLY", "interval": "1", "weekday": "0"},
            "FREQ=WEEKLY;BYDAY=MO",
            "Every Monday",
        ),
        (
            {
                "frequency": "MONTHLY",
                "interval": "1",
                "monthly_on": "weekday",
                "ordinal": "-1",
                "weekday": "4",
            },
            "FREQ=MONTHLY;BYDAY=-1FR",
            "Every month on the last Friday",
        ),
        (
            {"frequency": "MONTHLY", "interval": "3", "monthly_on": "date", "month_day": "15"},
            "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=15",
            "Every 3 months on the 15th",
        ),
    ],
)
def test_the_pattern_chosen_in_words_is_kept_as_a_calendar_rule(
    client, dco, clinical_lead, answers, rule, words
):
    client.force_login(dco)

    response = client.post(reverse("meetings:series-create"), series_form(**answers))

    assert response.status_code == 302, response.content.decode()[:3000]
    series = MeetingSeries.objects.get()
    assert series.rrule == rule
    assert words in client.get(reverse("meetings:series", args=[series.pk])).content.decode()


@pytest.mark.django_db
def test_the_new_series_form_asks_in_words_not_for_an_icalendar_rule(client, dco):
    client.force_login(dco)

    page = client.get(reverse("meetings:series-create")).content.decode()

    assert "iCalendar" not in page and "FREQ=" not in page
    assert "Every so many weeks" in page and "Every so many months" in page
    assert "Show the next dates" in page


@pytest.mark.django_db
def test_changing_a_series_shows_its_rule_in_words_not_as_a_calendar_rule(client, dco):
    series = make_series(rrule="FREQ=MONTHLY;INTERVAL=2;BYDAY=2TU")
    client.force_login(dco)

    response = client.get(reverse("meetings:series-edit", args=[series.pk]))

    form = response.context["form"]
    assert form["frequency"].value() == "MONTHLY"
    assert form["interval"].value() == 2
    assert form["monthly_on"].value() == "weekday"
    assert form["ordinal"].value() == 2 and form["weekday"].value() == 1  # second Tuesday
    page = response.content.decode()
    assert "FREQ=" not in page


@pytest.mark.django_db
def test_a_series_with_a_rule_the_form_cannot_show_says_so(client, dco):
    series = make_series(rrule="FREQ=MONTHLY;BYMONTH=7,12;BYDAY=2TU")
    client.force_login(dco)

    page = client.get(reverse("meetings:series-edit", args=[series.pk])).content.decode()

    assert "Choose the pattern again" in page
    assert "FREQ=MONTHLY;BYMONTH=7,12;BYDAY=2TU" in page


@pytest.mark.django_db
def test_changing_the_pattern_replans_the_upcoming_meetings_and_tells_members(
    client, dco, dmo, clinical_lead
):
    # From three weeks today, so every planned meeting is still to come: on a second Tuesday
    # after 10:00 today's meeting has begun its time and is rightly not moved.
    series = make_series(rrule="FREQ=MONTHLY;INTERVAL=2;BYDAY=2TU", starts_on=in_three_weeks())
    before = set(series.meetings.values_list("occurrence_date", flat=True))
    client.force_login(dco)
    answers = series_form(
        name=series.name,
        kind=series.kind,
        frequency="MONTHLY",
        interval="1",
        monthly_on="weekday",
        ordinal="2",
        weekday="1",
        start_time="11:00",
        duration_minutes="90",
        starts_on_day=series.starts_on.day,
        starts_on_month=series.starts_on.month,
        starts_on_year=series.starts_on.year,
        place="Jarrow Focus, Cambrian Street, Jarrow",
        online_link="",
        quorum_minimum="2",
        member_roles=[
            Role.objects.get(code=code).pk
            for code in (RoleCode.DCO, RoleCode.DMO, RoleCode.CLINICAL_LEAD)
        ],
    )

    response = client.post(reverse("meetings:series-edit", args=[series.pk]), answers)

    assert response.status_code == 302, response.content.decode()[:3000]
    series.refresh_from_db()
    assert series.rrule == "FREQ=MONTHLY;BYDAY=2TU"
    planned = series.meetings.filter(status=Meeting.Status.SCHEDULED)
    # Every second Tuesday now, the old bi-monthly dates among them, all at 11:00 London time.
    assert before < set(planned.values_list("occurrence_date", flat=True))
    assert {timezone.localtime(m.starts_at).time() for m in planned} == {datetime.time(11, 0)}
    old = planned.filter(occurrence_date__in=before)
    assert all(m.moved and m.sequence == 1 for m in old)  # members get the "moved" notice
    assert not series.meetings.filter(status=Meeting.Status.CANCELLED).exists()


@pytest.mark.django_db
def test_meetings_the_new_pattern_no_longer_gives_are_cancelled_with_the_reason(client, dco):
    from meetings import services

    series = make_series(rrule="FREQ=MONTHLY;BYDAY=2TU")
    series.rrule = "FREQ=MONTHLY;INTERVAL=2;BYDAY=2TU"
    series.save()

    result = services.replan_series(series)

    cancelled = series.meetings.filter(status=Meeting.Status.CANCELLED)
    assert result.cancelled == cancelled.count() >= 5
    assert {m.cancelled_reason for m in cancelled} == {
        "The series now meets every 2 months on the second Tuesday."
    }


@pytest.mark.django_db
def test_an_answer_to_a_question_that_does_not_apply_is_ignored(client, dco, clinical_lead):
    # A date of the month typed, then "a weekday of the month" chosen: the date box is
    # hidden on the page, so its answer (and any error in it) must not stop the save.
    client.force_login(dco)

    response = client.post(
        reverse("meetings:series-create"), series_form(monthly_on="weekday", month_day="31")
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    assert MeetingSeries.objects.get().rrule == "FREQ=MONTHLY;INTERVAL=3;BYDAY=3TH"


@pytest.mark.django_db
def test_every_problem_is_shown_at_once_not_one_after_another(client, dco, clinical_lead):
    client.force_login(dco)

    response = client.post(
        reverse("meetings:series-create"), series_form(weekday="", quorum_minimum="9")
    )

    page = response.content.decode()
    assert "Choose the day of the week" in page
    assert "could never be quorate" in page


@pytest.mark.django_db
def test_the_page_script_gets_the_next_dates_before_the_rest_is_answered(client, dco):
    client.force_login(dco)
    answers = series_form(name="", preview="live")

    answer = client.post(
        reverse("meetings:series-create"), answers, HTTP_ACCEPT="application/json"
    ).json()

    assert answer["ok"] is True
    assert answer["message"].startswith("Every 3 months on the third Thursday, at 14:00")
    assert len(answer["dates"]) == 6
    assert all(day.startswith("Thursday ") for day in answer["dates"])
    assert not MeetingSeries.objects.exists()
    refused = client.post(
        reverse("meetings:series-create"),
        series_form(frequency="MINUTELY", preview="live"),
        HTTP_ACCEPT="application/json",
    ).json()
    assert refused == {
        "ok": False,
        "message": "Choose weeks or months: meetings cannot repeat more often",
        "dates": [],
    }


@pytest.mark.django_db
def test_a_series_the_rules_refuse_is_not_half_saved():
    from meetings import services

    series = MeetingSeries(
        area=the_test_area(),
        name="Daily huddle",
        rrule="FREQ=DAILY",  # more often than the portal supports
        starts_on=timezone.localdate(),
        start_time=datetime.time(9, 0),
        quorum_minimum=1,
    )
    dco = Role.objects.get(code=RoleCode.DCO)

    with pytest.raises(services.RefusedChange):
        services.create_series(series, member_roles=[dco], member_users=[], required_roles=[])

    assert not MeetingSeries.objects.filter(name="Daily huddle").exists()


@pytest.mark.django_db
def test_a_name_is_unique_within_its_area_and_free_in_another(client, dco, clinical_lead):
    from tests.factories import LocalAreaFactory, person_holding

    make_series(name="Transition to adult services forum", materialise=False)
    client.force_login(dco)
    refused = client.post(reverse("meetings:series-create"), series_form())
    assert refused.status_code == 200
    assert "There is already a series called Transition to adult services forum" in (
        refused.content.decode()
    )
    assert MeetingSeries.objects.count() == 1

    sunderland = LocalAreaFactory(name="Sunderland", icb=the_test_area().icb)
    person_holding(RoleCode.CLINICAL_LEAD, areas=[sunderland])
    client.force_login(person_holding(RoleCode.DCO, areas=[sunderland]))
    made = client.post(reverse("meetings:series-create"), series_form())
    assert made.status_code == 302, made.content.decode()[:2000]
    assert set(MeetingSeries.objects.values_list("area__name", flat=True)) == {
        the_test_area().name,
        "Sunderland",
    }


@pytest.mark.django_db
def test_someone_in_two_areas_may_reuse_a_name_only_in_the_other_area(client, clinical_lead):
    from tests.factories import LocalAreaFactory, person_holding

    here = the_test_area()
    there = LocalAreaFactory(name="Sunderland", icb=here.icb)
    person_holding(RoleCode.CLINICAL_LEAD, areas=[there])
    make_series(name="Transition to adult services forum", materialise=False)
    client.force_login(person_holding(RoleCode.DCO, areas=[here, there]))
    refused = client.post(reverse("meetings:series-create"), series_form(area=here.pk))
    assert "There is already a series called" in refused.content.decode()
    made = client.post(reverse("meetings:series-create"), series_form(area=there.pk))
    assert made.status_code == 302, made.content.decode()[:2000]


def test_the_database_refuses_a_second_series_of_one_name_in_one_area(db):
    from django.db import IntegrityError, transaction

    make_series(name="Forum", materialise=False)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_series(name="Forum", materialise=False)
