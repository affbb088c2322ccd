"""The limit of token requests from one client address (``API_TOKEN_REQUESTS_PER_MINUTE``):
over it a request is refused with a 429 problem before its secret is checked."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from django.core.cache import cache
from django.test import Client

from case_systems.tests.conftest import _basic

pytestmark = [pytest.mark.django_db, pytest.mark.token_limit]


@pytest.fixture(autouse=True)
def three_a_minute(settings):
    settings.API_TOKEN_REQUESTS_PER_MINUTE = 3
    cache.clear()
    yield
    cache.clear()


def _ask(credentials, secret=None, address="198.51.100.7", **headers):
    return Client().post(
        "/api/v1/token/",
        urlencode({"grant_type": "client_credentials"}),
        content_type="application/x-www-form-urlencoded",
        HTTP_AUTHORIZATION=_basic(credentials.client_id, secret or credentials.client_secret),
        REMOTE_ADDR=address,
        **headers,
    )


def test_past_the_limit_even_the_right_secret_is_refused_with_a_429_problem(case_system):
    assert _ask(case_system, secret="not-the-secret").status_code == 401
    assert _ask(case_system).status_code == 200
    assert _ask(case_system).status_code == 200

    refused = _ask(case_system)

    assert refused.status_code == 429
    assert refused["Content-Type"] == "application/problem+json"
    assert 1 <= int(refused["Retry-After"]) <= 60
    body = refused.json()
    assert body["status"] == 429
    assert body["type"].endswith("/too-many-requests")
    assert "Too many token requests from this address" in body["detail"]


def test_the_limit_is_counted_by_address_so_naming_a_client_does_not_shut_it_out(case_system):
    for _ in range(3):
        _ask(case_system, secret="someone-guessing", address="203.0.113.9")
    assert _ask(case_system, address="203.0.113.9").status_code == 429

    # The council's own system, from its own address, still gets its token.
    assert _ask(case_system, address="198.51.100.7").status_code == 200


def test_a_forged_forwarded_for_header_buys_no_more_requests(case_system, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    for number in range(3):
        _ask(case_system, HTTP_X_FORWARDED_FOR=f"192.0.2.{number}")
    assert _ask(case_system, HTTP_X_FORWARDED_FOR="192.0.2.200").status_code == 429


def test_with_the_cache_down_tokens_are_still_given(case_system, monkeypatch, caplog):
    def down(*args, **kwargs):
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(cache, "get", down)
    for _ in range(5):
        assert _ask(case_system).status_code == 200
    assert "could not be counted" in caplog.text
