"""Setting up a meeting series in a real browser: the pattern in words, its dates first."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from meetings.models import MeetingSeries
from tests.factories import DEFAULT_TEST_PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_dco_sees_the_next_dates_of_a_pattern_then_saves_the_series(
    journey, dco, clinical_lead
):
    page = journey.page
    journey.sign_in(dco.email, DEFAULT_TEST_PASSWORD)
    journey.open("/meetings/series/new/")

    page.get_by_label("Name").fill("Transition to adult services forum")
    page.get_by_label("Kind").select_option(label="Other meeting")
    # Only the questions that apply to the pattern show
    page.get_by_label("Every so many weeks").check()
    expect(page.get_by_label("Which week of the month")).to_be_hidden()
    expect(page.get_by_label("Day of the week")).to_be_visible()
    page.get_by_label("Every so many months").check()
    page.get_by_label("A date, for example the 15th").check()
    expect(page.get_by_label("Date of the month")).to_be_visible()
    expect(page.get_by_label("Day of the week")).to_be_hidden()
    page.get_by_label("How many weeks or months apart").fill("2")
    page.get_by_label("A weekday of the month, for example the second Tuesday").check()
    page.get_by_label("Which week of the month").select_option(label="Second")
    page.get_by_label("Day of the week").select_option(label="Tuesday")
    year = timezone.localdate().year + 1
    page.get_by_label("Day", exact=True).first.fill("1")
    page.get_by_label("Month", exact=True).first.fill("1")
    page.get_by_label("Year", exact=True).first.fill(str(year))
    page.get_by_label("Start time").fill("14:00")
    # The next dates show as the pattern is answered...
    live = page.locator("#next-dates-live")
    expect(live).to_contain_text("Every 2 months on the second Tuesday, at 14:00")
    journey.check_accessibility()
    # ...and the button gives the same answer as a page
    journey.follow(page.get_by_role("button", name="Show the next dates"))

    dates = page.locator("#next-dates")
    expect(dates).to_contain_text("Every 2 months on the second Tuesday, at 14:00")
    first_tuesday = 1 + (1 - datetime.date(year, 1, 1).weekday()) % 7
    expect(dates).to_contain_text(f"Tuesday {first_tuesday + 7} January {year}")
    assert not MeetingSeries.objects.exists()
    journey.screenshot("2d-dco-previews-a-new-series")

    journey.follow(page.get_by_role("button", name="Save the series"))
    expect(page.locator("main")).to_contain_text("Every 2 months on the second Tuesday at 14:00")
    assert MeetingSeries.objects.get().rrule == "FREQ=MONTHLY;INTERVAL=2;BYDAY=2TU"
    journey.end(screenshot="2e-dco-saved-the-series")
