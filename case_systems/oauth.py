"""django-oauth-toolkit's validator, narrowed to what a case system may do.

The token endpoint (``/api/v1/token/``) issues tokens by the client credentials grant
only, and only to the application of a case system that is not revoked; the scopes it
may ask for are its record's (``scopes.CaseSystemScopes``).
"""

from __future__ import annotations

from oauth2_provider.models import AbstractApplication
from oauth2_provider.oauth2_validators import OAuth2Validator


def _usable(application) -> bool:
    case_system = getattr(application, "case_system", None)
    return case_system is not None and not case_system.is_revoked


class CaseSystemValidator(OAuth2Validator):
    def authenticate_client(self, request, *args, **kwargs):
        # A revoked case system's secret is refused as if it were wrong (invalid_client),
        # so a revoked client learns nothing more than a stranger would.
        return super().authenticate_client(request, *args, **kwargs) and _usable(request.client)

    def validate_grant_type(self, client_id, grant_type, client, request, *args, **kwargs):
        return (
            grant_type == "client_credentials"
            and client.authorization_grant_type == AbstractApplication.GRANT_CLIENT_CREDENTIALS
            and _usable(client)
        )
