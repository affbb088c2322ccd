"""A SEND Tribunal appeal in a real browser, from recording it to health's response letter.

The DCO records the appeal and asks the provider for evidence; the provider's health
professional writes it; the DCO sends it, records the Tribunal's health recommendation and
drafts the response (refused without reasons when it does not follow the recommendation);
the DMO approves it and downloads the letter; the DCO records the date it was sent. axe
checks every page (tests/browser/journey.py); screenshots are saved for a reviewer under
artifacts/journeys/ and copied to var/screenshots/tribunal/ (neither is committed).
"""

from __future__ import annotations

import datetime
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from ehcp.tests.factories import ChildFactory, make_advice_request, make_assessment
from tests.factories import DEFAULT_TEST_PASSWORD
from tribunal.models import Appeal, Recommendation

pytestmark = pytest.mark.django_db(transaction=True)

COPIES = Path(settings.BASE_DIR) / "var" / "screenshots" / "tribunal"


def shot(journey, name: str, end: bool = False) -> None:
    path = journey.end(screenshot=name) if end else journey.screenshot(name)
    COPIES.mkdir(parents=True, exist_ok=True)
    shutil.copy(path, COPIES / path.name)


def fill_date(page, name: str, day: datetime.date) -> None:
    page.locator(f"#id_{name}_day").fill(str(day.day))
    page.locator(f"#id_{name}_month").fill(str(day.month))
    page.locator(f"#id_{name}_year").fill(str(day.year))


def test_from_appeal_to_the_response_letter(
    new_journey, dco, dmo, health_professional_a, provider_a
):
    today = timezone.localdate()
    assessment = make_assessment(child=ChildFactory(first_name="Robin", last_name="Tribune"))
    make_advice_request(assessment, provider=provider_a, requested_by=dco)

    # The DCO records the appeal and asks provider A for evidence.
    dco_journey = new_journey()
    page = dco_journey.page
    dco_journey.sign_in(dco.email, DEFAULT_TEST_PASSWORD)
    dco_journey.open("/tribunal/appeals/")
    expect(page.get_by_text("No appeals recorded yet.")).to_be_visible()
    dco_journey.follow(page.get_by_role("link", name="Record a Tribunal appeal"))
    page.get_by_label("Child").select_option(
        label=f"Robin Tribune (born {assessment.child.date_of_birth:%d %b %Y})"
    )
    page.get_by_label("The contents of the EHC plan").check()
    fill_date(page, "registered_on", today - datetime.timedelta(weeks=6))
    page.get_by_label("The Tribunal's reference").fill("EH555/26/00055")
    fill_date(page, "hearing_on", today + datetime.timedelta(weeks=6))
    page.get_by_label("Health issues the appeal raises").fill("Speech and language therapy.")
    dco_journey.follow(page.get_by_role("button", name="Record the appeal"))
    appeal = Appeal.objects.get()
    assert dco_journey.path == f"/tribunal/appeals/{appeal.pk}/"
    expect(page.get_by_role("heading", level=1)).to_have_text("Robin Tribune")

    dco_journey.follow(page.get_by_role("link", name="Ask a provider for evidence"))
    page.get_by_label("Provider asked").select_option(label=str(provider_a))
    page.get_by_label("What the Tribunal asks for").fill("A therapy report.")
    fill_date(page, "due_on", today + datetime.timedelta(days=5))
    dco_journey.follow(page.get_by_role("button", name="Ask for the evidence"))
    expect(page.locator("main")).to_contain_text("Due soon")
    shot(dco_journey, "t1-dco-records-the-appeal-and-asks-for-evidence")

    # The provider's health professional writes the evidence, as they write advice.
    writer = new_journey()
    writer.sign_in(health_professional_a.email, DEFAULT_TEST_PASSWORD)
    writer.open("/tribunal/appeals/")
    writer.follow(writer.page.get_by_role("link", name="Robin Tribune"))
    writer.follow(writer.page.get_by_role("link", name=str(provider_a)))
    writer.page.get_by_label("Your evidence for the Tribunal").fill("Weekly therapy is needed.")
    writer.follow(writer.page.get_by_role("button", name="Save the evidence"))
    expect(writer.page.locator("body")).to_contain_text("Your evidence has been saved")
    shot(writer, "t2-provider-writes-the-evidence", end=True)

    # The DCO sends it, records the recommendation and drafts the response.
    asked = appeal.evidence_requests.get()
    dco_journey.open(f"/tribunal/evidence/{asked.pk}/")
    dco_journey.follow(page.get_by_role("link", name="Record that it was sent to the Tribunal"))
    dco_journey.follow(page.get_by_role("button", name="Record that it was sent"))
    dco_journey.follow(page.get_by_role("link", name="Record a health recommendation"))
    fill_date(page, "made_on", today - datetime.timedelta(days=2))
    page.get_by_label("The Tribunal's recommendation about health care provision").fill(
        "Weekly speech and language therapy for a year."
    )
    dco_journey.follow(page.get_by_role("button", name="Record the recommendation"))
    dco_journey.follow(page.get_by_role("link", name="Draft the response"))
    page.get_by_label("Not follow the recommendation").check()
    page.get_by_label("What health will do").fill("Therapy reviewed each term.")
    dco_journey.follow(page.get_by_role("button", name="Save the draft response"))
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Give the reasons")
    shot(dco_journey, "t3-a-response-without-reasons-is-refused")
    page.get_by_label("Reasons for not following it in full").fill(
        "Weekly sessions are not clinically indicated; termly review is."
    )
    dco_journey.follow(page.get_by_role("button", name="Save the draft response"))
    recommendation = Recommendation.objects.get()
    assert recommendation.drafted_by == dco

    # The DMO approves it and downloads the letter for the family and the council.
    approver = new_journey()
    approver.sign_in(dmo.email, DEFAULT_TEST_PASSWORD)
    approver.open(f"/tribunal/appeals/{appeal.pk}/")
    approver.follow(approver.page.get_by_role("link", name="Approve the response"))
    approver.page.get_by_label("I have read the response and approve it for the ICB").check()
    approver.follow(approver.page.get_by_role("button", name="Approve the response"))
    recommendation.refresh_from_db()
    assert recommendation.approved_by == dmo
    letter = approver.download(
        approver.page.get_by_role("link", name="Download the response letter (PDF)")
    )
    assert letter.path().read_bytes().startswith(b"%PDF-")
    shot(approver, "t4-dmo-approves-and-downloads-the-letter", end=True)

    # The DCO records the date the letter went: the appeal waits on health no more.
    dco_journey.open(f"/tribunal/appeals/{appeal.pk}/")
    dco_journey.follow(page.get_by_role("link", name="Record that the letter was sent"))
    dco_journey.follow(page.get_by_role("button", name="Record that it was sent"))
    recommendation.refresh_from_db()
    assert recommendation.sent_on == today
    expect(page.locator("main")).to_contain_text("Response sent to the family and the council")
    dco_journey.open("/tribunal/appeals/?waiting=health")
    expect(page.get_by_text("No appeal is waiting on health.")).to_be_visible()
    shot(dco_journey, "t5-dco-records-the-letter-sent", end=True)
