"""Quorum, the DCO's dashboard and chairing a meeting end to end through the pages."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from meetings import services
from meetings.models import Action, Attendance, Meeting
from meetings.tests.factories import make_series, next_meeting
from roles.models import RoleCode
from tests.factories import person_holding


@pytest.mark.django_db
def test_quorum_needs_the_minimum_and_every_required_role(dco, dmo, clinical_lead):
    series = make_series(
        name="SEND Panel",
        kind="send-panel",
        rrule="FREQ=WEEKLY;INTERVAL=2;BYDAY=TH",
        member_roles=(RoleCode.DCO, RoleCode.CLINICAL_LEAD, RoleCode.SEND_OFFICER),
        quorum_minimum=2,
        required_roles=(RoleCode.CLINICAL_LEAD,),
    )
    meeting = next_meeting(series)
    rows = {a.user: a for a in services.ensure_attendance(meeting)}

    rows[dco].status = Attendance.Status.PRESENT
    assert not services.quorum(meeting, list(rows.values())).is_quorate  # 1 of 2
    rows[clinical_lead].status = Attendance.Status.PRESENT
    assert services.quorum(meeting, list(rows.values())).is_quorate
    rows[clinical_lead].status = Attendance.Status.APOLOGIES
    officer = person_holding(RoleCode.SEND_OFFICER)
    services.ensure_attendance(meeting)
    officer_row = meeting.attendance.get(user=officer)
    officer_row.status = Attendance.Status.PRESENT
    result = services.quorum(meeting, [rows[dco], rows[clinical_lead], officer_row])
    assert not result.is_quorate  # two present, but nobody for health
    assert result.missing_roles == ["Clinical Lead for children with additional needs"]
    assert "no Clinical Lead" in result.summary


@pytest.mark.django_db
def test_the_forecast_counts_everyone_who_has_not_sent_apologies(health_cafe, dco, dmo):
    meeting = next_meeting(health_cafe)
    services.send_apologies(meeting, dmo)
    rows = services.ensure_attendance(meeting)

    forecast = services.quorum(meeting, rows, forecast=True)

    assert forecast.core_present == 2  # the DCO and the Clinical Lead; the DMO sent apologies
    assert forecast.is_quorate


@pytest.mark.django_db
def test_the_dashboard_shows_the_next_cafe_with_apologies_and_quorum(client, health_cafe, dco, dmo):
    meeting = next_meeting(health_cafe)
    services.send_apologies(meeting, dmo)
    client.force_login(dco)

    response = client.get(reverse("meetings:dashboard"))

    page = response.content.decode()
    assert "SEND Health Café" in page
    assert "1 apology: Dr Dee Emmo" in page
    assert "Will be quorate" in page
    assert reverse("meetings:chair", args=[meeting.pk]) in page


@pytest.mark.django_db
def test_the_dashboard_runs_the_same_queries_however_many_meetings_and_actions(
    client, dco, dmo, clinical_lead, django_assert_num_queries
):
    def queries_for_dashboard():
        client.get(reverse("meetings:dashboard"))
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            client.get(reverse("meetings:dashboard"))
        return len(captured)

    client.force_login(dco)
    first = make_series(name="Café A")
    small = queries_for_dashboard()
    for n in range(3):
        series = make_series(name=f"Series {n}", rrule="FREQ=WEEKLY;BYDAY=MO")
        meeting = next_meeting(series)
        for i in range(5):
            meeting.agenda_items.create(position=i, title=f"Item {i}")
            Action.objects.create(
                meeting=meeting,
                description=f"Do {i}",
                owner=dmo,
                due_on=timezone.localdate() + datetime.timedelta(days=i),
            )
    services.send_apologies(next_meeting(first), dmo)

    assert queries_for_dashboard() == small


@pytest.mark.django_db
def test_only_the_dco_and_clinical_lead_see_the_dashboard(client, dmo, clinical_lead):
    client.force_login(dmo)
    assert client.get(reverse("meetings:dashboard")).status_code == 403
    client.force_login(clinical_lead)
    assert client.get(reverse("meetings:dashboard")).status_code == 200


@pytest.mark.django_db
def test_the_dco_chairs_a_health_cafe_from_start_to_published_minutes(
    client, health_cafe, dco, dmo, clinical_lead, django_capture_on_commit_callbacks
):
    meeting = next_meeting(health_cafe)
    item = meeting.agenda_items.create(position=1, title="Waiting times for therapy")
    with time_machine.travel(meeting.starts_at):
        client.force_login(dco)
        # Start the meeting
        assert (
            "Start the meeting"
            in client.get(reverse("meetings:chair", args=[meeting.pk])).content.decode()
        )
        client.post(reverse("meetings:chair", args=[meeting.pk]))
        meeting.refresh_from_db()
        assert meeting.status == Meeting.Status.IN_PROGRESS
        rows = {a.user: a for a in meeting.attendance.all()}
        assert set(rows) == {dco, dmo, clinical_lead}

        # Attendance
        client.post(
            reverse("meetings:attendance-save", args=[meeting.pk]),
            {
                f"attendance-{rows[dco].pk}": "present",
                f"attendance-{rows[dmo].pk}": "apologies",
                f"attendance-{rows[clinical_lead].pk}": "present",
            },
        )
        client.post(
            reverse("meetings:guest-add", args=[meeting.pk]),
            {"guest-name": "Kim Parent", "guest-organisation": "Parent Carer Forum"},
        )
        page = client.get(reverse("meetings:chair", args=[meeting.pk])).content.decode()
        assert "Quorate" in page and "Kim Parent" in page

        # Minutes of the item, saved on their own
        client.post(
            reverse("meetings:item-record-save", args=[item.pk]),
            {
                f"item-{item.pk}-minutes": "SALT waits are 18 weeks.",
                f"item-{item.pk}-decision": "Escalate to the ICB.",
                f"item-{item.pk}-edit_count": "0",
            },
        )
        item.refresh_from_db()
        assert item.minutes == "SALT waits are 18 weeks." and item.edit_count == 1

        # Two actions
        today = timezone.localdate()
        for description, owner in (("Write to the ICB", dco), ("Audit SALT waits", clinical_lead)):
            response = client.post(
                reverse("meetings:action-add", args=[meeting.pk]),
                {
                    "action-description": description,
                    "action-owner": owner.pk,
                    "action-due_on_day": (today + datetime.timedelta(days=28)).day,
                    "action-due_on_month": (today + datetime.timedelta(days=28)).month,
                    "action-due_on_year": (today + datetime.timedelta(days=28)).year,
                    "action-agenda_item": item.pk,
                },
            )
            assert response.status_code == 302
        assert meeting.actions.count() == 2

        # An action without an owner is refused, nothing saved
        refused = client.post(
            reverse("meetings:action-add", args=[meeting.pk]),
            {"action-description": "Nobody's job", "action-owner": ""},
        )
        assert "Choose who owns the action" in refused.content.decode()
        assert meeting.actions.count() == 2

        # Close and publish
        asked = client.post(reverse("meetings:close", args=[meeting.pk]))
        assert "Are you sure you want to close the meeting?" in asked.content.decode()
        meeting.refresh_from_db()
        assert meeting.status == Meeting.Status.IN_PROGRESS
        client.post(reverse("meetings:close", args=[meeting.pk]), {"confirm": "yes"})
        meeting.refresh_from_db()
        assert meeting.status == Meeting.Status.CLOSED
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("meetings:publish", args=[meeting.pk]))
        meeting.refresh_from_db()
        assert meeting.minutes_published_at is not None


@pytest.mark.django_db
def test_a_stale_save_of_an_items_minutes_keeps_the_typed_text(client, health_cafe, dco):
    meeting = next_meeting(health_cafe)
    item = meeting.agenda_items.create(position=1, title="Item")
    services.open_meeting(meeting, early_start_confirmed=True)
    services.save_item_record(item, "First", "", 0)
    client.force_login(dco)

    response = client.post(
        reverse("meetings:item-record-save", args=[item.pk]),
        {f"item-{item.pk}-minutes": "My long minute", f"item-{item.pk}-edit_count": "0"},
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "Someone else saved this item" in page and "My long minute" in page
    item.refresh_from_db()
    assert item.minutes == "First"


@pytest.mark.django_db
def test_a_closed_meeting_cannot_change(health_cafe, dco):
    meeting = next_meeting(health_cafe)
    services.open_meeting(meeting, early_start_confirmed=True)
    services.close_meeting(meeting)

    with pytest.raises(services.RefusedChange, match="closed"):
        services.add_action(
            meeting, "Late", dco, timezone.localdate() + datetime.timedelta(days=400)
        )


@pytest.mark.django_db
def test_minutes_are_approved_at_the_next_meeting(health_cafe, dco):
    first, second = list(health_cafe.meetings.order_by("starts_at")[:2])
    services.open_meeting(first, early_start_confirmed=True)
    services.close_meeting(first)
    services.open_meeting(second, early_start_confirmed=True)

    services.approve_minutes(first, second)

    first.refresh_from_db()
    assert first.minutes_approved_at == second
    with pytest.raises(services.RefusedChange, match="already"):
        services.approve_minutes(first, second)


@pytest.mark.django_db
def test_people_who_do_not_chair_cannot_use_the_chair_pages(client, health_cafe, dmo, commissioner):
    meeting = next_meeting(health_cafe)
    for user in (dmo, commissioner):
        client.force_login(user)
        assert client.get(reverse("meetings:chair", args=[meeting.pk])).status_code == 403
        assert client.post(reverse("meetings:close", args=[meeting.pk])).status_code == 403


@pytest.mark.django_db
def test_the_chair_page_records_a_panel_decision_with_the_minutes(client, dco, clinical_lead):
    from ehcp.tests.factories import make_assessment

    panel = make_series(
        name="SEND Panel",
        kind="send-panel",
        rrule="FREQ=WEEKLY;INTERVAL=2;BYDAY=TH",
        member_roles=(RoleCode.DCO, RoleCode.CLINICAL_LEAD),
    )
    meeting = next_meeting(panel)
    case = meeting.agenda_items.create(position=1, title="Case", assessment=make_assessment())
    services.open_meeting(meeting, early_start_confirmed=True)
    client.force_login(dco)

    client.post(
        reverse("meetings:item-record-save", args=[case.pk]),
        {
            f"item-{case.pk}-minutes": "Advice from SALT is clear.",
            f"item-{case.pk}-panel_decision": "Agreed to assess",
            f"item-{case.pk}-edit_count": "0",
        },
    )

    case.refresh_from_db()
    assert (case.minutes, case.panel_decision) == ("Advice from SALT is clear.", "Agreed to assess")


@pytest.mark.django_db
def test_a_member_named_in_person_without_a_role_is_expected(dco):
    from tests.factories import UserFactory

    guest_expert = UserFactory(full_name="Pat Expert")
    series = make_series(member_users=(guest_expert,))
    meeting = next_meeting(series)

    from meetings import selectors

    names = {a.user.full_name for a in selectors.attendance_forecast([meeting])[meeting.pk]}
    assert "Pat Expert" in names


@pytest.mark.django_db
def test_an_action_owner_may_open_the_meeting_that_agreed_it(client, health_cafe, dco):
    from tests.factories import UserFactory

    owner = person_holding(RoleCode.COMMISSIONER)
    stranger = UserFactory()
    meeting = next_meeting(health_cafe)
    services.open_meeting(meeting, early_start_confirmed=True)
    services.add_action(
        meeting, "Reply to the café", owner, timezone.localdate() + datetime.timedelta(days=100)
    )

    client.force_login(owner)
    assert client.get(reverse("meetings:meeting", args=[meeting.pk])).status_code == 200
    client.force_login(stranger)  # works in no area: the meeting is not theirs to know of
    assert client.get(reverse("meetings:meeting", args=[meeting.pk])).status_code == 404


@pytest.mark.django_db
def test_the_daily_task_plans_new_meetings_as_they_come_within_a_year(dco):
    from meetings.tasks import plan_meetings_ahead

    series = make_series(rrule="FREQ=MONTHLY;BYDAY=1WE")
    before = series.meetings.count()

    assert plan_meetings_ahead() == 0  # nothing new today
    with time_machine.travel(timezone.now() + datetime.timedelta(days=62)):
        made = plan_meetings_ahead()
    assert made >= 1
    assert series.meetings.count() == before + made


@pytest.mark.django_db
def test_the_dashboard_shows_reminders_that_failed(client, health_cafe, dco, dmo):
    from meetings.models import ReminderKind
    from notifications.models import Delivery

    meeting = next_meeting(health_cafe)
    Delivery.objects.create(
        kind=ReminderKind.MEETING_SOON,
        subject=f"meeting:{meeting.pk}:7d:seq0",
        recipient=dmo,
        about=f"meeting:{meeting.pk}",
        outcome=Delivery.Outcome.FAILED,
        attempts=5,
        error="SMTP server refused the connection",
    )
    # Another app's failed message is not the DCO's to follow up here.
    Delivery.objects.create(
        kind="ehcp.advice-overdue",
        subject="advice:1",
        recipient=dmo,
        about="advice:1",
        outcome=Delivery.Outcome.FAILED,
        attempts=5,
        error="Not about a meeting",
    )
    client.force_login(dco)

    page = client.get(reverse("meetings:dashboard")).content.decode()

    assert "Reminders that did not send" in page
    assert "Meeting reminder to Dr Dee Emmo (SEND Health Café)" in page
    assert "gave up after 5 attempts" in page and "SMTP server refused" in page
    assert "Not about a meeting" not in page


@pytest.mark.django_db
def test_the_closed_meeting_page_offers_the_chair_to_publish_the_minutes(
    client, health_cafe, dco, dmo
):
    meeting = next_meeting(health_cafe)
    services.open_meeting(meeting, early_start_confirmed=True)
    services.close_meeting(meeting)
    publish = reverse("meetings:publish", args=[meeting.pk])

    with time_machine.travel(meeting.ends_at):  # once the meeting's time has come
        client.force_login(dco)
        page = client.get(reverse("meetings:meeting", args=[meeting.pk])).content.decode()
        assert publish in page
        client.force_login(dmo)
        page = client.get(reverse("meetings:meeting", args=[meeting.pk])).content.decode()
        assert publish not in page


@pytest.mark.django_db
def test_starting_a_meeting_well_before_its_time_asks_to_confirm(client, cafe, dco):
    # The café from three weeks today: the Health Café's own next meeting can be tomorrow
    # morning, less than a day away, on the day before its second Tuesday.
    meeting = next_meeting(cafe)
    chair = reverse("meetings:chair", args=[meeting.pk])
    client.force_login(dco)
    assert meeting.starts_at - timezone.now() > datetime.timedelta(days=1)
    page = client.get(chair).content.decode()
    assert "This meeting is not due yet" in page
    assert "Yes, start it now" in page

    # A plain post (an old form, a slip, a script) does not start it...
    refused = client.post(chair)
    assert refused.status_code == 200
    assert "Confirm that you want to start it now" in refused.content.decode()
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.SCHEDULED

    # ...the confirmation does.
    assert client.post(chair, {"confirm_early": "yes"}).status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.IN_PROGRESS


@pytest.mark.django_db
def test_the_chair_starts_without_a_question_within_half_an_hour_of_the_time(
    client, health_cafe, dco
):
    meeting = next_meeting(health_cafe)
    just_in_time = meeting.starts_at - services.EARLY_START_ALLOWANCE
    with time_machine.travel(just_in_time):
        client.force_login(dco)
        page = client.get(reverse("meetings:chair", args=[meeting.pk])).content.decode()
        assert "This meeting is not due yet" not in page
        client.post(reverse("meetings:chair", args=[meeting.pk]))
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.IN_PROGRESS


@pytest.mark.django_db
def test_the_service_refuses_an_unconfirmed_early_start(health_cafe, dco):
    meeting = next_meeting(health_cafe)
    early = meeting.starts_at - services.EARLY_START_ALLOWANCE - datetime.timedelta(minutes=1)

    with pytest.raises(services.EarlyStart, match="not due to start until 10:00"):
        services.open_meeting(meeting, now=early)

    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.SCHEDULED and meeting.opened_at is None


@pytest.mark.django_db
def test_closing_the_meeting_asks_to_confirm(client, health_cafe, dco):
    meeting = next_meeting(health_cafe)
    meeting.agenda_items.create(position=1, title="Waiting times")
    services.open_meeting(meeting, early_start_confirmed=True)
    client.force_login(dco)

    chair_page = client.get(reverse("meetings:chair", args=[meeting.pk])).content.decode()
    asked = client.post(reverse("meetings:close", args=[meeting.pk])).content.decode()

    assert "Close the meeting" in chair_page
    assert "Are you sure you want to close the meeting?" in asked
    assert "1 agenda item has no minutes saved" in asked
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.IN_PROGRESS
    client.post(reverse("meetings:close", args=[meeting.pk]), {"confirm": "yes"})
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CLOSED


@pytest.mark.django_db
def test_minutes_of_a_meeting_not_yet_started_cannot_be_published(
    client, health_cafe, dco, django_capture_on_commit_callbacks
):
    # Started months early (confirmed), closed by mistake: the minutes must not go out.
    meeting = next_meeting(health_cafe)
    services.open_meeting(meeting, early_start_confirmed=True)
    services.close_meeting(meeting)
    client.force_login(dco)

    with django_capture_on_commit_callbacks(execute=True) as sent:
        client.post(reverse("meetings:publish", args=[meeting.pk]))
    with pytest.raises(services.RefusedChange, match="has not yet started"):
        services.publish_minutes(meeting)

    meeting.refresh_from_db()
    assert meeting.minutes_published_at is None
    assert sent == []
    page = client.get(reverse("meetings:meeting", args=[meeting.pk])).content.decode()
    assert "Publish the minutes to members" not in page
    assert "can be published to members once the meeting's time has come" in page
    with time_machine.travel(meeting.starts_at):
        services.publish_minutes(meeting)
    meeting.refresh_from_db()
    assert meeting.minutes_published_at is not None


def _two_items_in_progress(health_cafe):
    meeting = next_meeting(health_cafe)
    first = meeting.agenda_items.create(position=1, title="Waiting times")
    second = meeting.agenda_items.create(position=2, title="Sleep pathway")
    services.open_meeting(meeting, early_start_confirmed=True)
    return meeting, first, second


def _minutes(item, text, edit_count=0):
    return {
        f"item-{item.pk}-minutes": text,
        f"item-{item.pk}-decision": "",
        f"item-{item.pk}-edit_count": str(edit_count),
    }


JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.mark.django_db
def test_saving_one_item_from_the_page_script_answers_with_that_item_alone(
    client, health_cafe, dco
):
    meeting, first, second = _two_items_in_progress(health_cafe)
    client.force_login(dco)

    response = client.post(
        reverse("meetings:item-record-save", args=[first.pk]),
        _minutes(first, "SALT waits are 18 weeks."),
        **JSON,
    )

    assert response.status_code == 200
    answer = response.json()
    assert answer["ok"] is True
    assert answer["message"] == "Minutes of “Waiting times” saved."
    # Only the saved item comes back: the page keeps every other part as it is.
    assert list(answer["parts"]) == [f"chair-item-{first.pk}"]
    part = answer["parts"][f"chair-item-{first.pk}"]
    assert "SALT waits are 18 weeks." in part
    assert f'name="item-{first.pk}-edit_count" value="1"' in part  # the next save is not stale
    assert "Saved at" in part
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.minutes == "SALT waits are 18 weeks." and second.minutes == ""


@pytest.mark.django_db
def test_a_part_not_saved_comes_back_with_the_typed_text_and_an_error_summary(
    client, health_cafe, dco
):
    meeting, first, _ = _two_items_in_progress(health_cafe)
    services.save_item_record(first, "Someone else's text", "", 0)
    client.force_login(dco)

    answer = client.post(
        reverse("meetings:item-record-save", args=[first.pk]),
        _minutes(first, "My text, typed meanwhile", edit_count=0),
        **JSON,
    ).json()

    assert answer["ok"] is False
    assert answer["message"].startswith("Not saved: Someone else saved this item")
    part = answer["parts"][f"chair-item-{first.pk}"]
    assert "My text, typed meanwhile" in part
    assert "nhsuk-error-summary" in part


@pytest.mark.django_db
def test_attendance_saved_from_the_page_script_brings_the_quorum_with_it(
    client, health_cafe, dco, dmo, clinical_lead
):
    meeting, _, _ = _two_items_in_progress(health_cafe)
    rows = {a.user: a for a in meeting.attendance.all()}
    client.force_login(dco)

    answer = client.post(
        reverse("meetings:attendance-save", args=[meeting.pk]),
        {f"attendance-{rows[dco].pk}": "present", f"attendance-{rows[dmo].pk}": "present"},
        **JSON,
    ).json()

    assert answer["ok"] is True
    assert set(answer["parts"]) == {"chair-quorum", "chair-attendance"}
    assert "Quorate" in answer["parts"]["chair-quorum"]


@pytest.mark.django_db
@pytest.mark.parametrize("answer", ["maybe", "present\x07", "x" * 5000])
def test_attendance_that_is_not_an_answer_is_refused_with_a_message(
    client, health_cafe, dco, dmo, answer
):
    meeting, _, _ = _two_items_in_progress(health_cafe)
    rows = {a.user: a for a in meeting.attendance.all()}
    before = dict(meeting.attendance.values_list("pk", "status"))
    client.force_login(dco)
    sent = {f"attendance-{rows[dco].pk}": "present", f"attendance-{rows[dmo].pk}": answer}

    part = client.post(reverse("meetings:attendance-save", args=[meeting.pk]), sent, **JSON)
    page = client.post(reverse("meetings:attendance-save", args=[meeting.pk]), sent)

    refusal = f"Choose present, apologies or absent for {dmo.full_name}"
    assert part.status_code == 200 and part.json()["ok"] is False
    assert part.json()["message"] == refusal
    assert refusal in part.json()["parts"]["chair-attendance"]
    assert 'class="nhsuk-error-message"' in part.json()["parts"]["chair-attendance"]
    assert page.status_code == 200
    assert "nhsuk-error-summary" in page.content.decode()
    assert refusal in page.content.decode()
    # Nothing is saved, not even the good answer beside the bad one.
    assert dict(meeting.attendance.values_list("pk", "status")) == before


@pytest.mark.django_db
def test_an_action_without_an_owner_comes_back_with_its_error(client, health_cafe, dco):
    meeting, _, _ = _two_items_in_progress(health_cafe)
    client.force_login(dco)

    answer = client.post(
        reverse("meetings:action-add", args=[meeting.pk]),
        {"action-description": "Nobody's job", "action-owner": ""},
        **JSON,
    ).json()

    assert answer["ok"] is False
    assert "Choose who owns the action" in answer["parts"]["chair-actions"]
    assert "Nobody&#x27;s job" in answer["parts"]["chair-actions"]
    assert not meeting.actions.exists()


@pytest.mark.django_db
def test_without_javascript_each_part_still_posts_and_the_page_reloads(client, health_cafe, dco):
    meeting, first, second = _two_items_in_progress(health_cafe)
    client.force_login(dco)

    response = client.post(
        reverse("meetings:item-record-save", args=[first.pk]), _minutes(first, "Waits: 18 weeks.")
    )

    assert response.status_code == 302
    assert (
        response["Location"] == reverse("meetings:chair", args=[meeting.pk]) + f"#item-{first.pk}"
    )
    page = client.get(response["Location"]).content.decode()
    assert "Minutes of “Waiting times” saved." in page
    assert "Waits: 18 weeks." in page
    # The page loads the script that saves without a reload, and marks the parts it sends.
    assert "/static/js/chair.mjs" in page
    assert page.count("data-chair-form") == 5  # attendance, guest, two items, an action


@pytest.mark.django_db
def test_approving_the_last_minutes_from_the_page_script_changes_only_that_part(
    client, health_cafe, dco
):
    earlier, later = health_cafe.meetings.order_by("starts_at")[:2]
    services.open_meeting(earlier, early_start_confirmed=True)
    services.close_meeting(earlier)
    services.open_meeting(later, early_start_confirmed=True)
    client.force_login(dco)
    assert (
        "Record the minutes as approved"
        in client.get(reverse("meetings:chair", args=[later.pk])).content.decode()
    )

    answer = client.post(reverse("meetings:approve-previous", args=[later.pk]), **JSON).json()

    assert answer["ok"] is True and list(answer["parts"]) == ["chair-previous"]
    assert "recorded as approved" in answer["parts"]["chair-previous"]
    again = client.post(reverse("meetings:approve-previous", args=[later.pk]), **JSON).json()
    assert again["ok"] is False
    assert "nhsuk-error-summary" in again["parts"]["chair-previous"]
    earlier.refresh_from_db()
    assert earlier.minutes_approved_at == later
