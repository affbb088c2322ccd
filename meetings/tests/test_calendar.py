"""Meetings in calendars: the .ics invitation, a person's feed, and the page that gives it.

The Health Café here meets monthly on the second Tuesday at 10:00 (London), from January
2026: on 13 January (GMT) and on 14 July (BST) among others. Today is 1 January 2026.
"""

import datetime

import pytest
import time_machine
from django.urls import reverse
from icalendar import Calendar

from ehcp.tests.factories import ChildFactory, make_assessment
from meetings import calendar, services
from meetings.models import AgendaItem, CalendarFeed, Meeting
from meetings.tests.factories import make_series
from send_portal.london_time import LONDON


@pytest.fixture(autouse=True)
def on_1_january_2026():
    with time_machine.travel(datetime.datetime(2026, 1, 1, 9, tzinfo=LONDON), tick=False):
        yield


@pytest.fixture
def cafe(dco, dmo, clinical_lead):
    return make_series(rrule="FREQ=MONTHLY;BYDAY=2TU", starts_on=datetime.date(2026, 1, 1))


def meeting_on(series, day: datetime.date) -> Meeting:
    return series.meetings.get(occurrence_date=day)


def parse(ics: bytes):
    return Calendar.from_ical(ics)


def only_event(ics: bytes):
    (event,) = parse(ics).events
    return event


# --- The invitation ------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_invitation_describes_the_meeting(cafe):
    meeting = meeting_on(cafe, datetime.date(2026, 1, 13))
    AgendaItem.objects.create(meeting=meeting, position=1, title="Welcome and apologies")
    AgendaItem.objects.create(meeting=meeting, position=2, title="Parent carer forum update")

    ics = calendar.invitation(meeting)

    cal = parse(ics)
    assert cal["METHOD"] == "REQUEST"
    event = only_event(ics)
    assert event["UID"] == f"{meeting.calendar_uid}@send-portal"
    assert event["SUMMARY"] == "SEND Health Café"
    assert event["LOCATION"] == "Jarrow Focus, Cambrian Street, Jarrow"
    assert event["URL"] == f"http://127.0.0.1:8000/meetings/{meeting.pk}/"
    assert event["STATUS"] == "CONFIRMED"
    assert event["SEQUENCE"] == 0
    assert "1. Welcome and apologies\n2. Parent carer forum update" in event["DESCRIPTION"]
    assert event.end - event.start == datetime.timedelta(minutes=90)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("day", "raw_start"),
    [
        (datetime.date(2026, 1, 13), b"DTSTART;TZID=Europe/London:20260113T100000"),
        (datetime.date(2026, 7, 14), b"DTSTART;TZID=Europe/London:20260714T100000"),
    ],
    ids=["january-gmt", "july-bst"],
)
def test_the_meeting_starts_at_10_on_the_london_wall_clock_winter_and_summer(cafe, day, raw_start):
    ics = calendar.invitation(meeting_on(cafe, day))

    assert raw_start in ics
    event = only_event(ics)
    assert event["DTSTART"].params["TZID"] == "Europe/London"
    assert event["DTEND"].params["TZID"] == "Europe/London"
    assert (event.start.date(), event.start.hour, event.start.minute) == (day, 10, 0)
    (vtimezone,) = parse(ics).timezones
    assert vtimezone.tz_name == "Europe/London"
    # The VTIMEZONE carries both offsets, so every client agrees across the clock change.
    assert b"TZOFFSETTO:+0100" in ics and b"TZOFFSETTO:+0000" in ics


@pytest.mark.django_db
def test_the_uid_stays_and_the_sequence_goes_up_when_the_meeting_moves(cafe, dco):
    meeting = meeting_on(cafe, datetime.date(2026, 1, 13))
    before = only_event(calendar.invitation(meeting))

    moved = services.move_meeting(
        meeting, datetime.datetime(2026, 1, 20, 14, tzinfo=LONDON), "Town Hall, South Shields"
    )
    after = only_event(calendar.invitation(moved))
    moved_again = services.move_meeting(
        moved, datetime.datetime(2026, 1, 21, 14, tzinfo=LONDON), "Town Hall, South Shields"
    )
    again = only_event(calendar.invitation(moved_again))

    assert before["UID"] == after["UID"] == again["UID"]
    assert (before["SEQUENCE"], after["SEQUENCE"], again["SEQUENCE"]) == (0, 1, 2)
    assert after.start == datetime.datetime(2026, 1, 20, 14, tzinfo=LONDON)
    assert after["LOCATION"] == "Town Hall, South Shields"


