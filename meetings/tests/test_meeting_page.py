"""A person's meetings and a meeting's page: who sees what, quorum, apologies, query count.

The Health Café here (``cafe`` and ``meeting`` of meetings/tests/conftest.py) starts three
weeks from today, so that "before the meeting" and "before the agenda locks" hold whatever
day the tests run on; time-machine moves the clock where a test needs another moment.
"""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import dateformat, timezone

from meetings import services
from meetings.models import Attendance, MeetingKind
from meetings.tests.factories import in_three_weeks, make_series, next_meeting, refusal_for
from roles.models import RoleCode
from send_portal.london_time import long_date_with_weekday


def page_of(meeting):
    return reverse("meetings:meeting", args=[meeting.pk])


def text_of(response) -> str:
    return " ".join(response.content.decode().split())


# --- My meetings --------------------------------------------------------------------------


@pytest.mark.django_db
def test_my_meetings_lists_a_members_meetings_in_uk_time_with_a_link_to_the_calendar(
    client, dmo, meeting
):
    client.force_login(dmo)

    response = client.get(reverse("meetings:mine"))

    assert response.status_code == 200
    page = text_of(response)
    assert "SEND Health Café" in page
    assert "10:00 to 11:30" in page  # London wall-clock time, whatever the season
    assert page_of(meeting) in page
    assert reverse("meetings:calendar") in page
    assert "Send apologies" in page


@pytest.mark.django_db
def test_my_meetings_shows_london_time_in_summer_and_winter(client, dmo):
    # One meeting in British Summer Time (July) and one in GMT (December), both at 10:00.
    next_year = timezone.localdate().year + 1
    with time_machine.travel(datetime.datetime(next_year, 1, 2, 9, tzinfo=datetime.UTC)):
        make_series(
            rrule="FREQ=MONTHLY;BYMONTH=7,12;BYDAY=2TU",
            starts_on=datetime.date(next_year, 1, 1),
            member_users=(dmo,),
            member_roles=(),
            quorum_minimum=1,
        )
        client.force_login(dmo)
        page = text_of(client.get(reverse("meetings:mine")))

    assert page.count("10:00 to 11:30") == 2
    assert "09:00" not in page and "11:00 to" not in page


@pytest.mark.django_db
def test_my_meetings_has_an_empty_state_for_someone_in_no_series(client, commissioner, meeting):
    client.force_login(commissioner)

    response = client.get(reverse("meetings:mine"))

    assert response.status_code == 200
    assert "You have no upcoming meetings" in text_of(response)
    assert page_of(meeting) not in text_of(response)


@pytest.mark.django_db
def test_my_meetings_is_refused_to_someone_with_no_role(client, no_role_user):
    client.force_login(no_role_user)

    assert client.get(reverse("meetings:mine")).status_code == 403


@pytest.mark.django_db
def test_my_meetings_asks_anyone_signed_out_to_sign_in(client):
    response = client.get(reverse("meetings:mine"))

    assert response.status_code == 302
    assert "sign-in" in response["Location"]


@pytest.mark.django_db
def test_my_meetings_shows_apologies_sent_and_offers_to_withdraw_them(client, dmo, meeting):
    services.send_apologies(meeting, dmo)
    client.force_login(dmo)

    page = text_of(client.get(reverse("meetings:mine")))

    assert "You have sent apologies" in page
    assert "Withdraw apologies" in page


@pytest.mark.django_db
def test_my_meetings_tags_moved_and_cancelled_meetings(client, dco, dmo, cafe):
    first, second = list(cafe.meetings.order_by("starts_at")[:2])
    services.move_meeting(first, first.starts_at + datetime.timedelta(days=1), "Room 2")
    services.cancel_meeting(second, "The chair is on leave")
    client.force_login(dmo)

    page = text_of(client.get(reverse("meetings:mine")))

    assert "Moved" in page
    assert "Cancelled" in page


# --- Who may see a meeting ----------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["dco", "dmo", "clinical_lead"])
def test_core_members_see_the_meeting(client, request, meeting, persona):
    client.force_login(request.getfixturevalue(persona))

    response = client.get(page_of(meeting))

    assert response.status_code == 200
    assert "SEND Health Café" in text_of(response)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "persona",
    [
        "health_professional_a",
        "commissioner",
        "send_officer",
        "sendiass_officer",
        "administrator",
        "no_role_user",
    ],
)
def test_people_outside_the_series_may_not_see_the_meeting(client, request, meeting, persona):
    person = request.getfixturevalue(persona)
    client.force_login(person)

    assert client.get(page_of(meeting)).status_code == refusal_for(person, meeting.series)


