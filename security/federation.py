"""Signing in through an OpenID Connect provider: NHS CIS2, and organisations' Entra ID.

Authlib does the protocol: the authorization code flow with PKCE (S256), the state and the
nonce kept in the session, the token request (private_key_jwt for CIS2, the client secret
for Entra ID), and the ID token's signature checked against the provider's published keys,
with its issuer, audience, expiry and nonce. joserfc (the JOSE library Authlib itself is
built on) reads the portal's key and the back-channel logout token. Nothing here parses,
signs or checks a JWT by hand.

Who a person is comes from here; what they may do still comes from their role
assignments (roles/rules.py): no claim of a token grants anything.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import cache

from authlib.integrations.base_client.errors import OAuthError
from authlib.integrations.django_client import DjangoOAuth2App
from authlib.integrations.django_client.integration import DjangoIntegration
from authlib.oauth2.rfc7523 import PrivateKeyJWT, private_key_jwt_sign
from django.conf import settings
from django.urls import reverse
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet, RSAKey
from requests import RequestException

from security.models import Provider

#: The algorithm of the portal's client assertion: CIS2 asks for RS512.
CLIENT_ASSERTION_ALG = "RS512"
#: How long the portal's client assertion is good for. CIS2 refuses one over 5 minutes.
CLIENT_ASSERTION_SECONDS = 300
#: Clock difference allowed between the portal and a provider when checking a token's times.
LEEWAY_SECONDS = 60
#: The event a back-channel logout token carries (OpenID Connect Back-Channel Logout 1.0, 2.4).
BACK_CHANNEL_LOGOUT_EVENT = "http://schemas.openid.net/event/backchannel-logout"

# Authentication method references by the kind of factor each is (RFC 8176, section 2):
# something the person knows, has, or is. Two kinds, or "mfa" itself, is two-step.
_KNOWS = frozenset({"pwd", "pin", "kba"})
_HAS = frozenset({"otp", "hwk", "swk", "sc", "sms", "tel", "pop"})
_IS = frozenset({"fpt", "face", "iris", "retina", "vbm", "geo", "user"})
#: CIS2's authentication assurance level 3 is a smartcard or security key with its passcode,
#: or an authenticator with a second factor: always more than one factor (CIS2's guidance
#: for developers, "Authentication assurance levels").
CIS2_MULTI_FACTOR_LEVEL = 3
#: CIS2's identity assurance level 3: the person's identity was checked face to face by a
#: registration authority (the level of an NHS smartcard). Below it CIS2 vouches for less
#: than the portal's clinical pages need, and the token is refused, as NHS England's own
#: staff services do (Manage Breast Screening refuses an id_assurance_level under 3).
CIS2_IDENTITY_LEVEL = 3


#: How pages name each provider to the person.
PROVIDER_NAMES = {
    Provider.CIS2: "NHS Care Identity Service 2",
    Provider.ENTRA: "your organisation's Microsoft account",
}


class FederationRefused(Exception):
    """A sign-in through a provider that the portal does not accept. ``reason`` is for the
    audit log (short, no token contents); the person sees a plain message."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class ProviderSettings:
    """One provider as the portal is registered with it."""

    provider: str
    issuer: str
    client_id: str
    client_secret: str  # the private key's PEM for private_key_jwt
    scopes: str
    redirect_url: str
    tenant: str = ""

    @property
    def client_name(self) -> str:
        """The name Authlib keeps this flow's state under in the session."""
        return f"{self.provider}-{self.tenant}" if self.tenant else self.provider

    @property
    def label(self) -> str:
        """How pages name the provider to the person."""
        return PROVIDER_NAMES[self.provider]


@dataclass(frozen=True)
class UnstartedFlow:
    """A provider's answer that no sign-in of this session asked for: only its name is
    known (for the audit log)."""

    provider: str


def _redirect_url(configured: str, url_name: str) -> str:
    return configured or settings.PORTAL_BASE_URL.rstrip("/") + reverse(url_name)


def cis2() -> ProviderSettings | None:
    """NHS CIS2 as configured (settings.CIS2_*), or None when it is off."""
    if not settings.CIS2_ENABLED:
        return None
    return ProviderSettings(
        provider=Provider.CIS2,
        issuer=settings.CIS2_ISSUER,
        client_id=settings.CIS2_CLIENT_ID,
        client_secret=settings.CIS2_PRIVATE_KEY,
        scopes=settings.CIS2_SCOPES,
        redirect_url=_redirect_url(settings.CIS2_REDIRECT_URL, "federated-callback-cis2"),
    )


def entra(tenant: str) -> ProviderSettings | None:
    """One organisation's Entra ID tenant, or None when Entra ID sign-in is off."""
    if not settings.ENTRA_ENABLED or not tenant:
        return None
    return ProviderSettings(
        provider=Provider.ENTRA,
        issuer=settings.ENTRA_ISSUER_TEMPLATE.format(tenant=tenant).rstrip("/"),
        client_id=settings.ENTRA_CLIENT_ID,
        client_secret=settings.ENTRA_CLIENT_SECRET,
        scopes=settings.ENTRA_SCOPES,
        redirect_url=_redirect_url(settings.ENTRA_REDIRECT_URL, "federated-callback-entra"),
        tenant=tenant,
    )


