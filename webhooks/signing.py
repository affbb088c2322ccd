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

The secrets are kept sealed (``seal``: Fernet, AES-128-CBC with HMAC-SHA256, keyed by HKDF
from ``SECRET_KEY``), so the database alone, or a backup of it, does not give them away.
Whoever has the database and ``SECRET_KEY`` together has them; a new ``SECRET_KEY`` makes
them unreadable (``SecretUnreadable``), and each endpoint then needs a new secret.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

SECRET_PREFIX = "whsec_"
#: 32 random bytes: the HMAC-SHA256 key length (RFC 2104 recommends at least the hash's).
SECRET_BYTES = 32
SIGNATURE_VERSION = "v1"


def new_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode()


#: What the sealing key is derived for, so that it is no other key derived from SECRET_KEY.
SEALING_KEY_INFO = b"send-portal webhooks: signing secrets at rest"


class SecretUnreadable(Exception):
    """A sealed secret that the current ``SECRET_KEY`` cannot open."""


def _sealer() -> Fernet:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=SEALING_KEY_INFO).derive(
        settings.SECRET_KEY.encode()
    )
    return Fernet(base64.urlsafe_b64encode(key))


def seal(secret: str) -> str:
    return _sealer().encrypt(secret.encode()).decode()


def unseal(sealed: str) -> str:
    try:
        return _sealer().decrypt(sealed.encode()).decode()
    except InvalidToken:
        raise SecretUnreadable(
            "The endpoint's signing secret cannot be read (SECRET_KEY has changed since it "
            "was made): make a new signing secret."
        ) from None


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
