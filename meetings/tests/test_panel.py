"""The SEND Panel: cases on the agenda with their health advice status, the panel's
decision per case, and who attended for health (for the reports)."""

import datetime
import io

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from ehcp import selectors as ehcp_selectors
from ehcp.tests.factories import ChildFactory, make_advice_request, make_assessment
from meetings import selectors, services
from meetings.models import Attendance, Meeting, MeetingKind
from meetings.tests.factories import in_three_weeks, make_series, next_meeting
from roles.models import RoleCode


@pytest.fixture
def panel(dco, clinical_lead, send_officer, health_professional_a):
    """Chaired by the DCO; the DCO, the Clinical Lead, SEND officers and one named health
    professional are members; a health role must be present (the Clinical Lead's)."""
    return make_series(
        name="SEND Panel",
        kind=MeetingKind.SEND_PANEL,
        rrule="FREQ=WEEKLY;INTERVAL=2;BYDAY=TH",
        member_roles=(RoleCode.DCO, RoleCode.CLINICAL_LEAD, RoleCode.SEND_OFFICER),
        member_users=(health_professional_a,),
        quorum_minimum=2,
        required_roles=(RoleCode.CLINICAL_LEAD,),
        starts_on=in_three_weeks(),
    )


@pytest.fixture
def panel_meeting(panel):
    return next_meeting(panel)


@pytest.fixture
def case(dco, panel_meeting):
    """A case with three advice requests: one returned, one overdue, one not yet due."""
    today = timezone.localdate()
    child = ChildFactory(first_name="Samira", last_name="Okonkwo")
    assessment = make_assessment(
        child=child,
        requested_on=today - datetime.timedelta(weeks=10),
        council_reference="EHC-2025-017",
    )
    make_advice_request(assessment, returned_on=today - datetime.timedelta(days=3))
    make_advice_request(assessment)  # due 6 weeks after the request: overdue now
    make_advice_request(
        assessment,
        requested_on=today - datetime.timedelta(days=2),
        due_on=today + datetime.timedelta(weeks=6),
    )
    return services.add_agenda_item(panel_meeting, dco, title="Case 1", assessment=assessment)


def text_of(response) -> str:
    return " ".join(response.content.decode().split())


# --- Cases on the agenda ------------------------------------------------------------------


@pytest.mark.django_db
def test_the_case_summary_counts_advice_in_one_query(case, django_assert_num_queries):
    with django_assert_num_queries(1):
        summaries = ehcp_selectors.panel_case_summaries([case.assessment_id])

    summary = summaries[case.assessment_id]
    assert summary.child_name == "Samira Okonkwo"
    assert summary.final_plan_due == case.assessment.final_plan_due
    assert (summary.advice_requested, summary.advice_returned, summary.advice_overdue) == (3, 1, 1)
    assert summary.advice_status == "1 of 3 returned, 1 overdue"
    assert summary.reference == "EHC-2025-017"


@pytest.mark.django_db
def test_no_cases_no_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert ehcp_selectors.panel_case_summaries([None, None]) == {}


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["dco", "clinical_lead", "send_officer"])
def test_the_panel_sees_each_case_with_its_health_advice_status(
    client, request, panel_meeting, case, persona
):
    client.force_login(request.getfixturevalue(persona))

    page = text_of(client.get(reverse("meetings:meeting", args=[panel_meeting.pk])))

    assert "Samira Okonkwo" in page
    assert reverse("ehcp:assessment", args=[case.assessment_id]) in page
    assert f"Final plan due {case.assessment.final_plan_due.day}" in page
    assert "Health advice: 1 of 3 returned, 1 overdue" in page
    assert "Advice overdue" in page


@pytest.mark.django_db
def test_a_member_who_may_not_see_the_child_sees_the_case_reference_only(
    client, health_professional_a, panel_meeting, case
):
    client.force_login(health_professional_a)

    page = text_of(client.get(reverse("meetings:meeting", args=[panel_meeting.pk])))

    assert "Case EHC-2025-017" in page
    assert "Samira" not in page and "Okonkwo" not in page
    assert reverse("ehcp:assessment", args=[case.assessment_id]) not in page


@pytest.mark.django_db
def test_a_health_professional_sees_the_child_once_their_service_is_asked_for_advice(
    client, health_professional_a, provider_a, panel_meeting, case
):
    make_advice_request(case.assessment, provider=provider_a)
    client.force_login(health_professional_a)

    page = text_of(client.get(reverse("meetings:meeting", args=[panel_meeting.pk])))

    assert "Samira Okonkwo" in page


@pytest.mark.django_db
def test_open_assessments_for_the_agenda_leave_out_finished_and_refused_ones(dco):
    running = make_assessment()
    finished = make_assessment()
    finished.final_issued_on = timezone.localdate()
    finished.save()
    refused = make_assessment()
    refused.decision = refused.Decision.NOT_ASSESS
    refused.save()

    ids = set(ehcp_selectors.open_assessments_visible_to(dco).values_list("pk", flat=True))
    kept = set(
        ehcp_selectors.open_assessments_visible_to(dco, also=finished.pk).values_list(
            "pk", flat=True
        )
    )

    assert ids == {running.pk}
    assert kept == {running.pk, finished.pk}


# --- The panel's decision -----------------------------------------------------------------


@pytest.mark.django_db
def test_the_chair_records_the_panels_decision_during_the_meeting(dco, panel_meeting, case):
    services.open_meeting(panel_meeting, early_start_confirmed=True)
    services.save_item_record(case, "Discussed the SLT advice.", "", 0)

    item = services.record_panel_decision(case, "  Agreed to issue a plan  ", dco)

    case.refresh_from_db()
    assert item.panel_decision == case.panel_decision == "Agreed to issue a plan"
    assert case.minutes == "Discussed the SLT advice."  # left alone


