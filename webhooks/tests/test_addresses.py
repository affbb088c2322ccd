"""Server-side request forgery: outside development and tests, the portal posts only over
https, only to public addresses, checked after the name is resolved and connected to the
address checked."""

from __future__ import annotations

import socket

import pytest

from webhooks import addresses, sending


@pytest.fixture(autouse=True)
def as_in_production(settings):
    settings.WEBHOOKS_ALLOW_HTTP = False
    settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = False


@pytest.mark.parametrize(
    "url",
    [
        "http://hooks.example.org/portal",  # not encrypted
        "ftp://hooks.example.org/portal",
        "https://127.0.0.1/hooks",
        "https://10.1.2.3/hooks",
        "https://172.16.0.9/hooks",
        "https://192.168.1.1/hooks",
        "https://169.254.169.254/latest/meta-data/",  # the cloud's metadata service
        "https://100.64.0.1/hooks",  # shared address space (CGNAT)
        "https://0.0.0.0/hooks",
        "https://[::1]/hooks",
        "https://[fd00::1]/hooks",
        "https://[fe80::1]/hooks",
        "https://[::ffff:127.0.0.1]/hooks",  # IPv4 loopback written as IPv6
        "https://224.0.0.1/hooks",
        "https://localhost/hooks",
        "https://portal.localhost/hooks",
        "https://redis.internal/hooks",
        "https://printer.local/hooks",
        "https://user:password@hooks.example.org/portal",
        "https://hooks.example.org:0/portal",
        "https://hooks.example.org:99999/portal",
        "https:///portal",
        "https://hooks.example.org/portal#fragment",
        "https://hooks.example.org/" + "a" * 500,
    ],
)
def test_an_address_the_portal_must_not_post_to_is_refused_when_saved(url):
    assert addresses.url_problem(url) is not None


@pytest.mark.parametrize(
    "url",
    [
        "https://hooks.example.org/portal",
        "https://hooks.example.org:8443/portal?council=sunderland",
        "https://8.8.8.8/hooks",
        "https://[2001:4860:4860::8888]/hooks",
    ],
)
def test_a_public_https_address_is_accepted(url):
    assert addresses.url_problem(url) is None


def fake_resolver(monkeypatch, *answers):
    def getaddrinfo(host, port, *args, **kwargs):
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port)) for a in answers]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


def test_a_name_that_resolves_to_a_private_address_is_refused_at_send_time(monkeypatch):
    # The name looked public when saved; now it resolves to the portal's own network.
    fake_resolver(monkeypatch, "10.0.0.5")

    with pytest.raises(addresses.RefusedAddress, match="not on the public internet"):
        addresses.public_addresses("hooks.example.org", 443)


def test_a_name_resolving_to_a_private_address_among_public_ones_is_refused(monkeypatch):
    fake_resolver(monkeypatch, "93.184.216.34", "127.0.0.1")

    with pytest.raises(addresses.RefusedAddress):
        addresses.public_addresses("hooks.example.org", 443)


def test_no_connection_is_made_to_a_refused_address(monkeypatch):
    fake_resolver(monkeypatch, "127.0.0.1")
    connected = []
    monkeypatch.setattr(socket, "create_connection", lambda *args, **kwargs: connected.append(args))

    answer = sending.post("https://hooks.example.org/portal", b"{}", {}, timeout=1)

    assert connected == []
    assert answer.status_code is None and "not on the public internet" in answer.error


def test_the_connection_goes_to_the_address_checked_not_to_the_name_again(monkeypatch):
    """DNS rebinding: a name that resolves to a public address when checked and to a
    private one a moment later. The connection is made to the address that was checked."""
    answers = iter(["93.184.216.34", "127.0.0.1"])

    def getaddrinfo(host, port, *args, **kwargs):
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (next(answers), port))]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    connected = []

    def create_connection(address, *args, **kwargs):
        connected.append(address)
        raise ConnectionRefusedError

    monkeypatch.setattr(socket, "create_connection", create_connection)

    answer = sending.post("https://hooks.example.org/portal", b"{}", {}, timeout=1)

    assert connected == [("93.184.216.34", 443)]
    assert answer.error == "Could not post: ConnectionRefusedError."


@pytest.mark.parametrize("name", ["WEBHOOKS_ALLOW_HTTP", "WEBHOOKS_ALLOW_PRIVATE_ADDRESSES"])
def test_production_refuses_to_start_with_http_or_private_addresses_allowed(tmp_path, name):
    from tests.settings_process import run_with_settings

    result = run_with_settings(
        tmp_path,
        "import django; django.setup()",
        PORTAL_ENVIRONMENT="production",
        SECRET_KEY="Zq3v9Xw1-Lr8TgKp0Hs7Nd2Yb6Fm4Ua5Jc_Ee3Wi9Ro1Qt8Pl2Kz7Mx4Vn6By0Cs5Dh",
        ALLOWED_HOSTS="portal.test",
        **{name: "true"},
    )

    assert result.returncode != 0
    assert (
        "ImproperlyConfigured: WEBHOOKS_ALLOW_HTTP and WEBHOOKS_ALLOW_PRIVATE_ADDRESSES are "
        "for development only" in result.stderr
    ), result.stderr[-500:]