@pytest.mark.django_db
def test_changing_the_id_in_the_address_shows_no_other_meeting(client, dmo, meeting, other_meeting):
    client.force_login(dmo)

    assert client.get(page_of(meeting)).status_code == 200
    assert client.get(page_of(other_meeting)).status_code == 403
    assert client.get(reverse("meetings:meeting", args=[other_meeting.pk + 999])).status_code == 404


@pytest.mark.django_db
def test_the_page_is_for_signed_in_people_only(client, meeting):
    response = client.get(page_of(meeting))

    assert response.status_code == 302
    assert "sign-in" in response["Location"]


# --- What the page shows ------------------------------------------------------------------


@pytest.mark.django_db
def test_the_page_shows_the_summary_in_uk_time(client, dmo, meeting):
    client.force_login(dmo)

    page = text_of(client.get(page_of(meeting)))

    assert long_date_with_weekday(meeting.starts_at) in page
    assert "10:00 to 11:30 (UK time)" in page
    assert "Jarrow Focus, Cambrian Street, Jarrow" in page
    assert "Scheduled" in page


@pytest.mark.django_db
def test_the_chair_sees_chair_move_and_cancel_and_a_member_does_not(client, dco, dmo, meeting):
    client.force_login(dco)
    chair_page = text_of(client.get(page_of(meeting)))
    client.force_login(dmo)
    member_page = text_of(client.get(page_of(meeting)))

    for link in [
        reverse("meetings:chair", args=[meeting.pk]),
        reverse("meetings:move", args=[meeting.pk]),
        reverse("meetings:cancel", args=[meeting.pk]),
        reverse("meetings:actions-csv"),
    ]:
        assert link in chair_page
        assert link not in member_page
    for link in [
        reverse("meetings:agenda-item-add", args=[meeting.pk]),
        reverse("meetings:paper-upload", args=[meeting.pk]),
        reverse("meetings:agenda-csv", args=[meeting.pk]),
        reverse("meetings:minutes-pdf", args=[meeting.pk]),
    ]:
        assert link in chair_page
        assert link in member_page


@pytest.mark.django_db
def test_a_cancelled_meeting_shows_why_and_offers_no_changes(client, dco, dmo, meeting):
    services.cancel_meeting(meeting, "Room unavailable")
    client.force_login(dmo)

    page = text_of(client.get(page_of(meeting)))

    assert "This meeting is cancelled" in page
    assert "Room unavailable" in page
    assert reverse("meetings:agenda-item-add", args=[meeting.pk]) not in page
    assert "Send apologies" not in page


@pytest.mark.django_db
def test_a_moved_meeting_says_so_with_its_new_time(client, dco, dmo, meeting):
    new_start = meeting.starts_at + datetime.timedelta(days=1, hours=3)
    services.move_meeting(meeting, new_start, "Room 2, Jarrow Focus")
    client.force_login(dmo)

    page = text_of(client.get(page_of(meeting)))

    assert "Moved" in page
    assert "This meeting has moved" in page
    assert "13:00 to 14:30 (UK time)" in page
    assert "Room 2, Jarrow Focus" in page


@pytest.mark.django_db
def test_before_the_meeting_the_quorum_is_a_forecast_from_apologies(
    client, dco, dmo, clinical_lead, meeting
):
    client.force_login(dco)
    assert "Expected to be quorate" in text_of(client.get(page_of(meeting)))

    services.send_apologies(meeting, dmo)
    services.send_apologies(meeting, clinical_lead)
    page = text_of(client.get(page_of(meeting)))

    assert "Not expected to be quorate" in page
    assert "1 of 2 core members" in page
    assert "Dr Dee Emmo" in page  # listed, with apologies
    assert "Apologies" in page


@pytest.mark.django_db
def test_once_open_the_quorum_counts_who_is_present(client, dco, dmo, clinical_lead, meeting):
    services.open_meeting(meeting, early_start_confirmed=True)
    rows = {a.user_id: a.pk for a in meeting.attendance.all()}
    services.record_attendance(meeting, {rows[dco.pk]: Attendance.Status.PRESENT})
    client.force_login(dco)
    assert "Not quorate: 1 of 2 core members" in text_of(client.get(page_of(meeting)))

    services.record_attendance(meeting, {rows[dmo.pk]: Attendance.Status.PRESENT})

    page = text_of(client.get(page_of(meeting)))
    assert "Quorate: 2 core members present" in page
    assert "Expected to be quorate" not in page


