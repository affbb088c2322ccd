"""The API's rate limits, counted in the shared cache (Redis in production, so every web
process counts together): a case system's requests a minute, and token requests a minute
from one client address. Over a limit the API answers 429 with ``Retry-After`` (the
seconds until a request would be let through)."""

from __future__ import annotations

import logging

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from audit.services import client_address
from case_systems.authentication import case_system_of

logger = logging.getLogger("portal.api")


class CountedWhileTheCacheIsUp(SimpleRateThrottle):
    """A limit that lets requests through, logged, while the cache is out of reach (Redis
    down): the API keeps working, as the pages do (docs/SECURITY.md, Reliability),
    uncounted for as long; every call is still in the audit log."""

    def allow_request(self, request, view):
        try:
            return super().allow_request(request, view)
        except Exception:
            logger.warning("The API's %s limit could not be counted: no cache.", self.scope)
            return True


class PerCaseSystemThrottle(CountedWhileTheCacheIsUp):
    scope = "case-system"
    cache_format = "api-throttle:case-system:%(ident)s"

    def __init__(self):
        # The rate is the case system's own, read in allow_request; none from settings.
        pass

    def allow_request(self, request, view):
        case_system = case_system_of(request)
        if case_system is None:
            # Not authenticated: refused before it costs anything (401), never counted.
            return True
        self.rate = f"{case_system.rate_limit_per_minute}/min"
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_cache_key(self, request, view):
        # By the client id, random and never reused: two portals (or two test databases)
        # sharing one Redis never count each other's calls.
        return self.cache_format % {"ident": case_system_of(request).application.client_id}


class TokenRequestThrottle(CountedWhileTheCacheIsUp):
    """Token requests a minute from one client address (``API_TOKEN_REQUESTS_PER_MINUTE``).

    Each token request checks a secret against its password hash, a sum made slow on
    purpose (a fifth of a second of a core), so a flood of them would hold every web
    process: over the limit a request is refused before the secret is looked at. Counted
    by the address the lockout of the sign-in page uses (behind ``TRUSTED_PROXY_COUNT``
    proxies, a forged ``X-Forwarded-For`` is not believed), not by the client id a request
    names: anyone may name another council's client id, and must not shut it out.
    """

    scope = "token"
    cache_format = "api-throttle:token:%(ident)s"

    def __init__(self):
        self.rate = f"{settings.API_TOKEN_REQUESTS_PER_MINUTE}/min"
        self.num_requests, self.duration = self.parse_rate(self.rate)

    def get_cache_key(self, request, view):
        return self.cache_format % {"ident": client_address(request) or "unknown"}
