"""How each organisation's people sign in, and the federated identities tied to accounts.

An organisation signs in one way: the portal's own accounts (email, password and an
authenticator code), NHS Care Identity Service 2, or its own Microsoft Entra ID tenant. An
organisation without a row here uses the portal's own accounts, so a new organisation, and
every demo organisation, signs in with a password until an administrator says otherwise.

A federated identity ties one provider's subject (the ``sub`` of its ID tokens: stable and
never reassigned, unlike an email address) to one portal account. Once tied, that subject
signs in as that account and nothing else does; the email in a token is read only for the
first link (security/services.py).
"""

from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django_otp.models import Device

from roles.models import Organisation

#: A Microsoft Entra tenant id (a GUID, the "Directory (tenant) ID" of its overview page).
TENANT_ID = re.compile(
    r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\Z", re.IGNORECASE
)


class Provider(models.TextChoices):
    """The ways into the portal. ``PORTAL`` is its own accounts; the others are OpenID
    Connect providers (security/federation.py)."""

    PORTAL = "portal", "The portal's own accounts (email, password and authenticator code)"
    CIS2 = "cis2", "NHS Care Identity Service 2 (smartcard or security key)"
    ENTRA = "entra", "The organisation's Microsoft Entra ID (Microsoft 365 account)"


class OrganisationSignIn(models.Model):
    """How one organisation's people sign in."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="sign_in"
    )
    method = models.CharField(
        "how its people sign in",
        max_length=10,
        choices=Provider.choices,
        default=Provider.PORTAL,
        help_text="Its people cannot use a password unless this is the portal's own accounts.",
    )
    entra_tenant_id = models.CharField(
        "Microsoft Entra tenant ID",
        max_length=36,
        blank=True,
        validators=[
            RegexValidator(
                TENANT_ID,
                "Enter the tenant ID as its organisation's Entra admin centre shows it: 32 "
                "letters and digits in groups of 8-4-4-4-12, for example "
                "72f988bf-86f1-41af-91ab-2d7cd011db47.",
            )
        ],
        help_text="The Directory (tenant) ID, only when its people sign in with Entra ID.",
    )

    class Meta:
        verbose_name = "organisation's sign-in"
        verbose_name_plural = "organisations' sign-in"
        constraints = [
            models.CheckConstraint(
                condition=(Q(method="entra") & ~Q(entra_tenant_id=""))
                | (~Q(method="entra") & Q(entra_tenant_id="")),
                name="entra_sign_in_has_its_tenant",
                violation_error_message="Entra ID sign-in needs the organisation's tenant ID, "
                "and only Entra ID sign-in has one.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.get_method_display()}"

    def save(self, *args, **kwargs):
        self.entra_tenant_id = self.entra_tenant_id.strip().lower()
        super().save(*args, **kwargs)

    def clean(self) -> None:
        self.entra_tenant_id = self.entra_tenant_id.strip().lower()
        if self.method == Provider.ENTRA and not self.entra_tenant_id:
            raise ValidationError({"entra_tenant_id": "Enter the organisation's Entra tenant ID."})
        if self.method != Provider.ENTRA and self.entra_tenant_id:
            raise ValidationError(
                {"entra_tenant_id": "Only Entra ID sign-in has a tenant ID: leave it empty."}
            )


class FederatedIdentity(models.Model):
    """One provider's subject, tied to one portal account."""

    class LinkedBy(models.TextChoices):
        VERIFIED_EMAIL = "verified-email", "A verified email matching the account"
        INVITATION = "invitation", "An invitation"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="federated_identities"
    )
    provider = models.CharField(max_length=10, choices=Provider.choices)
    # The issuer names the tenant for Entra ID: the same subject in two tenants is two people.
    issuer = models.CharField(max_length=255)
    subject = models.CharField(max_length=255)
    linked_by = models.CharField(max_length=20, choices=LinkedBy.choices)
    linked_at = models.DateTimeField(default=timezone.now)
    last_signed_in_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "federated sign-in link"
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "subject"], name="federated_subject_one_account"
            ),
            models.UniqueConstraint(
                fields=["user", "provider", "issuer"], name="federated_one_link_per_provider"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_provider_display()} link of user {self.user_id}"


class SignInInvitation(models.Model):
    """An administrator's invitation to tie one account to a federated sign-in, for a person
    whose provider sends no email the portal can trust (often Entra ID), or whose email
    there differs from the account's.

    The link carries a random token; only its SHA-256 is kept. It works once, for
    ``INVITATION_DAYS`` (security/services.py).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sign_in_invitations"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    made_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "invitation to link a sign-in"

    def __str__(self) -> str:
        return f"Invitation for user {self.user_id}"


class ProviderSecondFactor(Device):
    """The second factor a provider vouched for, as django-otp sees it.

    When a provider's token says the person used more than one factor, the session is
    marked as having passed the second factor with this device (``django_otp.login``), so
    every check of ``user.is_verified()`` (the middleware, the admin site) holds for it as
    for an authenticator code. It accepts no code typed into the portal.
    """

    provider = models.CharField(max_length=10, choices=Provider.choices)

    class Meta:
        verbose_name = "second factor vouched for by a provider"
        constraints = [
            models.UniqueConstraint(fields=["user", "provider"], name="one_provider_factor")
        ]

    def verify_token(self, token) -> bool:
        return False
