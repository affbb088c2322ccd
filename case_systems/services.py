"""Registering a council's case system, rotating its secret and revoking it.

Each is one transaction and one audit event. The client secret is returned once, to be
shown once (the admin page, the management command) and never again: the toolkit keeps
only its hash, so nobody, administrators included, can read it afterwards.
"""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from oauth2_provider.generators import generate_client_secret
from oauth2_provider.models import AccessToken, Application, RefreshToken

from audit.services import Kind, record_event
from case_systems import scopes as api_scopes
from case_systems.models import MAX_RATE_LIMIT_PER_MINUTE, CaseSystem
from roles.models import LocalArea, Organisation, Role, RoleAssignment, RoleCode, User
from send_portal.refusals import RefusedChange

#: The domain of the case systems' accounts' addresses: ``.invalid`` is reserved never to
#: resolve (RFC 2606), so no email can ever reach one, a password reset included.
ACCOUNT_EMAIL_DOMAIN = "case-systems.invalid"
ACCOUNT_NAME_SUFFIX = " (case system)"


@dataclass(frozen=True)
class Credentials:
    """What the council's system needs to ask for a token. ``client_secret`` exists only
    here: show it once."""

    case_system: CaseSystem
    client_id: str
    client_secret: str


def _check_scopes(chosen: Iterable[str]) -> str:
    chosen = list(chosen)
    unknown = sorted(set(chosen) - set(api_scopes.SCOPES))
    if unknown:
        raise RefusedChange(f"The API has no scope {unknown[0]}.")
    if not chosen:
        raise RefusedChange("Choose at least one scope.")
    return " ".join(api_scopes.parse(" ".join(chosen)))


def _check_rate_limit(rate_limit_per_minute: int) -> None:
    if not 1 <= rate_limit_per_minute <= MAX_RATE_LIMIT_PER_MINUTE:
        raise RefusedChange(
            f"The rate limit must be from 1 to {MAX_RATE_LIMIT_PER_MINUTE} requests a minute."
        )


@transaction.atomic
def register_case_system(
    *,
    name: str,
    organisation: Organisation,
    areas: Iterable[LocalArea],
    scopes: Iterable[str] = api_scopes.DEFAULT_SCOPES,
    rate_limit_per_minute: int | None = None,
    registered_by: User | None = None,
) -> Credentials:
    """A council's case system, its OAuth 2.0 client and the account it acts through.

    The account holds the Council SEND officer role at ``organisation`` in ``areas`` (the
    council's local areas), so the API reaches exactly what that role reaches on the pages.
    """
    name = name.strip()
    if not name:
        raise RefusedChange("Give the case system a name.")
    if CaseSystem.objects.filter(name__iexact=name).exists():
        raise RefusedChange("A case system with this name is registered already.")
    if organisation.kind != Organisation.Kind.COUNCIL:
        raise RefusedChange("A case system belongs to a council: choose the council.")
    areas = list(areas)
    if not areas:
        raise RefusedChange("Choose the council's local areas: the case system works in them.")
    scope_text = _check_scopes(scopes)
    if rate_limit_per_minute is None:
        rate_limit_per_minute = CaseSystem._meta.get_field("rate_limit_per_minute").default
    _check_rate_limit(rate_limit_per_minute)

    account = User(
        email=f"case-system-{secrets.token_hex(8)}@{ACCOUNT_EMAIL_DOMAIN}",
        full_name=name[: User._meta.get_field("full_name").max_length - len(ACCOUNT_NAME_SUFFIX)]
        + ACCOUNT_NAME_SUFFIX,
        is_system_account=True,
    )
    account.set_unusable_password()
    account.save()
    assignment = RoleAssignment.objects.create(
        user=account,
        role=Role.objects.get(code=RoleCode.SEND_OFFICER),
        organisation=organisation,
        note="The account a council's case system acts through (the API).",
    )
    assignment.areas.set(areas)

    secret = generate_client_secret()
    application = Application.objects.create(
        name=name,
        user=account,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_CLIENT_CREDENTIALS,
        client_secret=secret,
        hash_client_secret=True,
        skip_authorization=True,
    )
    case_system = CaseSystem.objects.create(
        name=name,
        organisation=organisation,
        application=application,
        account=account,
        scopes=scope_text,
        rate_limit_per_minute=rate_limit_per_minute,
        created_by=registered_by,
    )
    record_event(
        Kind.CASE_SYSTEM_REGISTERED,
        actor=registered_by,
        target=case_system,
        summary=f"Scopes: {scope_text}"[:255],
    )
    return Credentials(case_system, application.client_id, secret)


