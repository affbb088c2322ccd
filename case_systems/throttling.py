"""A rate limit per case system: its record's requests a minute, counted in the shared
cache (Redis in production, so every web process counts together). Over the limit the
API answers 429 with ``Retry-After`` (the seconds until a request would be let through)."""

from __future__ import annotations

import logging

from rest_framework.throttling import SimpleRateThrottle

from case_systems.authentication import case_system_of

logger = logging.getLogger("portal.api")


class PerCaseSystemThrottle(SimpleRateThrottle):
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
        try:
            return super().allow_request(request, view)
        except Exception:
            # The cache out of reach (Redis down): the API keeps working, as the pages do
            # (docs/SECURITY.md, Reliability), uncounted for as long; every call is still
            # in the audit log.
            logger.warning("The API's rate limit could not be counted: the cache is down.")
            return True

    def get_cache_key(self, request, view):
        # By the client id, random and never reused: two portals (or two test databases)
        # sharing one Redis never count each other's calls.
        return self.cache_format % {"ident": case_system_of(request).application.client_id}