@pytest.mark.django_db
def test_draft_minutes_are_for_the_chair_until_published(client, dco, dmo, meeting):
    services.open_meeting(meeting, early_start_confirmed=True)
    item = services.add_agenda_item(meeting, dco, title="Waiting times", minutes_allotted=15)
    services.save_item_record(item, "Waits are down to 14 weeks.", "Write to the ICB.", 0)
    services.close_meeting(meeting)

    client.force_login(dco)
    assert "Waits are down to 14 weeks." in text_of(client.get(page_of(meeting)))
    client.force_login(dmo)
    member_page = text_of(client.get(page_of(meeting)))
    assert "Waits are down to 14 weeks." not in member_page
    assert "The chair has not published the minutes yet" in member_page

    with time_machine.travel(meeting.ends_at):  # minutes go out once the meeting is due
        services.publish_minutes(meeting)

    published = text_of(client.get(page_of(meeting)))
    assert "Waits are down to 14 weeks." in published
    assert "Write to the ICB." in published
    assert "draft until approved at the next meeting" in published


@pytest.mark.django_db
def test_the_page_lists_actions_with_owner_and_due_date(client, dco, dmo, meeting):
    services.open_meeting(meeting, early_start_confirmed=True)
    due = timezone.localtime(meeting.starts_at).date() + datetime.timedelta(days=14)
    services.add_action(meeting, "Send the audit to the ICB", dmo, due)
    client.force_login(dmo)

    page = text_of(client.get(page_of(meeting)))

    assert "Send the audit to the ICB" in page
    assert dateformat.format(due, "j M Y") in page


# --- Apologies ----------------------------------------------------------------------------


def apologies_url(meeting):
    return reverse("meetings:apologies", args=[meeting.pk])


@pytest.mark.django_db
def test_a_member_sends_and_withdraws_apologies_before_the_meeting(client, dmo, meeting):
    client.force_login(dmo)

    sent = client.post(apologies_url(meeting), {"action": "send"}, follow=True)

    row = Attendance.objects.get(meeting=meeting, user=dmo)
    assert row.status == Attendance.Status.APOLOGIES
    assert row.apologies_sent_at is not None
    assert "have been sent to the chair" in text_of(sent)
    assert "Withdraw my apologies" in text_of(sent)

    withdrawn = client.post(apologies_url(meeting), {"action": "withdraw"}, follow=True)

    row.refresh_from_db()
    assert row.status == Attendance.Status.EXPECTED
    assert "have been withdrawn" in text_of(withdrawn)


@pytest.mark.django_db
def test_apologies_go_back_to_my_meetings_when_sent_from_there(client, dmo, meeting):
    client.force_login(dmo)

    response = client.post(
        apologies_url(meeting), {"action": "send", "next": reverse("meetings:mine")}
    )

    assert response["Location"] == reverse("meetings:mine")


@pytest.mark.django_db
def test_apologies_never_redirect_to_another_site(client, dmo, meeting):
    client.force_login(dmo)

    response = client.post(
        apologies_url(meeting), {"action": "send", "next": "https://evil.example/"}
    )

    assert response["Location"] == page_of(meeting)


@pytest.mark.django_db
@pytest.mark.parametrize("action", ["send", "withdraw"])
def test_apologies_are_refused_once_the_meeting_has_started(client, dmo, meeting, action):
    services.send_apologies(meeting, dmo)

    with time_machine.travel(meeting.starts_at + datetime.timedelta(minutes=1), tick=False):
        client.force_login(dmo)  # sessions end after 30 minutes without a request
        response = client.post(apologies_url(meeting), {"action": action}, follow=True)

    assert "only before a scheduled meeting starts" in text_of(response)
    assert Attendance.objects.get(meeting=meeting, user=dmo).status == "apologies"