# --- The portal's key (private_key_jwt) -------------------------------------------------


@cache
def _public_key(pem: str) -> RSAKey:
    private = RSAKey.import_key(pem)
    return RSAKey.import_key(private.as_dict(private=False))


def portal_key_id(pem: str) -> str:
    """The key's id: its JWK thumbprint (RFC 7638), so it changes when the key does."""
    return _public_key(pem).thumbprint()


def portal_jwks(pem: str) -> dict:
    """The public half of the portal's key, as the JWKS the provider reads."""
    public = _public_key(pem).as_dict(private=False)
    return {
        "keys": [{**public, "kid": portal_key_id(pem), "use": "sig", "alg": CLIENT_ASSERTION_ALG}]
    }


class ShortLivedPrivateKeyJWT(PrivateKeyJWT):
    """Authlib's private_key_jwt, with an assertion good for five minutes (Authlib's default
    is an hour, which CIS2 refuses)."""

    def sign(self, auth, token_endpoint):
        return private_key_jwt_sign(
            RSAKey.import_key(auth.client_secret),
            client_id=auth.client_id,
            token_endpoint=token_endpoint,
            alg=self.alg,
            header=self.headers,
            expires_in=CLIENT_ASSERTION_SECONDS,
        )


# --- Clients ------------------------------------------------------------------------------

_clients: dict[ProviderSettings, DjangoOAuth2App] = {}
_clients_lock = threading.Lock()


def client_for(config: ProviderSettings) -> DjangoOAuth2App:
    """Authlib's client for a provider, made once per process: it keeps the provider's
    discovery document and keys, fetching the keys again when a token names a new one."""
    with _clients_lock:
        client = _clients.get(config)
        if client is None:
            kwargs = {
                "scope": config.scopes,
                "code_challenge_method": "S256",
                "default_timeout": settings.FEDERATION_TIMEOUT,
            }
            auth_methods = None
            if config.provider == Provider.CIS2:
                kwargs["token_endpoint_auth_method"] = "private_key_jwt"
                auth_methods = [
                    ShortLivedPrivateKeyJWT(
                        headers={"kid": portal_key_id(config.client_secret)},
                        alg=CLIENT_ASSERTION_ALG,
                    )
                ]
            else:
                kwargs["token_endpoint_auth_method"] = "client_secret_post"
            client = DjangoOAuth2App(
                DjangoIntegration(config.client_name),
                name=config.client_name,
                client_id=config.client_id,
                client_secret=config.client_secret,
                server_metadata_url=config.issuer + "/.well-known/openid-configuration",
                client_kwargs=kwargs,
                client_auth_methods=auth_methods,
            )
            _clients[config] = client
        return client


def _metadata(config: ProviderSettings) -> dict:
    """The provider's discovery document, refused unless it names the issuer configured
    (OpenID Connect Discovery 1.0, section 4.3)."""
    try:
        metadata = client_for(config).load_server_metadata()
    except (RequestException, ValueError) as error:
        raise FederationRefused("provider unreachable") from error
    if metadata.get("issuer", "").rstrip("/") != config.issuer:
        raise FederationRefused("discovery names another issuer")
    return metadata


def authorization_redirect(request, config: ProviderSettings, *, step_up: bool = False):
    """The redirect to the provider's sign-in. A step-up asks the person to authenticate
    again there, whatever session the provider already has (prompt=login, max_age=0)."""
    _metadata(config)
    extra = {}
    if config.provider == Provider.CIS2:
        extra["acr_values"] = settings.CIS2_ACR_VALUES
        # CIS2 asks to be sent prompt=login on every sign-in (its developer guidance).
        extra["prompt"] = "login"
    if step_up:
        extra["prompt"] = "login"
        extra["max_age"] = 0
    return client_for(config).authorize_redirect(request, config.redirect_url, **extra)


def complete_sign_in(request, config: ProviderSettings) -> dict:
    """The ID token's claims from the provider's answer, every check passed: the state
    matches this session's, the code is exchanged (with the PKCE verifier and the portal's
    client authentication), and the ID token is signed by the provider's key, issued by the
    issuer configured, for this portal, not expired, and carries this session's nonce."""
    _metadata(config)
    try:
        token = client_for(config).authorize_access_token(
            request,
            claims_options={
                "iss": {"essential": True, "values": [config.issuer]},
                "aud": {"essential": True, "values": [config.client_id]},
                "exp": {"essential": True},
                "sub": {"essential": True},
            },
            leeway=LEEWAY_SECONDS,
        )
    except OAuthError as error:
        raise FederationRefused(f"provider said {error.error or 'no'}"[:80]) from error
    except JoseError as error:
        raise FederationRefused(f"ID token refused: {type(error).__name__}") from error
    except RequestException as error:
        raise FederationRefused("provider unreachable") from error
    except ValueError as error:  # an answer that is not the JSON it should be
        raise FederationRefused("provider's answer unreadable") from error
    claims = token.get("userinfo")
    if not claims:
        raise FederationRefused("no ID token")
    return dict(claims)