@pytest.mark.django_db
def test_a_cancelled_meeting_is_a_cancel_with_status_cancelled(cafe, dco):
    meeting = meeting_on(cafe, datetime.date(2026, 1, 13))
    cancelled = services.cancel_meeting(meeting, "The venue is closed.")

    ics = calendar.invitation(cancelled)

    assert parse(ics)["METHOD"] == "CANCEL"
    event = only_event(ics)
    assert event["STATUS"] == "CANCELLED"
    assert event["UID"] == f"{meeting.calendar_uid}@send-portal"
    assert event["SEQUENCE"] == 1
    assert "The venue is closed." in event["DESCRIPTION"]


@pytest.mark.django_db
def test_no_child_is_named_a_panel_case_is_just_a_panel_case(cafe, dmo):
    meeting = meeting_on(cafe, datetime.date(2026, 1, 13))
    child = ChildFactory(first_name="Jessamine", last_name="Quarrington")
    AgendaItem.objects.create(
        meeting=meeting,
        position=1,
        title="Jessamine Quarrington: request for assessment",
        assessment=make_assessment(child=child),
    )

    ics = calendar.invitation(meeting)
    description = only_event(ics)["DESCRIPTION"]

    assert "1. Panel case" in description
    assert b"Jessamine" not in ics and b"Quarrington" not in ics
    feed = calendar.feed(dmo)
    assert b"Panel case" in feed
    assert b"Jessamine" not in feed and b"Quarrington" not in feed


@pytest.mark.django_db
def test_an_invitation_for_a_person_names_them_as_attendee_without_asking_for_a_reply(cafe, dmo):
    event = only_event(calendar.invitation(meeting_on(cafe, datetime.date(2026, 1, 13)), dmo))

    attendee = event["ATTENDEE"]
    assert str(attendee) == f"mailto:{dmo.email}"
    assert attendee.params["CN"] == "Dr Dee Emmo"
    assert attendee.params["RSVP"] == "FALSE"
    assert str(event["ORGANIZER"]).startswith("mailto:")


@pytest.mark.django_db
def test_the_email_attachment_says_request_or_cancel(cafe, dco):
    meeting = meeting_on(cafe, datetime.date(2026, 1, 13))
    assert calendar.invitation_attachment(meeting)[::2] == (
        "meeting.ics",
        "text/calendar; method=REQUEST",
    )

    cancelled = services.cancel_meeting(meeting, "No quorum expected.")

    assert calendar.invitation_attachment(cancelled)[2] == "text/calendar; method=CANCEL"


# --- The feed ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_feed_has_my_meetings_from_3_months_ago_to_12_months_ahead(cafe, dmo, dco):
    past = Meeting.objects.create(
        series=cafe,
        occurrence_date=datetime.date(2025, 11, 11),
        starts_at=datetime.datetime(2025, 11, 11, 10, tzinfo=LONDON),
        ends_at=datetime.datetime(2025, 11, 11, 11, 30, tzinfo=LONDON),
        status=Meeting.Status.CLOSED,
    )
    too_old = Meeting.objects.create(
        series=cafe,
        occurrence_date=datetime.date(2025, 9, 9),
        starts_at=datetime.datetime(2025, 9, 9, 10, tzinfo=LONDON),
        ends_at=datetime.datetime(2025, 9, 9, 11, 30, tzinfo=LONDON),
        status=Meeting.Status.CLOSED,
    )
    cancelled = services.cancel_meeting(meeting_on(cafe, datetime.date(2026, 2, 10)), "Half term.")

    events = {event["UID"]: event for event in parse(calendar.feed(dmo)).events}

    uids = set(events)
    assert f"{past.calendar_uid}@send-portal" in uids
    assert f"{too_old.calendar_uid}@send-portal" not in uids
    assert events[f"{cancelled.calendar_uid}@send-portal"]["STATUS"] == "CANCELLED"
    starts = sorted(event.start.date() for event in events.values())
    assert starts[0] == datetime.date(2025, 11, 11)
    assert starts[-1] <= datetime.date(2027, 1, 2)
    assert len(starts) == 1 + 12  # November's, and the 12 materialised from January


