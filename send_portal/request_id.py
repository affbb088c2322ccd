"""A request id for every request: in the response header, every log line and the audit log.

The id is made here (a proxy's X-Request-ID is not trusted: anyone can send one);
the logging filter below puts it on every record made while the request runs, and
Celery tasks log without one.
"""

from __future__ import annotations

import logging
import uuid
from contextvars import ContextVar

_request_id: ContextVar[str] = ContextVar("request_id", default="")

RESPONSE_HEADER = "X-Request-ID"


def current_request_id() -> str:
    return _request_id.get()


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = uuid.uuid4().hex
        request.request_id = request_id
        token = _request_id.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            _request_id.reset(token)
        response[RESPONSE_HEADER] = request_id
        return response


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` to every log record ("-" outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        # Django logs a 4xx/5xx response ("Not Found: ...") after the middleware has
        # returned, outside the context above; that record carries the request itself.
        request = getattr(record, "request", None)
        record.request_id = _request_id.get() or getattr(request, "request_id", None) or "-"
        return True
