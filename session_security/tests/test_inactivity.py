"""A session ends after SESSION_IDLE_MINUTES without a request; the page warns before."""

import datetime
import re
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from session_security.tests.conftest import sign_in
from tests.factories import DEFAULT_TEST_PASSWORD

KEEP_ALIVE_URL = reverse("session_security:keep-alive")
TIMED_OUT_URL = reverse("session_security:timed-out")
HOME = reverse("home")
JS = Path(settings.BASE_DIR) / "static" / "js" / "session-timeout.mjs"


def minutes(n: float) -> datetime.timedelta:
    return datetime.timedelta(minutes=n)


def test_the_idle_time_is_thirty_minutes_unless_configured():
    assert settings.SESSION_IDLE_MINUTES == 30
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    # Saved at most once a minute when unchanged (session_security.middleware).
    assert settings.SESSION_SAVE_EVERY_REQUEST is False
    assert settings.STEP_UP_MINUTES == 5


@pytest.mark.django_db
def test_the_session_ends_after_the_idle_time_without_a_request(client, dmo):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        sign_in(client, dmo, DEFAULT_TEST_PASSWORD)

        traveller.shift(minutes(settings.SESSION_IDLE_MINUTES) + datetime.timedelta(seconds=1))
        response = client.get(HOME)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("sign-in"))


@pytest.mark.django_db
def test_each_request_starts_the_idle_time_again(client, dmo):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        sign_in(client, dmo, DEFAULT_TEST_PASSWORD)
        for _ in range(3):
            traveller.shift(minutes(settings.SESSION_IDLE_MINUTES - 1))
            assert client.get(HOME).status_code == 200


def _session_expiry(client):
    from django.contrib.sessions.models import Session

    return Session.objects.get(session_key=client.session.session_key).expire_date


@pytest.mark.django_db
def test_the_session_is_saved_at_most_once_a_minute_when_nothing_changed(client, dmo):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        sign_in(client, dmo, DEFAULT_TEST_PASSWORD)
        traveller.shift(datetime.timedelta(seconds=61))
        client.get(HOME)
        renewed = _session_expiry(client)

        traveller.shift(datetime.timedelta(seconds=30))
        client.get(HOME)
        assert _session_expiry(client) == renewed  # within the minute: not written

        traveller.shift(datetime.timedelta(seconds=31))
        client.get(HOME)
        assert _session_expiry(client) == renewed + datetime.timedelta(seconds=61)


@pytest.mark.django_db
def test_the_idle_time_counts_from_the_last_request_to_within_a_minute(client, dmo):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        sign_in(client, dmo, DEFAULT_TEST_PASSWORD)
        traveller.shift(datetime.timedelta(seconds=61))
        assert client.get(HOME).status_code == 200  # renews the session
        traveller.shift(datetime.timedelta(seconds=59))
        assert client.get(HOME).status_code == 200  # within the minute: not saved

        # Idle from that last request for the idle time less a minute: still signed in.
        traveller.shift(minutes(settings.SESSION_IDLE_MINUTES - 1))
        assert client.get(HOME).status_code == 200
        # Idle for the whole idle time since the last save: signed out.
        traveller.shift(minutes(settings.SESSION_IDLE_MINUTES) + datetime.timedelta(seconds=1))
        response = client.get(HOME)
    assert response.status_code == 302


@pytest.mark.django_db
def test_stay_signed_in_always_renews_the_session(client, dmo):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        sign_in(client, dmo, DEFAULT_TEST_PASSWORD)
        traveller.shift(datetime.timedelta(seconds=61))
        client.get(HOME)
        renewed = _session_expiry(client)
        traveller.shift(datetime.timedelta(seconds=10))
        assert client.post(KEEP_ALIVE_URL).status_code == 204
    assert _session_expiry(client) == renewed + datetime.timedelta(seconds=10)


