"""Chairing live in a real browser: saving one part keeps what is typed in the others."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from meetings import services as meeting_services
from meetings.tests.factories import make_series, next_meeting
from tests.factories import DEFAULT_TEST_PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def given_a_health_cafe_in_progress_with_two_items(dco):
    meeting = next_meeting(make_series())
    first = meeting_services.add_agenda_item(meeting, dco, title="Waiting times for therapy")
    second = meeting_services.add_agenda_item(meeting, dco, title="Sleep support after diagnosis")
    meeting_services.open_meeting(meeting, early_start_confirmed=True)
    return meeting, first, second


def test_saving_one_items_minutes_keeps_the_text_typed_in_another(journey, dco, dmo, clinical_lead):
    meeting, first, second = given_a_health_cafe_in_progress_with_two_items(dco)
    page = journey.page
    journey.sign_in(dco.email, DEFAULT_TEST_PASSWORD)
    journey.open(f"/meetings/{meeting.pk}/chair/")

    # When the chair types into both items and saves only the first
    page.locator(f"#item-{first.pk}").get_by_label("Minutes").fill("SALT waits are 18 weeks.")
    later = page.locator(f"#item-{second.pk}").get_by_label("Minutes")
    later.fill("Families ask for the sleep leaflet in Polish.")
    last_request = "() => Number(localStorage.getItem('send-portal:last-request-at'))"
    before = page.evaluate(last_request)
    page.wait_for_timeout(20)
    page.locator(f"#item-{first.pk}").get_by_role("button", name="Save minutes").click()

    # Then the first is saved, announced, and the page did not reload
    expect(page.locator("#chair-status")).to_have_text(
        "Minutes of “Waiting times for therapy” saved."
    )
    expect(page.locator(f"#item-{first.pk}")).to_contain_text("Saved at")
    first.refresh_from_db()
    assert first.minutes == "SALT waits are 18 weeks."
    assert journey.checked[-1].endswith(f"/meetings/{meeting.pk}/chair/")
    # The save renewed the session: the inactivity warning counts from it
    assert page.evaluate(last_request) > before

    # And the second item still holds what was typed, not yet saved
    expect(later).to_have_value("Families ask for the sleep leaflet in Polish.")
    second.refresh_from_db()
    assert second.minutes == ""
    # Focus is back on the button that was pressed, in the fresh copy of the item
    assert (
        page.locator(f"#item-{first.pk}")
        .get_by_role("button", name="Save minutes")
        .evaluate("(el) => el === document.activeElement")
    )
    journey.check_accessibility()

    # Saving the first again is not refused as stale: its fresh copy counts the edit
    page.locator(f"#item-{first.pk}").get_by_label("Minutes").fill("SALT waits are 19 weeks.")
    page.locator(f"#item-{first.pk}").get_by_role("button", name="Save minutes").click()
    expect(page.locator("#chair-status")).to_have_text(
        "Minutes of “Waiting times for therapy” saved."
    )
    first.refresh_from_db()
    assert first.minutes == "SALT waits are 19 weeks."

    # Leaving with unsaved text asks first (the browser's own "Leave site?" question)
    asked = []

    def on_dialog(dialog):
        asked.append(dialog.type)
        dialog.dismiss()  # stay on the page

    page.on("dialog", on_dialog)
    page.locator("a", has_text="Meetings dashboard").first.click()
    page.wait_for_timeout(300)
    assert asked == ["beforeunload"]
    expect(later).to_have_value("Families ask for the sleep leaflet in Polish.")
    page.remove_listener("dialog", on_dialog)
    journey.end(screenshot="2b-dco-saves-one-item-and-keeps-the-other")


def test_attendance_and_an_action_save_without_losing_typed_minutes(
    journey, dco, dmo, clinical_lead
):
    meeting, first, _ = given_a_health_cafe_in_progress_with_two_items(dco)
    page = journey.page
    journey.sign_in(dco.email, DEFAULT_TEST_PASSWORD)
    journey.open(f"/meetings/{meeting.pk}/chair/")

    minutes = page.locator(f"#item-{first.pk}").get_by_label("Minutes")
    minutes.fill("Typed while people arrive.")
    page.get_by_label(f"{dco.full_name}: Present").check()
    page.get_by_label(f"{clinical_lead.full_name}: Present").check()
    page.get_by_role("button", name="Save attendance").click()
    expect(page.locator("#chair-status")).to_have_text("Attendance saved.")
    expect(page.get_by_text("Quorate", exact=True)).to_be_visible()

    # An action with no owner is refused in NHS.UK error style, focus on the summary
    page.get_by_label("Action", exact=True).fill("Write to the ICB")
    page.get_by_role("button", name="Add the action").click()
    summary = page.locator("#chair-actions .nhsuk-error-summary")
    expect(summary).to_contain_text("Choose who owns the action")
    assert summary.evaluate("(el) => el === document.activeElement")
    expect(page.get_by_label("Action", exact=True)).to_have_value("Write to the ICB")
    journey.check_accessibility()

    expect(minutes).to_have_value("Typed while people arrive.")
    first.refresh_from_db()
    assert first.minutes == ""
    journey.end(screenshot="2c-dco-action-error-keeps-the-minutes")
