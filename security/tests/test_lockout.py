"""Lockout after repeated failed sign-ins (django-axes), through the real sign-in page.

Counted per account and client address: the account is locked from the address the failures
came from, not for everyone; the client address is only taken from X-Forwarded-For as far as
TRUSTED_PROXY_COUNT proxies vouch for it.
"""

import pytest
from django.conf import settings
from django.test import RequestFactory
from django.urls import reverse

from audit.models import AuditEvent
from security.lockout import client_address
from security.tests.helpers import events, sign_in

ATTACKER = "203.0.113.66"
OWNER = "198.51.100.7"
PROXY = "10.0.0.2"

pytestmark = [pytest.mark.lockout, pytest.mark.django_db]


def _fail(client, user, times, **extra):
    responses = [sign_in(client, user, password="not-the-password", **extra) for _ in range(times)]
    return responses[-1]


def _signed_in(response) -> bool:
    return response.status_code == 302 and response["Location"] == reverse("home")


def test_the_account_locks_from_that_address_after_the_failure_limit(client, dmo):
    limit = settings.AXES_FAILURE_LIMIT
    assert _fail(client, dmo, limit - 1, REMOTE_ADDR=ATTACKER).status_code == 200

    locked = _fail(client, dmo, 1, REMOTE_ADDR=ATTACKER)

    assert locked.status_code == 429
    page = locked.content.decode()
    assert "Sign-in is locked for now" in page
    assert "Wait 30 minutes" in page
    # The right password does not help while locked.
    again = sign_in(client, dmo, REMOTE_ADDR=ATTACKER)
    assert again.status_code == 429
    assert "_auth_user_id" not in client.session
    lockouts = events(AuditEvent.Kind.LOCKED_OUT)
    assert lockouts and lockouts[0].identifier == dmo.email
    assert lockouts[0].client_address == ATTACKER


def test_the_same_account_still_signs_in_from_another_address(client, dmo):
    _fail(client, dmo, settings.AXES_FAILURE_LIMIT, REMOTE_ADDR=ATTACKER)

    assert _signed_in(sign_in(client, dmo, REMOTE_ADDR=OWNER))


def test_changing_the_case_of_the_email_does_not_get_more_attempts(client, dmo):
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        typed = dmo.email.upper() if attempt % 2 else dmo.email.capitalize()
        response = client.post(
            reverse("sign-in"),
            {"username": typed, "password": "not-the-password"},
            REMOTE_ADDR=ATTACKER,
        )

    assert response.status_code == 429
    assert sign_in(client, dmo, REMOTE_ADDR=ATTACKER).status_code == 429


def test_a_successful_sign_in_clears_the_count(client, dmo):
    limit = settings.AXES_FAILURE_LIMIT
    _fail(client, dmo, limit - 1, REMOTE_ADDR=OWNER)
    assert _signed_in(sign_in(client, dmo, REMOTE_ADDR=OWNER))
    client.logout()

    assert _fail(client, dmo, limit - 1, REMOTE_ADDR=OWNER).status_code == 200


def test_with_no_trusted_proxy_a_forged_forwarded_for_is_ignored(client, dmo, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    # The attacker forges a new X-Forwarded-For on every attempt, including the owner's address.
    forged = [OWNER] + [f"192.0.2.{n}" for n in range(1, settings.AXES_FAILURE_LIMIT)]
    for address in forged:
        response = sign_in(
            client, dmo, password="wrong", REMOTE_ADDR=ATTACKER, HTTP_X_FORWARDED_FOR=address
        )

    assert response.status_code == 429
    assert sign_in(client, dmo, REMOTE_ADDR=ATTACKER, HTTP_X_FORWARDED_FOR=OWNER).status_code == 429
    # The owner, at the address the attacker named, is not locked out.
    assert _signed_in(sign_in(client, dmo, REMOTE_ADDR=OWNER))
    assert {e.client_address for e in events(AuditEvent.Kind.SIGN_IN_FAILED)} == {ATTACKER}


def test_behind_one_trusted_proxy_the_right_most_forwarded_address_counts(client, dmo, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    # The proxy appends the address it saw; anything to its left the client wrote.
    for n in range(settings.AXES_FAILURE_LIMIT):
        response = sign_in(
            client,
            dmo,
            password="wrong",
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR=f"{OWNER if n == 0 else f'192.0.2.{n}'}, {ATTACKER}",
        )

    assert response.status_code == 429
    assert events(AuditEvent.Kind.LOCKED_OUT)[0].client_address == ATTACKER
    # The owner comes through the same proxy from their own address and is not locked out.
    assert _signed_in(sign_in(client, dmo, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=OWNER))


@pytest.mark.parametrize(
    ("trusted", "forwarded_for", "expected"),
    [
        (0, None, "192.0.2.10"),
        (0, "203.0.113.9", "192.0.2.10"),
        (0, "198.51.100.1, 203.0.113.9", "192.0.2.10"),
        (1, None, "192.0.2.10"),
        (1, "203.0.113.9", "203.0.113.9"),
        (1, "198.51.100.1, 203.0.113.9", "203.0.113.9"),
        (1, "not-an-address", "192.0.2.10"),
        (1, "2001:db8::1", "2001:db8::1"),
        (2, "203.0.113.9", "192.0.2.10"),
        (2, "198.51.100.1, 203.0.113.9, 10.0.0.3", "203.0.113.9"),
    ],
)
def test_the_client_address_counts_trusted_proxies_from_the_right(
    settings, trusted, forwarded_for, expected
):
    settings.TRUSTED_PROXY_COUNT = trusted
    meta = {"REMOTE_ADDR": "192.0.2.10"}
    if forwarded_for is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded_for

    assert client_address(RequestFactory().get("/", **meta)) == expected
