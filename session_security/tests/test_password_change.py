"""A password change keeps this session signed in and ends every other one."""

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from audit.models import AuditEvent
from session_security.models import SignedInSession
from session_security.tests.conftest import SAFARI_ON_IPHONE, sign_in
from tests.factories import DEFAULT_TEST_PASSWORD

NEW_PASSWORD = "a-brand-new-portal-password-9"


def change_password(client, old=DEFAULT_TEST_PASSWORD, new=NEW_PASSWORD):
    return client.post(
        reverse("password-change"),
        {"old_password": old, "new_password1": new, "new_password2": new},
    )


def is_signed_in(client) -> bool:
    return client.get(reverse("session_security:sessions")).status_code == 200


@pytest.mark.django_db
def test_changing_the_password_signs_out_the_other_sessions_and_keeps_this_one(dmo):
    laptop, phone = Client(), Client()
    sign_in(phone, dmo, DEFAULT_TEST_PASSWORD, user_agent=SAFARI_ON_IPHONE)
    sign_in(laptop, dmo, DEFAULT_TEST_PASSWORD)
    phone_key = phone.cookies["sessionid"].value

    response = change_password(laptop)

    assert response.status_code == 302
    assert response["Location"] == reverse("password-change-done")
    assert is_signed_in(laptop)
    assert not is_signed_in(phone)
    # Gone from the store, not just refused at the phone's next request.
    assert not Session.objects.filter(session_key=phone_key).exists()
    phone_row = SignedInSession.objects.get(user=dmo, browser="Mobile Safari on iOS")
    assert phone_row.ended_at is not None


@pytest.mark.django_db
def test_this_sessions_record_follows_its_new_key(client, dmo):
    sign_in(client, dmo, DEFAULT_TEST_PASSWORD)
    key_before = client.session.session_key

    change_password(client)

    key_after = client.session.session_key
    assert key_after != key_before
    row = SignedInSession.objects.get(user=dmo)
    assert row.session_key == key_after
    assert row.ended_at is None
    page = client.get(reverse("session_security:sessions")).content.decode()
    assert "This device" in page


@pytest.mark.django_db
def test_a_password_change_is_in_the_audit_log(dmo, dco):
    laptop, phone, someone_else = Client(), Client(), Client()
    sign_in(someone_else, dco, DEFAULT_TEST_PASSWORD)
    sign_in(phone, dmo, DEFAULT_TEST_PASSWORD)
    sign_in(laptop, dmo, DEFAULT_TEST_PASSWORD)

    change_password(laptop)

    event = AuditEvent.objects.get(kind=AuditEvent.Kind.PASSWORD_CHANGED)
    assert event.actor == dmo
    assert event.target_id == str(dmo.pk)
    assert event.summary == "Password changed; 1 other session(s) signed out"
    assert event.client_address == "127.0.0.1"
    assert is_signed_in(someone_else)  # another person's session is not touched


@pytest.mark.django_db
def test_a_refused_password_change_ends_nothing(dmo):
    laptop, phone = Client(), Client()
    sign_in(phone, dmo, DEFAULT_TEST_PASSWORD)
    sign_in(laptop, dmo, DEFAULT_TEST_PASSWORD)

    response = change_password(laptop, old="not-my-password")

    assert response.status_code == 200
    assert is_signed_in(phone)
    assert not AuditEvent.objects.filter(kind=AuditEvent.Kind.PASSWORD_CHANGED).exists()
