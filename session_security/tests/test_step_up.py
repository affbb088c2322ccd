"""Step-up: the password again before a sensitive action, unless entered in the last minutes."""

import datetime

import pytest
import time_machine
from django.conf import settings
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from session_security import step_up
from session_security.tests.conftest import make_password_stale, sign_in
from tests.factories import DEFAULT_TEST_PASSWORD

CONFIRM_URL = reverse("session_security:confirm-password")


def confirm(client, password, next_path="/roles/"):
    return client.post(CONFIRM_URL, {"password": password, "next": next_path})


class FakeSession(dict):
    pass


def request_with_session(**values):
    request = RequestFactory().get("/exports/thing.csv?which=all")
    request.session = FakeSession(values)
    return request


@step_up.recent_password_required
def sensitive_view(request):
    return HttpResponse("the file")


def test_a_password_entered_within_the_step_up_minutes_is_recent():
    now = timezone.now()
    with time_machine.travel(now, tick=False) as traveller:
        request = request_with_session()
        assert not step_up.password_recently_confirmed(request)
        step_up.note_password_entered(request)
        assert step_up.password_recently_confirmed(request)

        traveller.shift(datetime.timedelta(minutes=settings.STEP_UP_MINUTES))
        assert step_up.password_recently_confirmed(request)
        traveller.shift(datetime.timedelta(seconds=1))
        assert not step_up.password_recently_confirmed(request)


def test_a_time_in_the_future_or_not_a_time_is_not_recent():
    future = int(timezone.now().timestamp()) + 3600
    assert not step_up.password_recently_confirmed(
        request_with_session(**{step_up.PASSWORD_ENTERED_AT: future})
    )
    assert not step_up.password_recently_confirmed(
        request_with_session(**{step_up.PASSWORD_ENTERED_AT: "yesterday"})
    )


def test_the_decorator_sends_a_stale_session_to_confirm_and_back():
    response = sensitive_view(request_with_session())

    assert response.status_code == 302
    assert response["Location"] == CONFIRM_URL + "?next=%2Fexports%2Fthing.csv%3Fwhich%3Dall"


def test_the_decorator_lets_a_recent_password_through():
    request = request_with_session()
    step_up.note_password_entered(request)
    assert sensitive_view(request).content == b"the file"


@pytest.mark.django_db
def test_signing_in_counts_as_entering_the_password(client, dmo):
    sign_in(client, dmo, DEFAULT_TEST_PASSWORD)
    entered_at = client.session[step_up.PASSWORD_ENTERED_AT]
    assert abs(entered_at - timezone.now().timestamp()) < 5


@pytest.mark.django_db
def test_the_confirm_page_asks_for_the_password(client, dmo):
    client.force_login(dmo)
    page = client.get(CONFIRM_URL, {"next": "/roles/"}).content.decode()

    assert "<h1>Confirm your password</h1>" in page
    assert 'type="password"' in page
    assert 'autocomplete="current-password"' in page
    assert 'name="next" value="/roles/"' in page
    assert f"last {settings.STEP_UP_MINUTES} minutes" in page


@pytest.mark.django_db
def test_the_right_password_confirms_and_returns_to_the_page(client, dmo):
    client.force_login(dmo)
    make_password_stale(client)

    response = confirm(client, DEFAULT_TEST_PASSWORD, "/roles/?tab=history")

    assert response.status_code == 302
    assert response["Location"] == "/roles/?tab=history"
    entered_at = client.session[step_up.PASSWORD_ENTERED_AT]
    assert abs(entered_at - timezone.now().timestamp()) < 5
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.PASSWORD_CONFIRMED)
    assert event.actor == dmo


@pytest.mark.django_db
def test_a_wrong_password_shows_an_error_and_is_a_failed_sign_in(client, dmo):
    client.force_login(dmo)
    make_password_stale(client)
    stale = client.session[step_up.PASSWORD_ENTERED_AT]

    response = confirm(client, "not-my-password")

    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "The password is not correct" in page
    assert "<title>Error: Confirm your password" in page
    assert client.session[step_up.PASSWORD_ENTERED_AT] == stale
    failures = AuditEvent.objects.filter(kind=AuditEvent.Kind.SIGN_IN_FAILED)
    assert failures.count() == 1  # once: from Django's user_login_failed signal
    assert failures.get().url_name == "session_security:confirm-password"
    assert failures.get().identifier == dmo.email
    assert not AuditEvent.objects.filter(kind=AuditEvent.Kind.PASSWORD_CONFIRMED).exists()


@pytest.mark.django_db
def test_an_empty_password_is_asked_for(client, dmo):
    client.force_login(dmo)
    page = confirm(client, "").content.decode()
    assert "Enter your password" in page


@pytest.mark.django_db
def test_the_confirm_page_will_not_send_people_to_another_site(client, dmo):
    client.force_login(dmo)
    for target in ("https://evil.test/", "//evil.test/", "javascript:alert(1)"):
        response = confirm(client, DEFAULT_TEST_PASSWORD, target)
        assert response["Location"] == reverse("home")


@pytest.mark.django_db
def test_the_confirm_page_needs_sign_in(client):
    response = client.get(CONFIRM_URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("sign-in"))


@pytest.mark.django_db
def test_the_password_of_another_account_does_not_confirm(client, dmo, dco):
    dco.set_password("the-dcos-own-password-1")
    dco.save()
    client.force_login(dmo)
    make_password_stale(client)

    confirm(client, "the-dcos-own-password-1")

    assert not AuditEvent.objects.filter(kind=AuditEvent.Kind.PASSWORD_CONFIRMED).exists()


@pytest.mark.lockout
@pytest.mark.django_db
def test_too_many_wrong_passwords_end_the_session_and_lock_the_account(client, dmo):
    sign_in(client, dmo, DEFAULT_TEST_PASSWORD)

    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert confirm(client, "not-my-password").status_code == 200
    response = confirm(client, "not-my-password")

    assert response.status_code == settings.AXES_HTTP_RESPONSE_CODE
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.LOCKED_OUT).exists()
    # Locked: even the right password at the sign-in page is refused for now.
    again = client.post(
        reverse("sign-in"), {"username": dmo.email, "password": DEFAULT_TEST_PASSWORD}
    )
    assert again.status_code == settings.AXES_HTTP_RESPONSE_CODE
