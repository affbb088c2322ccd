"""Every error the API gives is an RFC 9457 problem details object.

``application/problem+json`` with ``type`` (a URI naming the kind of problem; here a tag
URI of the portal, since the kinds are documented in the README rather than served),
``title`` (the same for every problem of that kind), ``status``, ``detail`` (this
occurrence, in plain English) and, for a request that did not validate, ``errors``: each
field's messages by its path (``{"nhs_number": ["…"]}``). A service's refusal of the change
(``RefusedChange``) is a 422 with the service's own message, the one the pages show.
"""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from rest_framework import exceptions, status
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import set_rollback

from send_portal.refusals import RefusedChange

logger = logging.getLogger("portal.api")

CONTENT_TYPE = "application/problem+json"
TYPE_BASE = "tag:send-portal.nhs.uk,2026:problems/"

#: The kinds of problem, by status: (type suffix, title).
KINDS: dict[int, tuple[str, str]] = {
    400: ("invalid-request", "The request is not valid"),
    401: ("not-authenticated", "A valid access token is needed"),
    403: ("forbidden", "The access token does not allow this"),
    404: ("not-found", "Not found"),
    405: ("method-not-allowed", "Method not allowed"),
    406: ("not-acceptable", "Not acceptable"),
    409: ("conflict", "The record already exists"),
    415: ("unsupported-media-type", "Unsupported media type"),
    422: ("refused", "The portal's rules refuse this change"),
    429: ("too-many-requests", "Too many requests"),
    500: ("server-error", "Something went wrong in the portal"),
}


def problem(status_code: int, detail: str, errors: dict | None = None, **extra) -> dict:
    suffix, title = KINDS.get(status_code, ("error", "Error"))
    body = {"type": TYPE_BASE + suffix, "title": title, "status": status_code, "detail": detail}
    if errors:
        body["errors"] = errors
    body.update(extra)
    return body


def problem_response(status_code: int, detail: str, errors: dict | None = None, headers=None):
    return Response(
        problem(status_code, detail, errors),
        status=status_code,
        headers=headers,
        content_type=CONTENT_TYPE,
    )


class Conflict(exceptions.APIException):
    """A record that already exists (a child's NHS number): 409."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = "The record already exists."


def _field_errors(detail) -> dict[str, list[str]]:
    """DRF's nested validation errors flattened to ``{"path.to.field": ["message"]}``."""
    flat: dict[str, list[str]] = {}

    def walk(value, path: str) -> None:
        if isinstance(value, dict):
            for key, inner in value.items():
                walk(inner, f"{path}.{key}" if path else str(key))
        elif isinstance(value, list) and value and not all(isinstance(v, str) for v in value):
            for index, inner in enumerate(value):
                walk(inner, f"{path}.{index}" if path else str(index))
        else:
            messages = value if isinstance(value, list) else [value]
            flat.setdefault(path or "non_field_errors", []).extend(str(m) for m in messages)

    walk(detail, "")
    return flat


def exception_handler(exc, context):
    """DRF's exception handler (``REST_FRAMEWORK["EXCEPTION_HANDLER"]``): every error a
    problem. Anything unexpected is logged with its traceback and answered as a 500
    problem without details, so a client never sees the portal's insides."""
    headers = {}
    request = context.get("request")
    if request is not None:
        # A problem is JSON whatever the endpoint otherwise answers in (the PDF).
        request.accepted_renderer = JSONRenderer()
        request.accepted_media_type = CONTENT_TYPE
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, RefusedChange):
        set_rollback()
        return problem_response(422, str(exc), {"non_field_errors": exc.problems})

    if isinstance(exc, exceptions.APIException):
        set_rollback()
        if getattr(exc, "auth_header", None):
            headers["WWW-Authenticate"] = exc.auth_header
        if getattr(exc, "wait", None):
            headers["Retry-After"] = str(int(exc.wait))
        if isinstance(exc, exceptions.ValidationError):
            errors = _field_errors(exc.detail)
            return problem_response(
                400, "Some of the request's fields are not valid.", errors, headers
            )
        detail = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
        if isinstance(exc, exceptions.Throttled):
            detail = (
                f"This client has made more requests than its rate limit allows. Try again "
                f"in {headers.get('Retry-After', 'a few')} seconds."
            )
        return problem_response(exc.status_code, str(detail), headers=headers)

    set_rollback()
    logger.exception("API request failed", exc_info=exc)
    return problem_response(500, "The request could not be completed. Try again later.")


def problem_json_response(status_code: int, detail: str, headers=None) -> JsonResponse:
    """A problem answered by a view outside Django REST framework (the token endpoint, the
    addresses that name no endpoint)."""
    return JsonResponse(
        problem(status_code, detail), status=status_code, content_type=CONTENT_TYPE, headers=headers
    )


def not_found(request, *args, **kwargs):
    """Any address under ``/api/v1/`` that names no endpoint: a 404 problem, not the
    portal's page."""
    return problem_json_response(404, "No endpoint of the API has this address.")