@pytest.mark.django_db
def test_the_idle_time_is_read_from_the_setting(client, dmo, settings):
    settings.SESSION_IDLE_MINUTES = 10
    settings.SESSION_COOKIE_AGE = 10 * 60
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        sign_in(client, dmo, DEFAULT_TEST_PASSWORD)
        page = client.get(HOME).content.decode()
        assert 'data-session-timeout-seconds="600"' in page

        traveller.shift(minutes(11))
        assert client.get(HOME).status_code == 302


@pytest.mark.django_db
def test_stay_signed_in_renews_the_session(client, dmo):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        sign_in(client, dmo, DEFAULT_TEST_PASSWORD)

        traveller.shift(minutes(settings.SESSION_IDLE_MINUTES - 1))
        response = client.post(KEEP_ALIVE_URL)
        assert response.status_code == 204
        assert response.content == b""

        traveller.shift(minutes(settings.SESSION_IDLE_MINUTES - 1))
        assert client.get(HOME).status_code == 200


@pytest.mark.django_db
def test_keep_alive_takes_only_a_post_with_the_csrf_token(dmo):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(dmo)
    assert client.get(KEEP_ALIVE_URL).status_code == 405
    assert client.post(KEEP_ALIVE_URL).status_code == 403


@pytest.mark.django_db
def test_keep_alive_cannot_revive_an_ended_session(client, dmo):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        sign_in(client, dmo, DEFAULT_TEST_PASSWORD)
        traveller.shift(minutes(settings.SESSION_IDLE_MINUTES + 1))
        response = client.post(KEEP_ALIVE_URL)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("sign-in"))


@pytest.mark.django_db
def test_a_signed_in_page_carries_the_timeout_and_the_warning(client, dmo):
    client.force_login(dmo)
    page = client.get(HOME).content.decode()

    body = re.search(r"<body[^>]*>", page).group(0)
    assert 'data-session-timeout-seconds="1800"' in body
    assert f'data-session-timed-out-url="{TIMED_OUT_URL}"' in body
    warning = page[page.index('id="session-timeout-warning"') :]
    # Hidden until the script shows it; without JavaScript the session simply ends.
    assert (
        '<div class="nhsuk-card nhsuk-card--warning" id="session-timeout-warning" hidden>' in page
    )
    assert f'action="{KEEP_ALIVE_URL}"' in warning
    assert 'name="csrfmiddlewaretoken"' in warning
    assert "Stay signed in" in warning
    assert '<script type="module" src="/static/js/session-timeout.mjs"></script>' in page
    assert 'href="/account/sessions/"' in page  # "Your sessions" in the account area


@pytest.mark.django_db
def test_the_sign_in_page_has_no_timeout(client):
    page = client.get(reverse("sign-in")).content.decode()
    assert "data-session-timeout-seconds" not in page
    assert "session-timeout-warning" not in page
    assert "session-timeout.mjs" not in page


def test_the_warning_script_reads_the_page_and_has_no_inline_parts():
    source = JS.read_text()
    assert "dataset.sessionTimeoutSeconds" in source
    assert "dataset.sessionTimedOutUrl" in source
    assert "2 * 60 * 1000" in source  # warns two minutes before
    assert "new FormData(form)" in source  # the CSRF token from the rendered form
    assert "innerHTML" not in source


@pytest.mark.django_db
def test_after_the_time_runs_out_the_browser_goes_to_sign_in_with_a_message(client):
    response = client.get(TIMED_OUT_URL, {"next": "/ehcp/children/"}, follow=True)

    assert response.redirect_chain[-1][0] == reverse("sign-in") + "?next=%2Fehcp%2Fchildren%2F"
    page = response.content.decode()
    assert "You were signed out because you had not used the portal for 30 minutes" in page


@pytest.mark.django_db
def test_the_timed_out_page_will_not_send_people_to_another_site(client):
    response = client.get(TIMED_OUT_URL, {"next": "https://evil.test/"})
    assert response["Location"] == reverse("sign-in")


@pytest.mark.django_db
def test_still_signed_in_elsewhere_in_the_browser_goes_back_to_the_page(client, dmo):
    client.force_login(dmo)
    response = client.get(TIMED_OUT_URL, {"next": "/roles/"})
    assert response["Location"] == "/roles/"
