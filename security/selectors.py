"""What is known about a person's second factor (read-only)."""

from __future__ import annotations

from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice


def authenticator(user) -> TOTPDevice | None:
    """The person's confirmed authenticator app, if they have set one up."""
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def has_authenticator(user) -> bool:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).exists()


def backup_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def second_factor_status(user) -> dict:
    """What the account page shows about the second factor."""
    device = authenticator(user)
    return {
        "authenticator": device,
        "backup_codes_left": backup_codes_left(user) if device else 0,
    }
