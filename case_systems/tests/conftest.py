"""A council's case system for the API's tests, and a client that holds its token."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from django.core.cache import cache
from django.test import Client
from rest_framework.test import APIClient

from case_systems import services
from roles.models import Organisation
from tests.factories import OrganisationFactory, the_test_area


def token_for(client_id: str, secret: str, scope: str | None = None) -> dict:
    """Ask the token endpoint for an access token, as a council's system does."""
    data = {"grant_type": "client_credentials"}
    if scope is not None:
        data["scope"] = scope
    # Form-encoded, as RFC 6749 says a token request is.
    response = Client().post(
        "/api/v1/token/",
        urlencode(data),
        content_type="application/x-www-form-urlencoded",
        HTTP_AUTHORIZATION=_basic(client_id, secret),
    )
    return {"status": response.status_code, **response.json()}


def _basic(client_id: str, secret: str) -> str:
    import base64
    from urllib.parse import quote

    pair = f"{quote(client_id, safe='')}:{quote(secret, safe='')}".encode()
    return "Basic " + base64.b64encode(pair).decode()


def api_client(credentials, scope: str | None = None) -> APIClient:
    token = token_for(credentials.client_id, credentials.client_secret, scope)
    assert token["status"] == 200, token
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token['access_token']}")
    return client


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    # The throttle counts in the cache: each test starts with a full allowance.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def council(db):
    return OrganisationFactory(name="Test Council", kind=Organisation.Kind.COUNCIL)


@pytest.fixture
def case_system(council):
    return services.register_case_system(
        name="Mosaic, Test Council", organisation=council, areas=[the_test_area()]
    )
