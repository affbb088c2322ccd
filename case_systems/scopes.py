"""The API's scopes: one per resource and verb, ``<resource>:read`` and ``<resource>:write``.

A case system is given the scopes its record allows (``CaseSystem.scopes``) and no others:
django-oauth-toolkit asks this backend (``OAUTH2_PROVIDER["SCOPES_BACKEND_CLASS"]``) which
scopes an application may have and which it gets when it asks for none. Every endpoint
names its resource; a safe method (GET, HEAD, OPTIONS) needs the resource's ``read`` scope
and any other its ``write`` scope (``permissions.HasResourceScope``).
"""

from __future__ import annotations

from oauth2_provider.scopes import BaseScopes

#: Every scope the API knows, with what it lets a case system do (shown in the admin and
#: in the OpenAPI schema's security scheme).
SCOPES: dict[str, str] = {
    "children:read": "Read the children of the council's local areas",
    "children:write": "Add a child by NHS number",
    "assessments:read": "Read EHC needs assessments, their statutory dates and exceptions",
    "assessments:write": "Start an EHC needs assessment",
    "advice:read": "Read requests for health advice and their state",
    "advice:write": "Ask providers for health advice",
    "sections:read": "Read the newest signed-off health sections C and G and their PDF",
    "changes:read": "Read the feed of what changed",
}

#: The scopes a new case system is given unless the administrator chooses others.
DEFAULT_SCOPES: tuple[str, ...] = tuple(SCOPES)


def read_scope(resource: str) -> str:
    return f"{resource}:read"


def write_scope(resource: str) -> str:
    return f"{resource}:write"


def parse(text: str) -> list[str]:
    """The scopes named in a space-separated string, in the catalogue's order, unknown
    names dropped."""
    named = set(text.split())
    return [scope for scope in SCOPES if scope in named]


class CaseSystemScopes(BaseScopes):
    """django-oauth-toolkit's scopes backend: the catalogue above, and for an application
    only what its case system's record allows (none for an application that is not a case
    system's, or one that is revoked)."""

    def get_all_scopes(self):
        return dict(SCOPES)

    def get_available_scopes(self, application=None, request=None, *args, **kwargs):
        return _allowed(application)

    def get_default_scopes(self, application=None, request=None, *args, **kwargs):
        return _allowed(application)


def _allowed(application) -> list[str]:
    if application is None:
        return []
    case_system = getattr(application, "case_system", None)
    if case_system is None or case_system.is_revoked:
        return []
    return case_system.scope_list
