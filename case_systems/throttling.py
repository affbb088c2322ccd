"""A rate limit per case system: its record's requests a minute, counted in the shared
cache (Redis in production, so every web process counts together). Over the limit the
API answers 429 with ``Retry-After`` (the seconds until a request would be let through)."""

from __future__ import annotations

from rest_framework.throttling import SimpleRateThrottle

from case_systems.authentication import case_system_of


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
        return super().allow_request(request, view)

    def get_cache_key(self, request, view):
        case_system = case_system_of(request)
        return self.cache_format % {"ident": case_system.pk}
