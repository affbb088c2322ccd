"""A headless Chromium from the Debian package, driven by Playwright, against a live server.

The browser starts once for this folder's tests and stops after them. Playwright's sync
API keeps an asyncio loop running in the test's thread while it is started, and Django
refuses database calls from a thread with a running loop unless told it is deliberate;
starting and stopping the browser around these tests only (rather than with
pytest-playwright's session-wide fixtures) keeps that allowance away from every other test.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
NO_CHROMIUM = "Chromium is not installed: apt-get install chromium chromium-driver (CI does)"
# Without the background-networking switches Chromium stalls on a closed network, trying
# to reach Google's update and sync services.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DEFAULT_TIMEOUT_MS = 15_000


@pytest.fixture(scope="package")
def chromium():
    if not CHROMIUM.exists():
        pytest.skip(NO_CHROMIUM)
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
            )
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(autouse=True)
def _browser_before_the_database(chromium):
    """Start the browser (or skip) before any fixture touches the database."""


@pytest.fixture
def new_journey(chromium, live_server, request):
    """Make a journey in a fresh browser context (its own cookies), as many as a test needs."""
    from tests.browser.journey import SCREENSHOTS, Journey

    contexts = []

    def make():
        context = chromium.new_context(
            accept_downloads=True,
            locale="en-GB",
            timezone_id="Europe/London",
            viewport={"width": 1280, "height": 900},
        )
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        contexts.append(context)
        return Journey(context.new_page(), live_server.url)

    yield make
    failed = getattr(request.node, "rep_call", None)
    for number, context in enumerate(contexts):
        if failed is not None and failed.failed and context.pages:
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            context.pages[0].screenshot(
                path=SCREENSHOTS / f"failed-{request.node.name}-{number}.png", full_page=True
            )
        context.close()


@pytest.fixture
def journey(new_journey):
    return new_journey()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.rep_call = report
    return report
