"""The Clinical Lead's daily pages are in view in the header, not folded under "More", and
the clinic names the child and the reason for referral. axe-core checks each page."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from clinics.tests.conftest import make_child, make_referral
from tests.factories import DEFAULT_TEST_PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_clinical_lead_reaches_the_clinic_from_the_header(journey, clinical_lead, dmo):
    received_on = timezone.localdate() - datetime.timedelta(weeks=15)
    child = make_child(age_days=3 * 365)
    child.first_name, child.last_name = "Amara", "Okafor"
    child.save()
    referral = make_referral(clinical_lead, child=child, received_on=received_on, accept=True)
    referral.reason = "Limited shared attention at nursery."
    referral.save()
    make_referral(clinical_lead)  # waiting for triage
    page = journey.page

    journey.sign_in(clinical_lead.email, DEFAULT_TEST_PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Cee")
    expect(page.get_by_role("link", name="Referrals waiting for triage: 1")).to_be_visible()
    menu = page.get_by_role("navigation", name="Menu")
    clinic = menu.get_by_role("link", name="Social Communication Clinic")
    expect(clinic).to_be_visible()
    expect(menu.get_by_role("button", name="More")).to_be_hidden()
    journey.screenshot("navigation-0-clinical-lead-home")

    journey.follow(clinic)
    expect(page.get_by_role("link", name="Amara Okafor").first).to_be_visible()
    expect(page.locator("main")).to_contain_text("Limited shared attention at nursery.")
    journey.end(screenshot="navigation-1-clinic-longest-waits-by-name")
