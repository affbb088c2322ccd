"""Who is calling: a case system, by its OAuth 2.0 access token.

django-oauth-toolkit checks the bearer token (known, not expired, not revoked); this
class then finds the case system the token's application belongs to, refuses a revoked
one, and answers with the case system's own account, so every permission rule and area
scope of the portal applies to the call as it would to a council SEND officer's page.
The case system is kept on the request for the throttle and the audit event.
"""

from __future__ import annotations

from oauth2_provider.contrib.rest_framework import OAuth2Authentication
from rest_framework.exceptions import AuthenticationFailed

from case_systems.models import CaseSystem


class CaseSystemAuthentication(OAuth2Authentication):
    www_authenticate_realm = "send-portal-api"

    def authenticate(self, request):
        # The token only in the Authorization header: oauthlib would also take one from the
        # address (?access_token=), which logs and proxies keep.
        if not request.META.get("HTTP_AUTHORIZATION", "").startswith("Bearer "):
            return None
        found = super().authenticate(request)
        if found is None:
            return None
        _, token = found
        case_system = (
            CaseSystem.objects.select_related("account", "organisation")
            .filter(application_id=token.application_id)
            .first()
        )
        # On the Django request too, where the audit middleware and the throttle read it:
        # a revoked case system's refused call is audited like any other.
        request._request.case_system = case_system
        if case_system is None or case_system.is_revoked or not case_system.account.is_active:
            raise AuthenticationFailed("This client's access has been revoked.")
        return case_system.account, token


def case_system_of(request) -> CaseSystem | None:
    """The case system making ``request`` (a DRF or a Django request), once authenticated."""
    django_request = getattr(request, "_request", request)
    return getattr(django_request, "case_system", None)
