"""Password policy: Django's validators, at least 12 characters, up to 128."""

import pytest
from django.contrib.auth.forms import PasswordChangeForm
from django.contrib.auth.password_validation import (
    password_validators_help_texts,
    validate_password,
)
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.factories import DEFAULT_TEST_PASSWORD


def _password(length: int) -> str:
    # Not common, not numeric, not like the user's details: only the length is being tested.
    return ("Quill-otter-7" * 20)[:length]


@pytest.mark.parametrize(
    ("length", "accepted"), [(11, False), (12, True), (128, True), (129, False)]
)
@pytest.mark.django_db
def test_passwords_from_12_to_128_characters_are_accepted(dmo, length, accepted):
    if accepted:
        validate_password(_password(length), dmo)
    else:
        with pytest.raises(ValidationError):
            validate_password(_password(length), dmo)


def test_the_help_text_gives_both_limits():
    help_texts = " ".join(password_validators_help_texts())

    assert "at least 12 characters" in help_texts
    assert "up to 128 characters" in help_texts


@pytest.mark.parametrize(
    ("length", "accepted"), [(11, False), (12, True), (128, True), (129, False)]
)
@pytest.mark.django_db
def test_the_password_change_form_applies_the_limits(dmo, length, accepted):
    new = _password(length)
    form = PasswordChangeForm(
        dmo, {"old_password": DEFAULT_TEST_PASSWORD, "new_password1": new, "new_password2": new}
    )

    assert form.is_valid() is accepted
    if length == 129:
        assert "It must be 128 characters or fewer" in str(form.errors)


@pytest.mark.django_db
def test_the_change_password_page_refuses_a_129_character_password(client, dmo):
    client.force_login(dmo)
    new = _password(129)

    response = client.post(
        reverse("password-change"),
        {"old_password": DEFAULT_TEST_PASSWORD, "new_password1": new, "new_password2": new},
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert "128 characters or fewer" in page
    dmo.refresh_from_db()
    assert dmo.check_password(DEFAULT_TEST_PASSWORD)
