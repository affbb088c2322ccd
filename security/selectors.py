"""What is known about a person's second factor (read-only)."""

from __future__ import annotations

from django.db.models import Count, Q
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.models import AuditEvent
from roles.models import RoleAssignment
from security.models import FederatedIdentity, OrganisationSignIn, Provider


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


# --- Federated sign-in --------------------------------------------------------------------


def sign_in_methods_of(user) -> set[tuple[str, str]]:
    """How the organisations the person works for today sign in: (method, Entra tenant)
    pairs, the portal's own accounts for an organisation an administrator has not set."""
    rows = (
        RoleAssignment.objects.current()
        .filter(user=user)
        .values_list("organisation__sign_in__method", "organisation__sign_in__entra_tenant_id")
        .distinct()
    )
    return {(method or Provider.PORTAL, tenant or "") for method, tenant in rows}


def linked_identity(issuer: str, subject: str) -> FederatedIdentity | None:
    return (
        FederatedIdentity.objects.select_related("user")
        .filter(issuer=issuer, subject=subject)
        .first()
    )


def organisations_signing_in_with_entra():
    """The organisations whose people sign in with their Entra tenant, for the sign-in page."""
    return (
        OrganisationSignIn.objects.filter(method=Provider.ENTRA, organisation__is_active=True)
        .exclude(entra_tenant_id="")
        .select_related("organisation")
        .order_by("organisation__name")
    )


def entra_tenant_of(organisation_id: int) -> str | None:
    return (
        OrganisationSignIn.objects.filter(
            organisation_id=organisation_id,
            organisation__is_active=True,
            method=Provider.ENTRA,
        )
        .values_list("entra_tenant_id", flat=True)
        .first()
    )
