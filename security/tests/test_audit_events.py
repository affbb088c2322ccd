"""Sign-in, sign-out and second-factor events reach the audit log (lockout: test_lockout.py)."""

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from security.tests.helpers import code_for, events, sign_in


@pytest.mark.django_db
def test_a_sign_in_is_recorded_with_the_person_and_address(client, dmo):
    sign_in(client, dmo, REMOTE_ADDR="198.51.100.7")

    [event] = events(AuditEvent.Kind.SIGNED_IN)
    assert event.actor == dmo
    assert event.client_address == "198.51.100.7"


@pytest.mark.django_db
def test_a_failed_sign_in_keeps_the_typed_email_and_never_the_password(client, dmo):
    typed_password = "my-secret-guess-Zq9"

    client.post(reverse("sign-in"), {"username": "Someone@Nhs.Test", "password": typed_password})

    [event] = events(AuditEvent.Kind.SIGN_IN_FAILED)
    assert event.actor is None
    assert event.identifier == "Someone@Nhs.Test"
    stored = " ".join(str(value) for value in AuditEvent.objects.values_list().get(pk=event.pk))
    assert typed_password not in stored
    assert events(AuditEvent.Kind.SIGNED_IN) == []


@pytest.mark.django_db
def test_a_sign_out_is_recorded(client, dmo):
    client.force_login(dmo)

    client.post(reverse("sign-out"))

    [event] = events(AuditEvent.Kind.SIGNED_OUT)
    assert event.actor == dmo


@pytest.mark.django_db
def test_signing_out_when_not_signed_in_records_nothing(client):
    client.post(reverse("sign-out"))

    assert events(AuditEvent.Kind.SIGNED_OUT) == []


@pytest.mark.django_db
def test_second_factor_events_are_recorded(client, dmo, mfa_required, give_authenticator):
    device = give_authenticator(dmo)
    client.force_login(dmo)
    wrong = f"{(int(code_for(device)) + 1) % 1_000_000:06d}"

    client.post(reverse("security:check"), {"code": wrong})
    [failed] = events(AuditEvent.Kind.MFA_FAILED)
    assert (failed.actor, failed.summary) == (dmo, "Authenticator code")

    device.throttle_reset()
    client.post(reverse("security:check"), {"code": code_for(device)})
    [verified] = events(AuditEvent.Kind.MFA_VERIFIED)
    assert verified.actor == dmo
