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


#: The problems any operation may answer, by status, beside its own responses.
_EVERY_OPERATION = {
    "401": "No valid access token (missing, expired, or its client revoked).",
    "403": "The access token lacks the scope, or the portal's rules refuse this client.",
    "404": "No such record among those this client may reach.",
    "405": "The endpoint does not take this method.",
    "406": "The endpoint cannot answer in the media type asked for.",
    "429": "Over the client's rate limit: try again after Retry-After seconds.",
}
_WITH_A_BODY = {
    "400": "The request's fields are not valid: ``errors`` names each field's problems.",
    "409": "The record exists already (a child's NHS number).",
    "415": "The body is not JSON.",
    "422": "The portal's rules refuse the change: ``detail`` says why.",
}
_BAD_QUERY = {"400": "A query parameter is not valid."}
#: Answered by the web server before the portal sees the request: gunicorn (behind the
#: HTTPS proxy in production) refuses a request past its limits with a page of its own,
#: not a problem: a request line (method, address with its query, protocol) longer than
#: its ``limit_request_line`` of 4,094 bytes with 414, a header longer than 8,190 bytes or
#: more than 100 of them with 431. Any operation can get either.
_REFUSED_BY_THE_WEB_SERVER = {
    "414": "The address with its query is longer than the web server accepts (4,094 bytes "
    "for the whole request line): the server's own page, not a problem.",
    "431": "A header is longer than the web server accepts (8,190 bytes), or there are more "
    "than 100: the server's own page, not a problem.",
}


def add_problem_responses(result, generator, request, public):
    """drf-spectacular post-processing hook: every operation documents the RFC 9457
    problems it may answer, as ``application/problem+json``, and the web server's own
    refusals (414, 431), so a client (and schemathesis) knows every status the API gives."""
    result.setdefault("components", {}).setdefault("schemas", {})
    problem_ref = {"$ref": "#/components/schemas/Problem"}
    result["components"]["schemas"]["Problem"] = {
        "type": "object",
        "description": "An RFC 9457 problem details object.",
        "properties": {
            "type": {"type": "string"},
            "title": {"type": "string"},
            "status": {"type": "integer"},
            "detail": {"type": "string"},
            "errors": {
                "type": "object",
                "additionalProperties": {"type": "array", "items": {"type": "string"}},
            },
        },
        "required": ["type", "title", "status", "detail"],
    }
    _add_links(result)
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            problems = dict(_EVERY_OPERATION)
            if method in ("post", "put", "patch"):
                problems.update(_WITH_A_BODY)
            elif any(p.get("in") == "query" for p in operation.get("parameters", [])):
                problems.update(_BAD_QUERY)
            responses = operation.setdefault("responses", {})
            for code, description in problems.items():
                responses.setdefault(
                    code,
                    {
                        "description": description,
                        "content": {"application/problem+json": {"schema": problem_ref}},
                    },
                )
            for code, description in _REFUSED_BY_THE_WEB_SERVER.items():
                responses.setdefault(
                    code,
                    {
                        "description": description,
                        "content": {"text/html": {"schema": {"type": "string"}}},
                    },
                )
    return result


#: OpenAPI links: what a response's ids lead to (operation ids of views.py), so a client
#: (and schemathesis' stateful phase) can follow the round: a child, its assessment, its
#: requests for advice, its signed sections and their PDF.
_LINKS = {
    ("children_create", "201"): {
        "GetChild": ("children_retrieve", "$response.body#/id"),
        "StartAssessment": ("children_assessments_create", "$response.body#/id"),
        "ListAssessments": ("children_assessments_list", "$response.body#/id"),
    },
    ("children_assessments_create", "201"): {
        "GetAssessment": ("assessments_retrieve", "$response.body#/id"),
        "RequestAdvice": ("assessments_advice_requests_create", "$response.body#/id"),
        "ListAdviceRequests": ("assessments_advice_requests_list", "$response.body#/id"),
        "GetSignedSections": ("assessments_signed_sections_retrieve", "$response.body#/id"),
    },
    ("assessments_advice_requests_create", "201"): {
        "GetAdviceRequest": ("advice_requests_retrieve", "$response.body#/id"),
        "GetAssessment": ("assessments_retrieve", "$response.body#/assessment"),
    },
    ("assessments_signed_sections_retrieve", "200"): {
        "GetPdf": ("sections_versions_pdf_retrieve", "$response.body#/version"),
    },
}


def _add_links(result) -> None:
    for path_item in result.get("paths", {}).values():
        for operation in path_item.values():
            for (operation_id, status), links in _LINKS.items():
                if operation.get("operationId") != operation_id:
                    continue
                response = operation.get("responses", {}).get(status)
                if response is None:
                    continue
                response["links"] = {
                    name: {"operationId": target, "parameters": {"id": value}}
                    for name, (target, value) in links.items()
                }
