"""What is known about a person's second factor (read-only)."""

from __future__ import annotations

from django.db.models import Count, Q
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.models import AuditEvent


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


def password_resets_asked_since(since, *, identifier: str, client_address: str | None) -> dict:
    """How many password resets were asked for since ``since``: for this address typed
    (``for_address``) and from this client (``from_client``). Counted from the audit log,
    where each request is one event, so every web server process counts the same requests."""
    asked = AuditEvent.objects.filter(
        kind=AuditEvent.Kind.PASSWORD_RESET_REQUESTED, occurred_at__gte=since
    )
    # One query, both counts. Requests with no client address (none known) count together.
    return asked.aggregate(
        for_address=Count("pk", filter=Q(identifier=identifier)),
        from_client=Count("pk", filter=Q(client_address=client_address)),
    )
