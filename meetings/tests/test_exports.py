"""The agenda and action log as CSV, and the minutes as a PDF with the attendance list."""

import csv
import datetime
import io

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from meetings import services
from meetings.models import Action, Attendance, MeetingKind
from meetings.tests.factories import in_three_weeks, make_series, next_meeting, refusal_for
from roles.models import RoleCode
from send_portal.csv_export import safe_cell


def csv_rows(response) -> list[list[str]]:
    assert response.streaming
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))


def pdf_text(response) -> str:
    reader = PdfReader(io.BytesIO(response.content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def due(meeting, days=14) -> datetime.date:
    return timezone.localtime(meeting.starts_at).date() + datetime.timedelta(days=days)


# --- The formula guard --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ('=HYPERLINK("http://evil")', '\'=HYPERLINK("http://evil")'),
        ("+44 191 000", "'+44 191 000"),
        ("-1+2", "'-1+2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1+1", "'\t=1+1"),
        ("Waiting times", "Waiting times"),
        ("", ""),
        (None, ""),
        (7, 7),
        (datetime.date(2025, 1, 14), "2025-01-14"),
    ],
)
def test_cells_that_a_spreadsheet_would_run_get_an_apostrophe(value, cell):
    assert safe_cell(value) == cell


# --- Agenda CSV ---------------------------------------------------------------------------


def agenda_url(meeting):
    return reverse("meetings:agenda-csv", args=[meeting.pk])


@pytest.mark.django_db
def test_the_agenda_csv_lists_the_items_in_order_and_is_streamed(client, dco, dmo, meeting):
    services.add_agenda_item(
        meeting, dco, title="Welcome", presenter="Dee Ceeo", minutes_allotted=5
    )
    services.add_agenda_item(
        meeting, dco, title="=cmd|' /C calc'!A0", presenter="@attacker", minutes_allotted=20
    )
    client.force_login(dmo)

    response = client.get(agenda_url(meeting))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    local = timezone.localtime(meeting.starts_at)
    assert response["Content-Disposition"] == (
        f'attachment; filename="agenda-send-health-cafe-{local:%Y-%m-%d}.csv"'
    )
    assert csv_rows(response) == [
        ["Position", "Title", "Presenter", "Minutes allotted", "Case reference"],
        ["1", "Welcome", "Dee Ceeo", "5", ""],
        ["2", "'=cmd|' /C calc'!A0", "'@attacker", "20", ""],
    ]


@pytest.mark.django_db
def test_the_agenda_csv_names_panel_cases_by_reference_only(client, dco, send_officer):
    from ehcp.tests.factories import ChildFactory, make_assessment

    panel = make_series(
        name="SEND Panel",
        kind=MeetingKind.SEND_PANEL,
        rrule="FREQ=WEEKLY;INTERVAL=2;BYDAY=TH",
        member_roles=(RoleCode.DCO, RoleCode.SEND_OFFICER),
        quorum_minimum=1,
        starts_on=in_three_weeks(),
    )
    meeting = next_meeting(panel)
    child = ChildFactory(first_name="Samira", last_name="Okonkwo")
    assessment = make_assessment(child=child, council_reference="EHC-2025-017")
    services.add_agenda_item(meeting, dco, title="Case 1", assessment=assessment)
    client.force_login(send_officer)

    response = client.get(agenda_url(meeting))

    rows = csv_rows(response)
    assert rows[1][-1] == "EHC-2025-017"
    assert "Okonkwo" not in str(rows)


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["commissioner", "health_professional_a", "no_role_user"])
def test_the_agenda_csv_is_for_people_who_may_see_the_meeting(client, request, meeting, persona):
    person = request.getfixturevalue(persona)
    client.force_login(person)

    assert client.get(agenda_url(meeting)).status_code == refusal_for(person, meeting.series)


@pytest.mark.django_db
def test_the_agenda_csv_of_another_series_is_refused(client, dmo, other_meeting):
    client.force_login(dmo)

    assert client.get(agenda_url(other_meeting)).status_code == 403


# --- Actions CSV --------------------------------------------------------------------------


@pytest.fixture
def actions(dco, dmo, clinical_lead, meeting):
    services.open_meeting(meeting, early_start_confirmed=True)
    item = services.add_agenda_item(meeting, dco, title="Waiting times")
    late = services.add_action(meeting, "Chase the SLT waiting list", dmo, due(meeting, 7), item)
    soon = services.add_action(meeting, "=1+1 write to the ICB", clinical_lead, due(meeting, 28))
    done = services.add_action(meeting, "Book the room", dco, due(meeting, 1))
    with_date = services.complete_action(done)
    return late, soon, with_date


@pytest.mark.django_db
def test_the_actions_csv_lists_open_actions_earliest_due_first(client, dco, meeting, actions):
    late, soon, done = actions
    client.force_login(dco)

    response = client.get(reverse("meetings:actions-csv"))

    rows = csv_rows(response)
    meeting_day = timezone.localtime(meeting.starts_at).date().isoformat()
    assert rows[0] == [
        "Meeting",
        "Meeting date",
        "Agenda item",
        "Action",
        "Owner",
        "Due",
        "Status",
        "Completed",
    ]
    assert rows[1:] == [
        [
            "SEND Health Café",
            meeting_day,
            "Waiting times",
            "Chase the SLT waiting list",
            "Dr Dee Emmo",
            late.due_on.isoformat(),
            "Open",
            "",
        ],
        [
            "SEND Health Café",
            meeting_day,
            "",
            "'=1+1 write to the ICB",
            "Cee Lead",
            soon.due_on.isoformat(),
            "Open",
            "",
        ],
    ]
    assert response["Content-Disposition"].startswith('attachment; filename="actions-open-')


