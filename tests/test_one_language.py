"""The portal's one language is the active one while a request is served
(send_portal.language.OneLanguageMiddleware): the same words and dates, asked for without
asgiref's slow path for a language never activated."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import trans_real

seen = {}


def _record_language(sender, **kwargs):
    # Sent by the test client once the response is made, still inside the middleware.
    seen["active"] = getattr(trans_real._active, "value", None)
    seen["language"] = translation.get_language()


@pytest.mark.django_db
def test_a_request_is_served_in_the_portals_language_made_active(client, dco, settings):
    from django.test.signals import template_rendered

    client.force_login(dco)
    template_rendered.connect(_record_language)
    try:
        response = client.get(reverse("about"))
    finally:
        template_rendered.disconnect(_record_language)

    assert response.status_code == 200
    assert seen["active"] is not None
    assert seen["active"].to_language() == settings.LANGUAGE_CODE == seen["language"]
    # Left as it was found: nothing active once the request is done.
    assert getattr(trans_real._active, "value", None) is None


def test_dates_and_words_are_the_same_with_the_language_active(settings):
    from django.template import Context, Template

    page = Template('{{ day|date:"j F Y" }} {{ day }} {{ "Yes"|yesno:"Yes,No" }}')
    day = datetime.date(2026, 12, 7)
    translation.deactivate()
    before = page.render(Context({"day": day}))
    with translation.override(settings.LANGUAGE_CODE):
        during = page.render(Context({"day": day}))

    assert before == during
    assert before.startswith("7 December 2026 ")
