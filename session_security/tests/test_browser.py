"""The browser named in "Your sessions"."""

from session_security.browser import describe
from session_security.tests.conftest import FIREFOX_ON_WINDOWS, SAFARI_ON_IPHONE


def test_common_browsers_are_named_with_their_system():
    assert describe(FIREFOX_ON_WINDOWS) == "Firefox on Windows"
    assert describe(SAFARI_ON_IPHONE) == "Mobile Safari on iOS"


def test_no_header_is_an_unknown_browser():
    assert describe("") == "Unknown browser"
    assert describe(None) == "Unknown browser"


def test_an_unrecognised_header_is_kept_short():
    header = "curious-client/" + "x" * 500
    assert describe(header) == header[:120]
