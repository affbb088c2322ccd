"""Every file upload's button has its visible text in its accessible name.

A voice-control user says what they see ("click Choose file"); NHS.UK's script names the
button it draws from the label, a hidden comma and the button's text, and the comma inside
the button split the name from what the button shows (WCAG 2.2, 2.5.3 Label in Name).
"""

from __future__ import annotations

import pytest

from tests.browser.axe import serious_violations
from tests.factories import DEFAULT_TEST_PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_concern_import_file_upload_is_named_by_what_it_shows(journey, sendiass_officer):
    journey.sign_in(sendiass_officer.email, DEFAULT_TEST_PASSWORD)
    journey.open("/intelligence/concerns/import/")

    button = journey.page.locator(".nhsuk-file-upload__drop-button")
    shown = " ".join(button.inner_text().split())
    assert shown.startswith("No file chosen")
    assert button.evaluate("(b) => b.getAttribute('aria-labelledby')")
    found = {v["id"] for v in serious_violations(journey.page)}
    assert "label-content-name-mismatch" not in found
    journey.end(screenshot="file-upload-named-by-what-it-shows")
