"""Every error is an RFC 9457 problem, a service's refusal a 422 with its own message."""

from __future__ import annotations

import pytest
from rest_framework.test import APIRequestFactory

from case_systems import problems
from case_systems.tests.conftest import api_client
from send_portal.refusals import RefusedChange


def _context():
    from rest_framework.request import Request

    return {"request": Request(APIRequestFactory().get("/api/v1/children/"))}


def test_a_services_refusal_is_a_422_problem_with_its_message():
    response = problems.exception_handler(
        RefusedChange("The date of the request must be today or in the past."), _context()
    )
    assert response.status_code == 422
    assert response.content_type == "application/problem+json"
    assert response.data["detail"] == "The date of the request must be today or in the past."
    assert response.data["type"].endswith("/refused")


def test_anything_unexpected_is_a_500_problem_that_says_nothing_of_the_portal(caplog):
    response = problems.exception_handler(KeyError("ehcp_child.nhs_number"), _context())
    assert response.status_code == 500
    assert "nhs_number" not in str(response.data)
    assert "API request failed" in caplog.text


@pytest.mark.django_db
def test_an_unknown_address_and_a_bad_page_size_are_problems(case_system):
    client = api_client(case_system)
    unknown = client.get("/api/v1/no-such-thing/")
    assert unknown.status_code == 404
    assert unknown.json()["type"].endswith("/not-found")
    bad = client.get("/api/v1/children/?page_size=1000")
    assert bad.status_code == 400
    assert list(bad.json()["errors"]) == ["page_size"]
    not_json = client.post(
        "/api/v1/children/", "first_name=x", content_type="application/x-www-form-urlencoded"
    )
    assert not_json.status_code == 415
    options = client.options("/api/v1/children/")
    assert options.status_code == 405
    assert "OPTIONS" not in options["Allow"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "address",
    [
        # What schemathesis sent: an advice request's id with a line break in it.
        "/api/v1/advice-requests/%C2%B4%26.%0A%F3%89%94%BC/",
        "/api/v1/children/%0A/",
        "/api/v1/no-such-thing%0D%0A",
        "/api/v1/%0A",
    ],
)
def test_an_address_with_a_line_break_is_a_404_problem_not_the_portals_page(case_system, address):
    """An id that is not a number matches no endpoint, and the catch-all under /api/v1/ must
    match whatever is left of the address, line breaks included: a regular expression's
    "." does not match one, and the request fell through to the portal's HTML page."""
    response = api_client(case_system).get(address)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["type"].endswith("/not-found")


def test_every_operation_documents_the_web_servers_own_refusals_414_and_431():
    """The web server (gunicorn, in production behind the proxy) refuses a request line
    longer than 4,094 bytes (414) and a header past its limits (431) with its own page
    before the portal sees the request: a client can get either from any operation, so the
    schema says so (schemathesis found 414 undocumented, with a page size repeated in a
    query of 4,876 bytes)."""
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    operations = [
        (path, method, operation)
        for path, item in schema["paths"].items()
        for method, operation in item.items()
    ]
    assert len(operations) > 10
    for path, method, operation in operations:
        for status in ("414", "431"):
            refused = operation["responses"].get(status)
            assert refused, f"{method.upper()} {path} does not document {status}"
            assert list(refused["content"]) == ["text/html"], f"{method.upper()} {path}"
