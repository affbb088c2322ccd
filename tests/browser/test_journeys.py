"""What each kind of user does in a real browser, signed in through the sign-in page.

Each journey runs against a live server; axe-core checks every page it lands on
(tests/browser/journey.py) and the journey saves a full-page screenshot of where it ends
under artifacts/journeys/ for a reviewer to look at.
"""

from __future__ import annotations

import csv
import datetime
import io
import re

import pytest
import time_machine
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from ehcp.models import SignOff
from ehcp.tests.factories import ChildFactory, make_plan_waiting_for_sign_off
from intelligence.models import Concern
from meetings import services as meeting_services
from meetings.models import Action, Attendance, Meeting
from meetings.tests.factories import make_series, next_meeting
from tests.browser.data import code_for, concerns_last_quarter
from tests.browser.journey import CONFIRM_PASSWORD_PATH
from tests.factories import DEFAULT_TEST_PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_dmo_signs_off_a_plan_with_their_password_and_sees_the_hash(
    journey, dmo, clinical_lead
):
    child = ChildFactory(first_name="Sam", last_name="Harbour")
    plan = make_plan_waiting_for_sign_off(author=clinical_lead, child=child)
    page = journey.page

    journey.sign_in(dmo.email, DEFAULT_TEST_PASSWORD)
    journey.open("/sign-off/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Medical sign-off queue")
    journey.follow(page.get_by_role("link", name="Review version 1 for Sam Harbour"))
    expect(page.get_by_role("heading", name="Section C: health needs")).to_be_visible()

    page.get_by_label("I confirm the statement above").check()
    page.get_by_label("Your professional registration number").fill("GMC 7012345")
    page.get_by_label("Your password").fill("not my password")
    journey.follow(page.get_by_role("button", name="Sign off medical sections"))
    expect(page.locator(".nhsuk-error-summary")).to_be_visible()
    assert not SignOff.objects.exists()

    page.get_by_label("I confirm the statement above").check()
    page.get_by_label("Your password").fill(DEFAULT_TEST_PASSWORD)
    journey.follow(page.get_by_role("button", name="Sign off medical sections"))

    signed = SignOff.objects.get(version__plan=plan)
    assert signed.signed_by == dmo and signed.registration_number == "GMC 7012345"
    assert journey.path == f"/plans/{plan.pk}/"
    history = page.get_by_role("table").filter(has_text="Everything that has happened")
    expect(history).to_contain_text(signed.text_hash)
    expect(page.locator("main .nhsuk-card", has_text="Version 1")).to_contain_text("Signed off")
    journey.screenshot("1-dmo-signs-off-a-plan")

    # Some minutes later the signed sections are downloaded: the password was entered longer
    # ago than step-up allows, so the portal asks for it again before sending the PDF.
    later = timezone.now() + datetime.timedelta(minutes=settings.STEP_UP_MINUTES + 1)
    with time_machine.travel(later, tick=True):
        pdf = journey.download(page.get_by_role("link", name="Download PDF"))
    assert pdf.path().read_bytes().startswith(b"%PDF-")
    assert any(CONFIRM_PASSWORD_PATH in url for url in journey.checked)
    # Back on the plan page, not left on "Confirm your password"; the spent one-time token
    # is gone from the address.
    page.wait_for_load_state("load")
    assert journey.path == f"/plans/{plan.pk}/"
    assert "download=" not in page.url
    expect(page.get_by_role("heading", level=1)).not_to_have_text("Confirm your password")
    expect(page.get_by_role("status")).to_contain_text("your download has started")
    journey.end(screenshot="1-dmo-downloads-the-signed-sections")