def _end_tokens(application: Application) -> None:
    # Refresh tokens first: each may point at an access token (PROTECT-free, but tidy).
    RefreshToken.objects.filter(application=application).delete()
    AccessToken.objects.filter(application=application).delete()


def _locked(case_system: CaseSystem) -> CaseSystem:
    return (
        CaseSystem.objects.select_for_update().select_related("application").get(pk=case_system.pk)
    )


@transaction.atomic
def rotate_secret(case_system: CaseSystem, rotated_by: User | None = None) -> Credentials:
    """A new client secret: the old one stops working at once, and so do the tokens it
    was given."""
    case_system = _locked(case_system)
    if case_system.is_revoked:
        raise RefusedChange("This case system's access is revoked: register a new one.")
    secret = generate_client_secret()
    application = case_system.application
    application.client_secret = secret
    application.save(update_fields=["client_secret", "updated"])
    _end_tokens(application)
    case_system.secret_rotated_at = timezone.now()
    case_system.save(update_fields=["secret_rotated_at"])
    record_event(Kind.CASE_SYSTEM_SECRET_ROTATED, actor=rotated_by, target=case_system)
    return Credentials(case_system, application.client_id, secret)


@transaction.atomic
def revoke(case_system: CaseSystem, revoked_by: User | None = None) -> CaseSystem:
    """The case system's access ends for good: its tokens stop working, its secret is
    replaced by one nobody knows, its account is deactivated and its role ended."""
    case_system = _locked(case_system)
    if case_system.is_revoked:
        raise RefusedChange("This case system's access is revoked already.")
    application = case_system.application
    application.client_secret = generate_client_secret()
    application.save(update_fields=["client_secret", "updated"])
    _end_tokens(application)
    account = case_system.account
    account.is_active = False
    account.save(update_fields=["is_active"])
    today = timezone.localdate()
    for assignment in RoleAssignment.objects.current(today).filter(user=account):
        # Ended yesterday, so not held today; an assignment made today ends today (an end
        # before the start is refused), and the inactive account holds nothing anyway.
        assignment.ends_on = max(assignment.starts_on, today - datetime.timedelta(days=1))
        assignment.save(update_fields=["ends_on"])
    case_system.revoked_at = timezone.now()
    case_system.revoked_by = revoked_by
    case_system.save(update_fields=["revoked_at", "revoked_by"])
    record_event(Kind.CASE_SYSTEM_REVOKED, actor=revoked_by, target=case_system)
    return case_system


@transaction.atomic
def change_limits(
    case_system: CaseSystem,
    *,
    scopes: Iterable[str],
    rate_limit_per_minute: int,
    changed_by: User | None = None,
) -> CaseSystem:
    """Change what a case system may ask for and how often. Narrower scopes end its tokens
    at once (a token keeps the scopes it was given), so nothing outlives the change."""
    case_system = _locked(case_system)
    scope_text = _check_scopes(scopes)
    _check_rate_limit(rate_limit_per_minute)
    narrower = not set(scope_text.split()) >= set(case_system.scope_list)
    case_system.scopes = scope_text
    case_system.rate_limit_per_minute = rate_limit_per_minute
    case_system.save(update_fields=["scopes", "rate_limit_per_minute"])
    if narrower:
        _end_tokens(case_system.application)
    return case_system
