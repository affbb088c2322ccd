"""The inactivity warning and "Your sessions" in a real browser; for the warning,
Playwright moves the page's clock on.

The browser fixtures are the journeys' (tests/browser/conftest.py): a headless Chromium
from the Debian package, skipped where it is not installed.
"""

from __future__ import annotations

import pytest
from django.contrib.sessions.models import Session
from playwright.sync_api import expect

from session_security import sessions_store
from tests.browser.conftest import chromium, new_journey  # noqa: F401 (fixtures)
from tests.factories import DEFAULT_TEST_PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _browser_before_the_database(chromium):  # noqa: F811
    """Start the browser (or skip) before any fixture touches the database."""


@pytest.fixture
def journey(new_journey):  # noqa: F811
    return new_journey()


def test_the_page_warns_before_signing_out_and_stay_signed_in_keeps_the_session(journey, dmo):
    page = journey.page
    page.clock.install()
    journey.sign_in(dmo.email, DEFAULT_TEST_PASSWORD)
    warning = page.locator("#session-timeout-warning")
    expect(warning).to_be_hidden()

    # 27 minutes and 50 seconds without a request: more than two minutes are left.
    page.clock.run_for("27:50")
    expect(warning).to_be_hidden()

    page.clock.run_for("00:20")
    expect(warning).to_be_visible()
    expect(warning).to_contain_text("You will be signed out soon")
    expect(warning).to_contain_text("will be signed out in 2 minutes")
    expect(warning.get_by_role("heading")).to_be_focused()
    journey.check_accessibility()

    with page.expect_response(lambda response: "keep-alive" in response.url) as answer:
        warning.get_by_role("button", name="Stay signed in").click()
    assert answer.value.status == 204
    expect(warning).to_be_hidden()
    assert journey.path == "/"

    # The time starts again from "Stay signed in".
    page.clock.run_for("27:00")
    expect(warning).to_be_hidden()
    page.clock.run_for("01:10")
    expect(warning).to_be_visible()
    journey.end("session-timeout-warning")


def test_after_stay_signed_in_the_person_is_back_where_they_were_typing(journey, dmo):
    page = journey.page
    page.clock.install()
    journey.sign_in(dmo.email, DEFAULT_TEST_PASSWORD)
    journey.open("/account/password/")
    field = page.get_by_label("Old password")
    field.fill("half-typed")
    warning = page.locator("#session-timeout-warning")

    page.clock.run_for("28:30")
    expect(warning).to_be_visible()
    warning.get_by_role("button", name="Stay signed in").click()

    expect(warning).to_be_hidden()
    expect(field).to_be_focused()
    expect(field).to_have_value("half-typed")
    journey.end("session-timeout-back-to-the-form")


def test_when_the_time_runs_out_the_browser_goes_to_sign_in_with_a_message(journey, dmo):
    page = journey.page
    page.clock.install()
    journey.sign_in(dmo.email, DEFAULT_TEST_PASSWORD)
    journey.open("/roles/")
    # The server's clock is not Playwright's: end the session there as the idle time would
    # (through the store, which also drops the copy a cached store keeps).
    sessions_store.delete_sessions(Session.objects.values_list("session_key", flat=True))

    with page.expect_navigation(url="**/account/sign-in/**"):
        page.clock.run_for("30:01")
    journey.arrived()

    assert journey.path == "/account/sign-in/"
    assert "next=%2Froles%2F" in page.url
    expect(page.locator("main")).to_contain_text(
        "You were signed out because you had not used the portal for 30 minutes"
    )
    journey.end("session-timed-out")


def test_your_sessions_signs_out_the_other_browser(new_journey, dmo):  # noqa: F811
    phone, laptop = new_journey(), new_journey()
    phone.sign_in(dmo.email, DEFAULT_TEST_PASSWORD)
    laptop.sign_in(dmo.email, DEFAULT_TEST_PASSWORD)

    laptop.follow(laptop.page.get_by_role("link", name="Your sessions"))
    rows = laptop.page.locator("main table tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("This device")
    laptop.follow(laptop.page.get_by_role("button", name="Sign out your other sessions"))
    expect(laptop.page.locator("main")).to_contain_text("You signed out 1 other session.")
    expect(rows).to_have_count(1)

    phone.open("/account/sessions/")
    assert phone.path == "/account/sign-in/"
    laptop.end("your-sessions")
    phone.end("signed-out-from-elsewhere")