@pytest.mark.django_db
def test_no_panel_decision_before_the_meeting_opens_or_after_it_closes(dco, panel_meeting, case):
    with pytest.raises(services.RefusedChange, match="while the meeting is in progress"):
        services.record_panel_decision(case, "Agreed", dco)

    services.open_meeting(panel_meeting, early_start_confirmed=True)
    services.close_meeting(panel_meeting)

    with pytest.raises(services.RefusedChange, match="while the meeting is in progress"):
        services.record_panel_decision(case, "Agreed", dco)
    case.refresh_from_db()
    assert case.panel_decision == ""


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["clinical_lead", "send_officer", "health_professional_a"])
def test_only_the_chair_records_the_panels_decision(request, dco, panel_meeting, case, persona):
    services.open_meeting(panel_meeting, early_start_confirmed=True)

    with pytest.raises(services.RefusedChange, match="Only the chair"):
        services.record_panel_decision(case, "Agreed", request.getfixturevalue(persona))


@pytest.mark.django_db
def test_a_panel_decision_needs_a_case_and_some_words(dco, panel_meeting, case):
    services.open_meeting(panel_meeting, early_start_confirmed=True)
    other = services.add_agenda_item(panel_meeting, dco, title="Any other business")

    with pytest.raises(services.RefusedChange, match="not a panel case"):
        services.record_panel_decision(other, "Agreed", dco)
    with pytest.raises(services.RefusedChange, match="Enter the panel's decision"):
        services.record_panel_decision(case, "   ", dco)
    with pytest.raises(services.RefusedChange, match="300 characters or fewer"):
        services.record_panel_decision(case, "x" * 301, dco)


@pytest.mark.django_db
def test_published_panel_decisions_show_on_the_page_and_in_the_pdf(
    client, dco, send_officer, panel_meeting, case
):
    services.open_meeting(panel_meeting, early_start_confirmed=True)
    services.record_panel_decision(case, "Agreed to issue a plan", dco)
    services.close_meeting(panel_meeting)
    with time_machine.travel(panel_meeting.ends_at):  # minutes go out once the meeting is due
        services.publish_minutes(panel_meeting)
    client.force_login(send_officer)

    page = text_of(client.get(reverse("meetings:meeting", args=[panel_meeting.pk])))
    pdf = client.get(reverse("meetings:minutes-pdf", args=[panel_meeting.pk]))

    assert "Agreed to issue a plan" in page
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Panel decisions" in text
    assert "Agreed to issue a plan" in text
    assert "EHC-2025-017" in text
    assert "Okonkwo" not in text  # the PDF travels: cases by reference only


# --- Who attended for health --------------------------------------------------------------


def hold(meeting, present=(), apologies=(), guests=()):
    """Open the meeting, mark ``present`` present and ``apologies`` as apologies, add guests."""
    for user in apologies:
        services.send_apologies(meeting, user)
    services.open_meeting(meeting, early_start_confirmed=True)
    rows = {a.user_id: a.pk for a in meeting.attendance.all()}
    services.record_attendance(meeting, {rows[u.pk]: Attendance.Status.PRESENT for u in present})
    for name in guests:
        services.add_guest(meeting, name)


@pytest.mark.django_db
def test_health_attendance_says_per_meeting_whether_health_was_there(
    dco, clinical_lead, send_officer, health_professional_a, panel, django_assert_num_queries
):
    first, second, third, fourth = list(panel.meetings.order_by("starts_at")[:4])
    with time_machine.travel(first.starts_at):
        hold(first, present=[send_officer, clinical_lead])
    with time_machine.travel(second.starts_at):
        hold(second, present=[send_officer], guests=["A parent carer"])
    with time_machine.travel(third.starts_at - datetime.timedelta(days=1)):
        services.send_apologies(third, clinical_lead)
    with time_machine.travel(third.starts_at):
        hold(third, present=[send_officer, health_professional_a])
    # the fourth has not been held: nobody present

    with django_assert_num_queries(1):
        result = selectors.health_attendance(Meeting.objects.filter(series=panel))

    assert result[first.pk] is True  # the Clinical Lead
    assert result[second.pk] is False  # the council and a guest only
    assert result[third.pk] is True  # a health professional (the Clinical Lead sent apologies)
    assert result[fourth.pk] is False
    assert len(result) == panel.meetings.count()


@pytest.mark.django_db
def test_health_attendance_uses_the_roles_held_on_the_day(dco, send_officer, panel):
    meeting = next_meeting(panel)
    hold(meeting, present=[send_officer])
    row = meeting.attendance.get(user=send_officer)
    # The roles are a snapshot: a later change of role does not rewrite who attended.
    row.role_codes = [RoleCode.SEND_OFFICER, RoleCode.HEALTH_PROFESSIONAL]
    row.save()

    assert selectors.health_attendance(Meeting.objects.filter(pk=meeting.pk)) == {meeting.pk: True}


@pytest.mark.django_db
def test_health_attendance_ignores_apologies_and_absence(dco, clinical_lead, panel):
    meeting = next_meeting(panel)
    hold(meeting, apologies=[clinical_lead])
    dco_row = meeting.attendance.get(user=dco)
    services.record_attendance(meeting, {dco_row.pk: Attendance.Status.ABSENT})

    assert selectors.health_attendance(Meeting.objects.filter(pk=meeting.pk)) == {meeting.pk: False}
