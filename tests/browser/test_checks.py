"""The journeys' own checks can fail: axe-core finds a serious violation, the keyboard
check finds a focus that cannot be seen, and a page axe never saw is reported."""

from __future__ import annotations

import pytest

from tests.browser.axe import serious_violations
from tests.browser.journey import Journey
from tests.browser.keyboard import Keyboard


@pytest.fixture
def page(chromium):
    context = chromium.new_context()
    yield context.new_page()
    context.close()


def test_axe_reports_an_image_without_a_text_alternative_and_a_field_without_a_label(page):
    page.set_content(
        '<html lang="en"><head><title>t</title></head><body><main><h1>Form</h1>'
        '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="><input type="text">'
        "</main></body></html>"
    )
    found = {violation["id"] for violation in serious_violations(page)}
    assert {"image-alt", "label"} <= found


def test_a_control_whose_focus_looks_like_its_rest_fails_the_keyboard_check(page):
    page.set_content(
        "<style>a:focus, button:focus { outline: none; }</style>"
        '<a href="#one" class="shown">Shown</a><button>Hidden focus</button>'
        "<style>a.shown:focus { outline: 3px solid #ffeb3b; }</style>"
    )
    keyboard = Keyboard(Journey(page, "http://portal.invalid"))
    keyboard.remember_unfocused_styles()

    keyboard.tab()  # the link: its outline shows
    with pytest.raises(AssertionError, match='Focus on <button> "Hidden focus" cannot be seen'):
        keyboard.tab()


def test_a_journey_that_never_checked_a_page_does_not_end_well(page):
    journey = Journey(page, "http://portal.invalid")
    page.goto("data:text/html,<html lang=en><title>Checked</title><main><h1>Checked</h1></main>")
    journey.check_accessibility()
    page.goto("data:text/html,<title>Not checked</title><main><h1>Not checked</h1></main>")

    with pytest.raises(AssertionError, match="Pages axe-core never checked: \\['data:text/html"):
        journey.end(screenshot="checks-a-page-never-checked")
