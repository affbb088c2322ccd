"""A person's name, shown the same way on every page, email and PDF (roles/names.py)."""

import pytest
from django.core import mail
from django.urls import reverse

from ehcp.tests.factories import ChildFactory
from notifications.services import notify
from roles.models import RoleCode
from roles.names import PersonName
from tests.factories import UserFactory, person_holding


@pytest.mark.parametrize(
    "written,shown,greeted",
    [
        ("Dr Aisha Khan", "Dr Aisha Khan", "Dr Khan"),
        ("Sam Lee", "Sam Lee", "Sam"),
        ("  Sam   Lee ", "Sam Lee", "Sam"),
        ("Prof. Dame Ruth Ogun", "Prof. Dame Ruth Ogun", "Prof. Ogun"),
        ("dr khan", "dr khan", "dr khan"),
        ("Priya", "Priya", "Priya"),
        # A title alone, or nothing, is no name: the email address stands in.
        ("Dr", "fallback@nhs.test", "fallback@nhs.test"),
        ("", "fallback@nhs.test", "fallback@nhs.test"),
        ("   ", "fallback@nhs.test", "fallback@nhs.test"),
    ],
)
def test_a_name_is_shown_in_full_and_greeted_by_title_and_surname_or_first_name(
    written, shown, greeted
):
    name = PersonName.parse(written)

    assert name.full(fallback="fallback@nhs.test") == shown
    assert name.greeting(fallback="fallback@nhs.test") == greeted


def test_the_user_model_answers_with_the_same_names():
    person = UserFactory.build(full_name="Dr Aisha Khan", email="aisha.khan@nhs.test")

    assert (person.display_name, person.greeting_name) == ("Dr Aisha Khan", "Dr Khan")
    assert (str(person), person.get_full_name(), person.get_short_name()) == (
        "Dr Aisha Khan",
        "Dr Aisha Khan",
        "Dr Khan",
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "written,greeting",
    [("Dr Aisha Khan", "Welcome, Dr Khan"), ("Dr", "Welcome, titled@nhs.test")],
)
def test_the_home_page_greets_a_person_by_name_not_by_title_alone(
    client, provider_a, written, greeting
):
    person = person_holding(
        RoleCode.DMO, provider_a, user__full_name=written, user__email="titled@nhs.test"
    )
    client.force_login(person)

    page = client.get(reverse("home")).content.decode()

    assert f"<h1>{greeting}</h1>" in page
    assert "Welcome, Dr<" not in page


@pytest.mark.django_db
def test_the_header_shows_the_name_and_the_email_stands_in_for_a_missing_one(client, provider_a):
    person = person_holding(
        RoleCode.DMO, provider_a, user__full_name="Dr", user__email="no.name@nhs.test"
    )
    client.force_login(person)

    page = client.get(reverse("home")).content.decode()

    assert "no.name@nhs.test" in page


@pytest.mark.django_db
def test_emails_address_the_person_by_the_shown_name(provider_a):
    person = person_holding(RoleCode.DMO, provider_a, user__full_name="  Sam   Lee ")

    notify(
        person,
        "Sections returned",
        email_template="notifications/email/notification.txt",
        email_context={"title": "Sections returned", "link": "http://127.0.0.1:8000/"},
    )

    (email,) = mail.outbox
    assert email.body.startswith("Dear Sam Lee,")


@pytest.mark.django_db
def test_a_child_with_a_missing_name_part_shows_no_stray_space():
    assert ChildFactory(first_name="Amara", last_name="").full_name == "Amara"
    assert ChildFactory(first_name="", last_name="Okafor").full_name == "Okafor"
