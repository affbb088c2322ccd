"""Each journey's key page done with the keyboard alone: Tab, typing, Space and Enter.

Every stop of the Tab order must show its focus (tests/browser/keyboard.py); a refused
form must put the focus on its error summary, so a screen reader reads the problem first.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from ehcp.models import SignOff
from ehcp.tests.factories import ChildFactory, make_plan_waiting_for_sign_off
from intelligence.models import Concern
from meetings import services as meeting_services
from meetings.models import Action, Attendance, Meeting
from meetings.tests.factories import make_series, next_meeting
from tests.browser.data import code_for, concerns_last_quarter
from tests.browser.keyboard import Keyboard
from tests.factories import DEFAULT_TEST_PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def test_signing_in_the_skip_link_comes_first_and_a_mistake_focuses_the_error_summary(journey, dco):
    keyboard, page = Keyboard(journey), journey.page
    journey.open("/account/sign-in/")

    keyboard.tab()
    skip_link = page.get_by_role("link", name="Skip to main content")
    assert keyboard.has_focus(skip_link)
    expect(skip_link).to_be_in_viewport()

    keyboard.submit(page.get_by_role("button", name="Sign in"))
    assert keyboard.error_summary_has_focus()
    expect(page).to_have_title(re.compile("^Error: "))
    journey.screenshot("5-keyboard-sign-in-error-summary-focused")

    # The summary's first link takes the focus to the field to put right.
    keyboard.tab()
    page.keyboard.press("Enter")
    assert keyboard.has_focus(page.get_by_label("Email address"))
    keyboard.type(dco.email)
    keyboard.tab()
    keyboard.type(DEFAULT_TEST_PASSWORD)
    journey.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")
    journey.end(screenshot="5-keyboard-signed-in")


def test_the_dmo_signs_off_with_the_keyboard(journey, dmo, clinical_lead):
    child = ChildFactory(first_name="Sam", last_name="Harbour")
    plan = make_plan_waiting_for_sign_off(author=clinical_lead, child=child)
    keyboard, page = Keyboard(journey), journey.page
    keyboard.sign_in(dmo.email, DEFAULT_TEST_PASSWORD)
    journey.open(f"/sign-off/{plan.versions.get().pk}/")

    sign_off = page.get_by_role("button", name="Sign off medical sections")
    keyboard.submit(sign_off)
    assert keyboard.error_summary_has_focus()

    keyboard.tab_to(page.get_by_label("I confirm the statement above"))
    page.keyboard.press("Space")
    keyboard.tab_to(page.get_by_label("Your professional registration number"))
    keyboard.replace("GMC 7012345")
    keyboard.tab_to(page.get_by_label("Your password"))
    keyboard.type(DEFAULT_TEST_PASSWORD)
    keyboard.submit(sign_off)

    assert SignOff.objects.filter(version__plan=plan, signed_by=dmo).exists()
    expect(page.locator("main")).to_contain_text("signed off. SHA-256 of the signed text")
    journey.end(screenshot="5-keyboard-dmo-signed-off")


def test_the_dco_chairs_with_the_keyboard(journey, dco, dmo, clinical_lead):
    meeting = next_meeting(make_series())
    meeting_services.add_agenda_item(meeting, dco, title="Waiting times")
    meeting_services.open_meeting(meeting, early_start_confirmed=True)
    keyboard, page = Keyboard(journey), journey.page
    keyboard.sign_in(dco.email, DEFAULT_TEST_PASSWORD)
    journey.open(f"/meetings/{meeting.pk}/chair/")

    # Tab enters each person's row of radios; Space ticks, an arrow key moves along the row.
    keyboard.tab_to(page.get_by_label(f"{dco.full_name}: Present"))
    page.keyboard.press("Space")
    keyboard.tab_to(page.get_by_label(f"{dmo.full_name}: Present"))
    page.keyboard.press("ArrowRight")
    expect(page.get_by_label(f"{dmo.full_name}: Apologies")).to_be_checked()
    keyboard.tab_to(page.get_by_label(f"{clinical_lead.full_name}: Present"))
    page.keyboard.press("Space")
    # Parts save without a reload: Enter sends the part, and focus stays where it was.
    keyboard.tab_to(page.get_by_role("button", name="Save attendance"))
    page.keyboard.press("Enter")
    expect(page.locator("#chair-status")).to_have_text("Attendance saved.")
    assert keyboard.has_focus(page.get_by_role("button", name="Save attendance"))

    add_action = page.get_by_role("button", name="Add the action")
    keyboard.tab_to(add_action)
    page.keyboard.press("Enter")
    expect(page.locator("#chair-status")).to_contain_text("Not saved")
    assert keyboard.error_summary_has_focus()
    journey.check_accessibility()
    keyboard.remember_unfocused_styles()  # the actions part was drawn afresh
    journey.screenshot("5-keyboard-chair-error-summary-focused")

    keyboard.tab_to(page.get_by_label("Action", exact=True))
    keyboard.type("Send the recovery plan to the café")
    keyboard.tab()
    assert keyboard.has_focus(page.get_by_label("Owner"))
    keyboard.type(clinical_lead.full_name)  # a closed list picks the option typed
    expect(page.get_by_label("Owner")).to_have_value(str(clinical_lead.pk))
    keyboard.tab_to(add_action)
    page.keyboard.press("Enter")
    expect(page.locator("#chair-actions ul")).to_contain_text("Send the recovery plan")
    keyboard.submit(page.get_by_role("button", name="Close the meeting"))
    keyboard.submit(page.get_by_role("button", name="Yes, close the meeting"))

    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CLOSED
    assert Action.objects.get(meeting=meeting).owner == clinical_lead
    statuses = dict(meeting.attendance.values_list("user", "status"))
    assert statuses[dmo.pk] == Attendance.Status.APOLOGIES
    assert statuses[dco.pk] == statuses[clinical_lead.pk] == Attendance.Status.PRESENT
    journey.end(screenshot="5-keyboard-dco-closed-the-meeting")


def test_the_commissioner_downloads_with_the_keyboard(journey, commissioner, sendiass_officer):
    concerns_last_quarter(sendiass_officer)
    keyboard, page = Keyboard(journey), journey.page
    keyboard.sign_in(commissioner.email, DEFAULT_TEST_PASSWORD)
    # A period that ends before it starts is refused, and the summary says so first.
    journey.open("/intelligence/reports/?start=2026-09-30&end=2026-07-01")
    assert keyboard.error_summary_has_focus()
    keyboard.submit(page.get_by_role("button", name="Show the report"))
    assert keyboard.error_summary_has_focus()

    journey.open("/intelligence/reports/")
    keyboard.tab_to(page.get_by_role("link", name=re.compile(r"\(CSV\)")))
    spreadsheet = journey.download(lambda: page.keyboard.press("Enter"))
    assert spreadsheet.suggested_filename.endswith(".csv")

    keyboard.submit(page.get_by_role("button", name="Make the governance pack (PDF)"))
    keyboard.tab_to(page.get_by_role("link", name=re.compile("Download the governance")))
    pack = journey.download(lambda: page.keyboard.press("Enter"))
    assert pack.path().read_bytes().startswith(b"%PDF-")
    journey.end(screenshot="5-keyboard-commissioner-pack-ready")


def test_the_sendiass_officer_logs_a_concern_with_the_keyboard(journey, sendiass_officer):
    keyboard, page = Keyboard(journey), journey.page
    keyboard.sign_in(sendiass_officer.email, DEFAULT_TEST_PASSWORD)
    journey.open("/intelligence/concerns/new/")

    keyboard.tab_to(page.get_by_label("Where it was raised"))
    keyboard.type("SENDIASS")
    expect(page.get_by_label("Where it was raised")).to_have_value("sendiass")
    keyboard.tab_to(page.get_by_label("Waiting times"))
    page.keyboard.press("Space")
    keyboard.tab_to(page.get_by_label("What was raised"))
    keyboard.type("The family of 943 476 5919 cannot get a speech therapy appointment")
    keyboard.submit(page.get_by_role("button", name="Save", exact=True))

    assert keyboard.error_summary_has_focus()
    assert not Concern.objects.exists()
    journey.screenshot("5-keyboard-concern-error-summary-focused")
    keyboard.tab()  # the summary's link to the field
    page.keyboard.press("Enter")
    assert keyboard.has_focus(page.get_by_label("What was raised"))
    keyboard.replace("A family cannot get a speech therapy appointment for their son")
    keyboard.submit(page.get_by_role("button", name="Save", exact=True))

    assert Concern.objects.get().logged_by == sendiass_officer
    assert journey.path == "/intelligence/concerns/"
    journey.end(screenshot="5-keyboard-concern-logged")


def test_two_step_verification_is_set_up_with_the_keyboard(journey, dco, settings):
    settings.PORTAL_REQUIRE_MFA = True
    keyboard, page = Keyboard(journey), journey.page
    journey.password = DEFAULT_TEST_PASSWORD
    journey.open("/account/sign-in/")
    keyboard.tab_to(page.get_by_label("Email address"))
    keyboard.type(dco.email)
    keyboard.tab()
    keyboard.type(DEFAULT_TEST_PASSWORD)
    journey.press("Enter")
    assert journey.path == "/account/two-step-verification/set-up/"

    keyboard.submit(page.get_by_role("button", name="Continue"))
    assert keyboard.error_summary_has_focus()

    keyboard.tab_to(page.locator("summary", has_text="I cannot scan the QR code"))
    page.keyboard.press("Enter")  # opens the details with the setup key
    secret = page.locator(".portal-setup-key")
    expect(secret).to_be_visible()
    setup_key = secret.inner_text()
    keyboard.tab_to(page.get_by_label("Code from your authenticator app"))
    keyboard.type(code_for(setup_key))
    journey.press("Enter")
    keyboard.submit(page.get_by_role("button", name="I have saved my backup codes"))
    assert journey.path == "/"
    journey.end(screenshot="5-keyboard-two-step-verification-set-up")