def test_the_dco_chairs_a_health_cafe_from_the_dashboard_and_closes_it(
    journey, dco, dmo, clinical_lead
):
    meeting = next_meeting(make_series())
    for title in ("Welcome and apologies", "Waiting times for speech and language therapy"):
        meeting_services.add_agenda_item(meeting, dco, title=title)
    page = journey.page

    journey.sign_in(dco.email, DEFAULT_TEST_PASSWORD)
    journey.open("/meetings/dashboard/")
    expect(page.get_by_role("heading", name="SEND Health Café")).to_be_visible()
    journey.follow(page.get_by_role("link", name="Chair this meeting"))
    # The café is weeks away: starting it now asks to confirm.
    journey.follow(page.get_by_role("button", name="Yes, start it now"))

    # Each part saves without a reload; the page announces it and keeps everything else.
    attendance = page.locator("#chair-attendance form")
    attendance.get_by_label(f"{dco.full_name}: Present").check()
    attendance.get_by_label(f"{clinical_lead.full_name}: Present").check()
    attendance.get_by_label(f"{dmo.full_name}: Apologies").check()
    page.get_by_role("button", name="Save attendance").click()
    expect(page.locator("#chair-status")).to_have_text("Attendance saved.")
    expect(page.get_by_text("Quorate", exact=True)).to_be_visible()

    item = meeting.agenda_items.get(position=2)
    section = page.locator(f"#item-{item.pk}")
    section.get_by_label("Minutes").fill("Waits have risen to 30 weeks; the trust explained why.")
    section.get_by_label("Decision").fill("Ask the trust for a recovery plan.")
    section.get_by_role("button", name="Save minutes").click()
    expect(page.locator("#chair-status")).to_have_text(f"Minutes of “{item.title}” saved.")

    page.get_by_label("Action", exact=True).fill("Send the recovery plan to the café")
    page.get_by_label("Owner").select_option(label=clinical_lead.full_name)
    page.get_by_label("Agenda item").select_option(label=item.title)
    page.get_by_role("button", name="Add the action").click()
    expect(page.locator("#chair-actions ul")).to_contain_text("Send the recovery plan to the café")
    journey.check_accessibility()

    journey.follow(page.get_by_role("button", name="Close the meeting"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Are you sure you want to close the meeting?"
    )
    journey.follow(page.get_by_role("button", name="Yes, close the meeting"))

    meeting.refresh_from_db()
    item.refresh_from_db()
    assert meeting.status == Meeting.Status.CLOSED
    assert item.decision == "Ask the trust for a recovery plan."
    assert Action.objects.get(meeting=meeting).owner == clinical_lead
    statuses = dict(meeting.attendance.values_list("user", "status"))
    assert statuses[dmo.pk] == Attendance.Status.APOLOGIES
    assert statuses[dco.pk] == statuses[clinical_lead.pk] == Attendance.Status.PRESENT
    expect(page.locator("main")).to_contain_text("The meeting is closed")
    journey.end(screenshot="2-dco-chairs-the-health-cafe")


def test_the_commissioner_reads_the_report_and_downloads_the_csv_and_the_pdf_pack(
    journey, commissioner, sendiass_officer
):
    period = concerns_last_quarter(sendiass_officer)
    page = journey.page

    journey.sign_in(commissioner.email, DEFAULT_TEST_PASSWORD)
    journey.open("/intelligence/reports/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Commissioner feedback report")
    charts = page.locator("main svg[role=img]")
    expect(charts.first).to_be_visible()
    assert charts.count() >= 3
    expect(page.get_by_role("img", name=re.compile("Concerns by theme"))).to_be_visible()

    spreadsheet = journey.download(page.get_by_role("link", name=re.compile(r"\(CSV\)")))
    expected_name = f"concerns-{period.start:%Y%m%d}-{period.end:%Y%m%d}.csv"
    assert spreadsheet.suggested_filename == expected_name
    rows = list(csv.reader(io.StringIO(spreadsheet.path().read_text(encoding="utf-8-sig"))))
    assert rows[0][:2] == ["Date raised", "Source"]
    assert "Summary" not in rows[0]  # commissioners get figures, never what was said
    assert len(rows) == 1 + Concern.objects.count()

    journey.follow(page.get_by_role("button", name="Make the governance pack (PDF)"))
    expect(page.get_by_role("heading", name="Ready")).to_be_visible()
    pack = journey.download(page.get_by_role("link", name=re.compile("Download the governance")))
    assert pack.path().read_bytes().startswith(b"%PDF-")
    journey.end(screenshot="3-commissioner-downloads-the-report")


def test_a_sendiass_officer_is_refused_an_nhs_number_then_logs_the_concern(
    journey, sendiass_officer
):
    page = journey.page

    journey.sign_in(sendiass_officer.email, DEFAULT_TEST_PASSWORD)
    journey.open("/intelligence/concerns/new/")
    page.get_by_label("Where it was raised").select_option("sendiass")
    page.get_by_label("Waiting times").check()
    summary = page.get_by_label("What was raised")
    summary.fill("The family of 943 476 5919 cannot get a speech therapy appointment")
    journey.follow(page.get_by_role("button", name="Save", exact=True))

    error_summary = page.locator(".nhsuk-error-summary")
    expect(error_summary).to_be_focused()
    expect(error_summary).to_contain_text("Remove the NHS number")
    expect(summary).to_have_value(re.compile("cannot get a speech therapy appointment"))
    assert not Concern.objects.exists()
    journey.screenshot("4-sendiass-officer-refused-an-nhs-number")

    summary.fill("A family cannot get a speech therapy appointment for their son")
    journey.follow(page.get_by_role("button", name="Save", exact=True))

    concern = Concern.objects.get()
    assert concern.logged_by == sendiass_officer and concern.source == "sendiass"
    assert journey.path == "/intelligence/concerns/"
    expect(page.locator("main")).to_contain_text("The concern has been logged")
    journey.end(screenshot="4-sendiass-officer-logs-a-concern")


def test_with_two_step_verification_required_a_person_sets_it_up_and_signs_in_again(
    new_journey, dco, settings
):
    settings.PORTAL_REQUIRE_MFA = True
    journey = new_journey()
    page = journey.page

    journey.sign_in(dco.email, DEFAULT_TEST_PASSWORD)
    assert journey.path == "/account/two-step-verification/set-up/"
    expect(
        page.get_by_role("img", name="QR code to scan with your authenticator app")
    ).to_be_visible()
    page.get_by_text("I cannot scan the QR code").click()
    secret = page.locator(".portal-setup-key").inner_text()
    page.get_by_label("Code from your authenticator app").fill(code_for(secret))
    journey.follow(page.get_by_role("button", name="Continue"))

    expect(page.get_by_role("heading", level=1)).to_have_text("Save your backup codes")
    backup_code = page.locator(".portal-backup-codes code").first.inner_text()
    journey.screenshot("6-two-step-verification-backup-codes")
    journey.follow(page.get_by_role("button", name="I have saved my backup codes"))
    assert journey.path == "/"
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")
    journey.end(screenshot="6-two-step-verification-set-up")

    # Another day, another browser: the password alone is not enough.
    journey = new_journey()
    page = journey.page
    journey.sign_in(dco.email, DEFAULT_TEST_PASSWORD)
    assert journey.path == "/account/two-step-verification/check/"
    journey.open("/meetings/dashboard/")
    assert journey.path == "/account/two-step-verification/check/"
    page.get_by_label("Code from your authenticator app, or a backup code").fill(backup_code)
    journey.follow(page.get_by_role("button", name="Continue"))
    assert journey.path == "/meetings/dashboard/"
    expect(page.locator("main")).to_contain_text("You used a backup code")
    journey.end(screenshot="6-two-step-verification-backup-code")
