"""The second factor: setting up an authenticator app, checking codes, backup codes, removal.

Tokens are checked by django-otp's devices, which throttle repeated failures themselves
(each wrong code doubles the wait before the next is accepted: ThrottlingMixin). Every
outcome goes to the audit log.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import django_otp
from django.conf import settings
from django.contrib.auth import login as auth_login
from django.contrib.auth.forms import PasswordResetForm
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_otp.models import VerifyNotAllowed
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.models import AuditEvent
from audit.services import client_address, record_event
from outbox.services import enqueue
from roles.models import User
from security import federation, rules, selectors, tasks
from security.models import (
    FederatedIdentity,
    Provider,
    ProviderSecondFactor,
    SignInInvitation,
)
from session_security.services import end_every_session
from session_security.step_up import CONFIRM_ELSEWHERE, note_password_entered

AUTHENTICATOR_NAME = "Authenticator app"
BACKUP_CODES_NAME = "Backup codes"
_AUTHENTICATOR_CODE = re.compile(r"^\d{6}$")
_SPACES_AND_DASHES = re.compile(r"[\s-]+")


class CodeRefused(Exception):
    """A code was not accepted. ``wait_until`` is set when wrong codes have paused checking."""

    def __init__(self, wait_until: datetime | None = None):
        super().__init__("code refused")
        self.wait_until = wait_until


@dataclass(frozen=True)
class Outcome:
    device: TOTPDevice | StaticDevice
    used_backup_code: bool


def normalise_code(code: str) -> str:
    """People copy codes with spaces or dashes ("123 456", "abcd-efgh"); neither matters."""
    return _SPACES_AND_DASHES.sub("", code).lower()


def authenticator_being_set_up(user) -> TOTPDevice:
    """The unconfirmed authenticator for this person, made once so reloading the set-up page
    keeps the same secret (their app may already have scanned it)."""
    device = TOTPDevice.objects.devices_for_user(user, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=False)
    return device


def _check(device, code: str) -> CodeRefused | None:
    """None if the device accepts the code, else why not. Returned rather than raised, so the
    caller's transaction keeps the device's count of failures."""
    allowed, detail = device.verify_is_allowed()
    if not allowed:
        wait_until = None
        if detail and detail.get("reason") == VerifyNotAllowed.N_FAILED_ATTEMPTS:
            wait_until = detail.get("locked_until")
        return CodeRefused(wait_until)
    if not device.verify_token(code):
        return CodeRefused()
    return None


def _verified(request, device) -> None:
    django_otp.login(request, device)
    # The session now carries more trust than it did: give it a new key, as sign-in does.
    request.session.cycle_key()


def finish_set_up(request, device: TOTPDevice, code: str) -> list[str]:
    """Confirm the authenticator with a code from it, pass this session, issue backup codes.

    Returns the new backup codes, to be shown to the person once.
    """
    user = request.user
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user)
        refused = _check(device, normalise_code(code))
    if refused is not None:
        record_event(AuditEvent.Kind.MFA_FAILED, request=request, summary="Setting up")
        raise refused
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        # Any other half-finished set-up is now meaningless.
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        codes = issue_backup_codes(user)
    _verified(request, device)
    record_event(AuditEvent.Kind.MFA_ENROLLED, request=request, target=device)
    return codes


def check_code(request, code: str) -> Outcome:
    """Pass this session's second factor with a code from the authenticator or a backup code.

    A six-digit code is checked against the authenticator only and anything else against the
    backup codes only, so a mistyped code never counts against both. A backup code works once.
    """
    user = request.user
    code = normalise_code(code)
    use_backup = not _AUTHENTICATOR_CODE.match(code)
    model = StaticDevice if use_backup else TOTPDevice
    kind_of_code = "Backup code" if use_backup else "Authenticator code"
    with transaction.atomic():
        device = model.objects.devices_for_user(user, confirmed=True).select_for_update().first()
        refused = CodeRefused() if device is None else _check(device, code)
    if refused is not None:
        record_event(AuditEvent.Kind.MFA_FAILED, request=request, summary=kind_of_code)
        raise refused
    _verified(request, device)
    record_event(AuditEvent.Kind.MFA_VERIFIED, request=request, summary=kind_of_code)
    return Outcome(device=device, used_backup_code=use_backup)


def issue_backup_codes(user) -> list[str]:
    """Replace the person's backup codes with a new set and return it (shown once)."""
    with transaction.atomic():
        StaticDevice.objects.filter(user=user).delete()
        device = StaticDevice.objects.create(user=user, name=BACKUP_CODES_NAME, confirmed=True)
        codes = [StaticToken.random_token() for _ in range(settings.PORTAL_BACKUP_CODE_COUNT)]
        StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def remove_second_factor(person, *, request=None) -> None:
    """Remove a person's authenticator and backup codes (a lost phone). At their next sign-in
    they set up a new authenticator; a session they already had must pass it again."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=person).delete()
        StaticDevice.objects.filter(user=person).delete()
    record_event(AuditEvent.Kind.MFA_RESET, request=request, target=person)


# --- Password reset ---------------------------------------------------------------------


def normalise_email(email: str) -> str:
    """The address as sign-in matches it (any case), which is how requests are counted."""
    return email.strip().lower()


def request_password_reset(request, email: str) -> bool:
    """Ask for a password-reset email to ``email``; False when the request is over a limit.

    The limits are per address typed (``PASSWORD_RESET_LIMIT_PER_ADDRESS``) and per client
    (``PASSWORD_RESET_LIMIT_PER_CLIENT``) over ``PASSWORD_RESET_LIMIT_MINUTES``. Every
    request within them is counted and answered the same way whether or not an account has
    the address, so neither the answer nor the limit says who has an account. The email
    goes through the outbox with the person's id only: the worker makes the link, so the
    reset token is never stored.
    """
    identifier = normalise_email(email)
    since = timezone.now() - timedelta(minutes=settings.PASSWORD_RESET_LIMIT_MINUTES)
    asked = selectors.password_resets_asked_since(
        since, identifier=identifier, client_address=client_address(request)
    )
    if (
        asked["for_address"] >= settings.PASSWORD_RESET_LIMIT_PER_ADDRESS
        or asked["from_client"] >= settings.PASSWORD_RESET_LIMIT_PER_CLIENT
    ):
        return False
    with transaction.atomic():
        record_event(
            AuditEvent.Kind.PASSWORD_RESET_REQUESTED, request=request, identifier=identifier
        )
        # Active accounts with a usable password, as Django's own reset form finds them.
        people = [user.pk for user in PasswordResetForm().get_users(email.strip())]
        # An address without an account gets a message too (which sends nothing), so the
        # request does the same work and takes as long either way: its time says nothing.
        for user_id in people or [None]:
            enqueue(tasks.send_password_reset, user_id)
    return True


# --- Federated sign-in (security/federation.py) ------------------------------------------


class SignInRefused(Exception):
    """A federated sign-in the portal does not accept. ``unknown`` is true when nobody's
    account could be found for the person (the page says whom to ask)."""

    def __init__(self, reason: str, *, unknown: bool = False):
        super().__init__(reason)
        self.reason = reason
        self.unknown = unknown


#: Where the session keeps how it was signed in: {"provider", "tenant", "issuer", "subject"}.
FEDERATED_SESSION_KEY = "security.federated"


def record_federated_refusal(request, config, reason: str, *, subject: str = "") -> None:
    """A refused federated sign-in or back-channel logout, in the audit log: the provider,
    the subject if known, and why in a few words (never the token)."""
    record_event(
        AuditEvent.Kind.FEDERATED_REFUSED,
        request=request,
        identifier=subject,
        summary=f"{config.provider}: {reason}"[:255],
    )


def refuse_federated(request, config, reason: str, *, subject: str = "", unknown=False):
    """Record a refused federated sign-in and raise it."""
    record_federated_refusal(request, config, reason, subject=subject)
    raise SignInRefused(reason, unknown=unknown)


#: Where the session keeps the invitation being followed (its row id).
INVITATION_SESSION_KEY = "security.invitation"
#: How long an invitation to link a sign-in works.
INVITATION_DAYS = 7


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invite_to_link(user, *, made_by=None, request=None) -> str:
    """Make an invitation for ``user``'s account to be tied to their next federated sign-in;
    returns the path of its link (with the token, shown once to the administrator)."""
    if user.is_system_account:
        raise ValueError("A system's account is never tied to a person's sign-in.")
    token = secrets.token_urlsafe(32)
    invitation = SignInInvitation.objects.create(
        user=user,
        token_hash=_token_hash(token),
        made_by=made_by,
        expires_at=timezone.now() + timedelta(days=INVITATION_DAYS),
    )
    record_event(
        AuditEvent.Kind.SIGN_IN_INVITATION,
        request=request,
        target=user,
        summary=f"Invitation {invitation.pk}",
    )
    return reverse("federated-invitation", args=[token])


def follow_invitation(request, token: str) -> bool:
    """Keep a working invitation in this session for the federated sign-in that follows;
    False for a token that is unknown, used or out of date."""
    if not (0 < len(token) <= 100):
        return False
    invitation = SignInInvitation.objects.filter(
        token_hash=_token_hash(token), used_at__isnull=True, expires_at__gt=timezone.now()
    ).first()
    if invitation is None:
        return False
    request.session[INVITATION_SESSION_KEY] = invitation.pk
    return True


def _invited(request):
    """The invitation this session follows, if it still works."""
    pk = request.session.get(INVITATION_SESSION_KEY)
    if not isinstance(pk, int):
        return None
    return (
        SignInInvitation.objects.select_related("user")
        .filter(pk=pk, used_at__isnull=True, expires_at__gt=timezone.now())
        .first()
    )


def _first_link(request, config, claims: dict, subject: str):
    """The account a provider's subject is tied to the first time it signs in, and how:
    the account of the invitation this session follows, or else the account the
    administrator made with the email the provider says it verified. Never an account
    already tied to another subject of the same provider: after the first time, only the
    subject counts."""
    invitation = _invited(request)
    if invitation is not None:
        user, linked_by = invitation.user, FederatedIdentity.LinkedBy.INVITATION
    else:
        email = federation.verified_email(claims)
        user = None if email is None else User.objects.people().filter(email__iexact=email).first()
        linked_by = FederatedIdentity.LinkedBy.VERIFIED_EMAIL
    if user is None or user.is_system_account:
        # A system's account (a case system's) is never tied to anyone's sign-in.
        return None, None
    if FederatedIdentity.objects.filter(user=user, issuer=config.issuer).exists():
        refuse_federated(
            request, config, "account already linked to another subject", subject=subject
        )
    return user, linked_by


def _subject(request, config, claims: dict) -> str:
    try:
        return federation.subject_of(claims)
    except federation.FederationRefused as refused:
        refuse_federated(request, config, refused.reason)


def federated_sign_in(request, config, claims: dict):
    """Sign in the person a provider's checked ID token names, or refuse.

    The subject finds the account it was tied to; the first time, the invitation this
    session follows, or else a verified email matching an account, ties it (and the link
    is recorded). Nothing is created for someone without an
    account. The account's organisation must sign in through this provider. A token that
    says more than one factor was used passes the portal's second factor too.
    """
    subject = _subject(request, config, claims)
    if not federation.identity_assured(config.provider, claims):
        refuse_federated(request, config, "identity assurance under level 3", subject=subject)
    identity = selectors.linked_identity(config.issuer, subject)
    if identity is not None:
        user, linked_by = identity.user, None
    else:
        user, linked_by = _first_link(request, config, claims, subject)
        if user is None:
            refuse_federated(
                request, config, "no account for this person", subject=subject, unknown=True
            )
    if not user.is_active:
        refuse_federated(request, config, "account closed", subject=subject)
    if not rules.may_sign_in_with(user, config.provider, config.tenant):
        refuse_federated(
            request, config, "the person's organisation does not sign in this way", subject=subject
        )
    with transaction.atomic():
        if identity is None:
            identity = FederatedIdentity.objects.create(
                user=user,
                provider=config.provider,
                issuer=config.issuer,
                subject=subject,
                linked_by=linked_by,
            )
            if linked_by == FederatedIdentity.LinkedBy.INVITATION:
                # Used once: a second sign-in with the same link ties nobody else.
                SignInInvitation.objects.filter(
                    pk=request.session.get(INVITATION_SESSION_KEY)
                ).update(used_at=timezone.now())
            record_event(
                AuditEvent.Kind.FEDERATED_LINKED,
                request=request,
                actor=user,
                target=identity,
                identifier=subject,
                summary=f"{config.provider}: linked by {linked_by}",
            )
        identity.last_signed_in_at = timezone.now()
        identity.save(update_fields=["last_signed_in_at"])
    # Django's login: a new session key, and the user_logged_in receivers (the audit log's
    # "signed in", the session's record and its step-up time).
    auth_login(request, user, backend="roles.backends.EmailPasswordBackend")
    # Step-up for a sensitive action sends this person back to the provider, not to a
    # password they may not have (session_security's confirm-password page).
    request.session[CONFIRM_ELSEWHERE] = reverse("federated-step-up")
    request.session[FEDERATED_SESSION_KEY] = {
        "provider": config.provider,
        "tenant": config.tenant,
        "issuer": config.issuer,
        "subject": subject,
    }
    if federation.used_more_than_one_factor(config.provider, claims):
        device, _ = ProviderSecondFactor.objects.get_or_create(
            user=user,
            provider=config.provider,
            defaults={"name": Provider(config.provider).label[:64], "confirmed": True},
        )
        _verified(request, device)
    record_event(
        AuditEvent.Kind.FEDERATED_SIGN_IN,
        request=request,
        actor=user,
        target=identity,
        identifier=subject,
        summary=federation.assurance_summary(config, claims),
    )
    return user


def federated_step_up(request, config, claims: dict) -> None:
    """A sensitive action's step-up done at the provider: the token must name the person
    signed in here, and say they authenticated just now."""
    subject = _subject(request, config, claims)
    signed_in_as = request.session.get(FEDERATED_SESSION_KEY) or {}
    if signed_in_as.get("issuer") != config.issuer or signed_in_as.get("subject") != subject:
        refuse_federated(request, config, "step-up by another person", subject=subject)
    auth_time = claims.get("auth_time")
    now = timezone.now().timestamp()
    if not isinstance(auth_time, int | float) or not (
        -federation.LEEWAY_SECONDS <= now - auth_time <= settings.STEP_UP_MINUTES * 60
    ):
        refuse_federated(request, config, "step-up without a fresh authentication", subject=subject)
    note_password_entered(request)
    record_event(
        AuditEvent.Kind.PASSWORD_CONFIRMED,
        request=request,
        target=request.user,
        identifier=subject,
        summary=f"Authenticated again: {federation.assurance_summary(config, claims)}"[:255],
    )


def back_channel_logout(config, claims: dict) -> int:
    """The provider signed the person out: end every session of the account its subject is
    tied to. How many sessions were still active (0 when the subject is tied to nobody)."""
    subject = claims.get("sub") or ""
    identity = selectors.linked_identity(config.issuer, subject) if subject else None
    ended = 0 if identity is None else end_every_session(identity.user)
    record_event(
        AuditEvent.Kind.BACK_CHANNEL_LOGOUT,
        actor=None,
        target=identity.user if identity is not None else None,
        identifier=subject,
        summary=(
            f"{config.provider}: ended {ended} session(s)"
            if identity is not None
            else f"{config.provider}: subject linked to no account"
        ),
    )
    return ended
