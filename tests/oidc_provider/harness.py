"""The tests' OpenID provider (provider.mjs, the certified `oidc-provider` from npm, run by
Node) started on a free loopback port for the tests that sign in through it, and stopped
after them. `make test` and `.ci/run` need nothing more than `npm ci`, which installs it.

The portal's key pair for private_key_jwt is made here, at test time, and never written
anywhere: the provider gets the public half as the client's JWKS, the portal the private
half through its settings.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.conf import settings

SCRIPT = Path(__file__).with_name("provider.mjs")
PROVIDER_PACKAGE = Path(settings.BASE_DIR) / "node_modules" / "oidc-provider" / "package.json"
ENTRA_TENANT = "3f2504e0-4f89-41d3-9a0c-0305e82c3301"
CIS2_CLIENT_ID = "send-portal-cis2"
ENTRA_CLIENT_ID = "send-portal-entra"
STARTS_WITHIN_SECONDS = 20


@dataclass(frozen=True)
class TestProvider:
    origin: str
    cis2_issuer: str
    entra_issuer_template: str
    entra_tenant: str
    portal_private_key: str
    entra_client_secret: str

    def control(self, path: str, **query) -> tuple[int, str]:
        """Ask the provider's test controls (provider.mjs) to do something."""
        url = f"{self.origin}/__control/{path}?" + urllib.parse.urlencode(query)
        request = urllib.request.Request(url, method="POST", data=b"")
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def tamper_next_id_token(self, mode: str) -> None:
        status, _ = self.control("tamper", mode=mode)
        assert status == 204


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _portal_key() -> tuple[str, dict]:
    from joserfc.jwk import RSAKey

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    public = RSAKey.import_key(pem).as_dict(private=False)
    public["kid"] = RSAKey.import_key(public).thumbprint()
    return pem, {"keys": [public]}


def _wait_for(process: subprocess.Popen, url: str) -> None:
    deadline = time.monotonic() + STARTS_WITHIN_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"The test OpenID provider stopped: {process.stdout.read()}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.2)
    raise RuntimeError("The test OpenID provider did not start in time")


def start_provider(portal_url: str):
    """Start the provider for a portal served at ``portal_url``; yields a TestProvider."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("Node is not installed: the tests' OpenID provider runs on it")
    if not PROVIDER_PACKAGE.is_file():
        pytest.skip("oidc-provider is not installed: run `npm ci` (`make setup` does)")
    port = _free_port()
    origin = f"http://127.0.0.1:{port}"
    pem, jwks = _portal_key()
    secret = os.urandom(24).hex()
    portal = portal_url.rstrip("/")
    config = {
        "port": port,
        "cis2": {
            "client_id": CIS2_CLIENT_ID,
            "jwks": jwks,
            "redirect_uri": f"{portal}/account/sign-in/cis2/callback/",
            "backchannel_logout_uri": f"{portal}/account/sign-in/cis2/back-channel-logout/",
        },
        "entra": {
            "client_id": ENTRA_CLIENT_ID,
            "client_secret": secret,
            "redirect_uri": f"{portal}/account/sign-in/entra/callback/",
            "tenant": ENTRA_TENANT,
        },
    }
    process = subprocess.Popen(
        [node, str(SCRIPT)],
        cwd=settings.BASE_DIR,
        env={**os.environ, "OIDC_TEST_CONFIG": json.dumps(config)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        _wait_for(process, f"{origin}/cis2/.well-known/openid-configuration")
        yield TestProvider(
            origin=origin,
            cis2_issuer=f"{origin}/cis2",
            entra_issuer_template=origin + "/{tenant}/v2.0",
            entra_tenant=ENTRA_TENANT,
            portal_private_key=pem,
            entra_client_secret=secret,
        )
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def use_provider(settings, provider: TestProvider, portal_url: str) -> None:
    """Point the portal's settings at the test provider (both CIS2 and Entra ID on)."""
    settings.PORTAL_BASE_URL = portal_url.rstrip("/")
    settings.CIS2_ISSUER = provider.cis2_issuer
    settings.CIS2_CLIENT_ID = CIS2_CLIENT_ID
    settings.CIS2_PRIVATE_KEY = provider.portal_private_key
    settings.CIS2_REDIRECT_URL = ""
    settings.CIS2_ENABLED = True
    settings.ENTRA_CLIENT_ID = ENTRA_CLIENT_ID
    settings.ENTRA_CLIENT_SECRET = provider.entra_client_secret
    settings.ENTRA_ISSUER_TEMPLATE = provider.entra_issuer_template
    settings.ENTRA_REDIRECT_URL = ""
    settings.ENTRA_ENABLED = True