def _within(value, longest: int) -> bool:
    return isinstance(value, str) and 0 < len(value) <= longest


def subject_of(claims: dict) -> str:
    subject = claims.get("sub")
    if not _within(subject, 255):
        raise FederationRefused("subject missing or too long")
    return subject


def verified_email(claims: dict) -> str | None:
    """The token's email when the provider says it verified it, else None: OpenID's
    ``email_verified``, or Entra ID's ``xms_edov`` (the email's domain is verified by the
    tenant that owns it; Entra ID sends no ``email_verified``)."""
    email = claims.get("email")
    verified = claims.get("email_verified") is True or claims.get("xms_edov") is True
    if verified and _within(email, 254) and "@" in email:
        return email.strip().lower()
    return None


def methods_used(claims: dict) -> list[str]:
    amr = claims.get("amr")
    if not isinstance(amr, list):
        return []
    return [method for method in amr if _within(method, 40)][:10]


def used_more_than_one_factor(provider: str, claims: dict) -> bool:
    """Whether the token says the person used more than one factor: ``amr`` holds "mfa"
    or methods of two kinds (RFC 8176), or, for CIS2, authentication assurance level 3."""
    amr = set(methods_used(claims))
    if "mfa" in amr:
        return True
    if sum(bool(amr & kind) for kind in (_KNOWS, _HAS, _IS)) >= 2:
        return True
    if provider == Provider.CIS2:
        level = claims.get("authentication_assurance_level")
        try:
            return int(level) >= CIS2_MULTI_FACTOR_LEVEL
        except (TypeError, ValueError):
            return False
    return False


def identity_assured(provider: str, claims: dict) -> bool:
    """Whether the token vouches for who the person is well enough: for CIS2, its
    ``id_assurance_level`` is at least ``CIS2_IDENTITY_LEVEL`` (a token without one is not);
    an Entra ID tenant vouches for its own staff."""
    if provider != Provider.CIS2:
        return True
    try:
        return int(claims.get("id_assurance_level")) >= CIS2_IDENTITY_LEVEL
    except (TypeError, ValueError):
        return False


def assurance_summary(config: ProviderSettings, claims: dict) -> str:
    """What the audit log keeps of how the person authenticated: the provider, the token's
    acr and amr (bounded), and whether that was two-step. No other claim."""
    acr = claims.get("acr")
    acr = acr if _within(acr, 60) else "none"
    amr = ", ".join(methods_used(claims)) or "none"
    factors = "two-step" if used_more_than_one_factor(config.provider, claims) else "one step"
    where = f" tenant {config.tenant}" if config.tenant else ""
    return f"{config.provider}{where}; acr {acr}; amr {amr}; {factors}"[:255]


# --- Back-channel logout --------------------------------------------------------------------


def logout_claims(config: ProviderSettings, logout_token: str) -> dict:
    """The claims of a back-channel logout token, every check of the specification passed
    (OpenID Connect Back-Channel Logout 1.0, section 2.6): signed by the provider's key,
    issued by the issuer for this portal, recent, with the logout event, no nonce, and a
    subject or a session id."""
    if not _within(logout_token, 8192):
        raise FederationRefused("logout token missing or too long")
    metadata = _metadata(config)
    client = client_for(config)
    algorithms = metadata.get("id_token_signing_alg_values_supported") or ["RS256"]
    try:
        try:
            keys = KeySet.import_key_set(client.fetch_jwk_set())
            token = jwt.decode(logout_token, keys, algorithms=algorithms)
        except JoseError:
            # The provider may have turned to a new key since the portal last read them.
            keys = KeySet.import_key_set(client.fetch_jwk_set(force=True))
            token = jwt.decode(logout_token, keys, algorithms=algorithms)
        jwt.JWTClaimsRegistry(
            leeway=LEEWAY_SECONDS,
            iss={"essential": True, "value": config.issuer},
            aud={"essential": True, "value": config.client_id},
            iat={"essential": True},
            exp={"essential": True},
            events={"essential": True},
        ).validate(token.claims)
    except (JoseError, ValueError) as error:
        raise FederationRefused(f"logout token refused: {type(error).__name__}") from error
    except RequestException as error:
        raise FederationRefused("provider unreachable") from error
    claims = token.claims
    events = claims.get("events")
    if not isinstance(events, dict) or BACK_CHANNEL_LOGOUT_EVENT not in events:
        raise FederationRefused("logout token without the logout event")
    if "nonce" in claims:
        raise FederationRefused("logout token with a nonce")
    if not _within(claims.get("sub"), 255) and not _within(claims.get("sid"), 255):
        raise FederationRefused("logout token names nobody")
    return claims
