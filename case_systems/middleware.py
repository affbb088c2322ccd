"""Every call a case system makes is an audit event (``api-call``).

A middleware rather than a step each endpoint remembers: whatever view answered, and
whatever it answered (a 403, a 404, a 429, an error), the call is recorded once the
response is known. The summary holds the method, the endpoint's route name and the status,
never the address (which may hold an id), the query or the body.
"""

from __future__ import annotations

from audit.services import Kind, record_event


class ApiCallAuditMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        case_system = getattr(request, "case_system", None)
        if case_system is not None:
            match = getattr(request, "resolver_match", None)
            route = match.view_name if match else "-"
            record_event(
                Kind.API_CALL,
                request=request,
                actor=case_system.account,
                target=case_system,
                summary=f"{request.method} {route} {response.status_code}",
            )
        return response