@pytest.mark.django_db
def test_the_actions_csv_with_status_all_includes_closed_actions(client, dco, actions):
    late, soon, done = actions
    client.force_login(dco)

    rows = csv_rows(client.get(reverse("meetings:actions-csv"), {"status": "all"}))

    assert [row[3] for row in rows[1:]] == [
        "Book the room",
        "Chase the SLT waiting list",
        "'=1+1 write to the ICB",
    ]
    assert rows[1][6:] == ["Done", done.completed_on.isoformat()]


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["dco", "clinical_lead"])
def test_the_actions_csv_is_for_those_who_follow_up_actions(client, request, persona):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(reverse("meetings:actions-csv")).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["dmo", "commissioner", "send_officer", "no_role_user"])
def test_the_actions_csv_is_refused_to_others(client, request, persona):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(reverse("meetings:actions-csv")).status_code == 403


@pytest.mark.django_db
def test_the_actions_csv_reads_the_same_queries_for_2_and_40_actions(client, dco, dmo, meeting):
    services.open_meeting(meeting, early_start_confirmed=True)
    client.force_login(dco)
    counts = []
    for total in (2, 40):
        while Action.objects.count() < total:
            services.add_action(meeting, "Follow up", dmo, due(meeting))
        with CaptureQueriesContext(connection) as queries:
            rows = csv_rows(client.get(reverse("meetings:actions-csv")))
        assert len(rows) == total + 1
        counts.append(len(queries))

    assert counts[0] == counts[1]


# --- Minutes PDF --------------------------------------------------------------------------


def pdf_url(meeting):
    return reverse("meetings:minutes-pdf", args=[meeting.pk])


@pytest.fixture
def held_meeting(dco, dmo, clinical_lead, meeting):
    """Held: the DCO and the DMO present, the Clinical Lead sent apologies, one guest."""
    services.send_apologies(meeting, clinical_lead)
    services.open_meeting(meeting, early_start_confirmed=True)
    rows = {a.user_id: a.pk for a in meeting.attendance.all()}
    services.record_attendance(
        meeting,
        {rows[dco.pk]: Attendance.Status.PRESENT, rows[dmo.pk]: Attendance.Status.PRESENT},
    )
    services.add_guest(meeting, "Gita Guest", "Harbourside Primary School")
    item = services.add_agenda_item(meeting, dco, title="Waiting times")
    services.save_item_record(item, "Waits are down to 14 weeks.", "Write to the ICB.", 0)
    services.add_action(meeting, "Send the audit to the ICB", dmo, due(meeting), item)
    services.close_meeting(meeting)
    meeting.refresh_from_db()
    return meeting


@pytest.mark.django_db
def test_the_minutes_pdf_records_who_was_there_the_minutes_and_the_actions(
    client, dco, held_meeting
):
    client.force_login(dco)

    response = client.get(pdf_url(held_meeting))

    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    assert response["Content-Type"] == "application/pdf"
    local = timezone.localtime(held_meeting.starts_at)
    assert response["Content-Disposition"] == (
        f'attachment; filename="minutes-send-health-cafe-{local:%Y-%m-%d}.pdf"'
    )
    text = pdf_text(response)
    for expected in [
        "Minutes: SEND Health Café",
        "Present",
        "Dee Ceeo",
        "Dr Dee Emmo",
        "Designated Medical Officer",
        "Guests",
        "Gita Guest",
        "Harbourside Primary School",
        "Apologies",
        "Cee Lead",
        "Waits are down to 14 weeks.",
        "Write to the ICB.",
        "Send the audit to the ICB",
        "Draft: not yet published to members",
    ]:
        assert expected in text, expected


@pytest.mark.django_db
def test_the_minutes_pdf_says_when_the_minutes_are_published_and_approved(
    client, dco, cafe, held_meeting
):
    with time_machine.travel(held_meeting.ends_at):  # minutes go out once the meeting is due
        services.publish_minutes(held_meeting)
    client.force_login(dco)
    assert "Published on" in pdf_text(client.get(pdf_url(held_meeting)))

    later = cafe.meetings.filter(starts_at__gt=held_meeting.starts_at).order_by("starts_at")[0]
    services.open_meeting(later, early_start_confirmed=True)
    services.approve_minutes(held_meeting, later)

    text = pdf_text(client.get(pdf_url(held_meeting)))
    assert "Approved at the meeting SEND Health Café" in text
    assert "DRAFT" not in text


@pytest.mark.django_db
def test_a_member_gets_no_minutes_in_the_pdf_before_they_are_published(client, dmo, held_meeting):
    client.force_login(dmo)

    text = pdf_text(client.get(pdf_url(held_meeting)))

    assert "Dr Dee Emmo" in text  # the attendance list
    assert "Waits are down to 14 weeks." not in text
    assert "not yet published" in text


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["commissioner", "health_professional_a", "no_role_user"])
def test_the_minutes_pdf_is_for_people_who_may_see_the_meeting(
    client, request, held_meeting, persona
):
    person = request.getfixturevalue(persona)
    client.force_login(person)

    assert client.get(pdf_url(held_meeting)).status_code == refusal_for(person, held_meeting.series)


@pytest.mark.django_db
def test_the_minutes_pdf_of_another_series_is_refused(client, dmo, other_meeting):
    client.force_login(dmo)

    assert client.get(pdf_url(other_meeting)).status_code == 403


@pytest.mark.django_db
def test_a_pdf_before_the_meeting_lists_who_is_expected(client, dco, meeting):
    client.force_login(dco)

    text = pdf_text(client.get(pdf_url(meeting)))

    assert "who is expected" in text
    assert "Dr Dee Emmo" in text and "Cee Lead" in text
