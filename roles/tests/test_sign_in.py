"""Signing in and out, and the password pages."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import DEFAULT_TEST_PASSWORD


@pytest.mark.django_db
def test_signing_in_with_email_in_any_case_changes_the_session_key(client, dmo):
    client.get(reverse("sign-in"))
    client.session.save()
    key_before = client.session.session_key

    response = client.post(
        reverse("sign-in"), {"username": dmo.email.upper(), "password": DEFAULT_TEST_PASSWORD}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.session.session_key != key_before
    assert int(client.session["_auth_user_id"]) == dmo.pk


@pytest.mark.django_db
def test_a_wrong_password_shows_an_nhs_error_and_keeps_the_email(client, dmo):
    response = client.post(reverse("sign-in"), {"username": dmo.email, "password": "wrong"})

    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "Enter a correct email address and password" in page
    assert f'value="{dmo.email}"' in page
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_sign_in_returns_to_the_page_asked_for(client, dmo):
    response = client.post(
        reverse("sign-in") + "?next=/roles/",
        {"username": dmo.email, "password": DEFAULT_TEST_PASSWORD, "next": "/roles/"},
    )

    assert response["Location"] == "/roles/"


@pytest.mark.django_db
def test_sign_in_will_not_send_people_to_another_site(client, dmo):
    response = client.post(
        reverse("sign-in"),
        {"username": dmo.email, "password": DEFAULT_TEST_PASSWORD, "next": "https://evil.test/"},
    )

    assert response["Location"] == reverse("home")


@pytest.mark.django_db
def test_an_inactive_account_cannot_sign_in(client, dmo):
    dmo.is_active = False
    dmo.save()

    response = client.post(
        reverse("sign-in"), {"username": dmo.email, "password": DEFAULT_TEST_PASSWORD}
    )

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_sign_out_needs_a_post_and_ends_the_session(client, dmo):
    client.force_login(dmo)

    assert client.get(reverse("sign-out")).status_code == 405
    response = client.post(reverse("sign-out"))

    assert response["Location"] == reverse("sign-in")
    assert client.get(reverse("home")).status_code == 302


@pytest.mark.django_db
def test_password_reset_sends_a_link_that_works_once(
    client, dmo, django_capture_on_commit_callbacks
):
    # The email goes through the outbox once the request's transaction commits.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("password-reset"), {"email": dmo.email})
    assert response["Location"] == reverse("password-reset-done")
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/\S+)", mail.outbox[0].body).group(1)

    form_page = client.get(link, follow=True)
    assert "Choose a new password" in form_page.content.decode()
    new_password = "a-brand-new-password-2"
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
    )
    assert done["Location"] == reverse("password-reset-complete")
    assert client.login(email=dmo.email, password=new_password)
    assert "This link has expired" in client.get(link, follow=True).content.decode()


@pytest.mark.django_db
def test_password_reset_does_not_say_whether_an_address_has_an_account(client):
    response = client.post(reverse("password-reset"), {"email": "nobody@nhs.test"})

    assert response["Location"] == reverse("password-reset-done")
    assert len(mail.outbox) == 0


@pytest.mark.django_db
def test_a_short_new_password_is_refused(client, dmo):
    client.force_login(dmo)

    response = client.post(
        reverse("password-change"),
        {
            "old_password": DEFAULT_TEST_PASSWORD,
            "new_password1": "short-pw1",
            "new_password2": "short-pw1",
        },
    )

    assert response.status_code == 200
    assert "at least 12 characters" in response.content.decode()
