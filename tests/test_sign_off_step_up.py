"""The medical sign-off asks for the password itself; signing off counts as entering it."""

from types import SimpleNamespace

import pytest
from django.urls import reverse

from ehcp.models import Plan
from ehcp.tests.factories import make_plan_waiting_for_sign_off
from session_security import step_up
from session_security.tests.conftest import make_password_stale
from tests.factories import DEFAULT_TEST_PASSWORD


@pytest.fixture
def version(clinical_lead):
    return make_plan_waiting_for_sign_off(author=clinical_lead).versions.get()


def password_is_recent(client) -> bool:
    return step_up.password_recently_confirmed(SimpleNamespace(session=client.session))


def sign(client, version, password):
    return client.post(
        reverse("ehcp:sign-off-review", args=[version.pk]),
        {"attest": "on", "registration_number": "GMC 7012345", "password": password},
    )


@pytest.mark.django_db
def test_a_sign_off_refreshes_the_password_confirmation(client, dmo, version):
    client.force_login(dmo)
    make_password_stale(client)

    response = sign(client, version, DEFAULT_TEST_PASSWORD)

    assert response.status_code == 302
    version.plan.refresh_from_db()
    assert version.plan.status == Plan.Status.SIGNED_OFF
    assert password_is_recent(client)
    # So the printout straight after needs no second password.
    assert client.get(reverse("ehcp:version-print", args=[version.pk])).status_code == 200


@pytest.mark.django_db
def test_a_sign_off_refused_for_a_wrong_password_refreshes_nothing(client, dmo, version):
    client.force_login(dmo)
    make_password_stale(client)

    response = sign(client, version, "not-my-password")

    assert response.status_code == 200
    assert not password_is_recent(client)
    printout = client.get(reverse("ehcp:version-print", args=[version.pk]))
    assert printout.status_code == 302


@pytest.mark.django_db
def test_the_sign_off_form_still_asks_for_the_password_even_when_recent(client, dmo, version):
    client.force_login(dmo)  # the password was entered at sign-in, a moment ago

    response = sign(client, version, "")

    assert response.status_code == 200
    version.plan.refresh_from_db()
    assert version.plan.status != Plan.Status.SIGNED_OFF


def signed_in_through_a_provider(client, user) -> None:
    """As a federated sign-in leaves the session (security/services.py)."""
    client.force_login(user)
    session = client.session
    session[step_up.CONFIRM_ELSEWHERE] = reverse("federated-step-up")
    session.save()


@pytest.mark.django_db
def test_a_dmo_signed_in_through_a_provider_cannot_sign_without_a_fresh_confirmation(
    client, dmo, version
):
    signed_in_through_a_provider(client, dmo)
    make_password_stale(client)

    page = client.get(reverse("ehcp:sign-off-review", args=[version.pk])).content.decode()
    response = sign(client, version, "")

    assert "Confirm it is you to sign off" in page and "Your password" not in page
    assert response.status_code == 302
    assert response["Location"] == reverse("ehcp:sign-off-review", args=[version.pk])
    version.plan.refresh_from_db()
    assert version.plan.status != Plan.Status.SIGNED_OFF


@pytest.mark.django_db
def test_a_fresh_confirmation_at_the_provider_signs_once_and_is_spent(client, dmo, version):
    signed_in_through_a_provider(client, dmo)
    session = client.session
    step_up.note_password_entered(SimpleNamespace(session=session))
    session.save()

    response = sign(client, version, "")

    assert response.status_code == 302
    version.plan.refresh_from_db()
    assert version.plan.status == Plan.Status.SIGNED_OFF
    assert not password_is_recent(client)  # the next sign-off asks the provider again
