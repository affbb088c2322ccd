"""Signing a webhook's body as the Standard Webhooks specification says (standardwebhooks.com),
so a council can verify it with that project's libraries or a few lines of its own:

- ``webhook-id``: the message's id, the same on every attempt of one delivery;
- ``webhook-timestamp``: when this attempt was signed, in whole seconds since 1970 (UTC);
- ``webhook-signature``: ``v1,`` and the base64 HMAC-SHA256 of
  ``{webhook-id}.{webhook-timestamp}.{body}``, keyed with the secret's bytes (the base64
  after ``whsec_``). While a rotated secret settles, a second signature with the previous
  secret follows, separated by a space; the receiver accepts the message if any matches.

The receiver refuses a timestamp more than a few minutes from its clock (a replayed
message) and compares signatures in constant time. README.md shows it in Python.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

SECRET_PREFIX = "whsec_"
#: 32 random bytes: the HMAC-SHA256 key length (RFC 2104 recommends at least the hash's).
SECRET_BYTES = 32
SIGNATURE_VERSION = "v1"


def new_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode()


def _key(secret: str) -> bytes:
    return base64.b64decode(secret.removeprefix(SECRET_PREFIX))


def signature(secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    """``v1,<base64 HMAC-SHA256>`` of ``{message_id}.{timestamp}.{body}``."""
    signed = f"{message_id}.{timestamp}.".encode() + body
    digest = hmac.new(_key(secret), signed, hashlib.sha256).digest()
    return f"{SIGNATURE_VERSION},{base64.b64encode(digest).decode()}"


def headers(message_id: str, timestamp: int, body: bytes, signing_secrets: list[str]) -> dict:
    """The three headers of a signed message, one signature for each secret given."""
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": " ".join(
            signature(secret, message_id, timestamp, body) for secret in signing_secrets
        ),
    }
