"""Helpers for the sign-in security tests."""

from django.urls import reverse
from django_otp.oath import totp

from audit.models import AuditEvent
from tests.factories import DEFAULT_TEST_PASSWORD


def code_for(device) -> str:
    """The code the person's authenticator app shows now (time.time(), so time-machine moves it)."""
    value = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{value:0{device.digits}d}"


def events(kind) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(kind=kind).order_by("pk"))


def sign_in(client, user, *, password=DEFAULT_TEST_PASSWORD, next_page=None, **extra):
    data = {"username": user.email, "password": password}
    url = reverse("sign-in")
    if next_page:
        data["next"] = next_page
        url += f"?next={next_page}"
    return client.post(url, data, **extra)
