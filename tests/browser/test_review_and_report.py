"""The DMO's review page and the commissioner report, at the widths people use them.

On a wide screen the health advice sits beside sections C and G; on a phone it follows
them. The report's period is typed as day, month and year, and its charts fit a 320 px
screen (WCAG 2.2, 1.4.10).
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from ehcp import services
from ehcp.models import ProviderService, SignOff
from ehcp.tests.factories import ChildFactory, make_plan_waiting_for_sign_off
from tests.browser.data import concerns_last_quarter
from tests.factories import DEFAULT_TEST_PASSWORD, OrganisationFactory

pytestmark = pytest.mark.django_db(transaction=True)


def box(locator) -> dict:
    found = locator.bounding_box()
    assert found is not None, f"{locator} is not drawn"
    return found


def test_the_advice_is_beside_the_sections_on_a_wide_screen_and_after_them_on_a_phone(
    journey, dmo, clinical_lead, send_officer
):
    child = ChildFactory(first_name="Sam", last_name="Harbour")
    plan = make_plan_waiting_for_sign_off(author=clinical_lead, child=child)
    services.request_advice(
        plan.assessment,
        ProviderService.SALT,
        OrganisationFactory(),
        plan.assessment.requested_on,
        send_officer,
    )
    page = journey.page
    journey.sign_in(dmo.email, DEFAULT_TEST_PASSWORD)

    journey.open(f"/sign-off/{plan.versions.get().pk}/")
    sections = page.get_by_role("heading", name="Section C: health needs")
    advice = page.get_by_role("heading", name="The health advice behind these sections")
    wide_sections, wide_advice = box(sections), box(advice)
    assert wide_advice["x"] > wide_sections["x"] + wide_sections["width"]
    assert abs(wide_advice["y"] - wide_sections["y"]) < 5  # side by side, level
    journey.screenshot("b-dmo-reviews-with-the-advice-beside")

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    journey.arrived()
    narrow_sections = box(page.get_by_role("heading", name="Section G: health provision"))
    narrow_advice = box(advice)
    assert narrow_advice["y"] > narrow_sections["y"]  # after the sections
    assert abs(narrow_advice["x"] - box(sections)["x"]) < 5  # in the same column
    journey.end(screenshot="b-dmo-reviews-on-a-phone")


def test_the_commissioner_types_a_quarter_and_the_charts_fit_a_320_px_screen(
    journey, commissioner, sendiass_officer
):
    period = concerns_last_quarter(sendiass_officer)
    page = journey.page
    journey.sign_in(commissioner.email, DEFAULT_TEST_PASSWORD)
    journey.open("/intelligence/reports/")

    for name, day in (("start", period.start), ("end", period.end)):
        page.locator(f"#id_{name}_day").fill(str(day.day))
        page.locator(f"#id_{name}_month").fill(str(day.month))
        page.locator(f"#id_{name}_year").fill(str(day.year))
    page.get_by_label("The same period a year earlier").check()
    journey.follow(page.get_by_role("button", name="Show the report"))
    expect(page.locator(".nhsuk-lede-text")).to_contain_text(
        "compared with the same quarter a year earlier"
    )

    page.set_viewport_size({"width": 320, "height": 800})
    page.reload()
    journey.arrived()
    charts = page.locator("main svg.app-chart")
    assert charts.count() >= 3
    for index in range(charts.count()):
        drawn = box(charts.nth(index))
        assert drawn["x"] >= 0 and drawn["x"] + drawn["width"] <= 320, drawn
    journey.end(screenshot="b-commissioner-report-at-320px")


def test_the_dmo_gives_a_reason_for_an_open_finding_to_sign_off(journey, dmo, clinical_lead):
    child = ChildFactory(first_name="Sam", last_name="Harbour")
    plan = make_plan_waiting_for_sign_off(author=clinical_lead, child=child, checklist=False)
    page = journey.page
    journey.sign_in(dmo.email, DEFAULT_TEST_PASSWORD)
    journey.open("/sign-off/")
    row = page.get_by_role("row", name=re.compile("Sam Harbour"))
    expect(row).to_contain_text("Checklist not run")
    journey.follow(page.get_by_role("link", name="Review version 1 for Sam Harbour"))

    page.get_by_label("Your professional registration number").fill("GMC 7012345")
    page.get_by_label("I confirm the statement above").check()
    page.get_by_label("Your password").fill(DEFAULT_TEST_PASSWORD)
    journey.follow(page.get_by_role("button", name="Sign off medical sections"))
    expect(page.locator(".nhsuk-error-summary")).to_contain_text(
        "Give a reason for finding 1, or return the sections"
    )
    assert not SignOff.objects.exists()

    reason = "Not in this month's checklist sample; I checked it against the advice myself."
    page.get_by_label(re.compile("Finding 1: No quality checklist")).fill(reason)
    page.get_by_label("I confirm the statement above").check()
    page.get_by_label("Your password").fill(DEFAULT_TEST_PASSWORD)
    journey.follow(page.get_by_role("button", name="Sign off medical sections"))

    assert SignOff.objects.get(version__plan=plan).acknowledgements.get().reason == reason
    assert journey.path == f"/plans/{plan.pk}/"
    expect(page.locator("main .nhsuk-card", has_text="Version 1")).to_contain_text(reason)
    journey.end(screenshot="b-dmo-signs-off-with-a-reason")
