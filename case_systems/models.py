"""A council's case system (Capita One, Liquidlogic, Synergy, Mosaic…) calling the API.

Each one is an OAuth 2.0 confidential client of django-oauth-toolkit (``application``:
client credentials only, its secret stored hashed) and acts through an account of its own
(``account``): a ``roles.User`` that holds the Council SEND officer role at the council in
the council's local areas, so every permission rule (``ehcp/rules.py``) and every area
scope applies to it unchanged and no rule is written twice. The account never signs in
(it has no usable password and ``User.is_system_account`` keeps it off every page where
people sign in, are chosen or listed).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from case_systems import scopes as api_scopes

#: Requests a minute a case system may make unless its record says otherwise.
DEFAULT_RATE_LIMIT_PER_MINUTE = 120
#: The highest rate an administrator may give one case system: a council's batch import
#: fits well under it, and a runaway client cannot take the portal's capacity.
MAX_RATE_LIMIT_PER_MINUTE = 6000


class CaseSystem(models.Model):
    name = models.CharField(
        max_length=120,
        unique=True,
        help_text="The system and its council, e.g. “Mosaic, Sunderland City Council”.",
    )
    organisation = models.ForeignKey(
        "roles.Organisation",
        on_delete=models.PROTECT,
        related_name="case_systems",
        help_text="The council whose system this is.",
    )
    application = models.OneToOneField(
        settings.OAUTH2_PROVIDER_APPLICATION_MODEL,
        on_delete=models.PROTECT,
        related_name="case_system",
        editable=False,
    )
    account = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="case_system",
        editable=False,
        help_text="The account the case system acts through (the council's SEND officer role).",
    )
    scopes = models.CharField(
        max_length=500,
        help_text="The scopes the case system may be given, separated by spaces.",
    )
    rate_limit_per_minute = models.PositiveIntegerField(
        "rate limit (requests a minute)",
        default=DEFAULT_RATE_LIMIT_PER_MINUTE,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_RATE_LIMIT_PER_MINUTE)],
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="case_systems_registered",
        editable=False,
    )
    secret_rotated_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="case_systems_revoked",
        editable=False,
    )

    class Meta:
        ordering = ["name"]
        verbose_name = "case system"

    def __str__(self) -> str:
        return self.name

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def scope_list(self) -> list[str]:
        return api_scopes.parse(self.scopes)

    @property
    def client_id(self) -> str:
        return self.application.client_id