@pytest.mark.django_db
def test_someone_who_is_not_a_member_has_an_empty_feed(cafe, health_professional_a):
    cal = parse(calendar.feed(health_professional_a))

    assert cal.events == []
    assert cal["METHOD"] == "PUBLISH"


@pytest.mark.django_db
def test_the_feed_takes_the_same_queries_for_one_meeting_or_many(
    cafe, dmo, django_assert_num_queries
):
    # the meetings (the series they are a member of, by name or by a role held in the
    # series' area, and as chair, a subquery of it), their agenda items, and the names of
    # the person's areas (the feed's name: "SEND meetings – Sunderland")
    with django_assert_num_queries(3):
        calendar.feed(dmo)


# --- The feed's address and the page that gives it ---------------------------------------------


@pytest.mark.django_db
def test_the_calendar_page_gives_my_secret_address_making_it_on_the_first_visit(client, dmo):
    client.force_login(dmo)

    response = client.get(reverse("meetings:calendar"))

    assert response.status_code == 200
    feed = CalendarFeed.objects.get(user=dmo)
    page = response.content.decode()
    # The page's own address (tests/test_base_url.py has the cases of host, port and setting).
    assert f"http://testserver/calendar/{feed.token}.ics" in page
    assert f"webcal://testserver/calendar/{feed.token}.ics" in page
    assert "Keep this address secret" in page
    assert "Make a new address" in page
    # A second visit shows the same address.
    client.get(reverse("meetings:calendar"))
    assert CalendarFeed.objects.get(user=dmo).token == feed.token


@pytest.mark.django_db
def test_the_feed_opens_without_signing_in_for_a_calendar_app(client, cafe, dmo):
    token = services.calendar_feed_for(dmo).token

    response = client.get(reverse("meetings:calendar-feed", args=[token]))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Cache-Control"] == "private, no-store"
    assert len(parse(response.content).events) == 12


@pytest.mark.django_db
def test_a_new_address_stops_the_old_one_working(client, cafe, dmo):
    old = services.calendar_feed_for(dmo).token
    client.force_login(dmo)

    response = client.post(reverse("meetings:calendar"), follow=True)

    new = CalendarFeed.objects.get(user=dmo).token
    assert new != old
    assert "The old address no longer works" in response.content.decode()
    assert f"/calendar/{new}.ics" in response.content.decode()
    client.logout()
    assert client.get(reverse("meetings:calendar-feed", args=[old])).status_code == 404
    assert client.get(reverse("meetings:calendar-feed", args=[new])).status_code == 200


@pytest.mark.django_db
def test_an_unknown_token_is_a_404_that_names_nobody(client, cafe, dmo):
    services.calendar_feed_for(dmo)

    response = client.get(reverse("meetings:calendar-feed", args=["not-a-real-token"]))

    assert response.status_code == 404
    page = response.content.decode()
    assert "Dee Emmo" not in page and dmo.email not in page


@pytest.mark.django_db
def test_a_deactivated_persons_feed_stops_working(client, cafe, dmo):
    token = services.calendar_feed_for(dmo).token
    dmo.is_active = False
    dmo.save()

    assert client.get(reverse("meetings:calendar-feed", args=[token])).status_code == 404


@pytest.mark.django_db
def test_the_feed_only_answers_get(client, cafe, dmo):
    token = services.calendar_feed_for(dmo).token

    assert client.post(reverse("meetings:calendar-feed", args=[token])).status_code == 405
