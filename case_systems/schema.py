"""How drf-spectacular describes the API's security: OAuth 2.0 client credentials at
``/api/v1/token/``, with the scopes, and on each operation the one scope it needs."""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiAuthenticationExtension

from case_systems import scopes
from case_systems.permissions import required_scope

TOKEN_URL = "/api/v1/token/"


class CaseSystemAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "case_systems.authentication.CaseSystemAuthentication"
    name = "caseSystemClientCredentials"
    priority = 1

    def get_security_definition(self, auto_schema):
        return {
            "type": "oauth2",
            "description": "OAuth 2.0 client credentials: a council's case system asks "
            f"{TOKEN_URL} for an access token with its client id and secret.",
            "flows": {"clientCredentials": {"tokenUrl": TOKEN_URL, "scopes": dict(scopes.SCOPES)}},
        }

    def get_security_requirement(self, auto_schema):
        needed = required_scope(auto_schema.view, auto_schema.method)
        return {self.name: [needed] if needed else []}
