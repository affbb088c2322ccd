"""The admin's own pages in a browser: what axe-core finds on Django's admin is put right
(static/js/admin.js, static/css/admin.css, send_portal/admin_base.py)."""

from __future__ import annotations

import pytest

from tests.factories import DEFAULT_TEST_PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def _leave_out_the_admins_inline_styles(journey) -> None:
    """Django admin's scripts set a few style attributes (select2's widths among them),
    which the portal's Content Security Policy refuses everywhere (no inline styles); the
    pages keep the admin stylesheet's layout. Nothing else may trouble the browser."""
    journey.browser_problems[:] = [
        problem for problem in journey.browser_problems if "Applying inline style" not in problem
    ]


def test_the_administrator_adds_a_role_assignment_with_named_search_boxes(journey, administrator):
    page = journey.page
    journey.sign_in(administrator.email, DEFAULT_TEST_PASSWORD)

    journey.open("/admin/roles/roleassignment/add/")  # axe-core runs on arrival

    box = page.locator('select#id_user + .select2 .select2-selection[role="combobox"]')
    assert box.get_attribute("aria-labelledby").startswith("id_user-label")
    journey.open(f"/admin/roles/user/{administrator.pk}/change/")  # its inline's inputs
    _leave_out_the_admins_inline_styles(journey)
    journey.end(screenshot="admin-role-assignment")


def test_an_outbox_message_and_its_history_fit_a_320_px_window(journey, administrator):
    from outbox.models import OutboxMessage

    message = OutboxMessage.objects.create(
        task="meetings.tasks.send_meeting_reminders", args=[], kwargs={}
    )
    page = journey.page
    page.set_viewport_size({"width": 320, "height": 800})
    journey.sign_in(administrator.email, DEFAULT_TEST_PASSWORD)

    # The message's id (a UUID) heads both pages: it wraps rather than widening the page.
    for suffix in ("change", "history"):
        journey.open(f"/admin/outbox/outboxmessage/{message.pk}/{suffix}/")
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= 320, (suffix, width)
    _leave_out_the_admins_inline_styles(journey)
    journey.end(screenshot="admin-outbox-message-at-320px")
