"""The DMO's review of a plan and the clinic's waiting list on a 320 px screen, with
nothing cut off (WCAG 2.2, 1.4.10 Reflow).

The page itself never scrolls sideways. A table too wide for the screen scrolls inside
its own labelled region (the shared ``{% responsive_table %}`` pattern), so its last
column can still be reached, by touch or by keyboard; nothing is hidden past the edge.
"""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from clinics.tests.factories import recorded_referral
from ehcp.tests.factories import ChildFactory, make_plan_waiting_for_sign_off
from tests.factories import DEFAULT_TEST_PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

NARROW = {"width": 320, "height": 800}

# For each table: does it fit, or, if not, does it sit in a region that scrolls on its own
# and shows its last column once scrolled to the end?
_TABLES = """() => Array.from(document.querySelectorAll('main table')).map((table) => {
    const region = table.closest('[role=region][tabindex]');
    const last = table.querySelector('tr:first-child > :last-child');
    let lastVisible = null;
    if (region && last) {
        region.scrollLeft = region.scrollWidth;
        const edge = region.getBoundingClientRect();
        const cell = last.getBoundingClientRect();
        lastVisible = cell.left >= edge.left - 1 && cell.right <= edge.right + 1;
        region.scrollLeft = 0;
    }
    return {
        caption: (table.caption && table.caption.textContent.trim()) || '(no caption)',
        right: table.getBoundingClientRect().right,
        region: region ? region.getAttribute('aria-label') : null,
        scrolls: region ? getComputedStyle(region).overflowX : null,
        lastVisible,
    };
})"""


def assert_nothing_cut_off(page) -> list[dict]:
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= NARROW["width"], f"the page scrolls sideways: {width} px wide"
    tables = page.evaluate(_TABLES)
    assert tables, "no table on the page"
    for table in tables:
        if table["right"] <= NARROW["width"] + 1:
            continue  # fits the screen
        assert table["region"], f"{table['caption']} runs past the screen with no region"
        assert table["scrolls"] in ("auto", "scroll"), table
        assert table["lastVisible"], f"{table['caption']}: its last column cannot be reached"
    return tables


def test_the_dmo_reviews_a_plan_on_a_320_px_screen_with_nothing_cut_off(
    journey, dmo, clinical_lead
):
    child = ChildFactory(first_name="Sam", last_name="Harbour")
    plan = make_plan_waiting_for_sign_off(author=clinical_lead, child=child)
    page = journey.page
    page.set_viewport_size(NARROW)
    journey.sign_in(dmo.email, DEFAULT_TEST_PASSWORD)

    journey.open(f"/sign-off/{plan.versions.get().pk}/")
    tables = assert_nothing_cut_off(page)
    assert any("Section G" in table["caption"] for table in tables), tables
    journey.screenshot("b-dmo-reviews-at-320px")

    journey.open(f"/plans/{plan.pk}/")
    assert_nothing_cut_off(page)
    journey.end(screenshot="b-dmo-plan-at-320px")


def test_the_clinical_lead_reads_the_waiting_list_on_a_320_px_screen_with_nothing_cut_off(
    journey, clinical_lead
):
    today = timezone.localdate()
    for weeks in (20, 9, 2):
        received = today - datetime.timedelta(weeks=weeks)
        recorded_referral(clinical_lead, received, accepted=received + datetime.timedelta(days=7))
    page = journey.page
    page.set_viewport_size(NARROW)
    journey.sign_in(clinical_lead.email, DEFAULT_TEST_PASSWORD)

    journey.open("/clinic/referrals/?status=waiting")
    assert_nothing_cut_off(page)
    journey.screenshot("b-clinical-lead-waiting-list-at-320px")

    journey.open("/clinic/waiting-times/")
    assert_nothing_cut_off(page)
    journey.end(screenshot="b-clinical-lead-waiting-times-at-320px")
