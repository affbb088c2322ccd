"""The administrator reads the audit log in a real browser: who opened a child's record, then
a filter typed wrong and put right. axe-core checks each page (tests/browser/journey.py)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from ehcp.tests.factories import ChildFactory
from tests.factories import DEFAULT_TEST_PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_administrator_finds_who_opened_a_childs_record(new_journey, administrator, dco):
    child = ChildFactory(first_name="Sam", last_name="Harbour")
    clinician = new_journey()
    clinician.sign_in(dco.email, DEFAULT_TEST_PASSWORD)
    clinician.open(f"/children/{child.pk}/")
    clinician.end(screenshot="audit-0-dco-opens-a-childs-record")

    journey = new_journey()
    page = journey.page
    journey.sign_in(administrator.email, DEFAULT_TEST_PASSWORD)
    journey.follow(page.get_by_role("link", name="Audit log").first)
    expect(page.get_by_role("heading", level=1)).to_have_text("Audit log")

    page.get_by_label("What happened").select_option(label="Child's record viewed")
    page.get_by_label("Record type").select_option(value="ehcp.child")
    page.get_by_label("Record id").fill(str(child.pk))
    page.locator("#id_date_from_day").fill("31")
    page.locator("#id_date_from_month").fill("2")
    page.locator("#id_date_from_year").fill("2026")
    journey.follow(page.get_by_role("button", name="Filter"))
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Date from must be a real date")

    page.locator("#id_date_from_day").fill("")
    page.locator("#id_date_from_month").fill("")
    page.locator("#id_date_from_year").fill("")
    journey.follow(page.get_by_role("button", name="Filter"))
    rows = page.locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Dee Ceeo")
    expect(rows.first).to_contain_text(f"ehcp.child {child.pk}")
    expect(rows.first).to_contain_text("UTC")
    expect(page.locator("main")).not_to_contain_text("Harbour")
    journey.end(screenshot="audit-1-administrator-reads-the-audit-log")