@pytest.mark.django_db
def test_apologies_one_minute_before_the_start_are_taken(client, dmo, meeting):
    with time_machine.travel(meeting.starts_at - datetime.timedelta(minutes=1), tick=False):
        client.force_login(dmo)
        client.post(apologies_url(meeting), {"action": "send"})

    assert Attendance.objects.get(meeting=meeting, user=dmo).status == "apologies"


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["commissioner", "health_professional_a", "no_role_user"])
def test_only_members_send_apologies(client, request, meeting, persona):
    person = request.getfixturevalue(persona)
    client.force_login(person)

    response = client.post(apologies_url(meeting), {"action": "send"})
    assert response.status_code == refusal_for(person, meeting.series)
    assert not Attendance.objects.filter(meeting=meeting).exists()


@pytest.mark.django_db
def test_apologies_for_another_series_meeting_are_refused(client, dmo, other_meeting):
    client.force_login(dmo)

    assert client.post(apologies_url(other_meeting), {"action": "send"}).status_code == 403


@pytest.mark.django_db
def test_apologies_need_a_post_and_a_known_action(client, dmo, meeting):
    client.force_login(dmo)

    assert client.get(apologies_url(meeting)).status_code == 405
    assert client.post(apologies_url(meeting), {"action": "maybe"}).status_code == 400


# --- Queries ------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("size", [3, 20])
def test_the_page_runs_the_same_queries_however_long_the_agenda_and_attendance(
    client, dco, send_officer, size, django_assert_num_queries
):
    from ehcp.tests.factories import make_advice_request, make_assessment

    panel = make_series(
        name="SEND Panel",
        kind=MeetingKind.SEND_PANEL,
        rrule="FREQ=WEEKLY;INTERVAL=2;BYDAY=TH",
        member_roles=(RoleCode.DCO, RoleCode.SEND_OFFICER),
        quorum_minimum=1,
        required_roles=(RoleCode.DCO,),
        starts_on=in_three_weeks(),
    )
    meeting = next_meeting(panel)
    for n in range(size):
        assessment = make_assessment(council_reference=f"EHC-{n}")
        make_advice_request(assessment)
        services.add_agenda_item(
            meeting, dco, title=f"Case {n}", minutes_allotted=5, assessment=assessment
        )
        services.add_guest(meeting, f"Guest {n}", "Harbourside Primary School")
    client.force_login(dco)
    client.get(page_of(meeting))  # warm the session

    # session, user (with the roles held today), the meeting (for the permission); the meeting with
    # its series, its agenda items (with case and child), attendance, actions and papers
    # (nobody to look up for uploaded_by: no papers); the panel cases with their advice
    # counts, the children the DCO may see; the forecast (series members, their current
    # roles; the attendance rows are the page's, already fetched); the quorum's required
    # roles (the session is saved at most once a minute: not here)
    with django_assert_num_queries(13):
        response = client.get(page_of(meeting))

    assert response.status_code == 200
    assert text_of(response).count("Final plan due") == size


@pytest.mark.django_db
def test_my_meetings_runs_the_same_queries_however_many_meetings(client, dco, dmo, cafe):
    client.force_login(dmo)
    client.get(reverse("meetings:mine"))  # warm the session
    with CaptureQueriesContext(connection) as few:
        few_page = client.get(reverse("meetings:mine"))
    fortnightly = make_series(
        name="SEND Panel",
        kind=MeetingKind.SEND_PANEL,
        rrule="FREQ=WEEKLY;INTERVAL=2;BYDAY=TH",
        member_users=(dmo,),
        member_roles=(),
        quorum_minimum=1,
        starts_on=in_three_weeks(),
    )
    for meeting in fortnightly.meetings.all()[:10]:
        services.send_apologies(meeting, dmo)
    with CaptureQueriesContext(connection) as many:
        many_page = client.get(reverse("meetings:mine"))

    assert len(few_page.context["rows"]) < len(many_page.context["rows"]) == 25  # one page
    assert sum(row.sent_apologies for row in many_page.context["rows"]) >= 1
    assert len(few) == len(many)


@pytest.mark.django_db
def test_the_calendar_feed_link_is_above_the_list_on_every_page(client, dmo):
    # A weekly series: more meetings than one page of the list holds.
    series = make_series(name="SEND Panel", rrule="FREQ=WEEKLY;BYDAY=TH")
    assert series.meetings.count() > 25
    client.force_login(dmo)

    for number in (1, 2):
        page = client.get(reverse("meetings:mine"), {"page": number}).content.decode()
        link = page.index(f'href="{reverse("meetings:calendar")}"')
        assert link < page.index("<table"), f"page {number}: the link is below the list"
        assert "Add your meetings to Outlook or another calendar" in page
