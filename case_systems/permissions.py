"""Scopes per resource and verb: an endpoint names its ``resource`` ("children"); reading
it needs ``children:read`` and changing it ``children:write`` (``scopes.py``).

This only says which parts of the API a token opens. What the case system may see and do
inside them is decided by the portal's own rules, asked for its account.
"""

from __future__ import annotations

from rest_framework.permissions import SAFE_METHODS, BasePermission

from case_systems import scopes


def required_scope(view, method: str) -> str | None:
    resource = getattr(view, "resource", None)
    if resource is None:
        return None
    return scopes.read_scope(resource) if method in SAFE_METHODS else scopes.write_scope(resource)


class HasResourceScope(BasePermission):
    message = "The access token does not have the scope this request needs."

    def has_permission(self, request, view) -> bool:
        token = request.auth
        if request.user is None or not request.user.is_authenticated or token is None:
            return False
        needed = required_scope(view, request.method)
        if needed is None:
            # An endpoint that names no resource is a mistake: refuse rather than open it.
            return False
        self.message = f"The access token does not have the scope {needed}."
        return needed in token.scope.split()
