"""One person's journey through the portal in a real browser.

Every page the journey lands on is checked by axe-core before the journey may move on,
and the journey ends by proving that no page went unchecked and that the browser reported
no JavaScript error and no Content Security Policy violation on the way.
"""

from __future__ import annotations

import time
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings

from tests.browser.axe import describe, serious_violations

SCREENSHOTS = Path(settings.BASE_DIR) / "artifacts" / "journeys"
CONFIRM_PASSWORD_PATH = "/account/confirm-password/"
# Console errors a journey accepts. None: any Content Security Policy refusal fails it (the
# policy allows the NHS.UK fonts from assets.nhs.uk; on a closed network they simply fail
# to load, which is "Failed to load resource", and pages fall back to Arial).
KNOWN_REFUSALS: tuple[str, ...] = ()


class Journey:
    def __init__(self, page, base_url: str):
        self.page = page
        self.base_url = base_url.rstrip("/")
        self.password = ""
        self.checked: list[str] = []
        self.unchecked: list[str] = []  # documents loaded since axe last looked
        self.browser_problems: list[str] = []
        self.on_arrival: list = []  # called with no arguments once each page has loaded
        self.server_errors: list[str] = []
        page.on("framenavigated", self._navigated)
        page.on("pageerror", lambda error: self.browser_problems.append(f"JavaScript: {error}"))
        page.on("console", self._console)
        page.on("response", self._response)

    # --- What the browser reports ------------------------------------------------------

    def _navigated(self, frame) -> None:
        if frame == self.page.main_frame and frame.url != "about:blank":
            self.unchecked.append(frame.url)

    def _console(self, message) -> None:
        # CSP violations and script errors arrive as console errors. A failed load is
        # judged by _response instead: a page refusing a request (400, 403) is the
        # portal's answer, which the test checks; a missing script or style is a fault.
        text = message.text
        if message.type != "error" or text.startswith(("Failed to load resource", *KNOWN_REFUSALS)):
            return
        self.browser_problems.append(f"console: {text}")

    def _response(self, response) -> None:
        if response.status >= 500:
            request = response.request
            self.server_errors.append(f"{response.status} for {request.method} {response.url}")
        elif response.status >= 400 and response.request.resource_type != "document":
            self.browser_problems.append(f"{response.status} for {response.url}")

    @property
    def path(self) -> str:
        return urlsplit(self.page.url).path

    # --- Moving about ------------------------------------------------------------------

    def open(self, path: str) -> None:
        self.page.goto(self.base_url + path)
        self.arrived()

    def follow(self, locator) -> None:
        """Click a link or a submit button that loads another page."""
        with self.page.expect_navigation():
            locator.click()
        self.arrived()

    def press(self, key: str) -> None:
        """Press a key that loads another page (Enter on a link or a button)."""
        with self.page.expect_navigation():
            self.page.keyboard.press(key)
        self.arrived()

    def arrived(self) -> None:
        """A page has loaded: confirm the password if the portal asks, then run axe."""
        self.page.wait_for_load_state("load")
        # A server error first, rather than the accessibility of Django's error page.
        assert not self.server_errors, f"The portal failed: {self.server_errors}"
        self.check_accessibility()
        if self.path == CONFIRM_PASSWORD_PATH:
            self.confirm_password()
            return
        for callback in self.on_arrival:
            callback()

    def confirm_password(self) -> None:
        with self.page.expect_navigation():
            self._submit_password()
        self.arrived()

    def _submit_password(self) -> None:
        main = self.page.locator("main")
        main.locator("input[type=password]").fill(self.password)
        main.locator("form button[type=submit], form input[type=submit]").first.click()

    def sign_in(self, email: str, password: str) -> None:
        self.password = password
        self.open("/account/sign-in/")
        self.page.get_by_label("Email address").fill(email)
        self.page.get_by_label("Password", exact=True).fill(password)
        self.follow(self.page.get_by_role("button", name="Sign in"))

    def download(self, start, timeout: float = 15.0):
        """Start a download (click ``start``, a locator, or call it) and wait for the file;
        confirm the password on the way if the portal asks."""
        downloads = []

        def started(download) -> None:
            downloads.append(download)

        self.page.on("download", started)
        confirmed = False
        try:
            start.click() if hasattr(start, "click") else start()
            deadline = time.monotonic() + timeout
            while not downloads:
                if self.path == CONFIRM_PASSWORD_PATH and not confirmed:
                    # The portal asks again before an export, then sends the file.
                    self.page.wait_for_load_state("load")
                    self.check_accessibility()
                    self._submit_password()
                    confirmed = True
                    continue
                if time.monotonic() > deadline:
                    raise AssertionError(f"No download started from {self.page.url}")
                self.page.wait_for_timeout(100)
        finally:
            self.page.remove_listener("download", started)
        if self.unchecked:
            # Back on a page after the password: it is checked like any other.
            self.page.wait_for_load_state("load")
            self.check_accessibility()
        return downloads[0]

    # --- Checks --------------------------------------------------------------------------

    def check_accessibility(self) -> None:
        violations = serious_violations(self.page)
        self.checked.append(self.page.url)
        self.unchecked.clear()
        assert not violations, describe(self.page.url, violations)

    def screenshot(self, name: str) -> Path:
        """Save the whole page as the user sees it, for a reviewer."""
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        self.page.screenshot(path=path, full_page=True)
        return path

    def end(self, screenshot: str) -> Path:
        """Save what the user sees, and prove every page was checked and the browser was
        content."""
        path = self.screenshot(screenshot)
        assert not self.unchecked, f"Pages axe-core never checked: {self.unchecked}"
        assert not self.browser_problems, "\n".join(self.browser_problems)
        return path
